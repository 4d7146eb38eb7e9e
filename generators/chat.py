"""Synthetic chat completions: the answer, its usage, and its stream of chunks, shaped as the real API's.

`ChatGenerator.complete` takes a validated request body and returns a `Completion`; `completion_body` and
`completion_chunks` render it as the JSON object or the `chat.completion.chunk` sequence the API sends.
The same request always gives the same content, usage and id; `seed` picks among variants.
"""
from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterator

import orjson

from generators import replies, tokens
from generators.models import Model

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
    text: str
    finish_reason: str
    token_ids: list[int]


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
        return sum(len(c.token_ids) for c in self.choices) + self.reasoning_tokens

    def usage(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
        }


def _stop_sequences(body: dict[str, Any]) -> list[str]:
    stop = body.get("stop")
    if isinstance(stop, str):
        return [stop] if stop else []
    return [s for s in stop or [] if isinstance(s, str) and s]


def _limit(body: dict[str, Any]) -> int | None:
    limit = body.get("max_completion_tokens")
    return limit if limit is not None else body.get("max_tokens")


def cut(text: str, model: str, stops: list[str], limit: int | None) -> Choice:
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


class ChatGenerator:
    """Composes answers, counts their tokens and remembers recent requests (load tests repeat them)."""

    def __init__(self, rules: replies.ReplyRules | None = None, cache_size: int = 1024) -> None:
        self.rules = rules
        self.cache: OrderedDict[bytes, Completion] = OrderedDict()
        self.cache_size = cache_size

    def complete(self, body: dict[str, Any], model: Model) -> Completion:
        digest = request_digest(body)
        cached = self.cache.get(digest)
        if cached is None:
            cached = self._compose(body, model, digest)
            self.cache[digest] = cached
            if len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return Completion(cached.id, cached.model, cached.choices, cached.prompt_tokens, cached.reasoning_tokens)

    def _compose(self, body: dict[str, Any], model: Model, digest: bytes) -> Completion:
        messages = body["messages"]
        stops, limit = _stop_sequences(body), _limit(body)
        choices = []
        for variant in range(body.get("n") or 1):
            text = replies.compose(messages, seed=body.get("seed"), rules=self.rules, variant=variant)
            choices.append(cut(text, model.id, stops, limit))
        prompt = tokens.count_chat_prompt(messages, model.id, body.get("tools") or body.get("functions"))
        reasoning = _reasoning_tokens(model, digest, limit, choices)
        return Completion("chatcmpl-" + base62(digest, 29), body["model"], choices, prompt, reasoning)


def _reasoning_tokens(model: Model, digest: bytes, limit: int | None, choices: list[Choice]) -> int:
    """Reasoning models think before they answer; the thinking shares the completion budget."""
    if not model.reasoning:
        return 0
    wanted = 64 * (1 + digest[0] % 4)
    if limit is None:
        return wanted
    return max(0, min(wanted, limit - max(len(c.token_ids) for c in choices)))


def completion_body(completion: Completion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "object": "chat.completion",
        "created": completion.created,
        "model": completion.model,
        "choices": [
            {"index": i, "message": {"role": "assistant", "content": c.text, "refusal": None, "annotations": []},
             "logprobs": None, "finish_reason": c.finish_reason}
            for i, c in enumerate(completion.choices)
        ],
        "usage": completion.usage(),
        "service_tier": "default",
        "system_fingerprint": fingerprint(completion.model),
    }


def completion_chunks(completion: Completion, model: str, include_usage: bool) -> Iterator[dict[str, Any]]:
    """The `chat.completion.chunk` objects of a stream: role first, content on token boundaries, finish, usage."""
    head = {"id": completion.id, "object": "chat.completion.chunk", "created": completion.created,
            "model": completion.model, "service_tier": "default", "system_fingerprint": fingerprint(completion.model)}
    if include_usage:
        head["usage"] = None

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**head, "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    for index, choice in enumerate(completion.choices):
        yield chunk(index, {"role": "assistant", "content": "", "refusal": None})
        for piece in token_pieces(choice.token_ids, model):
            yield chunk(index, {"content": piece})
        yield chunk(index, {}, choice.finish_reason)
    if include_usage:
        yield {**head, "choices": [], "usage": completion.usage()}


def token_pieces(ids: list[int], model: str) -> Iterator[str]:
    """The text of each token; a character split across tokens is held back until it is whole."""
    enc = tokens.encoding_for(model)
    pending = b""
    for token_bytes in enc.decode_tokens_bytes(ids):
        pending += token_bytes
        try:
            piece = pending.decode("utf-8")
        except UnicodeDecodeError:
            continue
        pending = b""
        yield piece
    if pending:
        yield pending.decode("utf-8", errors="replace")
