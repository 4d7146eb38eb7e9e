"""The form the prompt asks for: an answer template ("FINAL ANSWER: ..."), yes or no only, N sentences, and
the form of few-shot examples ("Sentiment: positive" after two such replies)."""
from __future__ import annotations

import re

from .labels import choose, is_sentiment, sentiment
from .request import Draft, Request
from .text import split_sentences

_TEMPLATE = re.compile(r"(?:(?:end|finish|conclude|format|write|start|begin|prefix|line|form|template|followed by|"
                       r"put|give|output|respond)[^\n]{0,80}?)[\"'`]?(FINAL ANSWER|Final Answer|Final answer|ANSWER|"
                       r"Answer|RESULT|Result)\s*:\s*(?:<[^>\n]*>|\[[^\]\n]*\]|\{[^}\n]*\}|\.\.\.|X\b|your answer|"
                       r"the answer)?", re.I)
_YES_NO_ONLY = re.compile(r"\b(?:answer|respond|reply|say)\s+(?:only\s+|just\s+)?(?:with\s+)?(?:a\s+)?(?:simple\s+|"
                          r"single\s+)?[\"'`]?yes[\"'`]?\s+or\s+[\"'`]?no\b|\byes/no\b(?: only)?|\bjust (?:say )?yes or no\b|"
                          r"\bonly (?:answer |respond |reply )?(?:with )?(?:\")?yes(?:\")? or (?:\")?no\b", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_SENTENCES = re.compile(r"\b(at most |no more than |up to |maximum (?:of )?|max |exactly |in |with |using |only )?"
                        r"(\d|one|two|three|four|five|six|seven|eight)\s+(?:short |full |complete )?sentences?\b"
                        r"( (?:maximum|max|or (?:less|fewer)|at most))?", re.I)
_PADDING = ("It helps to start from what you already know about {kw}.", "The details depend on your situation.",
            "A small example usually makes {kw} clearer.", "From there, the rest follows step by step.",
            "That is the core of it.", "Each part builds on the one before.")
_PREFIX = re.compile(r"^([A-Z][\w ]{0,24}):\s+(\S.*)$", re.S)


def apply(text: str, draft: Draft, req: Request) -> str:
    """The rendered reply adjusted to the form the system prompt or the user's message asks for."""
    if draft.kind == "canned" or req.style.json:
        return text
    prompt = f"{req.convo.system_text[:4000]}\n{req.text[:4000]}\n{req.text[-2000:]}"  # instructions sit at the ends
    low = prompt.lower()  # cheap gates first: most prompts ask for no form at all
    if "yes" in low and _YES_NO_ONLY.search(prompt):
        return _verdict(draft, req)
    wanted = "sentence" in low and (_SENTENCES.search(req.text) or _SENTENCES.search(req.convo.system_text))
    if wanted and not draft.items and not draft.code:
        most = bool(wanted.group(3)) or (wanted.group(1) or "").lower().strip() in ("at most", "no more than", "up to",
                                                                                    "maximum", "maximum of", "max")
        text = _sentences(text, _NUMBERS.get(wanted.group(2).lower()) or int(wanted.group(2)), req, most)
    template = ":" in prompt and ("answer" in low or "result" in low) and _TEMPLATE.search(prompt)
    if template and draft.kind != "context":
        text = f"{text}\n\n{template.group(1)}: {short_answer(draft)}"
    return text


def short_answer(draft: Draft) -> str:
    """The answer alone: a number, yes or no, a name, else the first sentence of the reply."""
    if draft.kind in ("math", "yesno", "recall", "fact", "compare") and draft.terse:
        return draft.terse.rstrip(".")
    first = split_sentences(draft.lead)[:1]
    return first[0].rstrip(".") if first else draft.terse.rstrip(".")


def _verdict(draft: Draft, req: Request) -> str:
    if draft.kind == "yesno" and draft.terse:
        return draft.terse
    return "No." if re.search(r"\b(?:not|never|no)\b", req.text, re.I) else "Yes."


def _sentences(text: str, count: int, req: Request, most: bool) -> str:
    sentences = [s for s in split_sentences(" ".join(text.split())) if s.strip()]
    if len(sentences) > count or most:
        return " ".join(sentences[:count])
    padding = [p.format(kw=req.kw) for p in _PADDING]
    while len(sentences) < count:
        sentences.append(padding[(len(sentences) - 1) % len(padding)])
    return " ".join(sentences)


_LINE = re.compile(r"^\s*([A-Z][\w ]{0,24}):[^\S\n]*(.*)$")


def few_shot(req: Request) -> Draft | None:
    """Replies to earlier user turns set the form: the same prefix, and a label from those the examples use."""
    examples = [(question, answer) for question, answer in req.convo.examples]
    if len(examples) < 2:
        return _inline(req)
    prefixes = {m.group(1) if (m := _PREFIX.match(answer)) else None for _, answer in examples}
    prefix = prefixes.pop() if len(prefixes) == 1 else None
    values = [m.group(2).strip() if prefix and (m := _PREFIX.match(a)) else a for _, a in examples]
    if any(len(v.split()) > 3 for v in values) or (prefix is None and len(set(values)) == len(values)):
        return None
    value = _nearest(examples, values, req.text)
    answer = f"{prefix}: {value}" if prefix else value
    return Draft("canned", lead=answer, terse=value)


def _nearest(examples: list[tuple[str, str]], values: list[str], text: str) -> str:
    """By sentiment when the labels are sentiments, else the label of the most similar example."""
    labels = list(dict.fromkeys(values))
    picked = choose(labels, text)
    if picked != labels[0] or sentiment(text) != 0:
        return picked
    words = set(re.findall(r"[a-z]{3,}", text.lower()))
    overlap = [len(words & set(re.findall(r"[a-z]{3,}", q.lower()))) for q, _ in examples]
    return values[max(range(len(values)), key=lambda i: (overlap[i], -i))]


def _inline(req: Request) -> Draft | None:
    """Examples in one prompt ("Text: ...\nSentiment: positive\n...\nText: ...\nSentiment:"): the label that
    completes the last, open line."""
    if not req.text.rstrip().endswith(":"):  # the last line is open ("Sentiment:") or this is no such prompt
        return None
    lines = [line for line in req.text[-8000:].strip().splitlines() if line.strip()]  # the last examples
    last = _LINE.match(lines[-1]) if len(lines) > 2 else None
    if last is None or last.group(2).strip():
        return None
    key = last.group(1)
    examples = [(lines[i - 1], found.group(2).strip()) for i, line in enumerate(lines[:-1])
                if i and (found := _LINE.match(line)) and found.group(1) == key and found.group(2).strip()]
    values = [value for _, value in examples]
    labels = set(values)
    if not examples or any(len(v.split()) > 3 for v in values) or \
            (len(labels) == len(values) and not any(is_sentiment(v) for v in labels)):
        return None  # labels repeat, or name sentiments; other values are answers, not labels
    value = _nearest(examples, values, lines[-2])
    return Draft("canned", lead=value, terse=value)

