"""Classification: a label chosen from those the prompt gives, by the words of the text being classified."""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .request import Draft, Request

_POSITIVE = frozenset("""good great excellent amazing awesome wonderful delightful fantastic love loved loving lovely
like liked enjoy enjoyed happy glad pleased perfect best brilliant superb nice beautiful recommend recommended fast
helpful friendly easy fun favourite favorite outstanding impressive satisfied works worked success successful win
won positive thrilled excited joy incredible solid smooth reliable""".split())
_NEGATIVE = frozenset("""bad terrible awful horrible hate hated poor worst boring broken slow disappointing
disappointed disappointment useless waste annoying angry sad unhappy problem problems bug bugs crash crashes crashed
fail failed failure rude expensive difficult hard wrong refund late never negative ugly dirty noisy cold mediocre
issue issues error errors missing lost scam frustrating frustrated tedious long""".split())
_NEGATIONS = frozenset("not no never isn't wasn't don't didn't doesn't can't couldn't won't hardly".split())
_LABEL_WORDS = {
    "positive": "positive pos good happy joy favorable favourable praise satisfied like yes",
    "negative": "negative neg bad sad angry anger unfavorable unfavourable complaint dissatisfied dislike no",
    "neutral": "neutral mixed none other objective informational",
}
_KIND = {word: kind for kind, words in _LABEL_WORDS.items() for word in words.split()}
# What texts on common topics say, for labels that the text itself does not repeat ("technology" for "chip").
_TOPIC_WORDS = {
    "technology": "tech software hardware app apps smartphone phone chip chips computer computers ai robot internet "
                  "battery gadget device devices startup code online digital cyber laptop",
    "sports": "sport game match team player players score scored goal goals league championship tournament coach win "
              "football soccer basketball tennis olympic olympics",
    "politics": "election vote votes government minister president parliament senate law policy party campaign "
                "congress political",
    "business": "company market markets stock stocks shares profit revenue ceo economy economic merger sales earnings",
    "finance": "bank money loan interest rate rates invest investment budget tax taxes",
    "health": "doctor hospital disease vaccine medicine health patients symptoms diet fitness virus",
    "science": "research scientists study space planet physics biology chemistry discovery experiment",
    "entertainment": "movie film music album actor actress show series celebrity concert festival",
    "billing": "invoice invoices charge charged charges payment paid refund bill billed card subscription price",
    "shipping": "delivery deliver delivered package parcel shipment shipped tracking arrive arrived courier",
    "technical": "error bug crash crashes broken login password install update app website loading",
    "account": "login password sign username profile email account locked",
}
_TOPIC = {word: topic for topic, words in _TOPIC_WORDS.items() for word in words.split()}
_WORD = re.compile(r"[a-z][a-z']+")

_ASKS = re.compile(r"\b(?:classify|classification|categori[sz]e|label|tag|sentiment|which (?:category|class|label)|"
                   r"(?:exactly|only) one of|which (?:intent|topic|type|category|class)|"
                   r"is (?:this|it|the \w+) (?:a|an)?)\b", re.I)
_ASK_WORDS = ("classif", "categor", "label", "tag", "sentiment", "which", "one of", "is this", "is it", "is the",
              "are the")  # a cheap gate before _ASKS: most prompts classify nothing
_OPTIONS = re.compile(r"\b(?:as|into|one of|among|either|from|labels?|categories|classes|options|choices|this|it)\s*"
                      r"(?:the following)?\s*[:(]?\s*((?:[\"'`*]?[\w-]+(?: [\w-]+)?[\"'`*]?\s*(?:,|/|\||\bor\b)\s*)+"
                      r"(?:or\s+)?[\"'`*]?[\w-]+(?: [\w-]+)?[\"'`*]?)", re.I)
_SUBJECT = re.compile(r"(?:^|\n|[.?]\s)\s*(?:text|review|message|sentence|input|tweet|comment|email|ticket|query|headline|"
                      r"title|post|"
                      r"document|feedback)\s*:\s*(.+)", re.I | re.S)


def sentiment(text: str) -> int:
    """Positive minus negative words; a negation just before a word flips it ("not good")."""
    words = _WORD.findall(text.lower())
    score = 0
    for index, word in enumerate(words):
        sign = 1 if word in _POSITIVE else -1 if word in _NEGATIVE else 0
        if sign and any(w in _NEGATIONS for w in words[max(0, index - 2):index]):
            sign = -sign
        score += sign
    return score


def is_sentiment(label: str) -> bool:
    return label.strip().lower() in _KIND


def choose(options: Sequence[str], text: str) -> str:
    """The option the text fits best: by sentiment when the options are sentiments, else by shared words."""
    kinds = {option: _KIND.get(option.strip().lower()) for option in options}
    if any(kinds.values()):
        mood = sentiment(text)
        wanted = "positive" if mood > 0 else "negative" if mood < 0 else "neutral"
        fitting = [o for o, kind in kinds.items() if kind == wanted]
        if fitting:
            return fitting[0]
    words = set(_stems(text))
    topics = Counter(_TOPIC[w] for w in _WORD.findall(text.lower()) if w in _TOPIC)
    scored = [(2 * len(words & set(_stems(option.replace("_", " ")))) + topics[option.strip().lower()], -i, option)
              for i, option in enumerate(options)]
    best = max(scored)
    return best[2] if best[0] else options[0]


def _stems(text: str) -> list[str]:
    return [w.rstrip("s") if len(w) > 4 else w for w in _WORD.findall(text.lower())]


_BRACKETED = re.compile(r"[(\[]\s*([\w-]+(?:\s*(?:/|\||,|\bor\b)\s*[\w-]+)+)\s*[)\]]")


def options_in(text: str) -> list[str]:
    """The labels a classification prompt offers: "as positive, negative or neutral", "(positive/negative)"."""
    found = _OPTIONS.search(text) or _BRACKETED.search(text)
    if not found:
        return []
    parts = re.split(r"\s*(?:,|/|\||\bor\b)\s*", found.group(1))
    labels = [p.strip(" \"'`*.").removeprefix("or ").strip() for p in parts]
    labels = [label for label in labels if label and label.lower() not in ("or", "and")]
    return labels if 2 <= len(labels) <= 12 else []


def classification(req: Request) -> Draft | None:
    """A classification prompt is answered with one of its labels, as the prompt spells it."""
    if not any(word in req.prompt_low for word in _ASK_WORDS) or not _ASKS.search(req.prompt[:4000]):
        return None
    options = options_in(req.convo.system_text) or options_in(req.text)
    if not options:
        return None
    subject = _SUBJECT.search(req.text)
    label = choose(options, subject.group(1) if subject else _BRACKETED.sub("", _OPTIONS.sub("", req.text)))
    return Draft("canned", lead=label, terse=label)
