"""Strings that match a regular expression, for JSON Schema `pattern` (best effort, deterministic).

The pattern is parsed with Python's own regex parser and walked: literals are copied, classes give one of
their members, repeats repeat (as few times as allowed, plus a little), alternatives pick a branch. The
result is checked with a search (JSON Schema patterns are unanchored, as jsonschema applies them), and
a few variations are tried before giving up. Lookarounds and backreferences are handled loosely.

Patterns come from requests, and some backtrack for hours on a string of 40 characters (`^(a|aa)+$`), so every
search of a pattern from a request goes through `found`, which gives up after SEARCH_SECONDS (the `regex`
module, already installed with tiktoken, takes a timeout; `re` cannot be interrupted).
"""
from __future__ import annotations

import re
import string
import time
from typing import Any, Callable, Iterable

import regex

from dummy_openai_api.generators.limits import MAX_PATTERN_CHARS, schema_limit

try:  # Python 3.11+
    from re import _constants as sre, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SEARCH_SECONDS = 0.05  # for one search of one string; a search that takes longer counts as no match
RETRIES = 3  # searches made again when the machine, not the pattern, took their time


def compiled(pattern: str) -> regex.Pattern[str] | None:
    """`pattern` ready for `found`, or None when Python's `re` would refuse it (the syntax the walk reads)."""
    try:
        re.compile(pattern)
        return regex.compile(pattern)
    except (re.error, regex.error, RecursionError, OverflowError, ValueError):
        return None


def found(pattern: regex.Pattern[str], text: str, seconds: float = SEARCH_SECONDS) -> bool:
    """Whether `pattern` matches somewhere in `text`, within `seconds` of the search's own work (out of time: no
    match). The `regex` timeout runs on the wall clock, which a busy machine spends on other processes: a search
    cut short before it worked half its time is made again (a few times at most), so that a pattern matches on a
    loaded machine as it does on an idle one, while one that backtracks gives up after its first try."""
    for _ in range(RETRIES + 1):
        started = time.thread_time()
        try:
            return pattern.search(text, timeout=max(seconds, 0.001)) is not None
        except TimeoutError:
            if time.thread_time() - started >= seconds / 2:
                return False
    return False


def work_seconds() -> float:
    """This thread's processor time: a budget on it measures the work done, not how busy the machine is."""
    return time.thread_time()


_PRINTABLE = string.ascii_letters + string.digits + "-_ .@:/"
_CATEGORY_CHARS = {
    sre.CATEGORY_DIGIT: string.digits, sre.CATEGORY_NOT_DIGIT: string.ascii_letters + "-_",
    sre.CATEGORY_WORD: string.ascii_lowercase + string.digits + "_", sre.CATEGORY_NOT_WORD: " -.,:/@",
    sre.CATEGORY_SPACE: " ", sre.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def matching(pattern: str, draw: Callable[[int], int], extra: int = 1, tries: int = 4,
             limit: int = MAX_PATTERN_CHARS) -> str | None:
    """A string that `re.search(pattern, ...)` accepts, or None when none was found.

    `draw(n)` returns a deterministic number in range(n); `extra` is how many repetitions beyond the minimum
    an open-ended repeat adds. A pattern whose shortest walk makes more than `limit` characters raises TooLarge.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    checker = compiled(pattern)
    if checker is None:
        return None
    spent = 0  # the tries share one budget of steps
    for attempt in range(tries):
        builder = _Builder(draw, extra if attempt < 2 else attempt - 1, min(limit, MAX_PATTERN_CHARS) - spent)
        try:
            text = builder.walk(parsed)
        except (RecursionError, ValueError):
            continue
        finally:
            spent += builder.steps
        if found(checker, text):
            return text
    return None


class _Builder:
    def __init__(self, draw: Callable[[int], int], extra: int, limit: int) -> None:
        self.draw = draw
        self.extra = extra
        self.groups: dict[int, str] = {}
        self.classes: dict[int, list[str]] = {}  # character class (by the parsed node's id) -> its members
        self.steps = 0      # pattern items walked: a bound on the work, counted before the text is built
        self.limit = limit

    def walk(self, items: Iterable[tuple[Any, Any]]) -> str:
        return "".join(self.item(op, arg) for op, arg in items)

    def item(self, op: Any, arg: Any) -> str:
        self.steps += 1
        if self.steps > self.limit:  # `(a{1000}){1000}`: a million characters from 16 bytes of pattern
            raise schema_limit(f"a pattern whose matches are over {MAX_PATTERN_CHARS} characters", MAX_PATTERN_CHARS,
                               "characters from a pattern")
        if op is sre.LITERAL:
            return chr(arg)
        if op is sre.NOT_LITERAL:
            return next(c for c in _PRINTABLE if ord(c) != arg)
        if op is sre.ANY:
            return "a"
        if op is sre.IN:
            return self.member(arg)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, sub = arg
            count = self.repeats(low, high)
            return "".join(self.walk(sub) for _ in range(count))
        if op is sre.SUBPATTERN:
            group, _, _, sub = arg
            text = self.walk(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return self.walk(arg)
        if op is sre.BRANCH:
            branches = arg[1]
            return self.walk(branches[self.draw(len(branches))])
        if op is sre.GROUPREF:
            return self.groups.get(arg, "")
        if op is sre.GROUPREF_EXISTS:
            group, yes, no = arg
            return self.walk(yes if group in self.groups else no or [])
        return ""  # anchors (AT), lookarounds (ASSERT, ASSERT_NOT): checked by the final search

    def repeats(self, low: int, high: int) -> int:
        if high is sre.MAXREPEAT or high > low + self.extra:
            high = low + self.extra
        return low + self.draw(high - low + 1)

    def member(self, spec: list[tuple[Any, Any]]) -> str:
        allowed = self.classes.get(id(spec))  # `[a-z]{19000}` walks one class 19,000 times
        if allowed is None:
            allowed = self.classes[id(spec)] = _class_members(spec)
        return allowed[self.draw(len(allowed))]


def _class_members(spec: list[tuple[Any, Any]]) -> list[str]:
    """The characters a class `[...]` allows (ranges cut to their first 62), never empty."""
    negated = bool(spec) and spec[0][0] is sre.NEGATE
    allowed: list[str] = []
    for op, arg in spec[1:] if negated else spec:
        if op is sre.LITERAL:
            allowed.append(chr(arg))
        elif op is sre.RANGE:
            low, high = arg
            allowed.extend(chr(c) for c in range(low, min(high, low + 61) + 1))
        elif op is sre.CATEGORY:
            allowed.extend(_CATEGORY_CHARS.get(arg, ""))
    if negated:
        excluded = set(allowed)
        allowed = [c for c in _PRINTABLE if c not in excluded]
    if not allowed:
        raise ValueError("empty character class")
    return allowed
