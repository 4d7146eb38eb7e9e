r"""The text of synthetic assistant replies: deterministic, context-aware English for a chat `messages` list.

`compose()` reads the conversation, applies the user's canned rules (see `load_rules`), then classifies the
last user message (greeting, code, summary, how-to, list, question, arithmetic, yes/no, translation, story or
poem, comparison, tool result, anything else) and fills the templates of `generators.phrasebook`. The system
prompt shapes the result (persona, brevity, reply language, JSON, bullet points, default code language).
Every choice between wordings comes from a SHA-256 of the conversation, the seed and the variant, never from
`hash()` or the global `random` state, so the same request gives the same text in every process.

Rules file format (YAML, or JSON by extension or content)::

    # Rules are checked in order; the first rule that matches wins. They run before the built-in replies.
    rules:
      - contains: "refund policy"            # case-insensitive substring of the last user message
        reply: "Refunds are accepted within 30 days."
      - regex: 'weather in (?P<city>\w+)'   # Python regex, case-insensitive, searched in the last user
        reply: "It is always sunny in {city}." # message; {city} / {1} are replaced by the groups
      - system_contains: "pirate"            # case-insensitive substring of the system/developer prompt
        reply: "Arr, ask away!"
      - contains: ["price", "cost"]          # a list means "any of these"
        replies: ["It costs $10.", "The price is ten dollars."]  # several: picked by seed / variant
        name: pricing                        # optional label, ignored
    default_replies:                         # optional: replaces the generic fallback reply
      - "I'm a test double; here is a canned answer."

A rule needs at least one matcher (`contains`, `regex`, `system_contains`; all given must match) and exactly
one of `reply` / `replies`. Write regexes in single quotes: YAML reads backslashes in double quotes as
escapes. Only `{group}` placeholders are replaced; other braces stay, so JSON replies are safe. Canned replies
are returned verbatim (no persona, language or JSON styling). With no seed, variant 0 answers the first of
`replies`, variant 1 the second, and so on. `load_rules` raises ValueError with a one-line message such as
`rules.yaml: rule 3: bad regex '(unclosed': missing ), unterminated subpattern at position 0`.
"""
from __future__ import annotations

import ast
import hashlib
import heapq
import json
import logging
import math
import operator
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Sequence, TypeVar

import yaml

from . import phrasebook as pb

__all__ = ["ReplyRule", "ReplyRules", "compose", "load_rules"]

T = TypeVar("T")
_HEAD_CHARS = 1000  # classification looks at the start of a message only: bounded time on huge inputs


# --- rules ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplyRule:
    """One canned reply; every matcher given must match, and a list matcher matches if any entry does."""

    replies: tuple[str, ...]
    contains: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None
    system_contains: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        if not self.replies:
            raise ValueError("a ReplyRule needs at least one reply")

    def match(self, user_text: str, user_lower: str, system_lower: str) -> dict[str, str] | None:
        """The fields for the reply template if this rule applies, else None."""
        if self.contains and not any(needle in user_lower for needle in self.contains):
            return None
        if self.system_contains and not any(needle in system_lower for needle in self.system_contains):
            return None
        if self.regex is None:
            return {}
        found = self.regex.search(user_text)
        if found is None:
            return None
        fields = {str(i): group or "" for i, group in enumerate(found.groups(), 1)}
        fields.update({key: value or "" for key, value in found.groupdict().items()})
        fields["0"] = found.group(0)
        return fields


@dataclass(frozen=True)
class ReplyRules:
    """User-defined canned replies (the format is in the module docstring), applied before the classifier."""

    rules: tuple[ReplyRule, ...] = ()
    default_replies: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Any, source: str = "<rules>") -> ReplyRules:
        """Validate parsed YAML/JSON; raises ValueError naming the source and the problem on one line."""
        if not isinstance(data, dict):
            raise _rules_error(source, "", f"expected a mapping with 'rules', got {type(data).__name__}")
        unknown = sorted(str(key) for key in data if key not in ("rules", "default_replies"))
        if unknown:
            raise _rules_error(source, "", f"unknown key {unknown[0]!r} (expected 'rules', 'default_replies')")
        raw_rules = data.get("rules", [])
        raw_rules = [] if raw_rules is None else raw_rules
        if not isinstance(raw_rules, list):
            raise _rules_error(source, "", "'rules' must be a list")
        rules = tuple(_parse_rule(raw, source, number) for number, raw in enumerate(raw_rules, 1))
        defaults = _string_list(data.get("default_replies"), source, "", "default_replies") or ()
        return cls(rules=rules, default_replies=defaults)


_RULE_KEYS = ("name", "contains", "regex", "system_contains", "reply", "replies")


def load_rules(path: str | os.PathLike[str]) -> ReplyRules:
    """Read a rules file (YAML or JSON); raises ValueError with a one-line message naming file and problem."""
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _rules_error(source, "", f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    if source.lower().endswith(".json"):  # anything else is read as YAML, which also accepts JSON text
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _rules_error(source, "", f"invalid JSON: {exc}") from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise _rules_error(source, "", f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        raise _rules_error(source, "", "the file is empty")
    return ReplyRules.from_dict(data, source)


def _parse_rule(raw: Any, source: str, number: int) -> ReplyRule:
    where = f"rule {number}"
    if not isinstance(raw, dict):
        raise _rules_error(source, where, f"expected a mapping, got {type(raw).__name__}")
    unknown = sorted(str(key) for key in raw if key not in _RULE_KEYS)
    if unknown:
        raise _rules_error(source, where, f"unknown key {unknown[0]!r} (expected one of {', '.join(_RULE_KEYS)})")
    if ("reply" in raw) == ("replies" in raw):
        raise _rules_error(source, where, "needs exactly one of 'reply' or 'replies'")
    replies = _string_list(raw.get("reply", raw.get("replies")), source, where, "reply")
    contains = _string_list(raw.get("contains"), source, where, "contains") or ()
    system_contains = _string_list(raw.get("system_contains"), source, where, "system_contains") or ()
    pattern = raw.get("regex")
    if not (contains or system_contains or pattern is not None):
        raise _rules_error(source, where, "has no matcher (add 'contains', 'regex' or 'system_contains')")
    if pattern is not None and not isinstance(pattern, str):
        raise _rules_error(source, where, f"'regex' must be a string, got {type(pattern).__name__}")
    try:
        regex = re.compile(pattern, re.IGNORECASE) if pattern is not None else None
    except re.error as exc:
        raise _rules_error(source, where, f"bad regex {pattern!r}: {exc}") from None
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise _rules_error(source, where, "'name' must be a string")
    return ReplyRule(replies=replies or (), contains=tuple(c.lower() for c in contains), regex=regex,
                     system_contains=tuple(c.lower() for c in system_contains), name=name)


def _string_list(value: Any, source: str, where: str, key: str) -> tuple[str, ...] | None:
    """A string or a non-empty list of non-empty strings, as a tuple; None when absent."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise _rules_error(source, where, f"{key!r} must be a non-empty string or a list of non-empty strings")
    return tuple(items)


def _rules_error(source: str, where: str, problem: str) -> ValueError:
    message = f"{source}: {where + ': ' if where else ''}{problem}"
    return ValueError(" ".join(message.split()))


def _fill_groups(template: str, fields: dict[str, str]) -> str:
    # Only {name} placeholders that are regex groups are replaced: other braces (JSON replies) stay as written.
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), template)


# --- reading the conversation ---------------------------------------------------------------------------

_ATTACHMENT_KINDS = {"image_url": "image", "input_image": "image", "image": "image", "input_audio": "audio",
                     "audio": "audio", "file": "file", "input_file": "file"}
_ROLES = {"user": "user", "system": "system", "developer": "system", "assistant": "assistant", "tool": "tool",
          "function": "tool"}


@dataclass(frozen=True)
class _Conversation:
    user_text: str = ""
    previous_user_text: str = ""
    system_text: str = ""
    earlier_texts: tuple[str, ...] = ()       # non-system messages before the last user message, oldest first
    tool_text: str | None = None              # content of a trailing tool/function message
    tool_name: str = ""
    attachments: tuple[str, ...] = ()
    fingerprint: bytes = b""
    tool_results: tuple[tuple[str, str, dict[str, Any]], ...] = ()  # all trailing ones: (name, text, arguments)


def _content_text(content: Any) -> tuple[str, tuple[str, ...]]:
    """The text of a message's content and the kinds of its non-text parts; junk reads as empty."""
    if isinstance(content, str):
        return content, ()
    if isinstance(content, (int, float)) and not isinstance(content, bool):
        return str(content), ()
    parts = [content] if isinstance(content, dict) else content if isinstance(content, (list, tuple)) else ()
    texts: list[str] = []
    kinds: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            kind = part.get("type")
            value = part.get("refusal") if kind == "refusal" else part.get("text")
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(kind, str) and kind in _ATTACHMENT_KINDS:
                kinds.append(_ATTACHMENT_KINDS[kind])
    return "\n".join(texts), tuple(kinds)


def _read_conversation(messages: Any) -> _Conversation:
    if isinstance(messages, (str, dict)):
        messages = [messages]
    if not isinstance(messages, (list, tuple)):
        messages = []
    entries: list[tuple[str, str, tuple[str, ...], dict[str, Any]]] = []
    digest = hashlib.sha256()
    for message in messages:
        if isinstance(message, str):
            message = {"role": "user", "content": message}
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        role = _ROLES.get(role.lower(), "other") if isinstance(role, str) else "other"
        text, kinds = _content_text(message.get("content"))
        entries.append((role, text, kinds, message))
        digest.update(f"{role}\x1f{text}\x1f{','.join(kinds)}\x1e".encode("utf-8", "replace"))
    system = "\n".join(text for role, text, _, _ in entries if role == "system" and text.strip())
    user_positions = [i for i, entry in enumerate(entries) if entry[0] == "user"]
    if not user_positions:  # unknown roles stand in for a user when there is none
        user_positions = [i for i, entry in enumerate(entries) if entry[0] == "other"]
    last = user_positions[-1] if user_positions else len(entries)
    user_text, attachments = (entries[last][1], entries[last][2]) if user_positions else ("", ())
    previous = entries[user_positions[-2]][1] if len(user_positions) > 1 else ""
    earlier = tuple(text for role, text, _, _ in entries[:last] if role != "system" and text.strip())
    results: list[tuple[str, str, dict[str, Any]]] = []
    for entry in reversed(entries):  # parallel calls end the conversation with several tool messages
        if entry[0] != "tool":
            break
        name, arguments = _tool_call(entry[3], [e[3] for e in entries])
        results.insert(0, (name, entry[1], arguments))
    tool_name, tool_text = (results[-1][0], results[-1][1]) if results else ("", None)
    return _Conversation(user_text.strip(), previous.strip(), system, earlier, tool_text, tool_name,
                         attachments, digest.digest(), tuple(results))


def _tool_call(message: dict[str, Any], all_messages: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The function's name and the arguments it was called with: from the assistant call with this
    tool_call_id, or for a legacy `function` message its name and the last `function_call` by that name."""
    call_id, legacy = message.get("tool_call_id"), message.get("name")
    found: tuple[str, Any] = (legacy if isinstance(legacy, str) else "", None)
    for earlier in all_messages:
        calls = earlier.get("tool_calls")
        calls = calls if isinstance(calls, list) else [{"function": earlier.get("function_call")}]
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict) or not isinstance(function.get("name"), str):
                continue
            by_id = call_id is not None and call.get("id") == call_id
            if by_id or (call_id is None and found[0] and function["name"] == found[0]):
                found = (function["name"], function.get("arguments"))
    try:
        arguments = json.loads(found[1]) if isinstance(found[1], str) else {}
    except ValueError:
        arguments = {}
    return found[0], arguments if isinstance(arguments, dict) else {}


# --- deterministic choices ------------------------------------------------------------------------------

class _Picker:
    """Chooses among wordings: offsets come from the conversation hash, and the variant is spread over the
    first choices as mixed-radix digits, so variants 0, 1, 2... differ in at least one chosen wording."""

    def __init__(self, fingerprint: bytes, seed: Any, variant: int) -> None:
        salt = b"canonical" if seed is None else repr(seed).encode("utf-8", "replace")
        self.canonical = seed is None
        self.pool = hashlib.sha256(fingerprint + b"|" + salt).digest()
        self.used = 0
        self.remaining = self.variant = variant

    def draw(self, size: int) -> int:
        """A deterministic number in range(size), from the next two bytes of the hash chain."""
        if self.used + 2 > len(self.pool):
            self.pool, self.used = hashlib.sha256(self.pool).digest(), 0
        self.used += 2
        return int.from_bytes(self.pool[self.used - 2:self.used], "big") % size

    def pick(self, options: Sequence[T], *, first_is_canonical: bool = False) -> T:
        offset = 0 if first_is_canonical and self.canonical else self.draw(len(options))
        digit = self.remaining % len(options)
        self.remaining //= len(options)
        return options[(offset + digit) % len(options)]

    def extra_closer(self) -> str:
        """A closing sentence that keeps variants distinct once the wording tables are exhausted."""
        if not self.remaining:
            return ""
        closer = pb.EXTRA_CLOSERS[(self.remaining - 1) % len(pb.EXTRA_CLOSERS)]
        return closer if self.remaining <= len(pb.EXTRA_CLOSERS) else f"{closer} (Take {self.variant + 1}.)"


# --- style from the system prompt -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Style:
    brevity: int = 0                      # 0 normal, 1 concise, 2 one sentence, 3 one word
    language: str | None = None           # "fr", "es", "de", "it"
    json: bool = False
    json_template: dict[str, Any] | None = None
    bullets: bool = False
    persona: str | None = None
    code_language: str | None = None
    name: str | None = None


_LANG_NAMES = "|".join(pb.LANGUAGE_NAMES)
_BREVITY = ((3, re.compile(r"\b(?:one|single|1)[ -]word\b", re.I)),
            (2, re.compile(r"\b(?:one|single|1)[ -]sentence\b|\bone[ -]liners?\b", re.I)),
            (1, re.compile(r"\b(?:concise|brief|briefly|short|succinct|terse|few words|to the point)\b", re.I)))
# "write a short story" is not a request for brevity, so the user's own words need a stricter pattern.
_USER_BRIEF = re.compile(r"\b(?:concise(?:ly)?|briefly|succinct(?:ly)?|tersely|keep it short|short answer|"
                         r"in (?:a )?few words|brief (?:answer|summary|explanation|overview))\b", re.I)
_USER_STYLE_GATE = re.compile(rf"sentence|one word|single word|one-word|single-word|1 word|1-word|concise|brief|"
                              rf"succinct|terse|short|few words|json|bullet|like i|simple terms|plain english|"
                              rf"{'|'.join(pb.PERSONA_WORDS)}|{_LANG_NAMES}")
_SYSTEM_LANGUAGE = re.compile(rf"\bin ({_LANG_NAMES})\b|\b(?:only )?speaks? ({_LANG_NAMES})\b", re.I)
_USER_LANGUAGE = re.compile(rf"\b(?:answer|respond|reply|write|speak|talk)\b[^.\n]{{0,30}}?\bin ({_LANG_NAMES})\b", re.I)
_SYSTEM_JSON = re.compile(r"\bjson\b", re.I)
_JSON_VERB = re.compile(r"\b(?:respond|reply|answer|output|return|format|only|valid|object|always)\b", re.I)
_USER_JSON = re.compile(r"\b(?:respond|reply|answer|output)\b[^.\n]{0,30}\bjson\b|\b(?:in|as) json(?: format)?\W*$", re.I)
_BULLETS = re.compile(r"\bbullet(?:s|ed)?(?: points?| lists?)?\b", re.I)
_PERSONA = re.compile(r"\b(?:you are|you're|act as|acting as|pretend to be|role-?play as|speak like|talk like|"
                      r"in the style of|as if you were)\b[^.\n]{0,40}?\b(" + "|".join(pb.PERSONA_WORDS) + r")\b", re.I)
_CODE_HINT = re.compile(r"\b(?:expert|developer|engineer|programmer|specialist|tutor|coder|code|coding|programming)\b", re.I)
_NAME = re.compile(r"\b(?i:your name is) ([A-Z][\w-]{1,30})|^(?i:you are) ([A-Z][\w-]{1,30})[,.]", re.M)


@lru_cache(maxsize=256)
def _system_style(system: str) -> _Style:
    """Style directives of the system prompt (cached: load tests repeat the same system prompt)."""
    brevity = next((level for level, pattern in _BREVITY if pattern.search(system)), 0)
    language = _SYSTEM_LANGUAGE.search(system)
    wants_json = bool(_SYSTEM_JSON.search(system) and _JSON_VERB.search(system))
    persona = _PERSONA.search(system)
    name = _NAME.search(system)
    return _Style(
        brevity=brevity,
        language=pb.LANGUAGE_NAMES[(language.group(1) or language.group(2)).lower()] if language else None,
        json=wants_json, json_template=_json_template(system) if wants_json else None,
        bullets=bool(_BULLETS.search(system)),
        persona=pb.PERSONA_WORDS[persona.group(1).lower()] if persona else None,
        code_language=_code_language(system) if _CODE_HINT.search(system) else None,
        name=(name.group(1) or name.group(2)) if name else None)


def _read_style(system: str, user_line: str) -> _Style:
    """The system prompt's style, tightened by directives in the user message ("in one sentence")."""
    style = _system_style(system)
    if not _USER_STYLE_GATE.search(user_line.lower()):
        return style
    user_brevity = next((level for level, pattern in _BREVITY[:2] if pattern.search(user_line)), 0)
    user_brevity = user_brevity or (1 if _USER_BRIEF.search(user_line) else 0)
    language = _USER_LANGUAGE.search(user_line)
    persona = _PERSONA.search(user_line)
    return replace(
        style, brevity=max(style.brevity, user_brevity),
        language=pb.LANGUAGE_NAMES[language.group(1).lower()] if language else style.language,
        json=style.json or bool(_USER_JSON.search(user_line)),
        bullets=style.bullets or bool(_BULLETS.search(user_line)),
        persona=pb.PERSONA_WORDS[persona.group(1).lower()] if persona else style.persona)


def _json_template(system: str) -> dict[str, Any] | None:
    """A JSON object example in the system prompt, whose keys the reply should reuse."""
    start, end = system.find("{"), system.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        example = json.loads(system[start:end + 1])
    except ValueError:
        return None
    return example if isinstance(example, dict) and example else None


# --- text helpers ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#'-]*[A-Za-z0-9+#]|[A-Za-z]|[.,;:!?()\"]")  # punctuation ends a phrase
_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\s*\n\s*")
_SKIP_WORDS = pb.STOPWORDS | pb.REQUEST_WORDS


def _keywords(text: str, limit: int = 3) -> list[str]:
    """The first few key terms of text: runs of adjacent content words ("data science"), de-duplicated, in
    their original order and casing."""
    phrases: list[list[str]] = []
    seen: set[str] = set()
    previous = -2
    for position, token in enumerate(_TOKEN.findall(text[:600])):
        word = token.removesuffix("'s")
        lower = word.lower()
        if len(lower) < 2 or lower in _SKIP_WORDS or lower in seen:
            continue
        seen.add(lower)
        # A capital at the very start of the message is grammar, not a name.
        word = lower if position == 0 and word.istitle() else word
        if position == previous + 1 and len(phrases[-1]) < 3:
            phrases[-1].append(word)
        elif len(phrases) == limit:
            break
        else:
            phrases.append([word])
        previous = position
    return [" ".join(phrase) for phrase in phrases]


def _join_terms(terms: Sequence[str]) -> str:
    return terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1] if terms else ""


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


_FIRST_PERSON = re.compile(r"\b(?:[Ii](?:'m|'ve|'ll|'d)?|[Mm](?:e|y|ine|yself)|[Aa]m|[Ww]e(?:'re)?|[Uu]s|[Oo]urs?)\b")


def _swap_pronouns(text: str) -> str:
    """Rewrite the user's point of view as the assistant's: "my password" -> "your password"."""
    return _FIRST_PERSON.sub(lambda m: pb.PRONOUN_SWAPS[m.group(0).lower()], text)


def _clean_phrase(text: str, max_words: int = 12) -> str:
    """A subject phrase without surrounding quotes and punctuation, cut to a readable length."""
    words = text.strip().strip("\"'“”‘’`").rstrip("?!.,;: ").split()
    return " ".join(words[:max_words])


def _strip_article(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an|some|my|your)\s+", "", phrase, flags=re.I)


def _singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ics")) and len(word) > 3:
        return word[:-1]
    return word


def _plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word if lower.endswith("s") and _singular(word) != word else word + "es"
    return word + "s"


def _gerund(verb: str) -> str:
    lower = verb.lower()
    if lower.endswith("ie"):
        return verb[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")) and len(lower) > 2:
        return verb[:-1] + "ing"
    return verb + "ing"


def _base_verb(word: str) -> str:
    """ "reverses" -> "reverse", "checks" -> "check": the base form of a third-person verb."""
    lower = word.lower()
    if lower in ("is", "has", "does", "was", "its", "this", "status", "process", "access", "always", "series"):
        return {"is": "be", "has": "have", "does": "do"}.get(lower, word)
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1] if lower.endswith("s") and not lower.endswith(("ss", "us")) else word


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT_SENTENCES.split(text) if s and s.strip()]


def _fmt(template: str, **slots: Any) -> str:
    return template.format(**slots)


# --- the draft and the request ---------------------------------------------------------------------------

@dataclass
class _Draft:
    """A reply before styling: prose around an optional list or code block, plus what JSON mode needs."""

    kind: str
    lead: str = ""
    items: list[str] = field(default_factory=list)
    item_style: str = "numbered"          # "numbered", "bullets" or "lines" (poems)
    code: tuple[str, str] | None = None   # (fence tag, source)
    tail: str = ""
    terse: str = ""                       # the one-word answer
    data: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, Any] = field(default_factory=dict)


_GREETING_PREFIX = re.compile(r"^(?:hi|hello|hey|greetings|good (?:morning|afternoon|evening))(?: there| all)?"
                              r"[\s,!.:;-]+(?=\S+\s+\S)", re.I)
_POLITE_PREFIX = re.compile(
    r"^(?:(?:ok|okay|so|alright|please|pls|kindly)\b[\s,!.]*)*"
    r"(?:(?:can|could|would|will) you(?: please)?\s+|i(?:'d| would) like you to\s+|i (?:want|need) you to\s+"
    r"|please\s+)?(?=(?:write|tell|explain|give|list|show|summari[sz]e|translate|make|create|describe|compare|"
    r"calculate|compute|generate|implement|find|suggest|recommend|name|provide|draft|compose|help|define|build|"
    r"teach|walk|convert)\b)", re.I)


@dataclass
class _Request:
    convo: _Conversation
    pick: _Picker
    text: str                 # the last user message (or the earlier one that a follow-up refers to)
    raw_line: str             # its start on one line, original casing
    line: str                 # the same without greetings and "can you please"
    rules: ReplyRules | None
    style: _Style = field(default_factory=_Style)

    @cached_property
    def low(self) -> str:
        return self.line.lower()

    @cached_property
    def terms(self) -> list[str]:
        return _keywords(self.line)

    @cached_property
    def kw(self) -> str:
        return _join_terms(self.terms) or "this"


def _make_request(convo: _Conversation, pick: _Picker, rules: ReplyRules | None) -> _Request:
    text = _resolve_follow_up(convo.user_text, convo.previous_user_text)
    raw_line = " ".join(text[:_HEAD_CHARS].split())
    line = _GREETING_PREFIX.sub("", raw_line, count=1)
    line = _POLITE_PREFIX.sub("", line, count=1)
    style = _read_style(convo.system_text, line)
    if _USER_STYLE_GATE.search(line.lower()):
        line = _DIRECTIVES.sub("", line)
    line = _EMBEDDED_QUESTION.sub(r"what \2 \1", _ASK_PREFIX.sub("", line).strip())
    return _Request(convo, pick, text, raw_line, line or raw_line, rules, style)


_DIRECTIVES = re.compile(rf"[\s,]*\b(?:in (?:one|a single|1) (?:sentence|word)|in (?:a )?few words|briefly|"
                         rf"like (?:i'm|i am) (?:five|5|a child|a beginner)|in simple terms|in plain english|"
                         rf"concisely|(?:answer|respond|reply|write|speak)\s+in (?:{_LANG_NAMES})|(?:using|with|in) bullet "
                         rf"points|(?:answer |respond )?in json(?: format)?)\b", re.I)
_ASK_PREFIX = re.compile(r"^(?:tell me|do you know|i (?:want|need) to know|i wonder|explain to me)\s+"
                         r"(?=(?:what|why|how|who|when|where|which)\b)", re.I)
_EMBEDDED_QUESTION = re.compile(r"^what (.+?) (is|are|means)\W*$", re.I)  # "what recursion is" -> "what is recursion"
_FOLLOW_UP_LANGUAGE = re.compile(r"^(?:(?:and|now|ok|okay|great|thanks|cool)[,!.]?\s+)*(?:(?:what|how) about|"
                                 r"(?:do|write|show|give me) (?:it|that|this|the same)|same(?: thing)?|now)?\s*"
                                 r"(?:in|using)\s+([\w#+.]+)\W*$", re.I)
_FOLLOW_UP_AGAIN = re.compile(r"^(?:(?:tell|give|write) me )?(?:another(?: one)?|one more|again|try again)\W*$", re.I)


def _resolve_follow_up(text: str, previous: str) -> str:
    """ "What about in Rust?" after a code request means the same request in Rust."""
    if not previous or len(text) > 60:
        return text
    language = _FOLLOW_UP_LANGUAGE.match(text)
    if language and _code_language(f"in {language.group(1).lower()}"):
        return f"{previous} in {language.group(1)}"
    return previous if _FOLLOW_UP_AGAIN.match(text) else text


# --- tool results ---------------------------------------------------------------------------------------

_PLACE_KEYS = ("location", "city", "place", "name", "area", "locality", "region")
_TEMPERATURE_KEYS = ("temperature", "temp", "temp_c", "temp_f", "temperature_c", "temperature_f",
                     "current_temperature")
_SKY_KEYS = ("condition", "conditions", "description", "forecast", "weather", "summary", "sky")
_ERROR_KEYS = ("error", "errors", "error_message")


def _tool_result(req: _Request) -> _Draft | None:
    if req.convo.tool_text is None:
        return None
    stated = [_tool_sentence(name, text, arguments, req.pick) for name, text, arguments in req.convo.tool_results]
    lead, facts, value = stated[0]
    if len(stated) > 1:  # one sentence per result of parallel calls
        lead = " ".join(sentence for sentence, _, _ in stated)
    terse = facts[0][1] if facts else _capitalize(_keywords(lead)[-1]) if _keywords(lead) else "Done."
    data = {"result": value} if len(stated) == 1 else {"results": [v for _, _, v in stated]}
    return _Draft("tool", lead=lead, tail=req.pick.pick(pb.TOOL_TAILS), terse=terse, data=data,
                  slots={"facts": ", ".join(f"{name}: {value}" for name, value in facts)} if facts else {})


def _tool_sentence(name: str, text: str, arguments: dict[str, Any],
                   pick: _Picker) -> tuple[str, list[tuple[str, str]], Any]:
    """(a sentence stating one tool result, its facts, its value); the call's arguments fill in the place."""
    source = f"{name} tool" if name else "tool"
    data = _parse_json(text)
    facts: list[tuple[str, str]] = []
    if isinstance(data, dict):
        facts = _facts(data)
        asked = {k: v for k, v in arguments.items() if str(k).lower() in _PLACE_KEYS + ("unit", "units")}
        lead = (_weather_sentence({**asked, **data}, pick) or _error_sentence(data, source, pick)
                or _fmt(pick.pick(pb.TOOL_LEADS), source=source, facts=_facts_text(facts) or "no details"))
    elif isinstance(data, list):
        lead = _list_result(data, source)
    elif data is not None and not isinstance(data, str):
        lead = f"The {source} returned {_describe_value(data)}."
    else:
        lead = _text_result(text if data is None else data, source, pick)
    return lead, facts, text if data is None else data


def _parse_json(text: str) -> Any:
    """The JSON value of a tool result, or None when it is plain text (a JSON null also reads as None)."""
    stripped = text.strip()
    if not stripped or stripped[0] not in '{["-0123456789tfn':
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _humanize(key: Any) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(key))
    return " ".join(spaced.replace("_", " ").replace("-", " ").lower().split())


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    if isinstance(value, (int, str)):
        return " ".join(str(value).split())[:80]
    if isinstance(value, list):
        if value and len(value) <= 5 and all(isinstance(v, (str, int, float)) for v in value):
            return _join_terms([_describe_value(v) for v in value])
        return f"{len(value)} items"
    if isinstance(value, dict):
        named = next((value[k] for k in ("name", "title", "id") if isinstance(value.get(k), (str, int))), None)
        return str(named) if named is not None else f"{len(value)} fields"
    return "not set"


def _facts(data: dict[Any, Any], skip: Sequence[str] = (), limit: int = 6) -> list[tuple[str, str]]:
    return [(_humanize(key), _describe_value(value)) for key, value in data.items()
            if value is not None and str(key).lower() not in skip][:limit]


def _facts_text(facts: list[tuple[str, str]]) -> str:
    return _join_terms([f"{name} is {value}" for name, value in facts])


def _first_value(data: dict[str, Any], keys: Sequence[str]) -> tuple[str, Any] | None:
    return next(((key, data[key]) for key in keys if data.get(key) not in (None, "", [], {})), None)


def _weather_sentence(data: dict[Any, Any], pick: _Picker) -> str | None:
    lowered = {str(key).lower(): value for key, value in data.items()}
    place, temperature = _first_value(lowered, _PLACE_KEYS), _first_value(lowered, _TEMPERATURE_KEYS)
    if place is None or temperature is None or not isinstance(place[1], str):
        return None
    unit = str(lowered.get("unit") or lowered.get("units") or "").lower()
    suffix = ("°F" if temperature[0].endswith("_f") or unit in ("fahrenheit", "f", "°f", "imperial")
              else " K" if unit in ("kelvin", "k") else "°C" if unit in ("celsius", "c", "°c", "metric") else "°")
    value = temperature[1]
    shown = f"{_describe_value(value)}{suffix}" if isinstance(value, (int, float)) else _describe_value(value)
    sky = _first_value(lowered, _SKY_KEYS)
    condition = _describe_value(sky[1][0] if sky and isinstance(sky[1], list) else sky[1]).lower() if sky else ""
    if condition:
        sentence = _fmt(pick.pick(pb.WEATHER_TEMPLATES), place=place[1], temp=shown, condition=condition)
    else:
        sentence = f"The temperature in {place[1]} is {shown}."
    used = {place[0], temperature[0], "unit", "units", sky[0] if sky else ""}
    extra = _facts(data, skip=tuple(used), limit=3)
    return f"{sentence} Also, {_facts_text(extra)}." if extra else sentence


def _error_sentence(data: dict[Any, Any], source: str, pick: _Picker) -> str | None:
    found = _first_value({str(k).lower(): v for k, v in data.items()}, _ERROR_KEYS)
    if found is None:
        return None
    error = found[1].get("message", found[1]) if isinstance(found[1], dict) else found[1]
    return _fmt(pick.pick(pb.TOOL_ERROR_TEMPLATES), source=source, error=_describe_value(error).rstrip("."))


def _list_result(items: list[Any], source: str) -> str:
    if not items:
        return f"The {source} returned no results."
    if isinstance(items[0], dict):
        return (f"The {source} returned {len(items)} result{'s' if len(items) > 1 else ''}. "
                f"The first one: {_facts_text(_facts(items[0], limit=3)) or 'no details'}.")
    shown = [_describe_value(item) for item in items[:5]]
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return f"The {source} returned {len(items)} item{'s' if len(items) > 1 else ''}: {', '.join(shown)}{more}."


def _text_result(text: str, source: str, pick: _Picker) -> str:
    words = text.split()
    if len(words) <= 60:
        return _fmt(pick.pick(pb.TOOL_TEXT_LEADS), source=source, text=" ".join(words).strip("\"'"))
    return f"The {source} returned a long result. In short: {' '.join(_summarize(text, 2))}"


# --- attachments and small talk -------------------------------------------------------------------------

_ASKS_ABOUT_ATTACHMENT = re.compile(r"^\W*$|\b(?:what(?:'s| is)|describe|look at|see|tell me about|explain|"
                                    r"analy[sz]e)\b.*\b(?:image|picture|photo|pic|screenshot|this|it|audio|"
                                    r"recording|clip|file|document|attachment)\b", re.I)
_GREETING = re.compile(r"^(hi|hello|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day)|bonjour|"
                       r"salut|hola|buenos d[ií]as|hallo|guten (?:tag|morgen)|ciao|buongiorno)"
                       r"(?:[\s,!.]+(?:there|everyone|everybody|all|friend|folks|again|buddy|mate|team))?"
                       r"(?:[\s,!.]+[\w-]+)?[\s!.,:)]*$", re.I)
_HOW_ARE_YOU = re.compile(r"^(?:(?:hi|hello|hey)[\s,!.]+)?(?:how are you(?: doing)?(?: today)?|how's it going|"
                          r"how are things|how have you been|how do you do|what's up|whats up|sup)[\s?!.]*$", re.I)
_THANKS = re.compile(r"^(?:(?:ok|okay|great|perfect|awesome|cool|nice)[\s,!.]+)?(?:thanks|thank you|thx|ty|"
                     r"cheers|much appreciated)\b[\w\s,!.']{0,40}$", re.I)
_BYE = re.compile(r"^(?:ok[\s,]+)?(?:bye|goodbye|good bye|see you|see ya|good night|farewell|cya)\b[\w\s,!.']{0,30}$",
                  re.I)
_IDENTITY = re.compile(r"^(?:(?:hi|hello|hey)[\s,!.]+)?(?:who are you|what are you|what(?:'s| is) your name|"
                       r"what should i call you)\W*$", re.I)
_PLAIN_HELLO = {"yo": "Hey", "hiya": "Hi", "salut": "Salut"}


def _attachment(req: _Request) -> _Draft | None:
    kinds = req.convo.attachments
    if not kinds or not _ASKS_ABOUT_ATTACHMENT.search(req.line):
        return None
    kind = "image" if "image" in kinds else kinds[0]
    return _Draft("attachment", lead=req.pick.pick(pb.ATTACHMENT_REPLIES[kind]), terse=_capitalize(kind) + ".")


def _smalltalk(req: _Request) -> _Draft | None:
    line, pick = req.raw_line, req.pick
    if greeting := _GREETING.match(line):
        word = greeting.group(1)
        hello = _PLAIN_HELLO.get(word.lower(), _capitalize(word.lower()))
        lead = _fmt(pick.pick(pb.GREETINGS), hello=hello)
        if req.style.name:
            lead = lead.replace("! ", f"! I'm {req.style.name}. ", 1)
        return _Draft("greeting", lead=lead, terse=f"{hello}!" if " " not in hello else "Hello!",
                      slots={"language": pb.FOREIGN_GREETINGS.get(word.lower())})
    for pattern, kind, table, terse in ((_HOW_ARE_YOU, "greeting", pb.HOW_ARE_YOU, "Great!"),
                                        (_THANKS, "thanks", pb.THANKS_REPLIES, "Welcome!"),
                                        (_BYE, "bye", pb.GOODBYES, "Goodbye!")):
        if pattern.match(line):
            return _Draft(kind, lead=pick.pick(table), terse=terse)
    if _IDENTITY.match(line):
        name = req.style.name
        lead = _fmt(pick.pick(pb.IDENTITY_REPLIES), name=name) if name else pick.pick(pb.IDENTITY_UNNAMED)
        return _Draft("identity", lead=lead, terse=f"{name}." if name else "Assistant.")
    return None


# --- arithmetic: words become operators, then a whitelisted AST is walked over Fractions (never eval'd) -----

_NUMBER_WORD_VALUES = {word: value for word, value in pb.NUMBER_WORDS.items() if " " not in word and value <= 20}
_MATH_WORDS = (  # (pattern, replacement), applied in order to the lower-cased expression
    (r"(\d),(?=\d{3}\b)", r"\1"),
    (r"\b(" + "|".join(_NUMBER_WORD_VALUES) + r")\b", lambda m: str(_NUMBER_WORD_VALUES[m.group(1)])),
    (r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s*of\b", r"(\1/100)*"),
    (r"(\d+(?:\.\d+)?)\s*(?:%|percent)(?=\s*(?:$|[-+*/)]))", r"(\1/100)"),
    (r"(?:square root of|sqrt|√)\s*(\d+(?:\.\d+)?)", r"sqrt(\1)"),
    (r"\bsquared\b", "**2"), (r"\bcubed\b", "**3"), (r"\bto the power of\b|\^", "**"),
    (r"\bmultiplied by\b|\btimes\b|×|(?<=[\d)\s])x(?=[\s\d(])", "*"), (r"\bdivided by\b|\bover\b|÷", "/"),
    (r"\bplus\b", "+"), (r"\bminus\b", "-"), (r"\bmod(?:ulo)?\b", "%"),
)
_MATH_WORD_RES = tuple((re.compile(pattern), replacement) for pattern, replacement in _MATH_WORDS)
_MATH_ONLY = re.compile(r"(?:[\d.+\-*/%()\s]|sqrt)+")
_MATH_PREFIX = re.compile(r"^(?:(?:what|how much)(?:'s| is| are| does| do)?|calculate|compute|evaluate|solve|"
                          r"work out|find|tell me|give me)\s+(?:the (?:value|result|answer) of\s+)?", re.I)
_MATHY = re.compile(r"\d|plus|minus|times|divided|squared|sqrt|square root")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Mod: operator.mod}
_MAX_DIGITS = 400  # results beyond this many digits are refused, so "9^9^9" cannot eat the CPU


class _MathError(ValueError):
    pass


def _evaluate(node: ast.AST) -> tuple[Fraction, bool]:
    """The value of a whitelisted arithmetic AST and whether it is exact; anything else raises _MathError."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Fraction(repr(node.value)), True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value, exact = _evaluate(node.operand)
        return (-value if isinstance(node.op, ast.USub) else value), exact
    if isinstance(node, ast.BinOp) and (type(node.op) in _BINARY or isinstance(node.op, ast.Pow)):
        (left, left_exact), (right, right_exact) = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            value, exact = _power(left, right)
            return value, exact and left_exact and right_exact
        if right == 0 and isinstance(node.op, (ast.Div, ast.Mod)):
            raise ZeroDivisionError
        return _BINARY[type(node.op)](left, right), left_exact and right_exact
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sqrt"
            and len(node.args) == 1 and not node.keywords):
        value, exact = _evaluate(node.args[0])
        if value < 0:
            raise _MathError("not a real number")
        top, bottom = math.isqrt(value.numerator), math.isqrt(value.denominator)
        if top * top == value.numerator and bottom * bottom == value.denominator:
            return Fraction(top, bottom), exact
        return Fraction(math.sqrt(value)), False
    raise _MathError("not arithmetic")


def _power(base: Fraction, exponent: Fraction) -> tuple[Fraction, bool]:
    if exponent.denominator == 1:
        if abs(exponent.numerator) * math.log10(max(abs(base.numerator), base.denominator, 1)) > _MAX_DIGITS:
            raise _MathError("too large")
        if base == 0 and exponent < 0:
            raise ZeroDivisionError
        return base ** exponent.numerator, True
    if base < 0:
        raise _MathError("not a real number")
    return Fraction(float(base) ** float(exponent)), False


def _format_number(value: Fraction, exact: bool) -> tuple[str, bool]:
    """The value as text, and whether that text is exact (1/3 is shown as 0.333333, which is not)."""
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if exact and denominator == 1:  # an integer or a terminating decimal: show it exactly
        if value.denominator == 1:
            return str(value.numerator), True
        with localcontext() as context:
            context.prec = 60
            return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f"), True
    return f"{float(value):.6f}".rstrip("0").rstrip(".") or "0", False


def _arithmetic(req: _Request) -> _Draft | None:
    if not _MATHY.search(req.low) or len(req.line) > 200:
        return None
    shown = re.sub(r"\s*(?:equals?|=)?\s*[?.!]*\s*$", "", _MATH_PREFIX.sub("", req.line.strip()))
    expression = shown.lower()
    for pattern, replacement in _MATH_WORD_RES:
        expression = pattern.sub(replacement, expression)
    if not _MATH_ONLY.fullmatch(expression) or not re.search(r"\d\s*[-+*/%]|sqrt", expression):
        return None
    try:
        value, exact = _evaluate(ast.parse(expression.strip(), mode="eval").body)
    except ZeroDivisionError:
        return _Draft("math", lead=f"{shown} is undefined, because you can't divide by zero.", terse="Undefined.")
    except _MathError as exc:
        if str(exc) == "not arithmetic":
            return None
        return _Draft("math", lead=f"{shown} is {exc}, so I can't give an exact value.", terse="Undefined.")
    except (SyntaxError, ValueError, RecursionError, OverflowError, MemoryError):
        return None
    result, exact = _format_number(value, exact)
    slots = {"expr": shown, "eq": "=" if exact else "≈", "result": result}
    number: int | float = value.numerator if value.denominator == 1 else float(value)
    return _Draft("math", lead=_fmt(req.pick.pick(pb.MATH_TEMPLATES), **slots), tail=req.pick.pick(pb.MATH_TAILS),
                  terse=slots["result"], data={"expression": shown, "result": number}, slots=slots)


# --- translation ---------------------------------------------------------------------------------------

_TRANSLATE = tuple(re.compile(pattern, re.I) for pattern in (
    r"\btranslat\w*\s+(?:this|that|it|the following)?\s*(?:(?:in)?to|in)\s+(?P<lang>[^\W\d_]+)\s*[:,-]\s*(?P<src>.+)",
    r"\btranslat\w*\s+(?P<src>.+?)\s+(?:(?:in)?to|in)\s+(?P<lang>[^\W\d_]+)\W*$",
    r"\bhow (?:do|would|can|should) (?:you|i|we|one) say\s+(?P<src>.+?)\s+in\s+(?P<lang>[^\W\d_]+)\W*$",
    r"\bwhat(?:'s| is) the (?P<lang>[^\W\d_]+) (?:word |phrase |translation )?for\s+(?P<src>.+?)\W*$",
    rf"\bwhat(?:'s| is| does)\s+(?P<src>.+?)\s+(?:mean\s+)?in\s+(?P<lang>{_LANG_NAMES})\W*$",
))
_OTHER_LANGUAGES = frozenset("portuguese japanese chinese mandarin cantonese korean russian arabic hindi dutch swedish "
                             "norwegian danish finnish greek turkish polish latin hebrew vietnamese thai indonesian "
                             "czech ukrainian swahili".split())


_TRANSLATE_GATE = re.compile(rf"translat|say |{_LANG_NAMES}|{'|'.join(_OTHER_LANGUAGES)}")


def _translation(req: _Request) -> _Draft | None:
    if not _TRANSLATE_GATE.search(req.low):
        return None
    found = next((m for pattern in _TRANSLATE if (m := pattern.search(req.line))), None)
    if found is None:
        return None
    language_word = found.group("lang").lower()
    code = pb.LANGUAGE_NAMES.get(language_word)
    if code is None and language_word not in _OTHER_LANGUAGES:
        return None  # "translate this to Rust" is a code request
    language = pb.LANGUAGE_LABELS.get(code or "", language_word.capitalize())
    source = _clean_phrase(found.group("src"), 30)
    entry = pb.TRANSLATIONS.get(source.lower().rstrip("!?.")) if code else None
    if entry:
        target = entry[pb.TRANSLATION_INDEX[code]]
        lead = _fmt(req.pick.pick(pb.TRANSLATE_TEMPLATES), source=source, language=language, target=target)
        return _Draft("translate", lead=lead, terse=target,
                      data={"source": source, "language": language, "translation": target})
    known = [f"{word} → {pb.TRANSLATIONS[word][pb.TRANSLATION_INDEX[code]]}"
             for word in dict.fromkeys(re.findall(r"[a-z']+", source.lower())) if code and word in pb.TRANSLATIONS]
    known_text = f" The words I do know: {', '.join(known)}." if known else ""
    lead = _fmt(req.pick.pick(pb.TRANSLATE_UNKNOWN), language=language, source=source, known=known_text)
    return _Draft("translate", lead=lead, terse=source, data={"source": source, "language": language})


# --- summaries: extractive, by word-frequency scores, in the source's order --------------------------------

_SUMMARY_CUE = re.compile(r"\b(?:summari[sz]e|summari[sz]ing|summary|sum (?:it |this |that |these |everything )?up|"
                          r"tl;?\s?dr|recap|condense|gist|key points|main points)\b", re.I)
_SUMMARY_GATE = re.compile(r"summar|sum |tl;?\s?dr|recap|condense|gist|key points|main points")
_QUESTION_START = re.compile(r"^(?:what|why|who|whom|when|where|which|explain|describe|define|is|are|does|do|did|"
                             r"was|were|tell me about)\b", re.I)
_CONVERSATION_WORDS = re.compile(r"\b(?:conversation|chat|discussion|thread|everything)\b", re.I)
_MIN_SOURCE_WORDS = 5


def _summary(req: _Request) -> _Draft | None:
    cue = _SUMMARY_CUE.search(req.line) if _SUMMARY_GATE.search(req.low) else None
    if cue is None or cue.start() > 80:
        return None
    source = _inline_source(req.text, req.line[:cue.end()]) or _earlier_source(req)
    if not source:
        if _QUESTION_START.match(req.line):
            return None  # "what is a summary statistic?" is a question, not a request
        return _Draft("summary", lead=req.pick.pick(pb.SUMMARY_MISSING), terse="Text?")
    limit = {0: 5, 1: 2}.get(req.style.brevity, 1)
    body = " ".join(_summarize(source, limit))
    prefix = req.pick.pick(pb.SUMMARY_PREFIXES)
    lead = prefix + body if len(prefix) + len(body) < len(source) else body
    return _Draft("summary", lead=lead, terse=(_keywords(body) or ["Summary"])[0].capitalize(),
                  data={"summary": body}, slots={"body": body})


def _inline_source(text: str, cue_text: str) -> str:
    """The text to summarize inside the request: after a colon or line break, in quotes, or after the cue."""
    found = text.find(cue_text[-40:]) if cue_text else -1
    rest = text[found + len(cue_text[-40:]):] if found >= 0 else text  # the line was normalized: look everywhere
    candidates = []
    colon = re.search(r"[:\n]", rest[:200])
    if colon:
        candidates.append(rest[colon.end():])
    quoted = re.search(r"[\"“]([^\"”]{20,})[\"”]", text, re.S)
    if quoted:
        candidates.append(quoted.group(1))
    if "\n" in text:
        candidates.append(text.split("\n", 1)[1])
    sentences = _sentences(rest[:400])
    if len(sentences) > 1:
        candidates.append(rest[rest.find(sentences[1]):])
    return next((c.strip() for c in candidates if len(c.split()) >= _MIN_SOURCE_WORDS), "")


def _earlier_source(req: _Request) -> str:
    """ "Summarize the above": the previous substantial message, the whole chat, or the system prompt."""
    earlier = [text for text in req.convo.earlier_texts if len(text.split()) >= _MIN_SOURCE_WORDS]
    if earlier and _CONVERSATION_WORDS.search(req.line):
        return "\n".join(earlier)
    if earlier:
        return earlier[-1]
    system = req.convo.system_text
    return system if len(system.split()) >= 15 else ""


def _summarize(text: str, max_sentences: int) -> list[str]:
    """The most informative sentences of text (word-frequency scores), in their original order, shorter than
    the text; a one-sentence text is cut down to its best clause."""
    sentences = _sentences(text)
    if len(sentences) <= 1:
        return [_shorten(sentences[0] if sentences else text.strip())]
    frequencies = Counter(w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in pb.STOPWORDS)
    count = len(sentences)
    keep = min(max_sentences, 1 if count <= 3 else 2 if count <= 8 else 3 if count <= 15 else 4 if count <= 30 else 5)

    def score(index: int) -> float:
        words = [w for w in re.findall(r"[a-z0-9']+", sentences[index].lower()) if w not in pb.STOPWORDS]
        lead_bonus = 1.15 if index == 0 else 1.0  # openings usually state the point
        return lead_bonus * sum(frequencies[w] for w in words) / (1 + len(words)) ** 0.7

    chosen = sorted(heapq.nlargest(keep, range(count), key=score))
    return [sentences[i] for i in chosen]


def _shorten(sentence: str) -> str:
    clauses = [c for c in re.split(r"[,;:—–]\s+|\s+-\s+", sentence) if len(c.split()) >= 4]
    best = max(clauses, key=lambda c: len(c.split()), default="")
    if best and len(best) < len(sentence):
        return best.rstrip(".!? ") + "."
    words = sentence.split()
    return " ".join(words[:max(2, len(words) * 3 // 5)]).rstrip(",;:") + "…"
# --- code -----------------------------------------------------------------------------------------------

# This is the hot path: words of the message pick the few language patterns worth running, and a literal gate
# skips the task patterns for most messages (big IGNORECASE alternations cost tens of microseconds).
_LANGUAGE_RES = {tag: re.compile(pattern) for tag, pattern in pb.LANGUAGE_PATTERNS}
_LANGUAGE_ORDER = {tag: rank for rank, (tag, _) in enumerate(pb.LANGUAGE_PATTERNS)}
_LANGUAGE_HINTS = {word: tag for tag, words in pb.LANGUAGE_HINTS.items() for word in words.split()}
_HINT_TOKEN = re.compile(r"[a-z][a-z0-9+#.]*")
_CODE_TASKS = re.compile("|".join(f"(?P<{task}>{pattern})" for task, pattern in pb.CODE_TASKS))
_TASK_GATE = re.compile(r"hello|palindrom|revers|fib|factorial|prim|binary|bisect|words|word count|word freq|sort|"
                        r"sum|add |total of|file|http|fetch|request|api call|rest api|download|backup|back up")
_TASK_PRIORITY = {task: rank for rank, (task, _) in enumerate(pb.CODE_TASKS)}
_CODE_VERB = re.compile(r"\b(?:write|create|make|give|show|implement|generate|build|code|produce|need|want|"
                        r"provide|draft|convert|port|rewrite|translate)\b")
_CODE_NOUN = re.compile(r"\b(function|func|method|script|program|code|snippet|query|algorithm|regex|one-liner|"
                        r"endpoint|dataclass|struct|interface|class)(?:es|s)?\b")
_WEAK_CODE_NOUN = re.compile(r"\b(?:type|record|schema|enum|component|module|stylesheet|markup|page|form|table|"
                             r"model)s?\b")
_MODEL_NOUNS = r"interface|struct|class|dataclass|data class|record|model|schema|type|table|entity"
_MODEL_AFTER = re.compile(rf"\b(?:{_MODEL_NOUNS})\s+(?:for|representing|describing|of|called|named|to (?:represent|"
                          rf"store|hold|describe))\s+(?:a |an |the )?(?P<words>[a-z]+(?: [a-z]+)?)", re.I)
_MODEL_BEFORE = re.compile(r"\b(?P<words>[a-z]+)\s+(?:interface|struct|dataclass|record|model|schema|table|entity)\b",
                           re.I)
_TASK_AFTER_NOUN = re.compile(r"\b(?:function|func|method|script|program|code|snippet|query|algorithm|regex|"
                              r"one-liner|implementation|routine|command|helper|class)(?:es|s)?\b(?:\s+(?:in|using)\s+"
                              r"[\w#+.]+)?\s*(?:that|which|to|in order to|who|,|:)?\s*(?:will\s+|can\s+|should\s+)?"
                              r"(?P<task>.+)", re.I)
_LEADING_VERB = re.compile(r"^(?:write|create|make|implement|build|generate|give me|show me|code|draft)\s+(?:me\s+)?",
                           re.I)
_SQL_COUNT_BY = re.compile(r"\bcount\w*\s+(?:the\s+)?(?:number\s+of\s+)?(?:all\s+)?(?P<thing>[a-z_]+)\s+(?:by|per|"
                           r"for each|in each|grouped by|group by)\s+(?:their\s+|the\s+)?(?P<group>[a-z_]+)")
_SQL_TOP = re.compile(r"\b(?:top|first|best|highest|largest|latest)\s+(?P<n>\d+)\s+(?P<thing>[a-z_]+)"
                      r"(?:\s+by\s+(?P<col>[a-z_]+))?")
_SQL_AGGREGATE = re.compile(r"\b(?P<fn>average|avg|mean|sum|total|max|maximum|highest|min|minimum|lowest)\s+(?:of\s+)?"
                            r"(?:the\s+)?(?P<col>[a-z_]+)\s+(?:of|for|from|in|per|across)\s+(?:all\s+|each\s+|the\s+)?"
                            r"(?P<thing>[a-z_]+)(?:\s+(?:by|per|for each)\s+(?P<group>[a-z_]+))?")
_SQL_JOIN = re.compile(r"\bjoin\s+(?:the\s+)?(?P<a>[a-z_]+)\s+(?:table\s+)?(?:and|with|to|on)\s+(?:the\s+)?(?P<b>[a-z_]+)")
_SQL_FUNCTIONS = {"average": "AVG", "avg": "AVG", "mean": "AVG", "sum": "SUM", "total": "SUM", "max": "MAX",
                  "maximum": "MAX", "highest": "MAX", "min": "MIN", "minimum": "MIN", "lowest": "MIN"}
_LANGUAGE_WORDS = frozenset("python javascript js node typescript ts java go golang rust c cpp csharp ruby php sql "
                            "mysql postgres postgresql sqlite bash shell html css kotlin swift".split())
_LANGUAGE_MENTION = re.compile(r"\s*\b(?:(?:in|using|with)\s+)?(?:python|javascript|typescript|golang|rust|kotlin|"
                               r"swift|ruby|php|sql|bash|shell|html|css|java|c\+\+|c#|node(?:\.js)?)\b", re.I)
_NOT_NAMES = frozenset("sql query table database data code script function class select rows row records record "
                       "columns column".split()) | pb.STOPWORDS | pb.REQUEST_WORDS


_TARGET_WORD = re.compile(r"\b(?:in|into|to|using)\s+$")


def _code_language(text: str) -> str | None:
    """The programming language asked for; a later "in X"/"to X" wins ("convert this Python to Rust")."""
    text = text.lower()
    tags = {_LANGUAGE_HINTS[token] for token in _HINT_TOKEN.findall(text) if token.rstrip(".") in _LANGUAGE_HINTS
            or token in _LANGUAGE_HINTS for token in (token.rstrip("."),)}
    found = sorted((m.start(), tag, m.group(0)) for tag in sorted(tags, key=_LANGUAGE_ORDER.get)
                   if (m := _LANGUAGE_RES[tag].search(text)))
    if not found:
        return None
    targeted = [(start, tag) for start, tag, matched in found if matched.startswith(("in ", "using ", "with "))
                or _TARGET_WORD.search(text[max(0, start - 7):start])]
    return max(targeted)[1] if targeted else found[0][1]


def _code(req: _Request) -> _Draft | None:
    language = _code_language(req.low)
    task = min((m.lastgroup or "" for m in _CODE_TASKS.finditer(req.low)), key=_TASK_PRIORITY.get,
               default=None) if _TASK_GATE.search(req.low) else None
    if not _wants_code(req.low, language, task):
        return None
    language = language or req.style.code_language or ("sql" if re.search(r"\bquery\b", req.low) else "python")
    source, phrase, note = _code_source(language, task, req)
    display = pb.LANGUAGE_DISPLAY[language]
    noun = _CODE_NOUN.search(req.low)
    artifact = (noun.group(1).lower() if noun else {"sql": "query", "bash": "script", "html": "page",
                                                    "css": "stylesheet"}.get(language, "function"))
    article = "an" if display[0] in "AEIOU" or language == "html" else "a"
    lead = _fmt(req.pick.pick(pb.CODE_LEADS), lang=display, a_lang=f"{article} {display}", artifact=artifact,
                task=phrase)
    return _Draft("code", lead=lead, code=(language, source), tail=f"{note} {req.pick.pick(pb.CODE_TAILS)}",
                  terse=display, data={"language": language, "code": source}, slots={"lang": display})


def _wants_code(low: str, language: str | None, task: str | None) -> bool:
    """Whether the (lower-cased) request asks for code rather than, say, an opinion about a language."""
    question = _QUESTION_START.match(low) is not None
    if _CODE_NOUN.search(low) and (_CODE_VERB.search(low) or (language and not question)):
        return True
    if low.startswith("implement ") or (language and task):
        return True
    if language and _WEAK_CODE_NOUN.search(low) and not question:
        return True
    if language in ("sql", "html", "css", "bash") and not question:
        return bool(_CODE_VERB.search(low)) or not re.search(r"\b(?:vs\.?|versus|or)\b", low)
    return False


def _code_source(language: str, task: str | None, req: _Request) -> tuple[str, str, str]:
    """(source, what it does as a verb phrase, one sentence of explanation)."""
    entity = _model_entity(req.line)
    if language == "sql" and task != "hello" and not entity:
        return _sql_source(req.low), _task_phrase(req.line), pb.TASK_NOTES["sql"]
    if entity and language in pb.TYPE_LAYOUTS:
        return _model_source(language, entity), f"model a {entity}", pb.TASK_NOTES["model"]
    template = pb.CODE_TEMPLATES.get(task or "", {}).get(language)
    if template:
        return template, pb.TASK_PHRASES[task or ""], pb.TASK_NOTES[task or ""]
    web = _web_source(language, req.low)
    if web:
        return web, _task_phrase(req.line), pb.TASK_NOTES[language]
    phrase = pb.TASK_PHRASES.get(task or "") or _task_phrase(req.line)
    words = [w for w in re.findall(r"[a-z0-9]+", phrase.lower()) if w not in _NOT_NAMES][:4] or ["solution"]
    name = _case(words if words[0][0].isalpha() else ["task", *words], pb.NAMING[language])
    title = " ".join(w.capitalize() for w in words)
    source = (pb.GENERIC_CODE[language].replace("%%fn%%", name).replace("%%doc%%", _capitalize(phrase) + ".")
              .replace("%%title%%", title).replace("%%table%%", _plural(words[-1])))
    return source, phrase, _fmt(pb.GENERIC_NOTE, fn=name)


def _task_phrase(line: str) -> str:
    """ "write a python function that reverses a string" -> "reverse a string"."""
    found = _TASK_AFTER_NOUN.search(line)
    phrase = _LANGUAGE_MENTION.sub("", found.group("task") if found else _LEADING_VERB.sub("", line)).strip()
    if not found:  # "css to center a div" -> "center a div"; "a trie in Rust" -> "build a trie"
        purpose = re.match(r"(?:to|that|which)\s+(.+)", phrase, re.I)
        bare = _CODE_NOUN.fullmatch(_strip_article(phrase.lower()).rstrip("?.! "))
        phrase = purpose.group(1) if purpose else "" if bare else "build " + phrase
    phrase = re.sub(r"\ba (?=[aeiou])", "an ", re.sub(r"\ban (?=[^aeiou\W])", "a ", phrase, flags=re.I), flags=re.I)
    words = _clean_phrase(phrase, 10).split()
    if not words:
        return "solve the task"
    return " ".join([_base_verb(words[0]).lower(), *words[1:]])


def _case(words: Sequence[str], style: str) -> str:
    lowered = [w.lower() for w in words]
    if style == "snake":
        return "_".join(lowered)
    if style == "kebab":
        return "-".join(lowered)
    capitalized = "".join(w.capitalize() for w in lowered)
    return capitalized if style == "pascal" else lowered[0] + capitalized[len(lowered[0]):]


def _model_entity(line: str) -> str | None:
    """The thing a data type describes: "TypeScript interface for a user" -> "user"."""
    for pattern in (_MODEL_AFTER, _MODEL_BEFORE):
        for found in pattern.finditer(line):
            words = [w for w in found.group("words").lower().split() if w not in _NOT_NAMES and w not in _LANGUAGE_WORDS]
            if words:
                return " ".join([*words[:-1], _singular(words[-1])])
    return None


def _model_source(language: str, entity: str) -> str:
    words = entity.split()
    fields = pb.ENTITY_FIELDS.get(entity, pb.ENTITY_FIELDS.get(words[-1], pb.DEFAULT_FIELDS))
    types, header, line, separator, footer = pb.TYPE_LAYOUTS[language]
    rows = []
    for field_name, kind in fields:
        parts = field_name.split()
        pascal = _case(parts, "pascal")
        rows.append(line.replace("%%snake%%", "_".join(parts)).replace("%%camel%%", _case(parts, "camel"))
                    .replace("%%Pascal%%", re.sub(r"Id$", "ID", pascal) if language == "go" else pascal)
                    .replace("%%type%%", types[kind] + (" PRIMARY KEY" if language == "sql" and field_name == "id" else "")))
    return ((header + separator.join(rows) + footer).replace("%%Name%%", _case(words, "pascal"))
            .replace("%%table%%", _plural("_".join(words))))


def _sql_source(low: str) -> str:
    if found := _SQL_COUNT_BY.search(low):
        thing, group = _singular(found["thing"]), _singular(found["group"])
        return (f"SELECT {group}, COUNT(*) AS {thing}_count\nFROM {_plural(thing)}\nGROUP BY {group}\n"
                f"ORDER BY {thing}_count DESC;")
    if found := _SQL_TOP.search(low):
        order = found["col"] or "score"
        return f"SELECT *\nFROM {_plural(_singular(found['thing']))}\nORDER BY {order} DESC\nLIMIT {found['n']};"
    if found := _SQL_AGGREGATE.search(low):
        function, column, group = _SQL_FUNCTIONS[found["fn"]], found["col"], found["group"]
        select = f"{group}, " if group else ""
        grouping = f"\nGROUP BY {group}" if group else ""
        return (f"SELECT {select}{function}({column}) AS {function.lower()}_{column}\n"
                f"FROM {_plural(_singular(found['thing']))}{grouping};")
    if found := _SQL_JOIN.search(low):
        first, second = found["a"], found["b"]
        return f"SELECT *\nFROM {first}\nJOIN {second} ON {second}.{_singular(first)}_id = {first}.id;"
    nouns = [w for w in re.findall(r"[a-z_]+", low) if w not in _NOT_NAMES and len(w) > 2]
    table = _plural(_singular(nouns[0])) if nouns else "items"
    return f"SELECT *\nFROM {table}\nORDER BY id\nLIMIT 100;"


def _web_source(language: str, low: str) -> str | None:
    if language == "html":
        if re.search(r"\blog ?in\b|\bsign ?in\b", low):
            return pb.HTML_LOGIN_FORM
        if "form" in low or "table" in low:
            return (pb.HTML_FORM if "form" in low else pb.HTML_TABLE).replace("%%fn%%", "data-form" if "form" in low
                                                                               else "data-table")
    if language == "css":
        if re.search(r"\bcent(?:er|re)", low):
            return pb.CSS_CENTER
        if "button" in low:
            return pb.CSS_BUTTON
        if re.search(r"\b(?:grid|layout|columns|gallery|cards)\b", low):
            return pb.CSS_GRID
    return None


# --- stories, poems, haiku, jokes -------------------------------------------------------------------------

_CREATIVE = re.compile(r"\b(haiku|poem|poetry|verse|sonnet|limerick|rhyme|story|tale|fable|joke|pun|riddle)s?\b", re.I)
_CREATIVE_GATE = re.compile(r"haiku|poem|poetry|verse|sonnet|limerick|rhyme|stor|tale|fable|joke|pun|riddle")
_CREATIVE_VERB = re.compile(r"^(?:an?\s+|short\s+|little\s+|funny\s+|quick\s+)*$|\b(?:write|tell|compose|make|give|"
                            r"create|share|generate|craft|come up with|want|need|another|one more)\b", re.I)
_CREATIVE_KINDS = {"haiku": "haiku", "joke": "joke", "pun": "joke", "riddle": "joke", "story": "story",
                   "tale": "story", "fable": "story"}
_DEFAULT_SUBJECTS = ("the sea", "a quiet morning", "an old lighthouse", "the city at night", "a long journey")


def _creative(req: _Request) -> _Draft | None:
    found = _CREATIVE.search(req.line) if _CREATIVE_GATE.search(req.low) else None
    if found is None or not _CREATIVE_VERB.search(req.line[:found.start()]):
        return None
    code_noun = _CODE_NOUN.search(req.low)
    if code_noun and code_noun.start() < found.start():
        return None  # "write a function that tells a joke" is code
    kind = _CREATIVE_KINDS.get(found.group(1).lower(), "poem")
    about = re.search(r"\babout\s+(.+)$", req.line) or re.search(r"\b(?:on|of|regarding|featuring|involving|with|"
                                                                 r"for)\s+(.+)$", req.line[found.end():])
    subject = _clean_phrase(_swap_pronouns(about.group(1)), 6) if about else ""
    subject = re.sub(r"\s+(?:please|for (?:me|you))$", "", subject, flags=re.I) or req.pick.pick(_DEFAULT_SUBJECTS)
    slots = {"topic": subject, "Topic": _capitalize(subject), "item": _singular(subject.split()[-1]).lower()}
    pick = req.pick
    if kind == "haiku":
        return _Draft("haiku", items=[_fmt(line, **slots) for line in pick.pick(pb.HAIKU_TEMPLATES)],
                      item_style="lines", terse=slots["Topic"], slots=slots)
    if kind == "poem":
        return _Draft("poem", items=[_fmt(line, **slots) for line in pick.pick(pb.POEM_STANZAS)], item_style="lines",
                      tail=pick.pick(pb.CREATIVE_TAILS), terse=slots["Topic"], slots=slots)
    if kind == "joke":
        return _Draft("joke", lead=_fmt(pick.pick(pb.JOKES), **slots), tail=pick.pick(pb.CREATIVE_TAILS),
                      terse="Ha!", slots=slots)
    name = pick.pick(pb.STORY_NAMES)
    story = " ".join(_fmt(pick.pick(table), name=name, **slots)
                     for table in (pb.STORY_OPENINGS, pb.STORY_MIDDLES, pb.STORY_ENDINGS))
    return _Draft("story", lead=story, tail=pick.pick(pb.CREATIVE_TAILS), terse=name, slots=slots)


# --- emails, letters and short pieces of prose ------------------------------------------------------------

_WRITING = re.compile(
    r"^(?:write|draft|compose|prepare)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+)?(?:(?:short|quick|brief|polite|formal|"
    r"friendly|professional|nice)\s+)*(?P<kind>e-?mail|letter|message|note|memo|paragraph|essay|bio|description|"
    r"speech|toast|tweet|blog post|post|cover letter|introduction)\b(?:\s+(?:to|for)\s+(?P<to>.+?))?"
    r"(?:\s+(?P<link>about|regarding|on|asking|requesting|thanking|inviting|explaining|to)\s+(?P<about>.+?))?\W*$", re.I)
_SUBJECT_LABELS = {"asking": "Request", "requesting": "Request", "thanking": "Thank you", "inviting": "Invitation"}
_GROUPS = frozenset("team everyone everybody all colleagues class folks".split())


def _writing(req: _Request) -> _Draft | None:
    found = _WRITING.match(req.line)
    if found is None:
        return None
    kind, link = found.group("kind").lower(), (found.group("link") or "").lower()
    about = _swap_pronouns(_clean_phrase(found.group("about") or "", 14))
    if kind.replace("-", "") in pb.LETTER_KINDS:  # the letter speaks to its recipient: "thank them" -> "thank you"
        about = re.sub(r"\b(?:them|him|her)\b", "you", re.sub(r"\b(?:their|his)\b", "your", about))
    to = _clean_phrase(found.group("to") or "", 5)
    pick = req.pick
    if kind.replace("-", "") not in pb.LETTER_KINDS:  # a paragraph, bio, speech... about the subject
        topic = about or _swap_pronouns(to) or req.kw
        lines = [_fmt(pick.pick(options), topic=topic, Topic=_capitalize(topic)) for options in pb.PROSE_SENTENCES]
        return _Draft("writing", lead=_fmt(pick.pick(pb.PROSE_LEADS), kind=kind, topic=topic), items=[" ".join(lines)],
                      item_style="lines", terse=_capitalize(kind) + ".")
    verb = link[:-3] if link.endswith("ing") else ""
    purpose = f"to {verb} {about}" if verb else f"to {about}" if link == "to" else f"about {about}" if about else \
        "with a quick update"
    topic = re.sub(r"^you\s+", "", about)
    subject = f"{_SUBJECT_LABELS[link]} {topic}" if link in _SUBJECT_LABELS else _capitalize(topic) or "Quick note"
    recipient = _strip_article(to)
    name = (recipient if recipient[:1].isupper() else recipient.lower() if recipient.lower() in _GROUPS
            else f"[{_capitalize(recipient.split()[-1])}'s name]" if recipient else "there")
    items = [f"Subject: {subject}", "", _fmt(pick.pick(pb.LETTER_OPENINGS), to=name), "",
             _fmt(pick.pick(pb.LETTER_BODIES), purpose=purpose), "", *pick.pick(pb.LETTER_CLOSINGS).split("\n")]
    return _Draft("writing", items=items, item_style="lines", terse="Drafted.", data={"subject": subject})


# --- lists and how-to steps -------------------------------------------------------------------------------

_COUNT_WORDS = "|".join(sorted(map(re.escape, pb.NUMBER_WORDS), key=len, reverse=True))
_LIST_VERBS = (r"list|name|give(?: me)?|suggest|share|provide|recommend|write|brainstorm|come up with|what are|"
               r"tell me|generate|show me|enumerate")
_LIST_COUNTED = re.compile(rf"^(?:(?:{_LIST_VERBS})\s+(?:me\s+|us\s+)?(?:with\s+)?)?(?:the\s+)?(?:top\s+|best\s+)?"
                           rf"(?P<count>\d{{1,3}}|{_COUNT_WORDS})\s+(?P<rest>[a-z].*)", re.I)
_LIST_UNCOUNTED = re.compile(r"^(?:(?:list|enumerate)\s+(?:some|a few|several|the|all|me)?\s*|(?:give me|suggest|"
                             r"share|what are)\s+(?:some|a few|several)\s+(?=ideas|tips|ways|reasons|examples|"
                             r"suggestions|facts|benefits))(?P<rest>[a-z].*)", re.I)
_LIST_SPLIT = re.compile(r"(?P<noun>.+?)\s+(?P<rel>for|to|about|on|of|that|which|in|from|with|regarding|why)\s+"
                         r"(?P<topic>.+)", re.I)
_MAX_ITEMS = 50


def _list(req: _Request) -> _Draft | None:
    counted = _LIST_COUNTED.match(req.line)
    has_verb = counted is not None and counted.group("count") != req.line[:len(counted.group("count"))]
    if counted and (has_verb or counted.group("count").isdigit() or req.line.lower().startswith("top")):
        word = counted.group("count").lower()
        count, rest = (int(word) if word.isdigit() else pb.NUMBER_WORDS[word]), counted.group("rest")
    elif uncounted := _LIST_UNCOUNTED.match(req.line):
        count, rest = 0, uncounted.group("rest")
    else:
        return None
    split = _LIST_SPLIT.match(_clean_phrase(rest, 14))
    noun, relation, topic = (split["noun"], split["rel"].lower(), split["topic"]) if split else (_clean_phrase(rest, 14), "", "")
    if relation == "to" and topic:  # "ways to save money" -> items about "saving money"
        first, *others = topic.split()
        topic = " ".join([_gerund(first.lower()), *others])
    topic = _strip_article(_swap_pronouns(topic))
    item = _singular(noun.split()[-1]).lower()
    category = pb.CATEGORIES.get(" ".join([*noun.lower().split()[:-1], item])) or pb.CATEGORIES.get(item)
    count = count or (len(category) if category and len(category) <= 10 else 5)
    items = _list_items(min(max(count, 1), _MAX_ITEMS), noun.lower(), item, topic, category, req.pick)
    what = _clean_phrase(rest, 14)
    lead = "Here's one:" if len(items) == 1 else _fmt(req.pick.pick(pb.LIST_LEADS), n=len(items), what=what)
    return _Draft("list", lead=lead, items=items, tail=req.pick.pick(pb.LIST_TAILS), terse=items[0].split(" — ")[0],
                  data={"items": items}, slots={"n": len(items), "topic": topic or noun})


def _list_items(count: int, noun: str, item: str, topic: str, category: tuple[str, ...] | None,
                pick: _Picker) -> list[str]:
    """Named things for known categories, else templates of the list's kind that mention its topic."""
    start = pick.pick(range(64))
    items = []
    if category:
        for i in range(min(count, len(category))):
            descriptor = pb.ITEM_DESCRIPTORS[(start + i) % len(pb.ITEM_DESCRIPTORS)].format(item=item)
            items.append(f"{category[(start + i) % len(category)]} — {descriptor}")
    kind = pb.LIST_KIND_WORDS.get(noun.split()[0]) or pb.LIST_KIND_WORDS.get(noun.split()[-1])
    if kind and not topic:
        topic = " ".join(w for w in noun.split() if w not in pb.LIST_KIND_WORDS) or "this"
    templates = pb.LIST_ITEMS[kind or ("generic" if topic else "plain")]
    for i in range(len(items), count):
        text = _fmt(templates[(start + i) % len(templates)], topic=topic, Topic=_capitalize(topic), item=item)
        items.append(text if i < len(templates) else f"{text} (variation {i // len(templates) + 1})")
    return items


_HOWTO = re.compile(r"^(?:how (?:do|can|should|would|could|might) (?:i|we|you|one)(?: best| go about)?|how to|"
                    r"what(?:'s| is| are) the (?:best |easiest |right |fastest |simplest )?(?:way|ways|steps|process) "
                    r"(?:to|for)|(?:what are the )?steps (?:to|for)|(?:a |give me a |write a )?(?:step[- ]by[- ]step )?"
                    r"guide (?:to|for|on)|instructions (?:for|to|on)|walk me through(?: how to)?|show me how to|"
                    r"teach me(?: how)? to|explain how to|help me(?: to)?|i want to learn how to|i need to|"
                    r"tips? (?:on|for) how to)\s+(?P<task>.+)", re.I)
_PARTICLES = frozenset("up out off in on down back over through".split())


def _howto(req: _Request) -> _Draft | None:
    found = _HOWTO.match(req.line)
    if found is None:
        return None
    task = _clean_phrase(_swap_pronouns(found.group("task")), 12)
    words = task.split()
    if not words:
        return None
    if found.group(0).lower().startswith(("guide", "a guide", "give me a", "write a", "instructions", "steps for")) \
            and words[0].lower() not in pb.HOWTO_KIND_WORDS:
        task, words, obj = f"get started with {task}", ["get", "started", "with", *words], task
    else:
        skip = 2 if len(words) > 2 and words[1].lower() in _PARTICLES else 1
        obj = " ".join(words[skip:]) or task
    kind = pb.HOWTO_KIND_WORDS.get(words[0].lower(), "general")
    if kind in ("build", "general", "cook") and any(w.lower() in pb.FOOD_WORDS for w in words):
        kind = "cook"
    steps = [_fmt(step, task=task, obj=obj) for step in pb.HOWTO_STEPS[kind]]
    if req.style.brevity:
        steps = [steps[0], steps[2], steps[4]]
    return _Draft("howto", lead=_fmt(req.pick.pick(pb.HOWTO_LEADS), task=task), items=steps,
                  tail=req.pick.pick(pb.HOWTO_TAILS), terse=_capitalize(words[0]) + ".", data={"steps": steps},
                  slots={"task": task})


# --- comparisons, yes/no and other questions ------------------------------------------------------------

_SIDE = r"[\w.+#-]+(?:\s+[\w.+#-]+){0,2}"
_COMPARE = tuple(re.compile(pattern, re.I) for pattern in (
    r"\bdifferences?\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)",
    r"\bcompare\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+)",
    r"\b(?:which is better|which (?:one )?should i (?:use|choose|pick|learn)|should i (?:use|learn|choose|pick|go "
    r"with)|is it better to (?:use|learn)|what(?:'s| is) better)[,:]?\s+(?P<a>.+?)\s+or\s+(?P<b>.+)",
    rf"(?P<a>{_SIDE})\s+(?:vs\.?|versus)\s+(?P<b>{_SIDE})",
    rf"^(?P<a>{_SIDE})\s+or\s+(?P<b>{_SIDE})[,:]?\s+which (?:one )?is better",
))


_COMPARE_GATE = re.compile(r"vs|versus|differen|compar| or ")


def _comparison(req: _Request) -> _Draft | None:
    if not _COMPARE_GATE.search(req.low):
        return None
    found = next((m for pattern in _COMPARE if (m := pattern.search(req.line))), None)
    if found is None:
        return None
    a, b = (_compare_side(found.group(side)) for side in ("a", "b"))
    if not a or not b or a.lower() == b.lower():
        return None
    pick = req.pick
    first, second = pick.pick(pb.COMPARE_TRAITS), pick.pick(pb.COMPARE_TRAITS)
    if second == first:
        second = pb.COMPARE_TRAITS[(pb.COMPARE_TRAITS.index(first) + 1) % len(pb.COMPARE_TRAITS)]
    slots = {"a": a, "b": b, "A": _capitalize(a), "B": _capitalize(b), "b_goal": pick.pick(pb.COMPARE_GOALS)}
    items = [f"**{slots['A']}** {first[0]}, and {second[0]}.", f"**{slots['B']}** {first[1]}, and {second[1]}."]
    return _Draft("compare", lead=_fmt(pick.pick(pb.COMPARE_LEADS), **slots), items=items, item_style="bullets",
                  tail=_fmt(pick.pick(pb.COMPARE_TAILS), **slots), terse=slots["A"] + ".",
                  data={"options": [a, b], "points": items})


def _compare_side(text: str) -> str:
    text = re.split(r"\s+(?:for|in|when|which|and why|if)\b|[,?:;!]", text, maxsplit=1, flags=re.I)[0]
    return _strip_article(_clean_phrase(text, 4))


_YES_NO = re.compile(r"^(?P<aux>is|are|am|was|were|can|could|should|would|will|do|does|did|has|have|had|may|might|"
                     r"must|shall|isn't|aren't|can't|won't|doesn't|don't|didn't|wasn't|weren't|shouldn't|wouldn't|"
                     r"couldn't|hasn't|haven't)\s+(?P<rest>.+)", re.I)
_NEGATIVE_AUX = {"isn't": "is", "aren't": "are", "can't": "can", "won't": "will", "doesn't": "does", "don't": "do",
                 "didn't": "did", "wasn't": "was", "weren't": "were", "shouldn't": "should", "wouldn't": "would",
                 "couldn't": "could", "hasn't": "has", "haven't": "have"}


def _yes_no(req: _Request) -> _Draft | None:
    found = _YES_NO.match(req.line)
    if found is None:
        return None
    yes = req.pick.draw(10) < 6  # drawn apart from the variant digits, so every variant gives the same verdict
    clause = _restate(found.group("aux"), found.group("rest"), negate=not yes)
    leads, reasons = (pb.YES_LEADS, pb.YES_REASONS) if yes else (pb.NO_LEADS, pb.NO_REASONS)
    return _Draft("yesno", lead=_fmt(req.pick.pick(leads), clause=clause),
                  tail=_fmt(req.pick.pick(reasons), kw=req.kw), terse="Yes." if yes else "No.",
                  data={"verdict": "yes" if yes else "no"}, slots={"verdict": "yes" if yes else "no"})


def _restate(aux: str, rest: str, negate: bool = False) -> str:
    """The question as a statement: ("is", "the earth flat") -> "the earth is flat" / "the earth is not flat"."""
    aux = aux.lower()
    negate = negate != (aux in _NEGATIVE_AUX)
    aux = {"am": "are"}.get(_NEGATIVE_AUX.get(aux, aux), _NEGATIVE_AUX.get(aux, aux))
    words = _clean_phrase(rest, 14).split()
    if words and words[0].lower() == "you":  # the user asks about the assistant: answer as "I"
        words[0], aux = "I", {"are": "am", "were": "was"}.get(aux, aux)
    else:
        words = _swap_pronouns(" ".join(words)).split()
    size = 2 if len(words) > 2 and words[0].lower() in pb.DETERMINERS else 1
    subject, predicate = words[:size], words[size:]
    if subject == ["you"] and aux in ("is", "was"):
        aux = "are" if aux == "is" else "were"
    verb = (f"{aux} not" if negate else aux) if aux not in ("do",) or negate else ""
    verb = verb.replace("can not", "cannot").replace("will not", "won't")
    return " ".join(part for part in (*subject, verb, *predicate) if part)


_DEFINE = re.compile(r"^(?:(?:what(?:'s| is| are| was| were)|explain|describe|define|tell me about|"
                     r"give me an overview of|what do you know about)\s+(?:the definition of\s+)?(?P<subject>.+)"
                     r"|what does (?P<acronym>.+?) (?:mean|stand for)\W*$)", re.I)
_WH = re.compile(r"^(?P<wh>why|how|when|where|which|who|whom|what)\b(?:'s)?\s*(?P<rest>.*)", re.I)
_CAPITAL = re.compile(r"\bcapital (?:city )?of\s+(?P<country>[a-z][a-z .'-]{1,30}?)\W*$", re.I)
_AUX_START = re.compile(r"^(?P<aux>is|are|was|were|do|does|did|can|could|should|would|will|has|have)\s+(?P<rest>.+)",
                        re.I)


def _question(req: _Request) -> _Draft | None:
    line = req.line
    if capital := _CAPITAL.search(line):
        country = _strip_article(capital.group("country").strip()).lower()
        city = pb.CAPITALS.get(country)
        if city:
            lead = f"The capital of {country.title()} is {city}."
            return _Draft("fact", lead=lead, tail=req.pick.pick(pb.CAPITAL_TAILS), terse=city, data={"capital": city})
    define = _DEFINE.match(line)
    subject = define and (define.group("subject") or define.group("acronym"))
    if subject and not _WH.match(subject):
        plural = re.match(r"what\s+(?:are|were)\b", line, re.I) is not None
        return _definition(req, subject, plural)
    wh = _WH.match(subject or line)
    if wh is None:
        return None
    return _wh_answer(req, wh.group("wh").lower(), _clean_phrase(wh.group("rest"), 14))


def _definition(req: _Request, subject: str, plural: bool) -> _Draft:
    subject = _clean_phrase(_swap_pronouns(subject), 10)
    key = subject.lower()
    gloss = pb.GLOSSARY.get(key) or pb.GLOSSARY.get(_strip_article(key))
    last = subject.split()[-1] if subject else ""
    plural = plural or (last.lower().endswith("s") and not last.isupper() and _singular(last) != last)
    slots = {"topic": subject, "Topic": _capitalize(subject), "is": "are" if plural else "is", "kw": req.kw}
    lead = f"{slots['Topic']} {slots['is']} {gloss}." if gloss else _fmt(req.pick.pick(pb.DEFINITION_LEADS), **slots)
    middle = _fmt(req.pick.pick(pb.QUESTION_MIDDLES), **slots)
    return _Draft("definition", lead=f"{lead} {middle}", tail=req.pick.pick(pb.QUESTION_TAILS),
                  terse=_capitalize(req.terms[0]) + "." if req.terms else "Yes.", data={"topic": subject})


def _wh_answer(req: _Request, wh: str, rest: str) -> _Draft:
    kw = _join_terms(_keywords(rest)) or req.kw
    slots: dict[str, Any] = {"kw": kw, "Kw": _capitalize(kw)}
    if wh == "why":
        aux = _AUX_START.match(rest)
        clause = _restate(aux.group("aux"), aux.group("rest")) if aux else _swap_pronouns(rest)
        slots.update(clause=clause, Clause=_capitalize(clause))
        table = pb.WH_LEADS["why"]
    elif wh == "how" and re.match(r"(?:many|much)\b", rest, re.I):
        slots.update(topic=rest, Topic=_capitalize(rest))
        table = pb.HOW_MANY_LEADS
    else:
        topic = re.sub(r"^(?:does|do|did|is|are|can|would|could)\s+|\s+(?:work|works|function|happen|operate)$", "",
                       _swap_pronouns(rest), flags=re.I) if wh == "how" else rest
        slots.update(topic=topic or req.kw, Topic=_capitalize(topic or req.kw))
        table = pb.WH_LEADS.get(wh, pb.WH_LEADS["what"])
    lead = f"{_fmt(req.pick.pick(table), **slots)} {_fmt(req.pick.pick(pb.QUESTION_MIDDLES), **slots)}"
    return _Draft("question", lead=lead, tail=req.pick.pick(pb.QUESTION_TAILS),
                  terse=_capitalize(req.terms[0]) + "." if req.terms else "Yes.")


def _generic(req: _Request) -> _Draft:
    if req.rules is not None and req.rules.default_replies:
        return _Draft("canned", lead=req.pick.pick(req.rules.default_replies, first_is_canonical=True))
    if not req.terms:
        return _Draft("generic", lead=req.pick.pick(pb.EMPTY_REPLIES), terse="Hello!")
    slots = {"kw": req.kw, "Kw": _capitalize(req.kw), "topic": req.kw}
    lead = f"{_fmt(req.pick.pick(pb.GENERIC_LEADS), **slots)} {_fmt(req.pick.pick(pb.GENERIC_MIDDLES), **slots)}"
    return _Draft("generic", lead=lead, tail=req.pick.pick(pb.GENERIC_TAILS), terse=_capitalize(req.terms[0]) + ".")


# --- styling and rendering --------------------------------------------------------------------------------

def _localize(draft: _Draft, language: str, req: _Request) -> _Draft:
    """The reply in French, Spanish, German or Italian: simple templates around the draft's facts and code."""
    table, pick, slots = pb.LOCALIZED[language], req.pick, draft.slots
    if draft.kind in ("greeting", "thanks", "bye"):
        return _Draft(draft.kind, lead=pick.pick(table[draft.kind]), terse=draft.terse)
    if draft.kind == "math" and slots:
        return replace(draft, lead=_fmt(pick.pick(table["math"]), **slots), tail="")
    if draft.kind == "yesno":
        return replace(draft, lead=_fmt(pick.pick(table[slots["verdict"]]), kw=req.kw), tail="")
    if draft.kind == "code":
        return replace(draft, lead=_fmt(pick.pick(table["code"]), **slots), tail=pick.pick(table["code_tail"]))
    if draft.kind == "summary" and slots:
        return replace(draft, lead=pick.pick(table["summary"]) + slots["body"], tail="")
    if draft.kind == "list":
        topic = slots["topic"]
        items = [_fmt(table["item"][i % len(table["item"])], Topic=_capitalize(topic))
                 + (f" ({i + 1})" if i >= len(table["item"]) else "") for i in range(slots["n"])]
        return replace(draft, lead=_fmt(pick.pick(table["list"]), n=slots["n"], topic=topic), items=items, tail="")
    if draft.kind == "howto":
        steps = [_fmt(step, task=slots["task"]) for step in table["step"]]
        return replace(draft, lead=_fmt(pick.pick(table["steps"]), task=slots["task"]), items=steps, tail="")
    if draft.kind == "tool" and slots:
        return replace(draft, lead=_fmt(pick.pick(table["tool"]), facts=slots["facts"]), tail="")
    return _Draft(draft.kind, lead=_fmt(pick.pick(table["answer"]), kw=req.kw), terse=draft.terse, data=draft.data)


@lru_cache(maxsize=None)
def _persona_pattern(persona: str) -> re.Pattern[str]:
    words = sorted(pb.PERSONAS[persona][2], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def _flavour(text: str, persona: str) -> str:
    """Persona word swaps ("you" -> "ye"), keeping a capital letter where the original had one."""
    swaps = pb.PERSONAS[persona][2]

    def swap(match: re.Match[str]) -> str:
        new = swaps[match.group(0).lower()]
        return _capitalize(new) if match.group(0)[0].isupper() else new

    return _persona_pattern(persona).sub(swap, text)


def _render(draft: _Draft, style: _Style, pick: _Picker) -> str:
    if draft.kind == "canned":
        return draft.lead
    if style.brevity >= 3 and draft.kind != "code":  # one word: the first word of the terse answer
        word = (draft.terse.split() or ["Okay."])[0]
        return word if word[-1] in ".!?" else word.rstrip(",;:") + "."
    lead, items, tail, item_style = draft.lead, list(draft.items), draft.tail, draft.item_style
    if style.brevity:  # an intro to a list or code block stays whole; the closing remark goes
        tail = ""
        if not items and not draft.code:
            lead = " ".join(_sentences(lead)[:1 if style.brevity >= 2 else 2])
    tail = " ".join(part for part in (tail, pick.extra_closer()) if part)
    if style.bullets and items and item_style == "numbered":
        item_style = "bullets"
    elif style.bullets and not items and not draft.code:
        items, lead, tail, item_style = _sentences(f"{lead} {tail}"), "", "", "bullets"
    if style.persona and not style.language:
        openers, closers, _ = pb.PERSONAS[style.persona]
        lead = f"{pick.pick(openers)} {_flavour(lead, style.persona)}".strip()
        items = [_flavour(item, style.persona) for item in items]
        tail = f"{_flavour(tail, style.persona)} {pick.pick(closers)}".strip()
    if style.json:
        return _as_json(draft, lead, items, tail, item_style, style.json_template)
    listing = "\n".join(f"{i}. {item}" if item_style == "numbered" else f"- {item}" if item_style == "bullets"
                        else item for i, item in enumerate(items, 1))
    code = f"```{draft.code[0]}\n{draft.code[1]}\n```" if draft.code else ""
    return "\n\n".join(block for block in (lead, listing, code, tail) if block)


_ANSWER_KEYS = frozenset("answer response reply text message content output summary explanation result".split())


def _as_json(draft: _Draft, lead: str, items: list[str], tail: str, item_style: str,
             template: dict[str, Any] | None) -> str:
    """JSON mode: the whole reply is one object; an example object in the system prompt sets the keys."""
    body = "\n".join(items) if item_style == "lines" else "; ".join(items)
    body = body + "." if body and item_style != "lines" and body[-1] not in ".!?" else body
    payload: dict[str, Any] = {"answer": " ".join(p for p in (lead, body, tail) if p), **draft.data}
    if items and item_style != "lines":
        payload.setdefault("items", items)
    if template:
        payload = {key: _json_value(key, example, payload) for key, example in template.items()}
    return json.dumps(payload, ensure_ascii=False)


def _json_value(key: str, example: Any, payload: dict[str, Any]) -> Any:
    """A value for one key of the system prompt's example object, of the example's type."""
    if key in payload:
        return payload[key]
    if isinstance(example, bool):
        return payload.get("verdict", "yes") == "yes"
    if isinstance(example, (int, float)):
        result = payload.get("result")
        return result if isinstance(result, (int, float)) and not isinstance(result, bool) else example
    if isinstance(example, list):
        return payload.get("items") or payload.get("steps") or [payload["answer"]]
    if isinstance(example, dict):
        return {}
    if not isinstance(example, str) or key.lower() in _ANSWER_KEYS:
        return payload["answer"]
    if "|" in example:  # an enum-like example ("positive|negative") keeps its first value
        return example.split("|")[0].strip()
    placeholder = not re.search(r"[a-z]{2}", example.lower()) or example.lower() in ("string", "text")
    return payload["answer"] if placeholder or len(example.split()) > 3 else example


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


# --- entry point ---------------------------------------------------------------------------------------

_HANDLERS = (_tool_result, _attachment, _smalltalk, _arithmetic, _translation, _summary, _creative, _writing, _code,
             _list, _howto, _comparison, _yes_no, _question, _generic)


def compose(messages: list[dict[str, Any]], *, seed: int | None = None, rules: ReplyRules | None = None,
            variant: int = 0) -> str:
    """The reply text for this conversation."""
    try:
        return _compose(messages, seed, rules, variant)
    except Exception:  # noqa: BLE001 - a test double must answer whatever it is sent; logged for the developer
        logging.getLogger(__name__).exception("compose failed; answering generically")
        return pb.EMPTY_REPLIES[0]


def _compose(messages: Any, seed: Any, rules: ReplyRules | None, variant: Any) -> str:
    convo = _read_conversation(messages)
    pick = _Picker(convo.fingerprint, seed, variant if isinstance(variant, int) and variant > 0 else 0)
    if rules is not None:
        user_lower, system_lower = convo.user_text.lower(), convo.system_text.lower()
        for rule in rules.rules:
            fields = rule.match(convo.user_text, user_lower, system_lower)
            if fields is not None:
                return _fill_groups(pick.pick(rule.replies, first_is_canonical=True), fields).strip()
    request = _make_request(convo, pick, rules)
    draft = next(draft for handler in _HANDLERS if (draft := handler(request)) is not None)
    language = request.style.language or draft.slots.get("language")
    if language and draft.kind != "canned":
        draft = _localize(draft, language, request)
    return _tidy(_render(draft, request.style, pick)) or pb.EMPTY_REPLIES[0]
