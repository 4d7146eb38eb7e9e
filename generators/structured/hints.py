"""Values for schema properties, read from the conversation: what tool arguments and structured outputs reuse.

`hints_for(schema, texts)` maps property names to values found in the texts (newest first): an enum member
the user mentioned, an email or URL or date, a place after "in"/"at"/"to" ("weather in Paris" -> city), a
person's name (a capitalised word that is not a place), a ticker, numbers (next to the property's own word
when possible: "age 32", "3 items"; else in order), the subject of a search ("search for cats" -> query),
a value labelled by the property's name ("password: mellon"), what a message should say ("... saying the
meeting moved"). The text itself is read by `generators.structured.facts`.
"""
from __future__ import annotations

from typing import Any, Sequence

from dummy_openai_api.generators.structured.facts import Facts
from dummy_openai_api.generators.structured.fakes import TIMEZONES, name_words
from dummy_openai_api.generators.structured.refs import Resolver, properties
from dummy_openai_api.generators.structured.schema import hint_key

_ORIGIN_NAMES = frozenset("origin source departure pickup".split())
_DESTINATION_NAMES = frozenset("destination dest arrival dropoff".split())
_PLACE_NAMES = frozenset("city location place destination origin town locality where region area venue".split())
_PERSON_NAMES = frozenset("name person author customer user recipient sender owner contact assignee employee "
                          "attendee guest patient student fullname who writer creator".split())
_BY_NAMES = frozenset("author sender writer creator owner".split())
_QUERY_NAMES = frozenset("query q search question prompt topic keyword keywords term terms".split())
_TEXT_NAMES = frozenset("message text content body note caption".split())
_TITLE_NAMES = frozenset("title subject headline heading".split())


def message_text(message: Any) -> str:
    """The text of a chat message: its string content, or its text parts joined."""
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return "\n".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))


def user_texts(messages: Sequence[Any]) -> list[str]:
    """The user's messages, newest first: where the values for arguments and structured outputs are."""
    return [message_text(m) for m in reversed(messages) if isinstance(m, dict) and m.get("role") == "user"]


def hints_for(schema: dict[str, Any], texts: Sequence[str]) -> dict[str, Any]:
    """Property name -> a value for it found in `texts` (the newest text first)."""
    found: dict[str, Any] = {}
    fields = properties(schema) if isinstance(schema, dict) else []
    refs = Resolver(schema)
    for text in texts:
        facts = Facts(text)
        for name, sub in fields:
            if hint_key(name) not in {hint_key(k) for k in found}:
                items = _items(sub)
                value = _extract(name, sub, refs.resolve(items) if isinstance(items, dict) else {}, facts)
                if value is not None:
                    found[name] = value
        _names_of_events(found, fields, facts)
    return found


def _items(schema: dict[str, Any]) -> Any:
    """The item schema of an array, also inside a union: `Optional[list[Member]]` is anyOf [array, null]."""
    if isinstance(schema.get("items"), dict):
        return schema["items"]
    branches = schema.get("anyOf") or schema.get("oneOf") or []
    return next((b["items"] for b in branches if isinstance(b, dict) and isinstance(b.get("items"), dict)), None)


def _names_of_events(found: dict[str, Any], fields: list[tuple[str, dict[str, Any]]], facts: Facts) -> None:
    """A person listed among the participants is not the event's name: "Alice and Bob are going to a
    science fair" gives name "Science Fair", participants ["Alice", "Bob"]."""
    listed = {item for value in found.values() if isinstance(value, list) for item in value if isinstance(item, str)}
    for name in [n for n in dict.fromkeys(n for n, _ in fields) if n in found]:
        if isinstance(found[name], str) and found[name] in listed:
            event = facts.event() if name_words(name)[-1:] in (["name"], ["title"]) else None
            if event:
                found[name] = event
            else:
                del found[name]


def _kinds(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    kinds = {declared} if isinstance(declared, str) else set(declared or [])
    for branch in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(branch, dict):
            kinds |= _kinds(branch)
    return kinds


def _enum(schema: dict[str, Any]) -> list[Any]:
    members = list(schema.get("enum") or [])
    for branch in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(branch, dict):
            members += _enum(branch)
    return members


def _extract(name: str, schema: dict[str, Any], items: dict[str, Any], facts: Facts) -> Any:
    words = name_words(name)
    last = words[-1] if words else ""
    members = _enum(schema)
    if members:
        return facts.member(members)
    kinds = _kinds(schema)
    if isinstance(schema.get("pattern"), str) and "string" in kinds | {"string"} and \
            (coded := facts.matching(schema["pattern"])) is not None:
        return coded
    if kinds & {"integer", "number"} and not kinds & {"string"}:
        return facts.number(words)
    if "array" in kinds and _enum(items):  # every member the text mentions: "a horror comedy"
        return [m for m in _enum(items) if facts.member([m]) is not None] or None
    if "array" in kinds and isinstance(items.get("properties"), dict):
        return _entity_items(items, facts)
    if kinds and not kinds & {"string"}:
        return facts.list_for(words) if "array" in kinds else None
    return _string_hint(words, last, schema.get("format"), facts)


def _entity_items(items: dict[str, Any], facts: Facts) -> list[dict[str, Any]] | None:
    """One object per entity the text names, each filled from its own stretch of text: "Alice is 30 and Bob
    is 25" gives two items, and a text naming one person gives one (no invented second)."""
    fields = {hint_key(name) for name, _ in properties(items, limit=40)}
    places = bool(fields & {hint_key(n) for n in _PLACE_NAMES}) and not fields & {"name", "person", "fullname"}
    starts = facts.entity_starts(places)
    if not starts:
        return None
    bounds = [*starts[1:], len(facts.text)]
    found = [hints_for(items, [facts.text[start:end]]) for start, end in zip(starts, bounds, strict=True)]
    return [item for item in found if item] or None


def _string_hint(words: list[str], last: str, fmt: Any, facts: Facts) -> Any:
    found = _formatted_hint(words, last, fmt, facts)
    if found is not None or fmt in ("email", "idn-email", "uri", "url", "iri", "date", "date-time"):
        return found
    for cue, before in ((_ORIGIN_NAMES, frozenset({"from"})), (_DESTINATION_NAMES, frozenset({"to", "into"}))):
        if set(words) & cue and not set(words) & {"name", "id"}:
            return facts.place_after(before) or facts.place()
    if last == "country":
        return facts.country()
    if set(words) & _PLACE_NAMES and not set(words) & {"name", "id"}:
        return facts.place()
    if last in ("ticker", "symbol", "stock"):
        return facts.ticker()
    if last in _PERSON_NAMES:  # a bare "name" is the name of whatever the text is about, person or not
        return facts.person(by=last in _BY_NAMES) or (facts.phrases[0][0] if words == ["name"] and facts.phrases
                                                      else None)
    labelled = facts.labelled(words)
    if labelled is not None:
        return labelled
    if last in _QUERY_NAMES:
        return facts.topic()
    if last in _TITLE_NAMES:
        said = facts.quoted() or facts.said()
        return _title(said) if said else None
    return facts.quoted() or facts.said() if last in _TEXT_NAMES else None


def _formatted_hint(words: list[str], last: str, fmt: Any, facts: Facts) -> Any:
    """Values with a shape of their own: emails, URLs, dates, time zones, first and last names."""
    if fmt in ("email", "idn-email") or last in ("email", "mail"):
        return facts.email()
    if fmt in ("uri", "url", "iri") or last in ("url", "uri", "link", "website"):
        return facts.url()
    if fmt in ("date", "date-time") or last in ("date", "day", "when", "datetime"):
        return facts.date(fmt == "date-time") or (facts.day() if fmt is None else None)
    if last in ("timezone", "tz") or words[-2:] == ["time", "zone"]:
        return TIMEZONES.get(facts.place() or "")
    person = facts.person() if last in ("first", "given", "last", "surname", "family") or \
        words[-2:] in (["first", "name"], ["last", "name"]) else None
    if person and (last in ("first", "given") or words[-2:] == ["first", "name"]):
        return person.split()[0]
    return person.split()[-1] if person and " " in person else None


def _title(text: str) -> str:
    words = text.rstrip(".!?").split()
    return " ".join(words[:8])[:1].upper() + " ".join(words[:8])[1:]
