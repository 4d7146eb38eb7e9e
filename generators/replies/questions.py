"""Comparisons, yes/no questions, definitions and other questions."""
from __future__ import annotations

import re
from typing import Any

from .phrasebook.questions import (
    CAPITAL_TAILS, CAPITALS, COMPARE_GOALS, COMPARE_LEADS, COMPARE_TAILS, COMPARE_TRAITS, DEFINITION_LEADS, GLOSSARY,
    HOW_MANY_LEADS, NO_LEADS, NO_REASONS, QUESTION_MIDDLES, QUESTION_TAILS, WH_LEADS, YES_LEADS, YES_REASONS,
)
from .phrasebook.words import DETERMINERS
from .request import Draft, Request
from .text import capitalize, clean_phrase, fmt, join_terms, keywords, singular, strip_article, swap_pronouns

_SIDE = r"[\w.+#-]+(?:\s+[\w.+#-]+){0,2}"
_COMPARE = tuple(re.compile(pattern, re.I) for pattern in (
    r"\bdifferences?\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)",
    r"\bcompare\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+)",
    r"\b(?:which is better|which (?:one )?should i (?:use|choose|pick|learn)|should i (?:use|learn|choose|pick|go "
    r"with)|is it better to (?:use|learn)|what(?:'s| is) better)[,:]?\s+(?P<a>.+?)\s+or\s+(?P<b>.+)",
    rf"(?P<a>{_SIDE})\s+(?:vs\.?|versus)\s+(?P<b>{_SIDE})",
    rf"^(?P<a>{_SIDE})\s+or\s+(?P<b>{_SIDE})[,:]?\s+which (?:one )?is better",
))


_COMPARE_GATE = re.compile(r"vs|versus|differen|compar| or ")


def comparison(req: Request) -> Draft | None:
    if not _COMPARE_GATE.search(req.low):
        return None
    found = next((m for pattern in _COMPARE if (m := pattern.search(req.line))), None)
    if found is None:
        return None
    a, b = (_compare_side(found.group(side)) for side in ("a", "b"))
    if not a or not b or a.lower() == b.lower():
        return None
    pick = req.pick
    first, second = pick.pick(COMPARE_TRAITS), pick.pick(COMPARE_TRAITS)
    if second == first:
        second = COMPARE_TRAITS[(COMPARE_TRAITS.index(first) + 1) % len(COMPARE_TRAITS)]
    slots = {"a": a, "b": b, "A": capitalize(a), "B": capitalize(b), "b_goal": pick.pick(COMPARE_GOALS)}
    items = [f"**{slots['A']}** {first[0]}, and {second[0]}.", f"**{slots['B']}** {first[1]}, and {second[1]}."]
    return Draft("compare", lead=fmt(pick.pick(COMPARE_LEADS), **slots), items=items, item_style="bullets",
                  tail=fmt(pick.pick(COMPARE_TAILS), **slots), terse=slots["A"] + ".",
                  data={"options": [a, b], "points": items})


def _compare_side(text: str) -> str:
    text = re.split(r"\s+(?:for|in|when|which|and why|if)\b|[,?:;!]", text, maxsplit=1, flags=re.I)[0]
    return strip_article(clean_phrase(text, 4))


_YES_NO = re.compile(r"^(?P<aux>is|are|am|was|were|can|could|should|would|will|do|does|did|has|have|had|may|might|"
                     r"must|shall|isn't|aren't|can't|won't|doesn't|don't|didn't|wasn't|weren't|shouldn't|wouldn't|"
                     r"couldn't|hasn't|haven't)\s+(?P<rest>.+)", re.I)
_NEGATIVE_AUX = {"isn't": "is", "aren't": "are", "can't": "can", "won't": "will", "doesn't": "does", "don't": "do",
                 "didn't": "did", "wasn't": "was", "weren't": "were", "shouldn't": "should", "wouldn't": "would",
                 "couldn't": "could", "hasn't": "has", "haven't": "have"}


def yes_no(req: Request) -> Draft | None:
    found = _YES_NO.match(req.line)
    if found is None:
        return None
    known = numeric_verdict(req.line)
    yes = req.pick.draw(10) < 6 if known is None else known  # drawn apart from the variant digits
    clause = _restate(found.group("aux"), found.group("rest"), negate=not yes)
    leads, reasons = (YES_LEADS, YES_REASONS) if yes else (NO_LEADS, NO_REASONS)
    return Draft("yesno", lead=fmt(req.pick.pick(leads), clause=clause),
                  tail=fmt(req.pick.pick(reasons), kw=req.kw), terse="Yes." if yes else "No.",
                  data={"verdict": "yes" if yes else "no"}, slots={"verdict": "yes" if yes else "no"})


_NUM = r"(-?\d+(?:\.\d+)?)"
_GREATER = re.compile(rf"^(?:is|are)\s+{_NUM}\s+(greater|larger|bigger|more|higher|less|smaller|fewer|lower)\s+than\s+"
                      rf"{_NUM}\b", re.I)
_PROPERTY = re.compile(rf"^(?:is|are)\s+{_NUM}\s+(?:an?\s+)?(even|odd|prime)(?:\s+number)?\b", re.I)
_DIVISIBLE = re.compile(rf"^(?:is|are)\s+{_NUM}\s+divisible\s+by\s+{_NUM}\b", re.I)


def numeric_verdict(line: str) -> bool | None:
    """Yes or no for questions about numbers ("Is 17 prime?", "Is 7 greater than 3?"); None for the rest."""
    if found := _GREATER.match(line):
        a, word, b = float(found.group(1)), found.group(2).lower(), float(found.group(3))
        return a > b if word in ("greater", "larger", "bigger", "more", "higher") else a < b
    if found := _PROPERTY.match(line):
        value = float(found.group(1))
        if not value.is_integer():
            return False
        n, kind = int(value), found.group(2).lower()
        if kind == "prime":
            return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1)) if n < 10 ** 12 else None
        return (n % 2 == 0) == (kind == "even")
    if found := _DIVISIBLE.match(line):
        a, b = float(found.group(1)), float(found.group(2))
        return b != 0 and (a / b).is_integer()
    return None


def _restate(aux: str, rest: str, negate: bool = False) -> str:
    """The question as a statement: ("is", "the earth flat") -> "the earth is flat" / "the earth is not flat"."""
    aux = aux.lower()
    negate = negate != (aux in _NEGATIVE_AUX)
    aux = {"am": "are"}.get(_NEGATIVE_AUX.get(aux, aux), _NEGATIVE_AUX.get(aux, aux))
    words = clean_phrase(rest, 14).split()
    if words and words[0].lower() == "you":  # the user asks about the assistant: answer as "I"
        words[0], aux = "I", {"are": "am", "were": "was"}.get(aux, aux)
    else:
        words = swap_pronouns(" ".join(words)).split()
    size = 2 if len(words) > 2 and words[0].lower() in DETERMINERS else 1
    subject, predicate = words[:size], words[size:]
    if subject == ["you"] and aux in ("is", "was"):
        aux = "are" if aux == "is" else "were"
    verb = (f"{aux} not" if negate else aux) if aux not in ("do",) or negate else ""
    verb = verb.replace("can not", "cannot").replace("will not", "won't")
    return " ".join(part for part in (*subject, verb, *predicate) if part)


_DEFINE = re.compile(r"^(?:(?:what(?:'s| is| are| was| were)|explain|describe|define|tell me about|"
                     r"give me an overview of|what do you know about)\s+(?:the definition of\s+)?(?P<subject>.+)"
                     r"|what does (?P<acronym>.+?) (?:mean|stand for)\W*$)", re.I)
_WH = re.compile(r"^(?P<wh>why|how|when|where|which|who|whom|what)\b(?:'s)?\s*(?P<rest>.*)", re.I)
_CAPITAL = re.compile(r"\bcapital (?:city )?of\s+(?P<country>[a-z][a-z .'-]{1,30}?)\W*$", re.I)
_AUX_START = re.compile(r"^(?P<aux>is|are|was|were|do|does|did|can|could|should|would|will|has|have)\s+(?P<rest>.+)",
                        re.I)


def question(req: Request) -> Draft | None:
    line = req.line
    if capital := _CAPITAL.search(line):
        country = strip_article(capital.group("country").strip()).lower()
        city = CAPITALS.get(country)
        if city:
            lead = f"The capital of {country.title()} is {city}."
            return Draft("fact", lead=lead, tail=req.pick.pick(CAPITAL_TAILS), terse=city, data={"capital": city})
    define = _DEFINE.match(line)
    subject = define and (define.group("subject") or define.group("acronym"))
    if subject and not _WH.match(subject):
        plural = re.match(r"what\s+(?:are|were)\b", line, re.I) is not None
        return _definition(req, subject, plural)
    wh = _WH.match(subject or line)
    if wh is None:
        return None
    return _wh_answer(req, wh.group("wh").lower(), clean_phrase(wh.group("rest"), 14))


def _definition(req: Request, subject: str, plural: bool) -> Draft:
    subject = clean_phrase(swap_pronouns(subject), 10)
    key = subject.lower()
    gloss = GLOSSARY.get(key) or GLOSSARY.get(strip_article(key))
    last = subject.split()[-1] if subject else ""
    plural = plural or (last.lower().endswith("s") and not last.isupper() and singular(last) != last)
    slots = {"topic": subject, "Topic": capitalize(subject), "is": "are" if plural else "is", "kw": req.kw}
    lead = f"{slots['Topic']} {slots['is']} {gloss}." if gloss else fmt(req.pick.pick(DEFINITION_LEADS), **slots)
    middle = fmt(req.pick.pick(QUESTION_MIDDLES), **slots)
    return Draft("definition", lead=f"{lead} {middle}", tail=req.pick.pick(QUESTION_TAILS),
                  terse=capitalize(req.terms[0]) + "." if req.terms else "Yes.", data={"topic": subject})


def _wh_answer(req: Request, wh: str, rest: str) -> Draft:
    kw = join_terms(keywords(rest)) or req.kw
    slots: dict[str, Any] = {"kw": kw, "Kw": capitalize(kw)}
    if wh == "why":
        aux = _AUX_START.match(rest)
        clause = _restate(aux.group("aux"), aux.group("rest")) if aux else swap_pronouns(rest)
        slots.update(clause=clause, Clause=capitalize(clause))
        table = WH_LEADS["why"]
    elif wh == "how" and re.match(r"(?:many|much)\b", rest, re.I):
        slots.update(topic=rest, Topic=capitalize(rest))
        table = HOW_MANY_LEADS
    else:
        topic = re.sub(r"^(?:does|do|did|is|are|can|would|could)\s+|\s+(?:work|works|function|happen|operate)$", "",
                       swap_pronouns(rest), flags=re.I) if wh == "how" else rest
        slots.update(topic=topic or req.kw, Topic=capitalize(topic or req.kw))
        table = WH_LEADS.get(wh, WH_LEADS["what"])
    lead = f"{fmt(req.pick.pick(table), **slots)} {fmt(req.pick.pick(QUESTION_MIDDLES), **slots)}"
    return Draft("question", lead=lead, tail=req.pick.pick(QUESTION_TAILS),
                  terse=capitalize(req.terms[0]) + "." if req.terms else "Yes.")
