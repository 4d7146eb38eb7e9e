"""Synthetic moderation results: a small lexicon per category, deterministic scores, flags where text plainly is.

Each category has a few patterns with a weight (threats at a person, hate statements about a group, first-person
self-harm intent, requests for instructions to do harm, ...). A text's score in a category is the weight of its
strongest match, else a tiny value derived from the text; sub-categories lift their parents (a threat is also
harassment and violence). A category is flagged at 0.5. Words alone are not enough where they are ordinary
("kill the process" scores low). Images are not looked at: they count in `category_applied_input_types` only.

omni models answer with all 13 categories and the input types each score applies to; the legacy
text-moderation models answer with their 11 categories and no input types, as the API does (a shape the
openai SDK's strict validation rejects: its types assume omni).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from dummy_openai_api.generators.chat.completion import base62

OMNI_CATEGORIES = ("harassment", "harassment/threatening", "sexual", "hate", "hate/threatening", "illicit",
                   "illicit/violent", "self-harm/intent", "self-harm/instructions", "self-harm", "sexual/minors",
                   "violence", "violence/graphic")
LEGACY_CATEGORIES = ("sexual", "hate", "harassment", "self-harm", "sexual/minors", "hate/threatening",
                     "violence/graphic", "self-harm/intent", "self-harm/instructions", "harassment/threatening",
                     "violence")
IMAGE_CATEGORIES = frozenset({"sexual", "self-harm", "self-harm/intent", "self-harm/instructions", "violence",
                              "violence/graphic"})
SERVED = {"omni-moderation-latest": "omni-moderation-2024-09-26", "text-moderation-latest": "text-moderation-007",
          "text-moderation-stable": "text-moderation-007"}
THRESHOLD = 0.5

_PERSON = (r"(?:you|him|her|them|us|everyone|everybody|people|someone|somebody|y'all|"
           r"my (?:wife|husband|boss|neighbou?r|teacher|family|parents?|mother|father|mom|dad|brother|sister|"
           r"friend|ex|coworker|classmates?))")
_GROUP = (r"(?:muslims|jews|christians|hindus|immigrants|refugees|black people|white people|asians|africans|"
          r"mexicans|arabs|women|men|gay people|gays|lesbians|trans people|transgender people|disabled people|"
          r"foreigners|latinos|indians|chinese people)")
_ASK = r"(?:how (?:to|do i|can i|do you|would i)|best way to|easiest way to|ways to|help me|teach me to|steps to)"
_HARM = r"(?:kill|murder|hurt|stab|shoot|strangle|beat up|beat|torture|choke|punch|slaughter|behead)"

# (category, pattern, weight): the strongest match sets the category's score.
LEXICON: tuple[tuple[str, str, float], ...] = (
    ("violence", rf"\b{_HARM}\w*\s+{_PERSON}\b", 0.95),
    ("violence", r"\b(?:murder(?:ed|ing|s)?|massacre\w*|assassinat\w*|mass shooting|shooting spree|stabbed|"
                 r"beheaded)\b", 0.8),
    ("violence", r"\b(?:blow up|bomb|set fire to|burn down)\s+(?:the|a|this|that|our|their)\s+\w+", 0.9),
    ("violence", r"\b(?:kill|fight|attack|weapon|gun|knife|blood|war|shoot)\w*\b", 0.15),
    ("violence/graphic", r"\b(?:gore|gory|dismember\w*|disembowel\w*|decapitat\w*|mutilat\w*|entrails|"
                         r"blood (?:everywhere|spurting|gushing|pooling)|skull (?:cracked|crushed|split))", 0.9),
    ("harassment/threatening", rf"\bi(?:'m| am)?\s*(?:going to|gonna|will|'ll|want to|wanna)\s+(?:\w+\s+)?"
                               rf"(?:{_HARM}|find|destroy|end)\w*\s+{_PERSON}\b", 0.93),
    ("harassment/threatening", r"\b(?:you(?:'re| are) (?:dead|going to die|gonna die)|watch your back|"
                               r"i know where you live)\b", 0.9),
    ("harassment", r"\byou(?:'re| are)\s+(?:a |an |so |such an? |the most )?(?:stupid|idiot|moron|worthless|"
                   r"pathetic|ugly|disgusting|loser|dumb|useless|trash|garbage|waste of space)", 0.86),
    ("harassment", r"\b(?:shut up|nobody (?:likes|loves|cares about) you|go to hell|you (?:idiot|moron|loser|"
                   r"clown)|kill yourself|kys)\b", 0.84),
    ("hate", rf"\b{_GROUP}\s+(?:are|is)\s+(?:all\s+)?(?:inferior|subhuman|animals|vermin|parasites|disgusting|"
             r"evil|a plague|filth|scum|worthless|a disease)", 0.92),
    ("hate", rf"\bi (?:hate|despise|can't stand|cannot stand) (?:all )?{_GROUP}", 0.86),
    ("hate", rf"\b(?:{_GROUP}\s+(?:don't|do not) belong|go back to your (?:own )?country)\b", 0.8),
    ("hate/threatening", rf"\b(?:kill|exterminate|eliminate|wipe out|get rid of|gas) (?:all )?(?:the |those )?"
                         rf"{_GROUP}", 0.93),
    ("hate/threatening", rf"\b{_GROUP}\s+(?:should|must|need to|deserve to)\s+(?:all\s+)?(?:die|be killed|"
                         r"be exterminated|be wiped out|be eliminated|burn)", 0.93),
    ("self-harm", r"\b(?:suicid\w*|self[- ]harm\w*|cutting myself|overdos\w*)", 0.7),
    ("self-harm/intent", r"\bi(?:'m| am)?\s*(?:want|wanna|going|gonna|plan|planning|intend|about)\s+(?:to\s+)?"
                         r"(?:kill myself|end (?:my life|it all)|die|hurt myself|cut myself|commit suicide)", 0.95),
    ("self-harm/intent", r"\bi (?:don't|do not) want to (?:live|be alive) anymore\b", 0.9),
    ("self-harm/instructions", rf"\b{_ASK}\s+(?:kill (?:myself|yourself)|commit suicide|end (?:my|your) life|"
                               r"cut (?:myself|yourself)|overdose|hang (?:myself|yourself))", 0.93),
    ("self-harm/instructions", r"\bhow many (?:sleeping )?(?:pills|tablets) (?:to|would|does it take)", 0.85),
    ("sexual", r"\b(?:porn\w*|nude|nudes|naked|sex(?! education| ed\b|ism|ist|ual orientation)\w*|orgasm\w*|"
               r"erotic\w*|masturbat\w*|blowjob|horny|nsfw)\b", 0.8),
    ("illicit", rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?(?:steal|shoplift|rob|launder|counterfeit|forge|hack into|"
                r"break into|pick a lock|hotwire|smuggle|evade taxes|cheat on (?:my )?taxes|buy drugs|sell drugs|"
                r"make meth|cook meth|scam|phish)", 0.9),
    ("illicit", r"\b(?:money laundering|shoplifting|counterfeit money|fake (?:id|passport)s?|credit card fraud|"
                r"identity theft)\b", 0.4),
    ("illicit/violent", rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?(?:make|build|assemble|create|buy|get)\s+(?:a |an )?"
                        r"(?:bomb|pipe bomb|explosives?|molotov\w*|grenade|ghost gun|untraceable gun|silencer|"
                        r"nerve agent|poison)", 0.93),
    ("illicit/violent", rf"\bpoison\s+{_PERSON}", 0.9),
)
_MINORS = re.compile(r"\b(?:child|children|kids?|minors?|underage|preteens?|\d{1,2}[- ]years?[- ]old|"
                     r"schoolgirls?|schoolboys?|little (?:girl|boy)s?)\b", re.I)
# A sub-category's score lifts its parents to at least this share of it.
IMPLIES: tuple[tuple[str, str, float], ...] = (
    ("harassment/threatening", "harassment", 0.9), ("harassment/threatening", "violence", 0.98),
    ("hate/threatening", "hate", 1.0), ("hate/threatening", "violence", 0.9),
    ("self-harm/intent", "self-harm", 1.0), ("self-harm/instructions", "self-harm", 1.0),
    ("sexual/minors", "sexual", 1.0), ("illicit/violent", "illicit", 0.95), ("violence/graphic", "violence", 1.0),
)
_COMPILED = tuple((category, re.compile(pattern, re.I), weight) for category, pattern, weight in LEXICON)


@dataclass(frozen=True, slots=True)
class Input:
    texts: tuple[str, ...]
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ModerationRequest:
    """A checked moderations request (proxy.validation.moderations builds it)."""

    model: str                  # the model's id
    inputs: tuple[Input, ...]   # one result each
    digest: bytes               # the body as sent: the result's id


def scores(text: str) -> dict[str, float]:
    """Every omni category's score for `text`."""
    found = {category: _noise(text, category) for category in OMNI_CATEGORIES}
    for category, pattern, weight in _COMPILED:
        if weight > found[category] and pattern.search(text):
            found[category] = weight + 0.04 * _unit(text, category)  # a little spread, same text same value
    if found["sexual"] >= THRESHOLD and _MINORS.search(text):
        found["sexual/minors"] = 0.95
    for child, parent, share in IMPLIES:
        found[parent] = max(found[parent], found[child] * share)
    return {category: min(value, 0.9999) for category, value in found.items()}


def _unit(text: str, category: str) -> float:
    digest = hashlib.sha256(f"{category}\0{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def _noise(text: str, category: str) -> float:
    """A small score that differs by text and category: 3e-7 to 3e-4."""
    return 10 ** -(3.5 + 3 * _unit(text, category))


def result(item: Input, omni: bool) -> dict[str, Any]:
    """One entry of `results`: flags, scores and (omni) the input types each score applies to."""
    text = "\n".join(item.texts)
    found = scores(text)
    names = OMNI_CATEGORIES if omni else LEGACY_CATEGORIES
    entry: dict[str, Any] = {
        "flagged": any(found[n] >= THRESHOLD for n in names),
        "categories": {n: found[n] >= THRESHOLD for n in names},
        "category_scores": {n: found[n] for n in names},
    }
    if omni:
        entry["category_applied_input_types"] = {n: _applied(n, item) for n in names}
    return entry


def _applied(category: str, item: Input) -> list[str]:
    kinds = ["text"] if item.texts else []
    if item.images and category in IMAGE_CATEGORIES:
        kinds.append("image")
    return kinds


def moderation_body(request: ModerationRequest) -> dict[str, Any]:
    model, digest = request.model, request.digest
    omni = not model.startswith("text-moderation")
    ident = digest.hex()[:32] if omni else base62(digest, 29)
    return {"id": "modr-" + ident, "model": SERVED.get(model, model),
            "results": [result(i, omni) for i in request.inputs]}
