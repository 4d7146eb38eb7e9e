"""Answers drawn from what the request supplies: a linear equation, a fact stated earlier, a retrieved passage."""
from __future__ import annotations

import ast
import math
import re
from collections import Counter
from fractions import Fraction

from .arithmetic import evaluate, format_number
from .phrasebook.words import STOPWORDS
from .request import Draft, Request
from .text import split_sentences

# --- linear equations: "Solve 2x + 6 = 14" ---------------------------------------------------------------------

_EQUATION = re.compile(r"([^=\n:]*)=([^=\n]+)")
_ALGEBRA = re.compile(r"[\d\sa-zA-Z.+\-*/^()]+")


def equation(req: Request) -> Draft | None:
    """One unknown, first degree: both sides are evaluated at 0 and 1 over Fractions, so the answer is exact."""
    if "=" not in req.text or len(req.text) > 300:
        return None
    found = _EQUATION.search(req.text.replace("−", "-").replace("×", "*"))
    if not found:
        return None
    left = re.split(r"\b[a-zA-Z]{2,}\b[:,]?", found.group(1))[-1].strip()   # "Solve 2x + 6" -> "2x + 6"
    right = re.split(r"\b[a-zA-Z]{2,}\b|[,;?!]|\.(?!\d)", found.group(2))[0].strip()
    if not (left and right and _ALGEBRA.fullmatch(left) and _ALGEBRA.fullmatch(right)):
        return None
    names = set(re.findall(r"(?<![a-z])([a-z])(?![a-z])", f"{left} {right}", re.I))
    if len(names) != 1:
        return None
    name = names.pop()
    try:
        solution = _solve(left, right, name)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
        return None
    if solution is None:
        return None
    shown, _ = format_number(solution, True)
    lead = f"{name} = {shown}. Check: with {name} = {shown}, {left.strip()} = {right.strip()}."
    return Draft("math", lead=lead, terse=shown, data={"result": float(solution) if solution.denominator != 1
                                                         else solution.numerator},
                 slots={"expr": f"{left.strip()} = {right.strip()}", "eq": "=", "result": f"{name} = {shown}"})


def _solve(left: str, right: str, name: str) -> Fraction | None:
    def side(text: str, value: int) -> Fraction:
        expression = re.sub(r"(\d|\))\s*(?=[a-z(])", r"\1*", text.lower().replace("^", "**"))
        expression = re.sub(rf"(?<![a-z]){name.lower()}(?![a-z])", f"({value})", expression)
        result, _ = evaluate(ast.parse(expression.strip(), mode="eval").body)
        return result
    at0 = side(left, 0) - side(right, 0)
    slope = side(left, 1) - side(right, 1) - at0
    if slope == 0 or side(left, 2) - side(right, 2) != at0 + 2 * slope:  # not linear, or no single solution
        return None
    return -at0 / slope


# --- unit conversions: "How many days are in 3 weeks?" ------------------------------------------------------------

_UNITS = {  # unit -> (dimension, size in the dimension's base unit), exact as Fractions
    "second": ("time", Fraction(1)), "minute": ("time", Fraction(60)), "hour": ("time", Fraction(3600)),
    "day": ("time", Fraction(86400)), "week": ("time", Fraction(604800)), "year": ("time", Fraction(31536000)),
    "millimetre": ("length", Fraction(1, 1000)), "centimetre": ("length", Fraction(1, 100)),
    "metre": ("length", Fraction(1)), "kilometre": ("length", Fraction(1000)),
    "inch": ("length", Fraction(254, 10000)), "foot": ("length", Fraction(3048, 10000)),
    "yard": ("length", Fraction(9144, 10000)), "mile": ("length", Fraction(1609344, 1000)),
    "gram": ("mass", Fraction(1)), "kilogram": ("mass", Fraction(1000)), "pound": ("mass", Fraction(45359237, 100000)),
    "ounce": ("mass", Fraction(45359237, 1600000)),
    "millilitre": ("volume", Fraction(1, 1000)), "litre": ("volume", Fraction(1)),
}
_ALIASES = {"sec": "second", "secs": "second", "min": "minute", "mins": "minute", "hr": "hour", "hrs": "hour",
            "mm": "millimetre", "cm": "centimetre", "m": "metre", "km": "kilometre", "in": "inch", "ft": "foot",
            "feet": "foot", "inches": "inch", "g": "gram", "kg": "kilogram", "lb": "pound", "lbs": "pound",
            "oz": "ounce", "ml": "millilitre", "l": "litre"}
_CONVERT = re.compile(r"how many ([a-z]+) (?:are |is )?(?:there )?in (?:a |an |one )?(\d+(?:\.\d+)?)?\s*([a-z]+)|"
                      r"convert (\d+(?:\.\d+)?)\s*([a-z]+) (?:to|into|in) ([a-z]+)|"
                      r"(\d+(?:\.\d+)?)\s*([a-z]+) (?:to|into|in) ([a-z]+)\W*$", re.I)


_DIGIT = re.compile(r"\d")


def _unit(word: str) -> str | None:
    word = word.lower().replace("meter", "metre").replace("liter", "litre")
    word = _ALIASES.get(word, word)
    for candidate in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
        if candidate in _UNITS:
            return candidate
    return None


def conversion(req: Request) -> Draft | None:
    """Time, length, mass and volume units, converted exactly."""
    if not ("how many" in req.low or "convert" in req.low or _DIGIT.search(req.line)):
        return None
    found = _CONVERT.search(req.line)
    if not found:
        return None
    groups = found.groups()
    if groups[0]:
        target, amount, source = groups[0], groups[1] or "1", groups[2]
    elif groups[3]:
        amount, source, target = groups[3], groups[4], groups[5]
    else:
        amount, source, target = groups[6], groups[7], groups[8]
    into, of = _unit(target), _unit(source)
    if not into or not of or _UNITS[into][0] != _UNITS[of][0]:
        return None
    value = Fraction(amount) * _UNITS[of][1] / _UNITS[into][1]
    shown, _ = format_number(value, True)
    plural = "" if value == 1 else "s"
    named = {"inch": "inche", "foot": "feet"}.get(into, into) if plural else into
    name = "feet" if named == "feet" else f"{named}{plural}"
    lead = f"{amount} {source} is {shown} {name}."
    return Draft("math", lead=lead, terse=shown, data={"result": float(value) if value.denominator != 1
                                                        else value.numerator})


# --- facts the user stated earlier: "My name is Zed" ... "What is my name?" ------------------------------------

_ASK_MINE = re.compile(r"^(?:do you (?:remember|know)\s+|can you tell me\s+)?(?:what(?:'s| is| was)\s+my\s+([a-z'’ ]{2,30}?)|"
                       r"(where)\s+do\s+i\s+(?:live|come from)|(how old)\s+am\s+i|(who)\s+am\s+i|"
                       r"(what)\s+do\s+i\s+do(?: for (?:a )?(?:living|work))?)\W*$", re.I)
_STATED = {  # the fixed words match in any case, a name or a place only capitalised
    "name": (r"\b(?i:my name is) ([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)", r"\b(?i:i'm|i am|call me|this is) ([A-Z][\w'-]+)\b"),
    "where": (r"\b(?i:i (?:live|am living|'m living) in) ([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)",
              r"\b(?i:i(?:'m| am) from) ([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)",
              r"\b(?i:my (?:city|home ?town) is) ([A-Z][\w'-]+)"),
    "how old": (r"(?i)\bi(?:'m| am) (\d{1,3})(?: years old| yo\b|\b)", r"(?i)\bmy age is (\d{1,3})"),
    "what": (r"(?i)\bi work as (an? [\w -]+?)(?=[.,!;]| and |$)",
             r"(?i)\bi(?:'m| am) (an? [\w-]+(?: [\w-]+)?)(?=[.,!;]| and |$)"),
}
_ANSWERS = {"name": "Your name is {}.", "where": "You live in {}.", "how old": "You are {} years old.",
            "what": "You work as {}."}


def recall(req: Request) -> Draft | None:
    """A question about the user, answered from what the user said earlier in the conversation."""
    if not req.convo.earlier_texts:
        return None
    asked = _ASK_MINE.match(req.text.strip())
    if not asked:
        return None
    subject = (asked.group(1) or asked.group(2) or asked.group(3) or asked.group(4) or asked.group(5)).lower()
    subject = "name" if subject == "who" else subject
    patterns = _STATED.get(subject) or (rf"(?i)\bmy {re.escape(subject)} is ([^.,!?\n]+)",)
    for text in reversed(req.convo.earlier_texts):
        for pattern in patterns:
            found = re.search(pattern, text)
            if found and found.group(1).lower() not in STOPWORDS:
                value = found.group(1).strip()
                lead = _ANSWERS.get(subject, f"Your {subject} is {{}}.").format(value)
                return Draft("recall", lead=lead, terse=value + ".", data={subject.replace(" ", "_"): value})
    return None


# --- retrieval templates: "Context information is below ... Query: ... Answer:" --------------------------------

_CONTEXT_CUE = re.compile(r"context information is below|(?:^|\n)\s*context\s*:|pieces of (?:retrieved )?context|"
                          r"given the context|based on the (?:following |provided )?(?:context|passages?|documents?)|"
                          r"answer (?:the question )?using (?:only )?the (?:context|passages?|documents?)|"
                          r"<context>|<documents?>", re.I)
_QUESTION = re.compile(r"(?:^|\n)\s*(?:query|question|q)\s*:\s*(.+?)(?=\n\s*(?:answer|a|context)\s*:|\Z)", re.I | re.S)
_LABELLED = re.compile(r"(?:^|\n)\s*context\s*:\s*(.+?)(?=\n\s*(?:question|query|answer|q|a)\s*:|\Z)", re.I | re.S)
_INSTRUCTION = re.compile(r"context information is below\.?|given the context information and not prior knowledge,?"
                          r"[^\n]*|-{5,}|={5,}|</?context>|</?documents?>|(?:^|\n)\s*(?:answer|a)\s*:\s*$", re.I)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_ASKS_FOR = {"when": re.compile(r"\b(?:1\d{3}|20\d{2}|january|february|march|april|may|june|july|august|september|"
                                r"october|november|december)\b", re.I),
             "how many": re.compile(r"\d"), "how much": re.compile(r"\d"), "how long": re.compile(r"\d"),
             "who": re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+"), "where": re.compile(r"\b(?:in|at|near) [A-Z]")}


_LONGEST = 20_000  # characters of a retrieval prompt that are read: bounded time on huge inputs


def retrieval(req: Request) -> Draft | None:
    """Quote the passage of the supplied context that answers the question (most question words, rarer
    words weigh more), condensed to its best sentences."""
    if not any(cue in req.prompt_low for cue in ("context", "passage", "document")):
        return None
    # Context in the user's message (LlamaIndex's template) leaves the system message to instructions.
    in_system = _CONTEXT_CUE.search(req.convo.system_text) and not _CONTEXT_CUE.search(req.text[:4000])
    whole = (req.prompt if in_system else req.text)[:_LONGEST]
    if not _CONTEXT_CUE.search(whole[:4000]):
        return None
    text = req.text[:_LONGEST]
    asked = list(_QUESTION.finditer(text))
    question = asked[-1].group(1).strip() if asked else text.strip()
    labelled = _LABELLED.search(whole)
    context = labelled.group(1) if labelled else whole.replace(asked[-1].group(0), "\n") if asked else \
        req.convo.system_text
    passages = [p.strip() for p in re.split(r"\n\s*\n|\n(?=\s*(?:\[\d+\]|\d+\.|-|\*|file_path:))",
                                            _INSTRUCTION.sub("\n", context)) if len(p.strip()) > 3]
    if not passages or not question:
        return None
    passages = [re.sub(r"^\[\d+\]\s*|[«»]", "", p).strip() for p in passages]  # DSPy's "[1] «...»" lists
    best = _best_passage(passages, question)
    lead = " ".join(_best_sentences(best, question))
    return Draft("context", lead=lead, terse=lead.split(". ")[0].rstrip(".") + ".")


def _terms(text: str) -> list[str]:
    return [w.rstrip("s") if len(w) > 4 else w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _score(text: str, question: str, weights: dict[str, float]) -> float:
    words = set(_terms(text))
    score = sum(weights.get(w, 0.0) for w in set(_terms(question)) if w in words)
    kind = next((k for k in _ASKS_FOR if question.lower().startswith(k)), None)
    return score + (0.5 if kind and _ASKS_FOR[kind].search(text) else 0.0)


def _weights(chunks: list[str]) -> dict[str, float]:
    counts = Counter(w for chunk in chunks for w in set(_terms(chunk)))
    return {w: math.log(1 + len(chunks) / n) for w, n in counts.items()}


def _best_passage(passages: list[str], question: str) -> str:
    weights = _weights(passages)
    scores = [_score(p, question, weights) for p in passages]
    if max(scores) > 0:
        return passages[scores.index(max(scores))]
    # No word in common ("the tallest peak in Africa" for "Kilimanjaro ... highest mountain"): by meaning.
    from dummy_openai_api.generators.embeddings.model import encode
    vectors = encode([question, *passages])
    return passages[int((vectors[1:] @ vectors[0]).argmax())]


def _best_sentences(passage: str, question: str, most: int = 2) -> list[str]:
    sentences = [s.strip() for s in split_sentences(" ".join(passage.split())) if s.strip()] or [passage]
    if len(sentences) <= most:
        return sentences
    weights = _weights(sentences)
    ranked = sorted(range(len(sentences)), key=lambda i: (-_score(sentences[i], question, weights), i))[:most]
    return [sentences[i] for i in sorted(ranked)]
