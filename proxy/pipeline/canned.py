"""Canned answers given by rules: a chat completion with given content, or any answer as given."""
from __future__ import annotations

from typing import Any

import orjson

from dummy_openai_api.generators import tokens
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.core.http import JSON_CONTENT_TYPE, SSE_CONTENT_TYPE, Reply
from dummy_openai_api.proxy.pipeline.pace import Pace


def chat_reply(body: dict[str, Any], text: str, pace: Pace, source: str) -> Reply:
    """A chat completion whose content is `text`, plain or streamed as the request asks, with real usage."""
    # Imported by the first canned answer: start-up does not load the chat generator (proxy.core.lazy).
    from dummy_openai_api.generators.chat.chunks import completion_chunks
    from dummy_openai_api.generators.chat.completion import Completion, base62, completion_body, cut, request_digest
    model = given if isinstance(given := body.get("model"), str) else "gpt-4o-mini"
    try:
        prompt = tokens.count_chat_prompt(body.get("messages") or [], model)
    except Exception:  # noqa: BLE001 - odd messages still get their canned answer
        prompt = 0
    completion = Completion("chatcmpl-" + base62(request_digest(body), 29), model, [cut(text, model, [], None)],
                            prompt)
    if not body.get("stream"):
        return Reply.json(completion_body(completion), source=source)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    events = [*(sse.event(c) for c in completion_chunks(completion, model, include_usage)), sse.DONE]
    delays = pace.stream_delays(completion.id)
    stream: Any = sse.timed(events, delays) if delays is not None else events
    return Reply(stream=stream, content_type=SSE_CONTENT_TYPE, source=source)


def given_reply(response: dict[str, Any], source: str) -> Reply:
    """`{"status", "body", "headers"}` as given: a JSON body is serialized, a string sent as it is."""
    headers = dict(response["headers"])
    content_type = next((headers.pop(k) for k in list(headers) if k.lower() == "content-type"), JSON_CONTENT_TYPE)
    body = response["body"]
    data = body.encode() if isinstance(body, str) else b"" if body is None else orjson.dumps(body)
    return Reply(status=response["status"], body=data, headers=headers, source=source, content_type=content_type)
