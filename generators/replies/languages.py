"""Which programming language a message asks for."""
from __future__ import annotations

import re

from .phrasebook.code import LANGUAGE_HINTS, LANGUAGE_PATTERNS

# This is the hot path: words of the message pick the few language patterns worth running (big IGNORECASE
# alternations cost tens of microseconds).
_LANGUAGE_RES = {tag: re.compile(pattern) for tag, pattern in LANGUAGE_PATTERNS}
_LANGUAGE_ORDER = {tag: rank for rank, (tag, _) in enumerate(LANGUAGE_PATTERNS)}
_LANGUAGE_HINTS = {word: tag for tag, words in LANGUAGE_HINTS.items() for word in words.split()}
_HINT_TOKEN = re.compile(r"[a-z][a-z0-9+#.]*")
_TARGET_WORD = re.compile(r"\b(?:in|into|to|using)\s+$")


def code_language(text: str) -> str | None:
    """The programming language asked for; a later "in X"/"to X" wins ("convert this Python to Rust")."""
    text = text.lower()
    tags = {_LANGUAGE_HINTS[token] for token in _HINT_TOKEN.findall(text) if token.rstrip(".") in _LANGUAGE_HINTS
            or token in _LANGUAGE_HINTS for token in (token.rstrip("."),)}
    found = sorted((m.start(), tag, m.group(0)) for tag in sorted(tags, key=_LANGUAGE_ORDER.__getitem__)
                   if (m := _LANGUAGE_RES[tag].search(text)))
    if not found:
        return None
    targeted = [(start, tag) for start, tag, matched in found if matched.startswith(("in ", "using ", "with "))
                or _TARGET_WORD.search(text[max(0, start - 7):start])]
    return max(targeted)[1] if targeted else found[0][1]
