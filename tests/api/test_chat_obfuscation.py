"""Chat stream chunks carry `obfuscation` padding as the API's have since August 2025 (crewAI recording, 2026)."""
from __future__ import annotations

import json

from tests.conftest import chat_body


def chunks(http, **changes) -> list[dict]:
    answer = http.post("/v1/chat/completions", json=chat_body(stream=True, **changes))
    assert answer.status_code == 200
    lines = [line[6:] for line in answer.text.splitlines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    return [json.loads(line) for line in lines[:-1]]


def untimed(streamed: list[dict]) -> list[dict]:
    return [{name: value for name, value in chunk.items() if name != "created"} for chunk in streamed]


def test_every_chunk_ends_with_its_padding_the_usage_chunk_too(http) -> None:
    streamed = chunks(http, stream_options={"include_usage": True})
    assert all(list(chunk)[-1] == "obfuscation" and chunk["obfuscation"].isalnum() for chunk in streamed)
    assert streamed[-1]["choices"] == [] and streamed[-1]["usage"]["total_tokens"] > 0
    assert len({chunk["obfuscation"] for chunk in streamed}) > 1
    again = chunks(http, stream_options={"include_usage": True})
    assert untimed(streamed) == untimed(again)  # deterministic, as the answer is; only the clock may have moved on


def test_padding_can_be_turned_off(http) -> None:
    streamed = chunks(http, stream_options={"include_obfuscation": False})
    assert streamed and not any("obfuscation" in chunk for chunk in streamed)


def test_the_sdk_reads_padded_tool_call_streams(client) -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
    stream = client.chat.completions.create(**chat_body(messages=[{"role": "user", "content": "Weather in Paris?"}],
                                                        tools=[tool], tool_choice="required", stream=True))
    arguments = "".join(call.function.arguments or "" for chunk in stream for choice in chunk.choices
                        for call in choice.delta.tool_calls or [])
    assert json.loads(arguments)["city"]
