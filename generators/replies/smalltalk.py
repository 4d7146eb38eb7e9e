"""Greetings, thanks, goodbyes, "who are you" and questions about an attachment."""
from __future__ import annotations

import re

from .phrasebook.smalltalk import (
    ATTACHMENT_REPLIES, FOREIGN_GREETINGS, GOODBYES, GREETINGS, HOW_ARE_YOU, IDENTITY_REPLIES, IDENTITY_UNNAMED,
    THANKS_REPLIES,
)
from .request import Draft, Request
from .text import capitalize, fmt

_ASKS_ABOUT_ATTACHMENT = re.compile(r"^\W*$|\b(?:what(?:'s| is)|describe|look at|see|tell me about|explain|"
                                    r"analy[sz]e)\b.*\b(?:image|picture|photo|pic|screenshot|this|it|audio|"
                                    r"recording|clip|file|document|attachment)\b", re.I)
_GREETING = re.compile(r"^(hi|hello|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day)|bonjour|"
                       r"salut|hola|buenos d[ií]as|hallo|guten (?:tag|morgen)|ciao|buongiorno)"
                       r"(?:[\s,!.]+(?:there|everyone|everybody|all|friend|folks|again|buddy|mate|team))?"
                       r"(?:[\s,!.]+[\w-]+)?[\s!.,:)]*$", re.I)
_HOW_ARE_YOU = re.compile(r"^(?:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?: there| all| everyone| friend)?"
                          r"[\s,!.]+)?(?:how are you(?: doing)?(?: today| this (?:morning|afternoon|evening))?|"
                          r"how's it going|how is it going|"
                          r"how are things|how have you been|how do you do|what's up|whats up|sup)[\s?!.]*$", re.I)
_THANKS = re.compile(r"^(?:(?:ok|okay|great|perfect|awesome|cool|nice)[\s,!.]+)?(?:thanks|thank you|thx|ty|"
                     r"cheers|much appreciated)\b[\w\s,!.']{0,40}$", re.I)
_BYE = re.compile(r"^(?:ok[\s,]+)?(?:bye|goodbye|good bye|see you|see ya|good night|farewell|cya)\b[\w\s,!.']{0,30}$",
                  re.I)
_IDENTITY = re.compile(r"^(?:(?:hi|hello|hey)[\s,!.]+)?(?:who are you|what are you|what(?:'s| is) your name|"
                       r"what should i call you)\W*$", re.I)
_PLAIN_HELLO = {"yo": "Hey", "hiya": "Hi", "salut": "Salut"}


def attachment(req: Request) -> Draft | None:
    kinds = req.convo.attachments
    if not kinds or not _ASKS_ABOUT_ATTACHMENT.search(req.line):
        return None
    kind = "image" if "image" in kinds else kinds[0]
    return Draft("attachment", lead=req.pick.pick(ATTACHMENT_REPLIES[kind]), terse=capitalize(kind) + ".")


def smalltalk(req: Request) -> Draft | None:
    line, pick = req.raw_line, req.pick
    if greeting := _GREETING.match(line):
        word = greeting.group(1)
        hello = _PLAIN_HELLO.get(word.lower(), capitalize(word.lower()))
        lead = fmt(pick.pick(GREETINGS), hello=hello)
        if req.style.name:
            lead = lead.replace("! ", f"! I'm {req.style.name}. ", 1)
        return Draft("greeting", lead=lead, terse=f"{hello}!" if " " not in hello else "Hello!",
                      slots={"language": FOREIGN_GREETINGS.get(word.lower())})
    for pattern, kind, table, terse in ((_HOW_ARE_YOU, "greeting", HOW_ARE_YOU, "Great!"),
                                        (_THANKS, "thanks", THANKS_REPLIES, "Welcome!"),
                                        (_BYE, "bye", GOODBYES, "Goodbye!")):
        if pattern.match(line):
            return Draft(kind, lead=pick.pick(table), terse=terse)
    if _IDENTITY.match(line):
        name = req.style.name
        lead = fmt(pick.pick(IDENTITY_REPLIES), name=name) if name else pick.pick(IDENTITY_UNNAMED)
        return Draft("identity", lead=lead, terse=f"{name}." if name else "Assistant.")
    return None
