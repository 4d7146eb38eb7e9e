"""The `input` of a custom tool call: free text drawn from the request, or a string its grammar accepts.

A `text` tool (or one with no format) gets what the user asked the tool to do ("Use the math_exp tool to add
four plus four" -> "add four plus four"). A `regex` grammar gets a piece of the user's words that the whole
pattern matches when there is one ("ORD-123456"), else a string built from the pattern (generators.structured.patterns),
bounded; a pattern that cannot be built falls back to the text. The pattern comes from the request: its
searches of the user's words share a time budget, as every search of a request's pattern is timed. A `lark` grammar is not parsed here: it gets
the text too.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from dummy_openai_api.generators.limits import TooLarge
from dummy_openai_api.generators.structured.patterns import SEARCH_SECONDS, compiled, found, matching, work_seconds

MAX_CANDIDATES = 200  # words of the user's text tried against a pattern
MAX_CANDIDATE_CHARS = 200
MAX_INPUT_CHARS = 2000  # a generated input; patterns that demand more fall back to the text
SEARCH_BUDGET = 0.2  # seconds for all the searches of the user's words
_TOOL_REQUEST = re.compile(r"^\W*(?:please\s+)?(?:use|call|run|invoke)\s+(?:the\s+)?`?[\w.-]+`?\s+(?:tool\s+)?"
                           r"(?:to|and|for|on|with)\s+", re.I)


def custom_input(fmt: Any, text: str, seed: bytes) -> str:
    """The input a custom tool of format `fmt` is called with for the user's `text`."""
    plain = requested(text)
    pattern = grammar_regex(fmt)
    return (regex_input(pattern, text, seed) or plain) if pattern is not None else plain


def grammar_regex(fmt: Any) -> str | None:
    """The pattern of a `regex` grammar format; None for text, lark or a malformed format."""
    grammar = grammar_of(fmt)
    if isinstance(grammar, dict) and grammar.get("syntax") == "regex" and isinstance(grammar.get("definition"), str):
        return grammar["definition"]
    return None


def requested(text: str) -> str:
    """What the user asked the tool to do: the text without "Use the X tool to"."""
    stripped, asked = _TOOL_REQUEST.subn("", text.strip(), count=1)
    if asked:  # an instruction to the tool, not text of the user's to keep: its full stop goes
        stripped = stripped.rstrip(".")
    return stripped or text.strip()


def regex_input(pattern: str, text: str, seed: bytes) -> str | None:
    """A string the whole pattern matches: from the user's words when one fits, else built from the pattern."""
    found = user_value(pattern, text)
    if found is not None:
        return found
    draws = _Draws(seed)
    try:
        return matching(rf"\A(?:{pattern})\Z", draws, limit=MAX_INPUT_CHARS)
    except TooLarge:
        return None


def grammar_of(fmt: Any) -> dict[str, Any] | None:
    """`{"syntax", "definition"}` of a grammar format: nested under `grammar` in chat, flat in Responses."""
    if not isinstance(fmt, dict) or fmt.get("type") != "grammar":
        return None
    nested = fmt.get("grammar")
    return nested if isinstance(nested, dict) else fmt


def user_value(pattern: str, text: str) -> str | None:
    """The user's text, or one of its words, when the whole pattern matches it ("ORD-123456")."""
    whole = compiled(rf"\A(?:{pattern})\Z")
    if whole is None:
        return None
    words = re.findall(r"\S+", text)[:MAX_CANDIDATES]
    deadline = work_seconds() + SEARCH_BUDGET
    for candidate in dict.fromkeys((text.strip(), *words, *(w.strip(".,;:!?\"'") for w in words))):
        left = deadline - work_seconds()
        if left <= 0:
            return None
        if candidate and len(candidate) <= MAX_CANDIDATE_CHARS and found(whole, candidate, min(left, SEARCH_SECONDS)):
            return candidate
    return None


class _Draws:
    """Deterministic numbers for the pattern walk, from the request's seed."""

    def __init__(self, seed: bytes) -> None:
        self.seed = seed
        self.count = 0

    def __call__(self, n: int) -> int:
        self.count += 1
        digest = hashlib.sha256(self.seed + self.count.to_bytes(4, "big")).digest()
        return int.from_bytes(digest[:8], "big") % max(n, 1)
