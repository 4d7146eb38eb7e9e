"""Text similarity metrics of the `text_similarity` grader, each a score in [0, 1].

`fuzzy_match` is a character-level ratio (difflib's, close to the rapidfuzz ratio the API names); BLEU (up
to 4-grams, smoothed, with the brevity penalty), GLEU, ROUGE-N and ROUGE-L follow their textbook
definitions on lower-cased words; METEOR is its unigram F-mean without stemming or synonyms; `cosine` is
the cosine of the two texts' word counts (the API embeds them: this is the nearest thing without a model).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher


def score(metric: str, text: str, reference: str) -> float:
    if metric == "fuzzy_match":
        return SequenceMatcher(None, text, reference).ratio()
    a, b = _words(text), _words(reference)
    if metric == "bleu":
        return _bleu(a, b)
    if metric == "gleu":
        return min(min(_overlap(a, b, n)) for n in range(1, 5)) if a and b else 0.0
    if metric == "meteor":
        precision, recall = _overlap(a, b, 1)
        return 10 * precision * recall / (recall + 9 * precision) if precision and recall else 0.0
    if metric.startswith("rouge_") and metric[-1].isdigit():
        return _f1(*_overlap(a, b, int(metric[-1])))
    if metric == "rouge_l":
        common = _lcs(a, b)
        return _f1(common / len(a), common / len(b)) if a and b else 0.0
    return _cosine(Counter(a), Counter(b))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:2000]  # bounded: LCS is quadratic


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _overlap(text: list[str], reference: list[str], n: int) -> tuple[float, float]:
    """(precision, recall) of the text's n-grams against the reference's."""
    ours, theirs = _ngrams(text, n), _ngrams(reference, n)
    shared = sum((ours & theirs).values())
    return (shared / sum(ours.values()) if ours else 0.0, shared / sum(theirs.values()) if theirs else 0.0)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _bleu(text: list[str], reference: list[str]) -> float:
    if not text or not reference:
        return 0.0
    logs = []
    for n in range(1, 5):
        ours, theirs = _ngrams(text, n), _ngrams(reference, n)
        total = max(sum(ours.values()), 1)
        logs.append(math.log((sum((ours & theirs).values()) + 1) / (total + 1)))  # add-one smoothing
    brevity = 1.0 if len(text) > len(reference) else math.exp(1 - len(reference) / len(text))
    return brevity * math.exp(sum(logs) / 4)


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if word == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(a[w] * b[w] for w in a)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
