"""The draft as text: in another language, in a persona's voice, shortened, as bullets or as JSON."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .phrasebook.styles import LOCALIZED, PERSONAS
from .picker import Picker
from .request import Draft, Request
from .style import Style
from .text import capitalize, fmt, split_sentences


def localize(draft: Draft, language: str, req: Request) -> Draft:
    """The reply in French, Spanish, German or Italian: simple templates around the draft's facts and code."""
    table, pick, slots = LOCALIZED[language], req.pick, draft.slots
    if draft.kind in ("greeting", "thanks", "bye"):
        return Draft(draft.kind, lead=pick.pick(table[draft.kind]), terse=draft.terse)
    if draft.kind == "math" and slots:
        return replace(draft, lead=fmt(pick.pick(table["math"]), **slots), tail="")
    if draft.kind == "yesno":
        return replace(draft, lead=fmt(pick.pick(table[slots["verdict"]]), kw=req.kw), tail="")
    if draft.kind == "code":
        return replace(draft, lead=fmt(pick.pick(table["code"]), **slots), tail=pick.pick(table["code_tail"]))
    if draft.kind == "summary" and slots:
        return replace(draft, lead=pick.pick(table["summary"]) + slots["body"], tail="")
    if draft.kind == "list":
        topic = slots["topic"]
        items = [fmt(table["item"][i % len(table["item"])], Topic=capitalize(topic))
                 + (f" ({i + 1})" if i >= len(table["item"]) else "") for i in range(slots["n"])]
        return replace(draft, lead=fmt(pick.pick(table["list"]), n=slots["n"], topic=topic), items=items, tail="")
    if draft.kind == "howto":
        steps = [fmt(step, task=slots["task"]) for step in table["step"]]
        return replace(draft, lead=fmt(pick.pick(table["steps"]), task=slots["task"]), items=steps, tail="")
    if draft.kind == "tool" and slots:
        return replace(draft, lead=fmt(pick.pick(table["tool"]), facts=slots["facts"]), tail="")
    return Draft(draft.kind, lead=fmt(pick.pick(table["answer"]), kw=req.kw), terse=draft.terse, data=draft.data)


@lru_cache(maxsize=None)
def _persona_pattern(persona: str) -> re.Pattern[str]:
    words = sorted(PERSONAS[persona][2], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def _flavour(text: str, persona: str) -> str:
    """Persona word swaps ("you" -> "ye"), keeping a capital letter where the original had one."""
    swaps = PERSONAS[persona][2]

    def swap(match: re.Match[str]) -> str:
        new = swaps[match.group(0).lower()]
        return capitalize(new) if match.group(0)[0].isupper() else new

    return _persona_pattern(persona).sub(swap, text)


def render(draft: Draft, style: Style, pick: Picker) -> str:
    if draft.kind == "canned":
        return draft.lead
    if style.brevity >= 3 and draft.kind != "code":  # one word: the first word of the terse answer
        word = (draft.terse.split() or ["Okay."])[0]
        return word if word[-1] in ".!?" else word.rstrip(",;:") + "."
    lead, items, tail, item_style = draft.lead, list(draft.items), draft.tail, draft.item_style
    if style.brevity:  # an intro to a list or code block stays whole; the closing remark goes
        tail = ""
        if not items and not draft.code:
            lead = " ".join(split_sentences(lead)[:1 if style.brevity >= 2 else 2])
    tail = " ".join(part for part in (tail, pick.extra_closer()) if part)
    if style.bullets and items and item_style == "numbered":
        item_style = "bullets"
    elif style.bullets and not items and not draft.code:
        items, lead, tail, item_style = split_sentences(f"{lead} {tail}"), "", "", "bullets"
    if style.persona and not style.language:
        openers, closers, _ = PERSONAS[style.persona]
        lead = f"{pick.pick(openers)} {_flavour(lead, style.persona)}".strip()
        items = [_flavour(item, style.persona) for item in items]
        tail = f"{_flavour(tail, style.persona)} {pick.pick(closers)}".strip()
    if style.json:
        return _as_json(draft, lead, items, tail, item_style, style.json_template)
    listing = "\n".join(f"{i}. {item}" if item_style == "numbered" else f"- {item}" if item_style == "bullets"
                        else item for i, item in enumerate(items, 1))
    code = f"```{draft.code[0]}\n{draft.code[1]}\n```" if draft.code else ""
    return "\n\n".join(block for block in (lead, listing, code, tail) if block)


_ANSWER_KEYS = frozenset("answer response reply text message content output summary explanation result".split())


def _as_json(draft: Draft, lead: str, items: list[str], tail: str, item_style: str,
             template: dict[str, Any] | None) -> str:
    """JSON mode: the whole reply is one object; an example object in the system prompt sets the keys."""
    body = "\n".join(items) if item_style == "lines" else "; ".join(items)
    body = body + "." if body and item_style != "lines" and body[-1] not in ".!?" else body
    payload: dict[str, Any] = {"answer": " ".join(p for p in (lead, body, tail) if p), **draft.data}
    if items and item_style != "lines":
        payload.setdefault("items", items)
    if template:
        payload = {key: _json_value(key, example, payload) for key, example in template.items()}
    return json.dumps(payload, ensure_ascii=False)


def _json_value(key: str, example: Any, payload: dict[str, Any]) -> Any:
    """A value for one key of the system prompt's example object, of the example's type."""
    if key in payload:
        return payload[key]
    if isinstance(example, bool):
        return payload.get("verdict", "yes") == "yes"
    if isinstance(example, (int, float)):
        result = payload.get("result")
        return result if isinstance(result, (int, float)) and not isinstance(result, bool) else example
    if isinstance(example, list):
        return payload.get("items") or payload.get("steps") or [payload["answer"]]
    if isinstance(example, dict):
        return {}
    if not isinstance(example, str) or key.lower() in _ANSWER_KEYS:
        return payload["answer"]
    if "|" in example:  # an enum-like example ("positive|negative") keeps its first value
        return example.split("|")[0].strip()
    placeholder = not re.search(r"[a-z]{2}", example.lower()) or example.lower() in ("string", "text")
    return payload["answer"] if placeholder or len(example.split()) > 3 else example


def tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()
