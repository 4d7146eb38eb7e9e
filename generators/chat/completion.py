"""Synthetic chat completions: the answer, its usage and its body, shaped as the real API's.

`ChatGenerator.complete` takes a validated `ChatRequest` (generators.chat.request) and returns a `Completion`:
text from `generators.replies`, or function calls planned by `generators.tools.calls` when the request offers
tools, or JSON from `generators.structured.outputs` when `response_format` asks for it, with
`generators.chat.logprobs` entries when `logprobs` is set. `completion_body` renders it as the JSON object (`generators.chat.chunks` as a stream). The
same request always gives the same content, calls, usage and id; `seed` picks among variants.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import orjson

from dummy_openai_api.generators.chat import logprobs
from dummy_openai_api.generators.chat.request import ChatRequest
from dummy_openai_api.generators import reasoning, replies, tokens
from dummy_openai_api.generators.structured import outputs as structured
from dummy_openai_api.generators.tools import calls as tools
from dummy_openai_api.generators.catalog.snapshots import served
from dummy_openai_api.generators.tools.calls import FunctionSpec, ToolCall

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(digest: bytes, length: int) -> str:
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, 62)
        chars.append(_BASE62[index])
    return "".join(chars)


_TRANSPORT_FIELDS = ("stream", "stream_options")  # how the answer travels, not what it says


def request_digest(body: dict[str, Any]) -> bytes:
    """What identifies an answer: the request minus its transport fields, so a stream matches its plain twin."""
    if any(name in body for name in _TRANSPORT_FIELDS):
        body = {k: v for k, v in body.items() if k not in _TRANSPORT_FIELDS}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).digest()


def fingerprint(model: str) -> str:
    return "fp_" + hashlib.sha256(model.encode()).hexdigest()[:10]


@dataclass(slots=True)
class Choice:
    text: str | None            # None when the answer is function calls
    finish_reason: str
    token_ids: list[int]        # the content's tokens
    tool_calls: list[ToolCall] = field(default_factory=list)
    legacy: bool = False        # the call is answered as a legacy `function_call`
    call_tokens: int = 0        # what the calls cost in completion tokens
    logprobs: list[dict[str, Any]] | None = None  # one entry per content token, when asked for

    @property
    def tokens(self) -> int:
        return len(self.token_ids) + self.call_tokens


@dataclass(slots=True)
class Completion:
    id: str
    model: str
    choices: list[Choice]
    prompt_tokens: int
    reasoning_tokens: int = 0
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def completion_tokens(self) -> int:
        return sum(c.tokens for c in self.choices) + self.reasoning_tokens

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.model)

    def usage(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
        }


def cut(text: str, model: str, stops: Sequence[str], limit: int | None) -> Choice:
    """Apply stop sequences, then the token limit, as the API does: `stop` ends early, a limit ends at exactly it."""
    finish = "stop"
    positions = [i for i in (text.find(s) for s in stops) if i >= 0]
    if positions:
        text = text[:min(positions)]
    enc = tokens.encoding_for(model)
    ids = enc.encode_ordinary(text)
    if limit is not None and len(ids) > limit:
        ids = ids[:limit]
        text = enc.decode(ids)
        finish = "length"
    return Choice(text, finish, ids)


def _formatted(response_format: Any, messages: Sequence[dict[str, Any]], seed: bytes, text: str) -> str:
    """The answer as `response_format` asks: JSON valid against a schema, a JSON object, or the text."""
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    spec = response_format.get("json_schema") if kind == "json_schema" else None
    if isinstance(spec, dict) and isinstance(spec.get("schema"), dict):
        return structured.schema_reply(spec["schema"], messages, seed, text)
    if kind in ("json_schema", "json_object"):
        return structured.json_object_reply(messages, seed, text)
    return structured.prompted_reply(messages, seed, text) or text


# The API renders a json_schema response format into the prompt more tersely than its JSON: two real
# recordings (DataDog chat_completion_parse, Mirascope test_structured_output) cost 0.80 and 0.86 prompt
# tokens per token of the compact `json_schema` JSON.
SCHEMA_TOKEN_RATIO = 0.83


def _schema_tokens(response_format: Any, model: str) -> int:
    """A json_schema response format is rendered into the prompt, as tools are: it counts as prompt tokens."""
    spec = response_format.get("json_schema") if isinstance(response_format, dict) else None
    if not isinstance(spec, dict):
        return 0
    return round(SCHEMA_TOKEN_RATIO * tokens.count(orjson.dumps(spec).decode(), model))


@dataclass(frozen=True)
class ToolOffer:
    """The functions a request offers and how it lets the assistant call them."""

    specs: list[FunctionSpec]
    choice: Any
    parallel: bool
    legacy: bool  # `functions`/`function_call`: one call, answered as `message.function_call`
    named: bool   # the request forces one function: the real API then finishes with "stop"


def _tool_offer(request: ChatRequest) -> ToolOffer:
    use = request.tool_use
    if use.tools:
        choice: Any = use.tool_choice
        named = isinstance(choice, dict) and choice.get("type") != "allowed_tools"
        return ToolOffer(tools.function_specs(use.tools), choice, use.parallel_tool_calls, False, named)
    if use.functions:
        choice = use.function_call
        named = isinstance(choice, dict)
        if isinstance(choice, dict):
            choice = {"type": "function", "function": {"name": choice.get("name")}}
        return ToolOffer(tools.function_specs(None, use.functions), choice, False, True, named)
    return ToolOffer([], None, False, False, False)


# Completion tokens around each call's name and arguments; parallel calls cost more each (recorded: two
# secret_retrieval_tool calls 53 tokens, get_weather + get_stock_price 60, one get_weather call 16).
CALL_OVERHEAD, PARALLEL_OVERHEAD = 5, 9


def call_choice(calls: list[ToolCall], offer: ToolOffer, model: str, limit: int | None) -> Choice:
    """A choice made of function calls; the token limit cuts the arguments as it would cut text."""
    if len(calls) > 1:  # several calls come with spaced JSON ({"password": "mellon"}), as the API sends them
        calls = [c if c.custom else replace(c, arguments=json.dumps(json.loads(c.arguments), ensure_ascii=False))
                 for c in calls]
    enc = tokens.encoding_for(model)
    kept: list[ToolCall] = []
    spent = 0
    for call in calls:
        ids = enc.encode_ordinary(call.arguments)
        frame = len(enc.encode_ordinary(call.name)) + CALL_OVERHEAD + (PARALLEL_OVERHEAD if len(calls) > 1 else 0)
        if limit is not None and spent + frame + len(ids) > limit:
            kept.append(replace(call, arguments=enc.decode(ids[:max(0, limit - spent - frame)])))
            return Choice(None, "length", [], kept, offer.legacy, limit)
        kept.append(call)
        spent += frame + len(ids)
    finish = "stop" if offer.named else "function_call" if offer.legacy else "tool_calls"
    return Choice(None, finish, [], kept, offer.legacy, spent)


class ChatGenerator:
    """Composes answers, counts their tokens and remembers recent requests (load tests repeat them)."""

    def __init__(self, rules: replies.ReplyRules | None = None, cache_size: int = 1024) -> None:
        self.rules = rules
        self.cache: OrderedDict[bytes, Completion] = OrderedDict()
        self.cache_size = cache_size

    def complete(self, request: ChatRequest) -> Completion:
        cached = self.cache.get(request.digest)
        if cached is None:
            cached = self._compose(request)
            self.cache[request.digest] = cached
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return Completion(cached.id, cached.model, cached.choices, cached.prompt_tokens, cached.reasoning_tokens)

    def _compose(self, request: ChatRequest) -> Completion:
        model, messages, digest, sampling = request.model, request.messages, request.digest, request.sampling
        wanted = reasoning.wanted_tokens(reasoning.effort(model, sampling.reasoning_effort), digest)
        thought, limit = reasoning.share(wanted, sampling.limit)
        offer = _tool_offer(request)
        choices = []
        for variant in range(sampling.n):
            if limit == 0:  # the thinking took the whole budget: nothing visible, as the API answers
                choices.append(Choice("", "length", []))
                continue
            seed = digest + variant.to_bytes(2, "big")
            calls = tools.plan_tool_calls(messages, offer.specs, offer.choice, offer.parallel, seed)
            if calls:
                choices.append(call_choice(calls, offer, model.id, limit))
                continue
            text = replies.compose(messages, seed=sampling.seed, rules=self.rules, variant=variant)
            choices.append(cut(_formatted(request.response_format, messages, seed, text), model.id, sampling.stop,
                               limit))
        if sampling.logprobs:
            for index, choice in enumerate(choices):
                if choice.text is not None:
                    choice.logprobs = logprobs.token_logprobs(choice.token_ids, model.id, sampling.top_logprobs,
                                                              digest + b"logprobs" + bytes([index % 256]))
        prompt = tokens.count_chat_prompt(messages, model.id, request.tool_use.tools or request.tool_use.functions)
        prompt += _schema_tokens(request.response_format, model.id)
        return Completion("chatcmpl-" + base62(digest, 29), served(request.model_name), choices, prompt, thought)


def completion_body(completion: Completion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "object": "chat.completion",
        "created": completion.created,
        "model": completion.model,
        "choices": [
            {"index": i, "message": message(c), "logprobs": _choice_logprobs(c), "finish_reason": c.finish_reason}
            for i, c in enumerate(completion.choices)
        ],
        "usage": completion.usage(),
        "service_tier": "default",
        "system_fingerprint": completion.fingerprint,
    }


def message(choice: Choice) -> dict[str, Any]:
    """The assistant message, keys in the real API's order (`tool_calls` between content and refusal)."""
    result: dict[str, Any] = {"role": "assistant", "content": choice.text}
    calls = [{"name": c.name, "arguments": c.arguments} for c in choice.tool_calls]
    if calls and choice.legacy:
        result["function_call"] = calls[0]
    elif calls:
        result["tool_calls"] = [{"id": c.id, "type": "custom", "custom": {"name": c.name, "input": c.arguments}}
                                if c.custom else {"id": c.id, "type": "function", "function": f}
                                for c, f in zip(choice.tool_calls, calls, strict=True)]
    return {**result, "refusal": None, "annotations": []}


def _choice_logprobs(choice: Choice) -> dict[str, Any] | None:
    if choice.logprobs is None:
        return None
    return {"content": choice.logprobs, "refusal": None}

