"""Stories, poems, haiku and jokes."""
from __future__ import annotations

import re

from .code import CODE_NOUN
from .phrasebook.writing import (
    CREATIVE_TAILS, HAIKU_TEMPLATES, JOKES, POEM_STANZAS, STORY_ENDINGS, STORY_MIDDLES, STORY_NAMES, STORY_OPENINGS,
)
from .request import Draft, Request
from .text import capitalize, clean_phrase, fmt, singular, swap_pronouns

_CREATIVE = re.compile(r"\b(haiku|poem|poetry|verse|sonnet|limerick|rhyme|story|tale|fable|joke|pun|riddle)s?\b", re.I)
_CREATIVE_GATE = re.compile(r"haiku|poem|poetry|verse|sonnet|limerick|rhyme|stor|tale|fable|joke|pun|riddle")
_CREATIVE_VERB = re.compile(r"^(?:an?\s+|short\s+|little\s+|funny\s+|quick\s+)*$|\b(?:write|tell|compose|make|give|"
                            r"create|share|generate|craft|come up with|want|need|another|one more)\b", re.I)
_CREATIVE_KINDS = {"haiku": "haiku", "joke": "joke", "pun": "joke", "riddle": "joke", "story": "story",
                   "tale": "story", "fable": "story"}
_DEFAULT_SUBJECTS = ("the sea", "a quiet morning", "an old lighthouse", "the city at night", "a long journey")


def creative(req: Request) -> Draft | None:
    found = _CREATIVE.search(req.line) if _CREATIVE_GATE.search(req.low) else None
    if found is None or not _CREATIVE_VERB.search(req.line[:found.start()]):
        return None
    code_noun = CODE_NOUN.search(req.low)
    if code_noun and code_noun.start() < found.start():
        return None  # "write a function that tells a joke" is code
    kind = _CREATIVE_KINDS.get(found.group(1).lower(), "poem")
    about = re.search(r"\babout\s+(.+)$", req.line) or re.search(r"\b(?:on|of|regarding|featuring|involving|with|"
                                                                 r"for)\s+(.+)$", req.line[found.end():])
    subject = clean_phrase(swap_pronouns(about.group(1)), 6) if about else ""
    subject = re.sub(r"\s+(?:please|for (?:me|you))$", "", subject, flags=re.I) or req.pick.pick(_DEFAULT_SUBJECTS)
    slots = {"topic": subject, "Topic": capitalize(subject), "item": singular(subject.split()[-1]).lower()}
    pick = req.pick
    if kind == "haiku":
        return Draft("haiku", items=[fmt(line, **slots) for line in pick.pick(HAIKU_TEMPLATES)],
                      item_style="lines", terse=slots["Topic"], slots=slots)
    if kind == "poem":
        return Draft("poem", items=[fmt(line, **slots) for line in pick.pick(POEM_STANZAS)], item_style="lines",
                      tail=pick.pick(CREATIVE_TAILS), terse=slots["Topic"], slots=slots)
    if kind == "joke":
        return Draft("joke", lead=fmt(pick.pick(JOKES), **slots), tail=pick.pick(CREATIVE_TAILS),
                      terse="Ha!", slots=slots)
    name = pick.pick(STORY_NAMES)
    story = " ".join(fmt(pick.pick(table), name=name, **slots)
                     for table in (STORY_OPENINGS, STORY_MIDDLES, STORY_ENDINGS))
    return Draft("story", lead=story, tail=pick.pick(CREATIVE_TAILS), terse=name, slots=slots)
