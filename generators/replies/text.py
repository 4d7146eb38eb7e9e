"""Small text helpers: key terms, phrases, pronouns, plurals, verb forms, sentences."""
from __future__ import annotations

import re
from typing import Any, Sequence

from .phrasebook.words import PRONOUN_SWAPS, REQUEST_WORDS, STOPWORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#'-]*[A-Za-z0-9+#]|[A-Za-z]|[.,;:!?()\"]")  # punctuation ends a phrase
_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\s*\n\s*")
_SKIP_WORDS = STOPWORDS | REQUEST_WORDS
QUESTION_START = re.compile(r"^(?:what|why|who|whom|when|where|which|explain|describe|define|is|are|does|do|did|"
                             r"was|were|tell me about)\b", re.I)


def keywords(text: str, limit: int = 3) -> list[str]:
    """The first few key terms of text: runs of adjacent content words ("data science"), de-duplicated, in
    their original order and casing."""
    phrases: list[list[str]] = []
    seen: set[str] = set()
    previous = -2
    for position, token in enumerate(_TOKEN.findall(text[:600])):
        word = token.removesuffix("'s")
        lower = word.lower()
        if len(lower) < 2 or lower in _SKIP_WORDS or lower in seen:
            continue
        seen.add(lower)
        # A capital at the very start of the message is grammar, not a name.
        word = lower if position == 0 and word.istitle() else word
        if position == previous + 1 and len(phrases[-1]) < 3:
            phrases[-1].append(word)
        elif len(phrases) == limit:
            break
        else:
            phrases.append([word])
        previous = position
    return [" ".join(phrase) for phrase in phrases]


def join_terms(terms: Sequence[str]) -> str:
    return terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1] if terms else ""


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


_FIRST_PERSON = re.compile(r"\b(?:[Ii](?:'m|'ve|'ll|'d)?|[Mm](?:e|y|ine|yself)|[Aa]m|[Ww]e(?:'re)?|[Uu]s|[Oo]urs?)\b")


def swap_pronouns(text: str) -> str:
    """Rewrite the user's point of view as the assistant's: "my password" -> "your password"."""
    return _FIRST_PERSON.sub(lambda m: PRONOUN_SWAPS[m.group(0).lower()], text)


def clean_phrase(text: str, max_words: int = 12) -> str:
    """A subject phrase without surrounding quotes and punctuation, cut to a readable length."""
    words = text.strip().strip("\"'“”‘’`").rstrip("?!.,;: ").split()
    return " ".join(words[:max_words])


def strip_article(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an|some|my|your)\s+", "", phrase, flags=re.I)


def singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ics")) and len(word) > 3:
        return word[:-1]
    return word


def plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word if lower.endswith("s") and singular(word) != word else word + "es"
    return word + "s"


def gerund(verb: str) -> str:
    lower = verb.lower()
    if lower.endswith("ie"):
        return verb[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")) and len(lower) > 2:
        return verb[:-1] + "ing"
    return verb + "ing"


def base_verb(word: str) -> str:
    """ "reverses" -> "reverse", "checks" -> "check": the base form of a third-person verb."""
    lower = word.lower()
    if lower in ("is", "has", "does", "was", "its", "this", "status", "process", "access", "always", "series"):
        return {"is": "be", "has": "have", "does": "do"}.get(lower, word)
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1] if lower.endswith("s") and not lower.endswith(("ss", "us")) else word


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT_SENTENCES.split(text) if s and s.strip()]


def fmt(template: str, **slots: Any) -> str:
    return template.format(**slots)
