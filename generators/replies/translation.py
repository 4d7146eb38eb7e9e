"""Translation requests, answered from a small phrase dictionary."""
from __future__ import annotations

import re

from .phrasebook.translation import (
    LANGUAGE_LABELS, LANGUAGE_NAMES, TRANSLATE_TEMPLATES, TRANSLATE_UNKNOWN, TRANSLATION_INDEX, TRANSLATIONS,
)
from .request import Draft, Request
from .style import LANG_NAMES
from .text import clean_phrase, fmt

_TRANSLATE = tuple(re.compile(pattern, re.I) for pattern in (
    r"\btranslat\w*\s+(?:this|that|it|the following)?\s*(?:(?:in)?to|in)\s+(?P<lang>[^\W\d_]+)\s*[:,-]\s*(?P<src>.+)",
    r"\btranslat\w*\s+(?P<src>.+?)\s+(?:(?:in)?to|in)\s+(?P<lang>[^\W\d_]+)\W*$",
    r"\bhow (?:do|would|can|should) (?:you|i|we|one) say\s+(?P<src>.+?)\s+in\s+(?P<lang>[^\W\d_]+)\W*$",
    r"\bwhat(?:'s| is) the (?P<lang>[^\W\d_]+) (?:word |phrase |translation )?for\s+(?P<src>.+?)\W*$",
    rf"\bwhat(?:'s| is| does)\s+(?P<src>.+?)\s+(?:mean\s+)?in\s+(?P<lang>{LANG_NAMES})\W*$",
))
_OTHER_LANGUAGES = frozenset("portuguese japanese chinese mandarin cantonese korean russian arabic hindi dutch swedish "
                             "norwegian danish finnish greek turkish polish latin hebrew vietnamese thai indonesian "
                             "czech ukrainian swahili".split())


_TRANSLATE_GATE = re.compile(rf"translat|say |{LANG_NAMES}|{'|'.join(_OTHER_LANGUAGES)}")


def translation(req: Request) -> Draft | None:
    if not _TRANSLATE_GATE.search(req.low):
        return None
    found = next((m for pattern in _TRANSLATE if (m := pattern.search(req.line))), None)
    if found is None:
        return None
    language_word = found.group("lang").lower()
    code = LANGUAGE_NAMES.get(language_word)
    if code is None and language_word not in _OTHER_LANGUAGES:
        return None  # "translate this to Rust" is a code request
    language = LANGUAGE_LABELS.get(code or "", language_word.capitalize())
    source = clean_phrase(found.group("src"), 30)
    entry = TRANSLATIONS.get(source.lower().rstrip("!?.")) if code else None
    if entry and code:
        target = entry[TRANSLATION_INDEX[code]]
        lead = fmt(req.pick.pick(TRANSLATE_TEMPLATES), source=source, language=language, target=target)
        return Draft("translate", lead=lead, terse=target,
                      data={"source": source, "language": language, "translation": target})
    known = [f"{word} → {TRANSLATIONS[word][TRANSLATION_INDEX[code]]}"
             for word in dict.fromkeys(re.findall(r"[a-z']+", source.lower())) if code and word in TRANSLATIONS]
    known_text = f" The words I do know: {', '.join(known)}." if known else ""
    lead = fmt(req.pick.pick(TRANSLATE_UNKNOWN), language=language, source=source, known=known_text)
    return Draft("translate", lead=lead, terse=source, data={"source": source, "language": language})
