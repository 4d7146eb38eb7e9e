"""What a piece of text contains, found once: emails, URLs, dates, numbers, capitalised names and places,
quoted strings, what a message should say, enumerations. `generators.structured.hints` hands these out to properties.
"""
from __future__ import annotations

import datetime
import re
from functools import cached_property
from typing import Any

from dummy_openai_api.generators.structured import patterns
from dummy_openai_api.generators.structured.fakes import KNOWN_PLACES
from dummy_openai_api.generators.replies.phrasebook.words import REQUEST_WORDS, STOPWORDS

MATCHING_SECONDS = 0.2  # for one schema pattern over every token of a text
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?\b")
_MONTHS = ("january february march april may june july august september october november december").split()
_WORD_DATE = re.compile(rf"\b({'|'.join(m.capitalize() for m in _MONTHS)}|{'|'.join(_MONTHS)})\s+(\d{{1,2}})"
                        r"(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_NUMBER = re.compile(r"(?<![\w.:/@-])[-+]?\d[\d,]*(?:\.\d+)?(?![\w/@]|\.\d|-\d)")
# A word's dots are inner ones ("St.Louis", "U.S"): a full stop ends the phrase, so "Berlin. He" is "Berlin".
_WORD = r"[A-Z](?:[\w'’&-]|\.(?=\w))*"
_PHRASE = re.compile(rf"\b{_WORD}(?:[^\S\n]+(?:(?:de|del|da|van|von|upon|on|le|la)[^\S\n]+)?{_WORD})*(?<![\s.'’-])")
_COUNTRY = re.compile(r"\b(?:USA|U\.S\.A?|US|UK|United States(?: of America)?|United Kingdom|France|Germany|Spain|"
                      r"Italy|Portugal|Japan|China|India|Brazil|Canada|Mexico|Australia|Netherlands|Belgium|Switzerland|"
                      r"Austria|Ireland|Norway|Sweden|Denmark|Finland|Poland|Greece|Turkey|Egypt|Kenya|Nigeria|"
                      r"South Africa|Argentina|Chile|Peru|Colombia|Russia|Ukraine|South Korea|Korea|Vietnam|Thailand|"
                      r"Indonesia|Philippines|Singapore|New Zealand|Israel|Iran|Iraq|Saudi Arabia|Pakistan|England|"
                      r"Scotland|Wales)\b")
_TICKER = re.compile(r"\$?\b[A-Z]{2,5}\b")
_QUOTED = re.compile(r"[\"“]([^\"”\n]{1,120})[\"”]|(?<![\w])'([^'\n]{1,80})'(?![\w])")
_TOPIC = re.compile(r"\b(?:search(?: the web| online)?(?: for)?|look(?:ing)? up|find|google|news|articles?|"
                    r"information|info|papers?|results?)\s+(?:on|about|for|regarding)?\s*(.+)", re.I)
_ABOUT = re.compile(r"\b(?:about|regarding|on the topic of|for)\s+(.+)", re.I)
_PLACE_WORDS = frozenset({"in", "at", "near", "around", "visit", "visiting", "towards", "into"})
_FROM_TO = frozenset({"from", "to"})  # "from Madrid" or "from José": a place only if nothing says otherwise
_BY = frozenset({"by", "from"})
_COMMON = (STOPWORDS | REQUEST_WORDS | {m for m in _MONTHS} |
           {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
            "extract", "please", "json", "api", "ok", "yes", "no", "can", "could", "would", "weather", "check",
            "book", "send", "set", "add", "call", "search", "look", "compare", "convert", "calculate", "what's",
            "meet", "introducing", "welcome", "dear", "hey", "hi", "hello", "thanks",
            # verbs that open a format instruction: "Return JSON with fields name and city for: ..."
            "return", "output", "respond", "reply", "generate", "produce", "parse", "format"})
_ORGANISATION = re.compile(r"\b(?:Corp|Corporation|Inc|Ltd|LLC|GmbH|Co|Company|Group|Bank|University|Labs?|AG|SA|PLC)\b")
_ACRONYMS = frozenset({"API", "JSON", "USA", "UK", "EU", "URL", "HTTP", "SQL", "CEO", "AI", "OK", "PDF", "ID"})

_DAY = re.compile(r"\b(?:(?:next|this|last)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b|"
                  r"\b(?:today|tomorrow|tonight|yesterday)\b", re.I)
_SAID = re.compile(r"\b(?:saying|say|says|telling (?:him|her|them|me|us)|to tell (?:him|her|them)|with the message|"
                   r"that says|reading)\s*:?\s+(?:that\s+)?(.{3,400})", re.I)
_EVENT = re.compile(r"\b(?:to|for|at|attend|attending|about|organi[sz]e|plan|planning|host|hosting)\s+(?:a|an|the|our|"
                    r"my)\s+((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)")
REFERENCE_YEAR = 2025  # the year of a date written without one: fixed, so the same request keeps its answer
# Words that say a number belongs to a property even when the property's own name is not next to it.
_NUMBER_SYNONYMS = {"age": ("years", "year", "yo", "aged"), "quantity": ("items", "pieces", "units", "x"),
                    "count": ("items", "times"), "people": ("guests", "persons", "people", "adults"),
                    "days": ("days", "day", "nights"), "price": ("dollars", "euros", "usd", "eur"),
                    "height": ("tall", "feet", "foot", "ft", "cm", "metres", "meters", "m", "high"),
                    "weight": ("kg", "kilos", "pounds", "lbs", "weighs", "heavy"),
                    "duration": ("minutes", "hours", "seconds", "mins", "long")}


class Facts:
    """What one text contains, found once and handed out to properties (a number is used once)."""

    def __init__(self, text: str) -> None:
        self.text = text[:2000]
        self.used_numbers: set[int] = set()

    @cached_property
    def _taken(self) -> list[tuple[int, int]]:
        spans = [m.span() for pattern in (_EMAIL, _URL, _ISO_DATE, _WORD_DATE) for m in pattern.finditer(self.text)]
        return spans

    def _free(self, span: tuple[int, int]) -> bool:
        return not any(start < span[1] and span[0] < end for start, end in self._taken)

    def _first(self, pattern: re.Pattern[str]) -> str | None:
        match = pattern.search(self.text)
        return match.group(0).rstrip(".,;") if match else None

    def email(self) -> str | None:
        return self._first(_EMAIL)

    def url(self) -> str | None:
        return self._first(_URL)

    def member(self, members: list[Any]) -> Any:
        low = self.text.lower()
        for member in members:
            if isinstance(member, str) and member and re.search(
                    rf"(?<!\w){re.escape(member.lower().replace('_', ' '))}(?!\w)", low.replace("_", " ")):
                return member
        return None

    def date(self, with_time: bool) -> str | None:
        iso = _ISO_DATE.search(self.text)
        if iso:
            return iso.group(0) if with_time or len(iso.group(0)) == 10 else iso.group(0)[:10]
        worded = _WORD_DATE.search(self.text)
        if not worded:
            return None
        month = _MONTHS.index(worded.group(1).lower()) + 1
        year = int(worded.group(3) or REFERENCE_YEAR)
        try:
            day = datetime.date(year, month, int(worded.group(2)))
        except ValueError:
            return None
        return f"{day.isoformat()}T09:00:00Z" if with_time else day.isoformat()

    def day(self) -> str | None:
        """A day as written ("Friday", "next Monday", "tomorrow"), for a date field that is plain text."""
        match = _DAY.search(self.text)
        return match.group(0)[:1].upper() + match.group(0)[1:] if match else None

    def said(self) -> str | None:
        """What a message should say: "email Bob saying the meeting moved" -> "The meeting moved."."""
        match = _SAID.search(self.text)
        if not match:
            return None
        text = match.group(1).strip().strip("\"'")
        return (text[:1].upper() + text[1:]).rstrip(".!") + "."

    def event(self) -> str | None:
        """The thing being planned or attended: "going to a science fair on Friday" -> "Science Fair"."""
        match = _EVENT.search(self.text)
        if not match:
            return None
        words = []
        for word in match.group(1).split():
            if word.lower() in _COMMON:
                break
            words.append(word)
        return " ".join(w.capitalize() for w in words) or None

    # --- names and places ---------------------------------------------------------------------------------

    @cached_property
    def phrases(self) -> list[tuple[str, str]]:
        """Capitalised phrases and the word before each, minus sentence-initial common words."""
        found = []
        for match in _PHRASE.finditer(self.text):
            words = match.group(0).replace("’", "'").split()
            while words and (words[0].lower().removesuffix("'s") in _COMMON or words[0] in _ACRONYMS):
                words.pop(0)
            if not words or not self._free(match.span()):
                continue
            phrase = " ".join(words).removesuffix("'s").rstrip(".")
            before = self.text[:match.start()].split()
            found.append((phrase, before[-1].lower().strip(",:;") if before else ""))
        return found

    def place(self) -> str | None:
        """A phrase after "in"/"at"..., else a well-known place, else one after "from"/"to", else the last name
        that is not the person's."""
        named = [p for p, _ in self.phrases]
        return next((p for p, before in self.phrases if before in _PLACE_WORDS), None) or \
            next((p for p in named if p in KNOWN_PLACES), None) or \
            next((p for p, before in self.phrases if before in _FROM_TO and p != self.person()), None) or \
            next((p for p in reversed(named) if p != self.person() or len(named) == 1), None)

    def entity_starts(self, places: bool) -> list[int]:
        """Where each named entity starts: people (names that are not places), or places when `places`."""
        starts: list[int] = []
        for match in _PHRASE.finditer(self.text):
            words = match.group(0).split()
            if words[0].lower().removesuffix("'s") in _COMMON or words[0] in _ACRONYMS or not self._free(match.span()):
                continue
            before = self.text[:match.start()].split()
            is_place = match.group(0) in KNOWN_PLACES or bool(before) and before[-1].lower() in _PLACE_WORDS
            labelled = self.text[match.end():match.end() + 1] == ":"  # "Acme Corp: ..." heads what follows
            coded = "_" in match.group(0) or match.group(0).isupper()  # "JSON_SCHEMA", "NASA": not a person
            if labelled or coded or _ORGANISATION.search(match.group(0)):
                continue
            if is_place == places and match.group(0) not in [self.text[s:match.start()] for s in starts]:
                starts.append(match.start())
        return starts

    def country(self) -> str | None:
        """A country the text names ("the USA", "Italy"), else the place it names."""
        found = _COUNTRY.search(self.text)
        return found.group(0) if found else self.place()

    def place_after(self, words: frozenset[str]) -> str | None:
        """The place named right after one of `words`: "from London to New York" -> origin, destination."""
        return next((p for p, before in self.phrases if before in words), None)

    def matching(self, pattern: str) -> str | None:
        """A token of the text that matches a schema `pattern` ("ORD-123456"): an ID is copied, not invented."""
        checker = patterns.compiled(pattern)
        if checker is None:
            return None
        deadline = patterns.work_seconds() + MATCHING_SECONDS  # a long text has many tokens to try it on
        for token in re.findall(r"[^\s,;:!?()\"'<>]+", self.text):
            for candidate in (token, token.rstrip(".")):
                coded = re.search(r"\d|[-_#]|^[A-Z]{2,}$", candidate)  # an ID, not a word any pattern would take
                if not coded:
                    continue
                left = deadline - patterns.work_seconds()
                if left <= 0:
                    return None
                if patterns.found(checker, candidate, min(left, patterns.SEARCH_SECONDS)):
                    return candidate
        return None

    def person(self, by: bool = False) -> str | None:
        """A name that is not a place; with `by`, the one after "by"/"from" first (an author, a sender)."""
        people = [(p, before) for p, before in self.phrases
                  if before not in _PLACE_WORDS and not p.isupper() and p not in KNOWN_PLACES]
        named = next((p for p, before in people if before in _BY), None) if by else None
        return named or next((p for p, _ in people), None)

    def ticker(self) -> str | None:
        return next((m.group(0).lstrip("$") for m in _TICKER.finditer(self.text)
                     if m.group(0).lstrip("$") not in _ACRONYMS), None)

    def quoted(self) -> str | None:
        match = _QUOTED.search(self.text)
        return (match.group(1) or match.group(2)).strip() if match else None

    def topic(self) -> str | None:
        """What is being searched for: "search the web for news about X" -> "X"."""
        subject = self.text
        for _ in range(4):
            match = _TOPIC.search(subject) or _ABOUT.search(subject)
            if not match or not match.group(1).strip():
                break
            subject = match.group(1)
        subject = subject.strip().rstrip("?.!").strip()
        return subject[:200] or None

    def labelled(self, words: list[str]) -> str | None:
        """The value written after the property's own name: "password: mellon", "order id 12345"."""
        if not words or words[-1] in ("name", "type", "value", "text"):
            return None
        label = r"\s+".join(re.escape(w) for w in words)
        match = re.search(rf"\b{label}s?\b\s*(?:is|=|:|of|#)?\s*[\"']?([\w][\w.@/-]*)", self.text, re.I)
        if not match or match.group(1).lower() in _COMMON:
            return None
        return match.group(1).rstrip(".")

    # --- numbers --------------------------------------------------------------------------------------------

    @cached_property
    def numbers(self) -> list[tuple[int, float | int]]:
        found = []
        for match in _NUMBER.finditer(self.text):
            if self._free(match.span()):
                raw = match.group(0).replace(",", "")
                try:
                    found.append((match.start(), float(raw) if "." in raw else int(raw)))
                except ValueError:
                    continue
        return found

    def number(self, words: list[str]) -> float | int | None:
        cues = set(words) | {w + "s" for w in words} | {c for w in words for c in _NUMBER_SYNONYMS.get(w, ())}
        tokens = [(m.start(), m.group(0).lower()) for m in re.finditer(r"[A-Za-z]+", self.text)]
        best: tuple[int, int] | None = None
        for index, (position, _) in enumerate(self.numbers):
            if index in self.used_numbers:
                continue
            near = [abs(start - position) for start, token in tokens if token in cues]
            if near and min(near) <= 24 and (best is None or min(near) < best[1]):
                best = (index, min(near))
        if best is None:
            best = next(((i, 0) for i in range(len(self.numbers)) if i not in self.used_numbers), None)
        if best is None:
            return None
        self.used_numbers.add(best[0])
        return self.numbers[best[0]][1]

    # --- enumerations -----------------------------------------------------------------------------------------

    def list_for(self, words: list[str]) -> list[str] | None:
        lists = lists_in(self.text)
        return lists[0] if lists else None


_SEPARATOR = re.compile(r"^\s*(?:,\s*(?:and|or|&)?|and|or|&|vs\.?|versus)\s*(?:(?:in|at|for|to|from|of)\s+)?$",
                        re.I)  # "Paris and London", "Paris, Rome and in Oslo"


def lists_in(text: str) -> list[list[str]]:
    """Enumerations in the text: capitalised names joined by commas/"and", or a comma list after a colon."""
    found: list[list[str]] = []
    facts = Facts(text)
    current: list[str] = []
    last_end = -1
    for match in _PHRASE.finditer(facts.text):
        phrase = match.group(0).removesuffix("'s")
        if phrase.split()[0].lower() in _COMMON:
            phrase = " ".join(phrase.split()[1:])
            if not phrase:
                continue
        gap = facts.text[last_end:match.start()] if last_end >= 0 else ""
        if current and _SEPARATOR.match(gap):
            current.append(phrase)
        else:
            if len(current) > 1:
                found.append(current)
            current = [phrase]
        last_end = match.end()
    if len(current) > 1:
        found.append(current)
    for match in re.finditer(r":\s*([^.?!:\n]+)", facts.text):
        items = [i.strip(" \"'") for i in re.split(r",|\band\b|\bor\b|&", match.group(1)) if i.strip(" \"'")]
        if len(items) > 1 and all(len(i.split()) <= 3 for i in items):
            found.append(items)
    return found
