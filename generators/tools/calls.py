"""Deciding whether to call functions, which ones, and with what arguments (chat tools, Responses, legacy).

`plan_tool_calls` decides as a model would, deterministically: `none` never calls; `required` and a named
function always do; `auto` calls a function when the last user message asks for what the function describes
(its name counts double, its description and parameter names once; two points are needed: "what's the
weather in Paris?" calls get_weather, "tell me a joke" calls nothing) and answers in text after a tool
result. Arguments come from `generators.structured.schema.instance` filled with hints from the conversation, so they
are valid against the parameters and say "Paris" when the user did. With parallel calls allowed, a request
for several things makes several calls: "weather in Paris and London" -> two get_weather calls, "the weather
in Edinburgh and the price of AAPL" -> get_weather and get_stock_price.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Sequence

from dummy_openai_api.generators.custom_tools.inputs import custom_input, grammar_regex, user_value
from dummy_openai_api.generators.custom_tools.prompt import custom_definition
from dummy_openai_api.generators.structured import hints as conversation
from dummy_openai_api.generators.structured.facts import Facts, lists_in
from dummy_openai_api.generators.structured.fakes import name_words
from dummy_openai_api.generators.structured.refs import properties
from dummy_openai_api.generators.replies.phrasebook.words import REQUEST_WORDS, STOPWORDS
from dummy_openai_api.generators.structured.schema import hint_key, instance

MAX_CALLS = 8
EMPTY_PARAMETERS = {"type": "object", "properties": {}}
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Words every tool description uses; they say nothing about what a tool is for.
_GENERIC = frozenset("get set fetch retrieve find list lookup look show current given specified specific tool "
                     "tools function call use value values data info information return returns provide provides "
                     "optional required string number object integer boolean array default example eg e.g "
                     "query input output result results parameter parameters name id type request response "
                     "user api new make create run execute perform".split())
_IGNORED = STOPWORDS | REQUEST_WORDS | _GENERIC
# What people say when they mean what a tool is named for: "is it cold in Oslo?" asks for the weather.
_RELATED = {
    "weather": "cold hot warm rain raining rainy sunny snow snowing temperature forecast umbrella humid wind windy "
               "degrees climate",
    "price": "cost costs much worth expensive cheap", "stock": "shares share ticker market",
    "email": "mail inbox", "search": "google web online", "time": "clock hour",
    "calendar": "meeting appointment schedule event", "translate": "translation french spanish german",
    "calculate": "compute sum multiply divide plus minus", "news": "headlines latest",
    "flight": "fly plane airline", "hotel": "room stay accommodation", "order": "purchase bought",
    "taxi": "cab uber ride lift", "restaurant": "table dinner lunch reservation",
}
_SYNONYMS = {word: concept for concept, words in _RELATED.items() for word in words.split()}
_CLAUSES = re.compile(r"[.;?!]+\s*|\s+(?:and|also|then|plus)\s+(?=(?:what|what's|how|the|also|get|tell|check|"
                      r"show|find|search|look|give|send|book|convert|calculate|compare)\b)", re.I)


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    description: str
    parameters: dict
    strict: bool
    custom: bool = False  # a custom tool: called with free-form `input` in its `format`, not JSON arguments
    format: Any = None


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # compact JSON text; a custom tool's `input`
    custom: bool = False


def function_specs(tools: Sequence[dict] | None, functions: Sequence[dict] | None = None) -> list[FunctionSpec]:
    """The tools a request lets the assistant call: chat `tools` (`{"type": "function", "function": {...}}`),
    Responses function tools (`{"type": "function", "name": ..., "parameters": ...}`, strict unless
    `strict: false`, as on the Responses API), custom tools in either form, and legacy `functions`. Other
    tool types (hosted tools) are skipped."""
    specs = []
    for tool in tools or []:
        custom = custom_definition(tool)
        if custom is not None:
            specs.append(FunctionSpec(custom["name"], str(custom.get("description") or ""), EMPTY_PARAMETERS, False,
                                      True, custom.get("format")))
            continue
        if not isinstance(tool, dict) or tool.get("type", "function") != "function":
            continue
        nested = isinstance(tool.get("function"), dict)
        spec = _spec(tool["function"] if nested else tool, strict_default=not nested)
        if spec:
            specs.append(spec)
    specs += [s for s in (_spec(f, strict_default=False) for f in functions or [] if isinstance(f, dict)) if s]
    return specs


def _spec(definition: dict[str, Any], strict_default: bool) -> FunctionSpec | None:
    name = definition.get("name")
    if not isinstance(name, str) or not name:
        return None
    parameters = definition.get("parameters")
    strict = definition.get("strict")
    return FunctionSpec(name, definition.get("description") or "",
                        parameters if isinstance(parameters, dict) and parameters else EMPTY_PARAMETERS,
                        strict_default if strict is None else bool(strict))


def plan_tool_calls(messages: Sequence[dict], specs: list[FunctionSpec], tool_choice: Any, parallel: bool,
                    seed: bytes) -> list[ToolCall]:
    """The calls the assistant makes now; [] means it answers with text."""
    mode, allowed = _choice(tool_choice)
    specs = [s for s in specs if allowed is None or s.name in allowed]
    if mode == "none" or not specs:
        return []
    texts = conversation.user_texts(messages) or [""]
    chosen = _relevant(specs, texts[0]) or _repeated(messages, specs, texts[0])
    if mode == "auto" and (_answered(messages) or not chosen):
        return []
    if not chosen:  # required, or a named function: call the likeliest one anyway
        chosen = [max(specs, key=lambda s: _score(s, texts[0])[0])]
    if not parallel:
        chosen = chosen[:1]
    clauses = [c for c in _CLAUSES.split(texts[0]) if c and c.strip()] if len(chosen) > 1 else []
    calls: list[ToolCall] = []
    for spec in chosen:
        focus = max(clauses, key=lambda c: _score(spec, c)[0]) if clauses else None
        if spec.custom:
            text = focus or texts[0]
            calls.append(ToolCall(_call_id(seed, len(calls)), spec.name,
                                  custom_input(spec.format, text, seed + spec.name.encode()), True))
            continue
        for arguments in _arguments(spec, ([focus] if focus else []) + texts, parallel and len(chosen) == 1, seed):
            calls.append(ToolCall(_call_id(seed, len(calls)), spec.name, arguments))
    return calls[:MAX_CALLS if parallel else 1]


_FOLLOW_UP = re.compile(r"^\W*(?:and|also|what about|how about|same (?:for|in)|now)\b(?!.*\b(?:you|me|i)\b)"
                        r"[^?.!]{1,60}[?.!]*\s*$", re.I)


def _repeated(messages: Sequence[dict], specs: list[FunctionSpec], text: str) -> list[FunctionSpec]:
    """ "And in Madrid?" after a get_weather call asks for the same function with the new value."""
    if not _FOLLOW_UP.match(text):
        return []
    for message in reversed(messages[:-1]):
        calls = message.get("tool_calls") if isinstance(message, dict) else None
        for call in reversed(calls if isinstance(calls, list) else []):
            function = call.get("function") if isinstance(call, dict) else None
            name = function.get("name") if isinstance(function, dict) else None
            found = [s for s in specs if s.name == name]
            if found:
                return found[:1]
    return []


def _choice(tool_choice: Any) -> tuple[str, set[str] | None]:
    """(mode, the functions it allows) for chat, Responses and legacy `function_call` spellings."""
    if tool_choice in (None, "auto"):
        return "auto", None
    if tool_choice in ("none", "required"):
        return tool_choice, None
    if not isinstance(tool_choice, dict):
        return "auto", None
    kind = tool_choice.get("type")
    if kind == "allowed_tools":
        inner = given if isinstance(given := tool_choice.get("allowed_tools"), dict) else tool_choice
        names = {n for t in inner.get("tools") or [] if isinstance(t, dict) and (n := _choice_name(t)) is not None}
        return ("required" if inner.get("mode") == "required" else "auto"), names
    name = _choice_name(tool_choice)
    return ("required", {name}) if name else ("auto", None)


def _choice_name(choice: dict[str, Any]) -> str | None:
    """The tool a choice names: chat's `{"type": "function"|"custom", <type>: {"name"}}` or a flat `name`."""
    nested = choice.get("custom" if choice.get("type") == "custom" else "function")
    name = nested.get("name") if isinstance(nested, dict) else choice.get("name")
    return name if isinstance(name, str) else None


def _answered(messages: Sequence[dict]) -> bool:
    """The last message is a tool's (or legacy function's) result: now the assistant speaks."""
    last = messages[-1] if messages else {}
    return isinstance(last, dict) and last.get("role") in ("tool", "function")


# --- relevance ---------------------------------------------------------------------------------------------

def _stem(word: str) -> str:
    word = word.lower().strip("'")
    if word.endswith(("ed", "ing")) and len(word) > 6:  # "extracted", "booking": the verb's own stem
        return word[:-2] if word.endswith("ed") else word[:-3]
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[:-len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _vocabulary(spec: FunctionSpec) -> tuple[set[str], set[str]]:
    """(the words of the function's name, the words of its description and parameters), stemmed."""
    named = {_stem(w) for w in name_words(spec.name)} - {_stem(w) for w in _IGNORED}
    described = set(re.findall(r"[a-z]{3,}", spec.description.lower()))
    for prop, sub in properties(spec.parameters, limit=40):
        described |= set(name_words(prop))
        described |= {w for m in sub.get("enum") or [] if isinstance(m, str) for w in name_words(m)}
    return named, {_stem(w) for w in described if w not in _IGNORED and len(w) > 2} - named


def _words(text: str) -> list[str]:
    """The text's content words, stemmed, each followed by the concept it hints at ("cold" -> "weather")."""
    words = []
    for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text):
        if word.lower() not in _IGNORED:
            words.append(_stem(word))
            words += [_SYNONYMS[word.lower()]] if word.lower() in _SYNONYMS else []
    return words


def _score(spec: FunctionSpec, text: str) -> tuple[int, frozenset[str]]:
    words = set(_words(text))
    named, described = _vocabulary(spec)
    hits = frozenset(words & (named | described))
    return 2 * len(words & named) + len(words & described), hits


_EXTRACTION = re.compile(r"\b(?:extract|parse|pull out|identify|capture|record|structure|fill in)\b", re.I)


def _extraction_fit(spec: FunctionSpec, text: str) -> int:
    """Two points when the text holds a value in the shape a parameter's pattern demands ("ORD-123456"), or
    when the user asks to extract and the function is made for it (says so, or the text holds values for its
    required parameters): instructor's and pydantic-ai's output tools are called this way. A custom tool
    with a regex grammar scores the same when a word of the text is a whole match of it."""
    if spec.custom:
        pattern = grammar_regex(spec.format)
        return 2 if pattern is not None and user_value(pattern, text) is not None else 0
    patterns = [sub["pattern"] for _, sub in properties(spec.parameters, limit=40) if isinstance(sub.get("pattern"), str)]
    if patterns and any(Facts(text).matching(pattern) for pattern in patterns):
        return 2
    if not _EXTRACTION.search(text):
        return 0
    if re.search(r"\bextract", spec.description, re.I):
        return 2
    required = [name for name in spec.parameters.get("required") or [] if isinstance(name, str)]
    found = conversation.hints_for(spec.parameters, [text])
    return 2 if required and sum(name in found for name in required) * 2 >= len(required) else 0


def _relevant(specs: list[FunctionSpec], text: str) -> list[FunctionSpec]:
    """The functions the text asks for, best first; one that only repeats a better one's words is left out."""
    scored = sorted(((score + _extraction_fit(s, text), hits, i, s) for i, s in enumerate(specs)
                     for score, hits in [_score(s, text)] if score + _extraction_fit(s, text) >= 2),
                    key=lambda t: (-t[0], t[2]))
    chosen: list[tuple[frozenset[str], FunctionSpec]] = []
    for _, hits, _, spec in scored:
        if not any(hits <= earlier for earlier, _ in chosen):
            chosen.append((hits, spec))
    order = _words(text)
    chosen.sort(key=lambda pair: min((order.index(w) for w in pair[0]), default=0))  # in the order the user asked
    return [spec for _, spec in chosen]


# --- arguments ---------------------------------------------------------------------------------------------

def _arguments(spec: FunctionSpec, texts: Sequence[str], fan_out: bool, seed: bytes) -> list[str]:
    found = conversation.hints_for(spec.parameters, texts)
    variants = [found]
    if fan_out:
        variants = _fanned(found, texts[0]) or variants
    schema = spec.parameters if spec.strict else None
    return [json.dumps(instance(schema or _mentioned_only(spec.parameters, hints), seed=seed + spec.name.encode()
                                + bytes([n]), hints=hints), separators=(",", ":"), ensure_ascii=False)
            for n, hints in enumerate(variants[:MAX_CALLS])]


def _fanned(found: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """One set of hints per item when a hinted value opens an enumeration: "Paris and London"."""
    for items in lists_in(text):
        if len({("@" in item, "://" in item, item[:1].isupper()) for item in items}) > 1:
            continue  # items of different kinds: "Nina Patel, nina@example.com" is one contact, not two names
        for name, value in found.items():
            if isinstance(value, str) and value.lower() == items[0].lower():
                return [{**found, name: item} for item in items]
    return []


def _mentioned_only(parameters: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """A non-strict function's optional parameters are left out unless the conversation gave a value."""
    props = parameters.get("properties")
    if not isinstance(props, dict) or "minProperties" in parameters:
        return parameters
    required = set(parameters.get("required") or [])
    hinted = {hint_key(k) for k in found}
    return {**parameters, "properties": {k: v for k, v in props.items() if k in required or hint_key(k) in hinted}}


def _call_id(seed: bytes, index: int) -> str:
    number = int.from_bytes(hashlib.sha256(seed + b"call" + bytes([index % 256])).digest(), "big")
    chars = []
    for _ in range(24):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "call_" + "".join(chars)
