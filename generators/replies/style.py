"""The reply's style from the system prompt, tightened by the user's own directives ("in one sentence")."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .languages import code_language
from .phrasebook.styles import PERSONA_WORDS
from .phrasebook.translation import LANGUAGE_NAMES


@dataclass(frozen=True)
class Style:
    brevity: int = 0                      # 0 normal, 1 concise, 2 one sentence, 3 one word
    language: str | None = None           # "fr", "es", "de", "it"
    json: bool = False
    json_template: dict[str, Any] | None = None
    bullets: bool = False
    persona: str | None = None
    code_language: str | None = None
    name: str | None = None


LANG_NAMES = "|".join(LANGUAGE_NAMES)
_BREVITY = ((3, re.compile(r"\b(?:one|single|1)[ -]word\b", re.I)),
            (2, re.compile(r"\b(?:one|single|1)[ -]sentence\b|\bone[ -]liners?\b", re.I)),
            (1, re.compile(r"\b(?:concise|brief|briefly|short|succinct|terse|few words|to the point)\b", re.I)))
# "write a short story" is not a request for brevity, so the user's own words need a stricter pattern.
_USER_BRIEF = re.compile(r"\b(?:concise(?:ly)?|briefly|succinct(?:ly)?|tersely|keep it short|short answer|"
                         r"in (?:a )?few words|brief (?:answer|summary|explanation|overview))\b", re.I)
USER_STYLE_GATE = re.compile(rf"sentence|one word|single word|one-word|single-word|1 word|1-word|concise|brief|"
                              rf"succinct|terse|short|few words|json|bullet|like i|simple terms|plain english|"
                              rf"{'|'.join(PERSONA_WORDS)}|{LANG_NAMES}")
_SYSTEM_LANGUAGE = re.compile(rf"\bin ({LANG_NAMES})\b|\b(?:only )?speaks? ({LANG_NAMES})\b", re.I)
_USER_LANGUAGE = re.compile(rf"\b(?:answer|respond|reply|write|speak|talk)\b[^.\n]{{0,30}}?\bin ({LANG_NAMES})\b", re.I)
_SYSTEM_JSON = re.compile(r"\bjson\b", re.I)
_JSON_VERB = re.compile(r"\b(?:respond|reply|answer|output|return|format|only|valid|object|always)\b", re.I)
_USER_JSON = re.compile(r"\b(?:respond|reply|answer|output)\b[^.\n]{0,30}\bjson\b|\b(?:in|as) json(?: format)?\W*$", re.I)
_BULLETS = re.compile(r"\bbullet(?:s|ed)?(?: points?| lists?)?\b", re.I)
_PERSONA = re.compile(r"\b(?:you are|you're|act as|acting as|pretend to be|role-?play as|speak like|talk like|"
                      r"in the style of|as if you were)\b[^.\n]{0,40}?\b(" + "|".join(PERSONA_WORDS) + r")\b", re.I)
_CODE_HINT = re.compile(r"\b(?:expert|developer|engineer|programmer|specialist|tutor|coder|code|coding|programming)\b", re.I)
_NAME = re.compile(r"\b(?i:your name is) ([A-Z][\w-]{1,30})|^(?i:you are) ([A-Z][\w-]{1,30})[,.]", re.M)


@lru_cache(maxsize=256)
def _system_style(system: str) -> Style:
    """Style directives of the system prompt (cached: load tests repeat the same system prompt)."""
    brevity = next((level for level, pattern in _BREVITY if pattern.search(system)), 0)
    language = _SYSTEM_LANGUAGE.search(system)
    wants_json = bool(_SYSTEM_JSON.search(system) and _JSON_VERB.search(system))
    persona = _PERSONA.search(system)
    name = _NAME.search(system)
    return Style(
        brevity=brevity,
        language=LANGUAGE_NAMES[(language.group(1) or language.group(2)).lower()] if language else None,
        json=wants_json, json_template=_json_template(system) if wants_json else None,
        bullets=bool(_BULLETS.search(system)),
        persona=PERSONA_WORDS[persona.group(1).lower()] if persona else None,
        code_language=code_language(system) if _CODE_HINT.search(system) else None,
        name=(name.group(1) or name.group(2)) if name else None)


def read_style(system: str, user_line: str) -> Style:
    """The system prompt's style, tightened by directives in the user message ("in one sentence")."""
    style = _system_style(system)
    if not USER_STYLE_GATE.search(user_line.lower()):
        return style
    user_brevity = next((level for level, pattern in _BREVITY[:2] if pattern.search(user_line)), 0)
    user_brevity = user_brevity or (1 if _USER_BRIEF.search(user_line) else 0)
    language = _USER_LANGUAGE.search(user_line)
    persona = _PERSONA.search(user_line)
    return replace(
        style, brevity=max(style.brevity, user_brevity),
        language=LANGUAGE_NAMES[language.group(1).lower()] if language else style.language,
        json=style.json or bool(_USER_JSON.search(user_line)),
        bullets=style.bullets or bool(_BULLETS.search(user_line)),
        persona=PERSONA_WORDS[persona.group(1).lower()] if persona else style.persona)


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
