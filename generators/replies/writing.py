"""Emails, letters and short pieces of prose."""
from __future__ import annotations

import re

from .phrasebook.writing import (
    LETTER_BODIES, LETTER_CLOSINGS, LETTER_KINDS, LETTER_OPENINGS, PROSE_LEADS, PROSE_SENTENCES,
)
from .request import Draft, Request
from .text import capitalize, clean_phrase, fmt, strip_article, swap_pronouns

_WRITING = re.compile(
    r"^(?:write|draft|compose|prepare)\s+(?:me\s+|us\s+)?(?:an?\s+|the\s+)?(?:(?:short|quick|brief|polite|formal|"
    r"friendly|professional|nice)\s+)*(?P<kind>e-?mail|letter|message|note|memo|paragraph|essay|bio|description|"
    r"speech|toast|tweet|blog post|post|cover letter|introduction)\b(?:\s+(?:to|for)\s+(?P<to>.+?))?"
    r"(?:\s+(?P<link>about|regarding|on|asking|requesting|thanking|inviting|explaining|to)\s+(?P<about>.+?))?\W*$", re.I)
_SUBJECT_LABELS = {"asking": "Request", "requesting": "Request", "thanking": "Thank you", "inviting": "Invitation"}
_GROUPS = frozenset("team everyone everybody all colleagues class folks".split())


def writing(req: Request) -> Draft | None:
    found = _WRITING.match(req.line)
    if found is None:
        return None
    kind, link = found.group("kind").lower(), (found.group("link") or "").lower()
    about = swap_pronouns(clean_phrase(found.group("about") or "", 14))
    if kind.replace("-", "") in LETTER_KINDS:  # the letter speaks to its recipient: "thank them" -> "thank you"
        about = re.sub(r"\b(?:them|him|her)\b", "you", re.sub(r"\b(?:their|his)\b", "your", about))
    to = clean_phrase(found.group("to") or "", 5)
    pick = req.pick
    if kind.replace("-", "") not in LETTER_KINDS:  # a paragraph, bio, speech... about the subject
        topic = about or swap_pronouns(to) or req.kw
        lines = [fmt(pick.pick(options), topic=topic, Topic=capitalize(topic)) for options in PROSE_SENTENCES]
        return Draft("writing", lead=fmt(pick.pick(PROSE_LEADS), kind=kind, topic=topic), items=[" ".join(lines)],
                      item_style="lines", terse=capitalize(kind) + ".")
    verb = link[:-3] if link.endswith("ing") else ""
    purpose = f"to {verb} {about}" if verb else f"to {about}" if link == "to" else f"about {about}" if about else \
        "with a quick update"
    topic = re.sub(r"^you\s+", "", about)
    subject = f"{_SUBJECT_LABELS[link]} {topic}" if link in _SUBJECT_LABELS else capitalize(topic) or "Quick note"
    recipient = strip_article(to)
    name = (recipient if recipient[:1].isupper() else recipient.lower() if recipient.lower() in _GROUPS
            else f"[{capitalize(recipient.split()[-1])}'s name]" if recipient else "there")
    items = [f"Subject: {subject}", "", fmt(pick.pick(LETTER_OPENINGS), to=name), "",
             fmt(pick.pick(LETTER_BODIES), purpose=purpose), "", *pick.pick(LETTER_CLOSINGS).split("\n")]
    return Draft("writing", items=items, item_style="lines", terse="Drafted.", data={"subject": subject})
