"""Lists ("5 tips for ...") and how-to steps."""
from __future__ import annotations

import re

from .phrasebook.lists import (
    CATEGORIES, FOOD_WORDS, HOWTO_KIND_WORDS, HOWTO_LEADS, HOWTO_STEPS, HOWTO_TAILS, ITEM_DESCRIPTORS, LIST_ITEMS,
    LIST_KIND_WORDS, LIST_LEADS, LIST_TAILS,
)
from .phrasebook.words import NUMBER_WORDS
from .picker import Picker
from .request import Draft, Request
from .text import capitalize, clean_phrase, fmt, gerund, singular, strip_article, swap_pronouns

_COUNT_WORDS = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_LIST_VERBS = (r"list|name|give(?: me)?|suggest|share|provide|recommend|write|brainstorm|come up with|what are|"
               r"tell me|generate|show me|enumerate")
_LIST_COUNTED = re.compile(rf"^(?:(?:{_LIST_VERBS})\s+(?:me\s+|us\s+)?(?:with\s+)?)?(?:the\s+)?(?:top\s+|best\s+)?"
                           rf"(?P<count>\d{{1,3}}|{_COUNT_WORDS})\s+(?P<rest>[a-z].*)", re.I)
_LIST_UNCOUNTED = re.compile(r"^(?:(?:list|enumerate)\s+(?:some|a few|several|the|all|me)?\s*|(?:give me|suggest|"
                             r"share|what are)\s+(?:some|a few|several)\s+(?=ideas|tips|ways|reasons|examples|"
                             r"suggestions|facts|benefits))(?P<rest>[a-z].*)", re.I)
_LIST_SPLIT = re.compile(r"(?P<noun>.+?)\s+(?P<rel>for|to|about|on|of|that|which|in|from|with|regarding|why)\s+"
                         r"(?P<topic>.+)", re.I)
_MAX_ITEMS = 50


def listing(req: Request) -> Draft | None:
    counted = _LIST_COUNTED.match(req.line)
    has_verb = counted is not None and counted.group("count") != req.line[:len(counted.group("count"))]
    if counted and (has_verb or counted.group("count").isdigit() or req.line.lower().startswith("top")):
        word = counted.group("count").lower()
        count, rest = (int(word) if word.isdigit() else NUMBER_WORDS[word]), counted.group("rest")
    elif uncounted := _LIST_UNCOUNTED.match(req.line):
        count, rest = 0, uncounted.group("rest")
    else:
        return None
    split = _LIST_SPLIT.match(clean_phrase(rest, 14))
    noun, relation, topic = (split["noun"], split["rel"].lower(), split["topic"]) if split else (clean_phrase(rest, 14), "", "")
    if relation == "to" and topic:  # "ways to save money" -> items about "saving money"
        first, *others = topic.split()
        topic = " ".join([gerund(first.lower()), *others])
    topic = strip_article(swap_pronouns(topic))
    item = singular(noun.split()[-1]).lower()
    category = CATEGORIES.get(" ".join([*noun.lower().split()[:-1], item])) or CATEGORIES.get(item)
    count = count or (len(category) if category and len(category) <= 10 else 5)
    items = _list_items(min(max(count, 1), _MAX_ITEMS), noun.lower(), item, topic, category, req.pick)
    what = clean_phrase(rest, 14)
    lead = "Here's one:" if len(items) == 1 else fmt(req.pick.pick(LIST_LEADS), n=len(items), what=what)
    return Draft("list", lead=lead, items=items, tail=req.pick.pick(LIST_TAILS), terse=items[0].split(" — ")[0],
                  data={"items": items}, slots={"n": len(items), "topic": topic or noun})


def _list_items(count: int, noun: str, item: str, topic: str, category: tuple[str, ...] | None,
                pick: Picker) -> list[str]:
    """Named things for known categories, else templates of the list's kind that mention its topic."""
    start = pick.pick(range(64))
    items = []
    if category:
        for i in range(min(count, len(category))):
            descriptor = ITEM_DESCRIPTORS[(start + i) % len(ITEM_DESCRIPTORS)].format(item=item)
            items.append(f"{category[(start + i) % len(category)]} — {descriptor}")
    kind = LIST_KIND_WORDS.get(noun.split()[0]) or LIST_KIND_WORDS.get(noun.split()[-1])
    if kind and not topic:
        topic = " ".join(w for w in noun.split() if w not in LIST_KIND_WORDS) or "this"
    templates = LIST_ITEMS[kind or ("generic" if topic else "plain")]
    for i in range(len(items), count):
        text = fmt(templates[(start + i) % len(templates)], topic=topic, Topic=capitalize(topic), item=item)
        items.append(text if i < len(templates) else f"{text} (variation {i // len(templates) + 1})")
    return items


_HOWTO = re.compile(r"^(?:how (?:do|can|should|would|could|might) (?:i|we|you|one)(?: best| go about)?|how to|"
                    r"what(?:'s| is| are) the (?:best |easiest |right |fastest |simplest )?(?:way|ways|steps|process) "
                    r"(?:to|for)|(?:what are the )?steps (?:to|for)|(?:a |give me a |write a )?(?:step[- ]by[- ]step )?"
                    r"guide (?:to|for|on)|instructions (?:for|to|on)|walk me through(?: how to)?|show me how to|"
                    r"teach me(?: how)? to|explain how to|help me(?: to)?|i want to learn how to|i need to|"
                    r"tips? (?:on|for) how to)\s+(?P<task>.+)", re.I)
_PARTICLES = frozenset("up out off in on down back over through".split())


def howto(req: Request) -> Draft | None:
    found = _HOWTO.match(req.line)
    if found is None:
        return None
    task = clean_phrase(swap_pronouns(found.group("task")), 12)
    words = task.split()
    if not words:
        return None
    if found.group(0).lower().startswith(("guide", "a guide", "give me a", "write a", "instructions", "steps for")) \
            and words[0].lower() not in HOWTO_KIND_WORDS:
        task, words, obj = f"get started with {task}", ["get", "started", "with", *words], task
    else:
        skip = 2 if len(words) > 2 and words[1].lower() in _PARTICLES else 1
        obj = " ".join(words[skip:]) or task
    kind = HOWTO_KIND_WORDS.get(words[0].lower(), "general")
    if kind in ("build", "general", "cook") and any(w.lower() in FOOD_WORDS for w in words):
        kind = "cook"
    steps = [fmt(step, task=task, obj=obj) for step in HOWTO_STEPS[kind]]
    if req.style.brevity:
        steps = [steps[0], steps[2], steps[4]]
    return Draft("howto", lead=fmt(req.pick.pick(HOWTO_LEADS), task=task), items=steps,
                  tail=req.pick.pick(HOWTO_TAILS), terse=capitalize(words[0]) + ".", data={"steps": steps},
                  slots={"task": task})
