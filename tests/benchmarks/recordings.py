"""Realistic chat recordings for the replay benchmarks, shaped like real api.openai.com answers."""
from __future__ import annotations

import json
from typing import Any

from dummy_openai_api.proxy.cassettes.formats import Interaction

URL = "https://api.openai.com/v1/chat/completions"
MODEL = "gpt-4o-mini-2024-07-18"
WORDS = ("The", " answer", " depends", " on", " what", " you", " measure", ",", " and", " how", " often", ".")

REQUEST_HEADERS = {
    "accept": ["application/json"], "content-type": ["application/json"], "user-agent": ["OpenAI/Python 1.54.0"],
    "x-stainless-lang": ["python"], "x-stainless-package-version": ["1.54.0"], "x-stainless-retry-count": ["0"],
}


def response_headers(content_type: str) -> dict[str, list[str]]:
    return {
        "content-type": [content_type], "date": ["Tue, 01 Apr 2025 10:00:00 GMT"], "connection": ["keep-alive"],
        "openai-organization": ["user-abc123"], "openai-processing-ms": ["412"], "openai-version": ["2020-10-01"],
        "x-ratelimit-limit-requests": ["10000"], "x-ratelimit-remaining-requests": ["9999"],
        "x-ratelimit-limit-tokens": ["200000"], "x-ratelimit-remaining-tokens": ["199980"],
        "x-request-id": ["req_0123456789abcdef0123456789abcdef"], "cf-ray": ["8f0000000000000-AMS"],
        "server": ["cloudflare"], "strict-transport-security": ["max-age=31536000; includeSubDomains; preload"],
    }


def completion_body(content: str, prompt_tokens: int = 13, completion_tokens: int = 30) -> bytes:
    return json.dumps({
        "id": "chatcmpl-AXb1c2d3e4f5g6h7i8j9k0l1m2n3o", "object": "chat.completion", "created": 1743501600,
        "model": MODEL, "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                                             "refusal": None, "annotations": []},
                                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
        "service_tier": "default", "system_fingerprint": "fp_0ba0d124f1",
    }, indent=2).encode()  # the real API pretty-prints non-streamed answers


def stream_body(events: int) -> bytes:
    """A recorded `chat.completion.chunk` stream of `events` data events (role, content..., finish) + [DONE]."""
    head = {"id": "chatcmpl-AXb1c2d3e4f5g6h7i8j9k0l1m2n3o", "object": "chat.completion.chunk",
            "created": 1743501600, "model": MODEL, "service_tier": "default", "system_fingerprint": "fp_0ba0d124f1"}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        payload = {**head, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        return "data: " + json.dumps(payload, separators=(",", ":")) + "\n\n"

    parts = [chunk({"role": "assistant", "content": "", "refusal": None})]
    parts += [chunk({"content": WORDS[i % len(WORDS)]}) for i in range(max(0, events - 2))]
    parts += [chunk({}, "stop"), "data: [DONE]\n\n"]
    return "".join(parts).encode()


def chat_request(content: str, stream: bool = False, model: str = "gpt-4o-mini") -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": content}]}
    if stream:
        body["stream"] = True
    return body


def interaction(request_body: dict[str, Any], answer: bytes, streamed: bool = False) -> Interaction:
    content_type = "text/event-stream; charset=utf-8" if streamed else "application/json"
    headers = {**REQUEST_HEADERS, "content-length": [str(len(json.dumps(request_body)))]}
    return Interaction("POST", URL, headers, json.dumps(request_body).encode(), 200, "OK",
                       response_headers(content_type), answer)
