"""The shapes of stored chat completions: the stored object, its messages, and a completion rebuilt from chunks.

A stored completion is the answer the client got, with the request's sampling settings beside it, in the
order the API lists them (`GET /v1/chat/completions` in the API reference). A streamed answer is rebuilt from
its `chat.completion.chunk` events, whichever source sent them.
"""
from __future__ import annotations

import hashlib
import time
from typing import Any

import orjson

from dummy_openai_api.generators import tokens
from dummy_openai_api.proxy.core.sse import split_events


def stored_object(completion: dict[str, Any], request: dict[str, Any], request_id: str) -> dict[str, Any]:
    """The completion as `GET /v1/chat/completions/{id}` shows it."""
    return {
        "object": "chat.completion",
        "id": completion["id"],
        "model": completion.get("model") or request.get("model"),
        "created": completion.get("created") or int(time.time()),
        "request_id": request_id,
        "tool_choice": request.get("tool_choice"),
        "usage": completion.get("usage"),
        "seed": _number(request.get("seed"), _seed(completion["id"])),
        "top_p": float(_number(request.get("top_p"), 1.0)),
        "temperature": float(_number(request.get("temperature"), 1.0)),
        "presence_penalty": float(_number(request.get("presence_penalty"), 0.0)),
        "frequency_penalty": float(_number(request.get("frequency_penalty"), 0.0)),
        "system_fingerprint": completion.get("system_fingerprint"),
        "input_user": request.get("user"),
        "service_tier": completion.get("service_tier") or "default",
        "tools": request.get("tools"),
        "metadata": request.get("metadata") or {},
        "choices": completion.get("choices") or [],
        "response_format": request.get("response_format"),
    }


def _number(value: Any, default: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _seed(completion_id: str) -> int:
    """The API shows the seed it sampled with when none was given: a stable 63-bit number here."""
    return int.from_bytes(hashlib.sha256(completion_id.encode()).digest()[:8], "big") >> 1


def stored_messages(completion_id: str, messages: Any) -> list[dict[str, Any]]:
    """The request's messages as `GET /v1/chat/completions/{id}/messages` lists them."""
    stored = []
    for index, message in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(message, dict):
            continue
        content, parts = message.get("content"), None
        if isinstance(content, list):
            parts = [p for p in content if isinstance(p, dict) and p.get("type") in ("text", "image_url")]
            content = "\n".join(p.get("text", "") for p in parts if p.get("type") == "text") or None
        item = {"id": f"{completion_id}-{index}", "role": message.get("role"), "content": content,
                "name": message.get("name"), "content_parts": parts}
        for extra in ("tool_calls", "tool_call_id", "refusal", "function_call"):
            if extra in message:
                item[extra] = message[extra]
        stored.append(item)
    return stored


def chunks_of(body: bytes) -> list[dict[str, Any]] | None:
    """The JSON chunks of a finished chat stream; None if it carried an error or is not a chat stream."""
    chunks = []
    for event in split_events(body):
        data = "\n".join(line[5:].strip() for line in event.decode("utf-8", "replace").splitlines()
                         if line.startswith("data:"))
        if not data or data.startswith("[DONE]"):
            continue
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(chunk, dict) or chunk.get("error") or chunk.get("object") != "chat.completion.chunk":
            return None
        chunks.append(chunk)
    return chunks or None


def assemble(chunks: list[dict[str, Any]], request: dict[str, Any]) -> dict[str, Any]:
    """The `chat.completion` a stream of chunks adds up to; usage counted with tiktoken if the stream had none."""
    head = chunks[0]
    choices: dict[int, dict[str, Any]] = {}
    usage = None
    for chunk in chunks:
        usage = chunk.get("usage") or usage
        for delta_choice in chunk.get("choices") or []:
            _merge(choices.setdefault(delta_choice.get("index", 0), _empty_choice()), delta_choice)
    ordered = [{"index": i, **choices[i]} for i in sorted(choices)]
    return {"id": head.get("id"), "object": "chat.completion", "created": head.get("created"),
            "model": head.get("model"), "choices": [_finished(c) for c in ordered],
            "usage": usage or _counted(ordered, request, head.get("model") or request.get("model", "")),
            "service_tier": head.get("service_tier"), "system_fingerprint": head.get("system_fingerprint")}


def _empty_choice() -> dict[str, Any]:
    return {"content": None, "refusal": None, "tool_calls": {}, "logprobs": None, "finish_reason": None}


def _merge(choice: dict[str, Any], delta_choice: dict[str, Any]) -> None:
    delta = delta_choice.get("delta") or {}
    for field in ("content", "refusal"):
        if delta.get(field):
            choice[field] = (choice[field] or "") + delta[field]
    for call in delta.get("tool_calls") or []:
        slot = choice["tool_calls"].setdefault(call.get("index", 0), {"id": None, "type": "function",
                                                                      "function": {"name": "", "arguments": ""}})
        slot["id"] = call.get("id") or slot["id"]
        function = call.get("function") or {}
        slot["function"]["name"] += function.get("name") or ""
        slot["function"]["arguments"] += function.get("arguments") or ""
    logprobs = delta_choice.get("logprobs")
    if isinstance(logprobs, dict):
        kept = choice["logprobs"] or {"content": None, "refusal": None}
        for field in ("content", "refusal"):
            if logprobs.get(field):
                kept[field] = (kept[field] or []) + logprobs[field]
        choice["logprobs"] = kept
    choice["finish_reason"] = delta_choice.get("finish_reason") or choice["finish_reason"]


def _finished(choice: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": choice["content"]}
    if choice["tool_calls"]:
        message["tool_calls"] = [choice["tool_calls"][i] for i in sorted(choice["tool_calls"])]
    message.update(refusal=choice["refusal"], annotations=[])
    return {"index": choice["index"], "message": message, "logprobs": choice["logprobs"],
            "finish_reason": choice["finish_reason"] or "stop"}


def _counted(choices: list[dict[str, Any]], request: dict[str, Any], model: str) -> dict[str, Any]:
    messages = [m for m in request.get("messages") or [] if isinstance(m, dict)]
    prompt = tokens.count_chat_prompt(messages, model, request.get("tools") or request.get("functions"))
    completion = sum(tokens.count(text, model) for c in choices for text in _generated_texts(c))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _generated_texts(choice: dict[str, Any]) -> list[str]:
    calls = [call["function"][part] for call in choice["tool_calls"].values() for part in ("name", "arguments")]
    return [text for text in (choice["content"], choice["refusal"], *calls) if text]
