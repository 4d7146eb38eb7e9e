"""Replies after tool calls: the results stated in a sentence each (weather, errors, lists, text)."""
from __future__ import annotations

import json
import re
from typing import Any, Sequence

from .phrasebook.results import TOOL_ERROR_TEMPLATES, TOOL_LEADS, TOOL_TAILS, TOOL_TEXT_LEADS, WEATHER_TEMPLATES
from .picker import Picker
from .request import Draft, Request
from .summary import summarize
from .text import capitalize, fmt, join_terms, keywords

_PLACE_KEYS = ("location", "city", "place", "name", "area", "locality", "region")
_TEMPERATURE_KEYS = ("temperature", "temp", "temp_c", "temp_f", "temperature_c", "temperature_f",
                     "current_temperature")
_SKY_KEYS = ("condition", "conditions", "description", "forecast", "weather", "summary", "sky")
_ERROR_KEYS = ("error", "errors", "error_message")


def tool_result(req: Request) -> Draft | None:
    if req.convo.tool_text is None:
        return None
    stated = [_tool_sentence(name, text, arguments, req.pick) for name, text, arguments in req.convo.tool_results]
    lead, facts, value = stated[0]
    if len(stated) > 1:  # one sentence per result of parallel calls
        lead = " ".join(sentence for sentence, _, _ in stated)
    terse = facts[0][1] if facts else capitalize(keywords(lead)[-1]) if keywords(lead) else "Done."
    data = {"result": value} if len(stated) == 1 else {"results": [v for _, _, v in stated]}
    return Draft("tool", lead=lead, tail=req.pick.pick(TOOL_TAILS), terse=terse, data=data,
                  slots={"facts": ", ".join(f"{name}: {value}" for name, value in facts)} if facts else {})


def _tool_sentence(name: str, text: str, arguments: dict[str, Any],
                   pick: Picker) -> tuple[str, list[tuple[str, str]], Any]:
    """(a sentence stating one tool result, its facts, its value); the call's arguments fill in the place."""
    source = f"{name} tool" if name else "tool"
    data = _parse_json(text)
    facts: list[tuple[str, str]] = []
    if isinstance(data, dict):
        facts = _facts(data)
        asked = {k: v for k, v in arguments.items() if str(k).lower() in _PLACE_KEYS + ("unit", "units")}
        lead = (_weather_sentence({**asked, **data}, pick) or _error_sentence(data, source, pick)
                or fmt(pick.pick(TOOL_LEADS), source=source, facts=_facts_text(facts) or "no details"))
    elif isinstance(data, list):
        lead = _list_result(data, source)
    elif data is not None and not isinstance(data, str):
        lead = f"The {source} returned {_describe_value(data)}."
    else:
        lead = _text_result(text if data is None else data, source, pick)
    return lead, facts, text if data is None else data


def _parse_json(text: str) -> Any:
    """The JSON value of a tool result, or None when it is plain text (a JSON null also reads as None)."""
    stripped = text.strip()
    if not stripped or stripped[0] not in '{["-0123456789tfn':
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _humanize(key: Any) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(key))
    return " ".join(spaced.replace("_", " ").replace("-", " ").lower().split())


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    if isinstance(value, (int, str)):
        return " ".join(str(value).split())[:80]
    if isinstance(value, list):
        if value and len(value) <= 5 and all(isinstance(v, (str, int, float)) for v in value):
            return join_terms([_describe_value(v) for v in value])
        return f"{len(value)} items"
    if isinstance(value, dict):
        named = next((value[k] for k in ("name", "title", "id") if isinstance(value.get(k), (str, int))), None)
        return str(named) if named is not None else f"{len(value)} fields"
    return "not set"


def _facts(data: dict[Any, Any], skip: Sequence[str] = (), limit: int = 6) -> list[tuple[str, str]]:
    return [(_humanize(key), _describe_value(value)) for key, value in data.items()
            if value is not None and str(key).lower() not in skip][:limit]


def _facts_text(facts: list[tuple[str, str]]) -> str:
    return join_terms([f"{name} is {value}" for name, value in facts])


def _first_value(data: dict[str, Any], keys: Sequence[str]) -> tuple[str, Any] | None:
    return next(((key, data[key]) for key in keys if data.get(key) not in (None, "", [], {})), None)


def _weather_sentence(data: dict[Any, Any], pick: Picker) -> str | None:
    lowered = {str(key).lower(): value for key, value in data.items()}
    place, temperature = _first_value(lowered, _PLACE_KEYS), _first_value(lowered, _TEMPERATURE_KEYS)
    if place is None or temperature is None or not isinstance(place[1], str):
        return None
    unit = str(lowered.get("unit") or lowered.get("units") or "").lower()
    suffix = ("°F" if temperature[0].endswith("_f") or unit in ("fahrenheit", "f", "°f", "imperial")
              else " K" if unit in ("kelvin", "k") else "°C" if unit in ("celsius", "c", "°c", "metric") else "°")
    value = temperature[1]
    shown = f"{_describe_value(value)}{suffix}" if isinstance(value, (int, float)) else _describe_value(value)
    sky = _first_value(lowered, _SKY_KEYS)
    condition = _describe_value(sky[1][0] if sky and isinstance(sky[1], list) else sky[1]).lower() if sky else ""
    if condition:
        sentence = fmt(pick.pick(WEATHER_TEMPLATES), place=place[1], temp=shown, condition=condition)
    else:
        sentence = f"The temperature in {place[1]} is {shown}."
    used = {place[0], temperature[0], "unit", "units", sky[0] if sky else ""}
    extra = _facts(data, skip=tuple(used), limit=3)
    return f"{sentence} Also, {_facts_text(extra)}." if extra else sentence


def _error_sentence(data: dict[Any, Any], source: str, pick: Picker) -> str | None:
    found = _first_value({str(k).lower(): v for k, v in data.items()}, _ERROR_KEYS)
    if found is None:
        return None
    error = found[1].get("message", found[1]) if isinstance(found[1], dict) else found[1]
    return fmt(pick.pick(TOOL_ERROR_TEMPLATES), source=source, error=_describe_value(error).rstrip("."))


def _list_result(items: list[Any], source: str) -> str:
    if not items:
        return f"The {source} returned no results."
    if isinstance(items[0], dict):
        return (f"The {source} returned {len(items)} result{'s' if len(items) > 1 else ''}. "
                f"The first one: {_facts_text(_facts(items[0], limit=3)) or 'no details'}.")
    shown = [_describe_value(item) for item in items[:5]]
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return f"The {source} returned {len(items)} item{'s' if len(items) > 1 else ''}: {', '.join(shown)}{more}."


def _text_result(text: str, source: str, pick: Picker) -> str:
    words = text.split()
    if len(words) <= 60:
        return fmt(pick.pick(TOOL_TEXT_LEADS), source=source, text=" ".join(words).strip("\"'"))
    return f"The {source} returned a long result. In short: {' '.join(summarize(text, 2))}"
