"""Summaries: extractive, by word-frequency scores, in the source's order."""
from __future__ import annotations

import heapq
import re
from collections import Counter

from .phrasebook.results import SUMMARY_MISSING, SUMMARY_PREFIXES
from .phrasebook.words import STOPWORDS
from .request import Draft, Request
from .text import QUESTION_START, keywords, split_sentences

_SUMMARY_CUE = re.compile(r"\b(?:summari[sz]e|summari[sz]ing|summary|sum (?:it |this |that |these |everything )?up|"
                          r"tl;?\s?dr|recap|condense|gist|key points|main points)\b", re.I)
_SUMMARY_GATE = re.compile(r"summar|sum |tl;?\s?dr|recap|condense|gist|key points|main points")
_CONVERSATION_WORDS = re.compile(r"\b(?:conversation|chat|discussion|thread|everything)\b", re.I)
_MIN_SOURCE_WORDS = 5


def summary(req: Request) -> Draft | None:
    cue = _SUMMARY_CUE.search(req.line) if _SUMMARY_GATE.search(req.low) else None
    if cue is None or cue.start() > 80:
        return None
    source = _inline_source(req.text, req.line[:cue.end()]) or _earlier_source(req)
    if not source:
        if QUESTION_START.match(req.line):
            return None  # "what is a summary statistic?" is a question, not a request
        return Draft("summary", lead=req.pick.pick(SUMMARY_MISSING), terse="Text?")
    limit = {0: 5, 1: 2}.get(req.style.brevity, 1)
    body = " ".join(summarize(source, limit))
    prefix = req.pick.pick(SUMMARY_PREFIXES)
    lead = prefix + body if len(prefix) + len(body) < len(source) else body
    return Draft("summary", lead=lead, terse=(keywords(body) or ["Summary"])[0].capitalize(),
                  data={"summary": body}, slots={"body": body})


def _inline_source(text: str, cue_text: str) -> str:
    """The text to summarize inside the request: after a colon or line break, in quotes, or after the cue."""
    found = text.find(cue_text[-40:]) if cue_text else -1
    rest = text[found + len(cue_text[-40:]):] if found >= 0 else text  # the line was normalized: look everywhere
    candidates = []
    colon = re.search(r"[:\n]", rest[:200])
    if colon:
        candidates.append(rest[colon.end():])
    quoted = re.search(r"[\"“]([^\"”]{20,})[\"”]", text, re.S)
    if quoted:
        candidates.append(quoted.group(1))
    if "\n" in text:
        candidates.append(text.split("\n", 1)[1])
    sentences = split_sentences(rest[:400])
    if len(sentences) > 1:
        candidates.append(rest[rest.find(sentences[1]):])
    return next((c.strip() for c in candidates if len(c.split()) >= _MIN_SOURCE_WORDS), "")


def _earlier_source(req: Request) -> str:
    """ "Summarize the above": the previous substantial message, the whole chat, or the system prompt."""
    earlier = [text for text in req.convo.earlier_texts if len(text.split()) >= _MIN_SOURCE_WORDS]
    if earlier and _CONVERSATION_WORDS.search(req.line):
        return "\n".join(earlier)
    if earlier:
        return earlier[-1]
    system = req.convo.system_text
    return system if len(system.split()) >= 15 else ""


def summarize(text: str, max_sentences: int) -> list[str]:
    """The most informative sentences of text (word-frequency scores), in their original order, shorter than
    the text; a one-sentence text is cut down to its best clause."""
    sentences = split_sentences(text)
    if len(sentences) <= 1:
        return [_shorten(sentences[0] if sentences else text.strip())]
    frequencies = Counter(w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOPWORDS)
    count = len(sentences)
    keep = min(max_sentences, 1 if count <= 3 else 2 if count <= 8 else 3 if count <= 15 else 4 if count <= 30 else 5)

    def score(index: int) -> float:
        words = [w for w in re.findall(r"[a-z0-9']+", sentences[index].lower()) if w not in STOPWORDS]
        lead_bonus = 1.15 if index == 0 else 1.0  # openings usually state the point
        return lead_bonus * sum(frequencies[w] for w in words) / (1 + len(words)) ** 0.7

    chosen = sorted(heapq.nlargest(keep, range(count), key=score))
    return [sentences[i] for i in chosen]


def _shorten(sentence: str) -> str:
    clauses = [c for c in re.split(r"[,;:—–]\s+|\s+-\s+", sentence) if len(c.split()) >= 4]
    best = max(clauses, key=lambda c: len(c.split()), default="")
    if best and len(best) < len(sentence):
        return best.rstrip(".!? ") + "."
    words = sentence.split()
    return " ".join(words[:max(2, len(words) * 3 // 5)]).rstrip(",;:") + "…"
