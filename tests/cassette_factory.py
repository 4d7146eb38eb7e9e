"""Small builders for cassettes in tests: interactions as the real API would have recorded them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from dummy_openai_api.proxy.cassettes.formats import Interaction, write_cassette

API = "https://api.openai.com/v1"


def completion_json(content: str, model: str = "gpt-4o-mini", id: str = "chatcmpl-recorded") -> dict[str, Any]:
    return {
        "id": id, "object": "chat.completion", "created": 1760000000, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None,
                                             "annotations": []}, "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
        "service_tier": "default", "system_fingerprint": "fp_0123456789",
    }


def stream_body(pieces: list[str], id: str = "chatcmpl-streamed", model: str = "gpt-4o-mini") -> bytes:
    head = {"id": id, "object": "chat.completion.chunk", "created": 1760000000, "model": model}
    chunks = [{**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                    "logprobs": None, "finish_reason": None}]}]
    chunks += [{**head, "choices": [{"index": 0, "delta": {"content": p}, "logprobs": None,
                                     "finish_reason": None}]} for p in pieces]
    chunks.append({**head, "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]})
    return b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"


def interaction(body: dict[str, Any] | None, response: Any, path: str = "/chat/completions", status: int = 200,
                method: str = "POST", headers: dict[str, list[str]] | None = None,
                content_type: str = "application/json") -> Interaction:
    raw = response if isinstance(response, bytes) else orjson.dumps(response)
    return Interaction(
        method=method, uri=API + path, request_headers={"content-type": ["application/json"]},
        request_body=orjson.dumps(body) if body is not None else b"", status=status, reason="OK",
        response_headers={"content-type": [content_type], "x-request-id": ["req_recorded0000000000000000000001"],
                          **(headers or {})},
        response_body=raw,
    )


def write(directory: Path, name: str, interactions: list[Interaction]) -> Path:
    path = directory / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_cassette(path, interactions)
    return path
