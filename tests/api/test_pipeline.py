"""The chain of answer sources: its order across sources, steps that change whichever answer comes, the request's
cassette, and batch lines."""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import openai
import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.conftest import KEY, chat_body, sdk_client

HELLO = chat_body(messages=[{"role": "user", "content": "Hello recorded world"}])
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def cassettes(tmp_path: Path) -> Path:
    directory = tmp_path / "cassettes"
    directory.mkdir()
    return directory


def post(server, body: dict, **headers: str) -> httpx.Response:
    return httpx.post(server.base_url + "/chat/completions", json=body, headers={**AUTH, **headers}, timeout=30)


def admin(server, method: str, path: str, body: dict | None = None) -> httpx.Response:
    answer = httpx.request(method, server.root_url + path, json=body, headers=AUTH, timeout=30)
    answer.raise_for_status()
    return answer


def test_a_rule_answers_before_a_cassette(make_server, cassettes) -> None:
    write(cassettes, "hello", [interaction(HELLO, completion_json("Recorded hello!"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    admin(server, "POST", "/_mock/rules", {"contains": "recorded world", "reply": "From the rule.", "times": 1})
    first, second = post(server, HELLO), post(server, HELLO)
    assert first.json()["choices"][0]["message"]["content"] == "From the rule."
    assert second.json()["choices"][0]["message"]["content"] == "Recorded hello!"


def test_rate_limit_headers_ride_on_a_replayed_answer(make_server, cassettes) -> None:
    write(cassettes, "hello", [interaction(HELLO, completion_json("Recorded hello!"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), rate_limit_rpm=2)
    first = post(server, HELLO)
    assert first.json()["choices"][0]["message"]["content"] == "Recorded hello!"
    assert first.headers["x-ratelimit-limit-requests"] == "2" and first.headers["x-ratelimit-remaining-requests"] == "1"
    post(server, HELLO)
    refused = post(server, HELLO)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limit_exceeded"


def test_a_stream_fault_breaks_a_replayed_stream(make_server, cassettes) -> None:
    streamed = {**HELLO, "stream": True}
    write(cassettes, "hello", [interaction(streamed, stream_body(["One", " two", " three", " four"]))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client:
        stream = client.chat.completions.create(**streamed, extra_headers={"X-Mock-Fault": "stream-error; after=2"})
        with pytest.raises(openai.APIError):
            for _ in stream:
                pass
    entry = admin(server, "GET", "/_mock/journal").json()["data"][-1]
    assert entry["source"] == "fault:stream-error"


def test_a_stored_completion_is_kept_whichever_source_answers(make_server, cassettes) -> None:
    stored = {**HELLO, "store": True}
    write(cassettes, "hello", [interaction(stored, completion_json("Recorded hello!", id="chatcmpl-kept"))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))  # the retrieval misses, and is the store's
    with sdk_client(server) as client:
        client.chat.completions.create(**stored)
        assert client.chat.completions.retrieve("chatcmpl-kept").choices[0].message.content == "Recorded hello!"


def test_the_current_cassette_is_the_requests_own_not_a_header(make_server, cassettes) -> None:
    write(cassettes, "mine", [interaction(HELLO, completion_json("Mine."))])
    write(cassettes, "other", [interaction(HELLO, completion_json("Other."))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    admin(server, "PUT", "/_mock/cassettes/current", {"cassette": "mine"})
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "Mine."
    assert post(server, HELLO, **{"X-Cassette": "other"}).json()["choices"][0]["message"]["content"] == "Other."
    entries = admin(server, "GET", "/_mock/journal").json()["data"]
    assert [e["cassette"] for e in entries] == ["mine", "other"]
    assert "x-cassette" not in admin(server, "GET", f"/_mock/journal/{entries[0]['id']}").json()["headers"]
    assert [e["id"] for e in httpx.get(server.root_url + "/_mock/journal", params={"cassette": "mine"},
                                       headers=AUTH).json()["data"]] == [entries[0]["id"]]


def test_batch_lines_read_the_cassette_the_batch_request_names(make_server, cassettes) -> None:
    write(cassettes, "mine", [interaction(HELLO, completion_json("Mine."))])
    write(cassettes, "other", [interaction(HELLO, completion_json("Other."))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    line = {"custom_id": "one", "method": "POST", "url": "/v1/chat/completions", "body": HELLO}
    with sdk_client(server, default_headers={"X-Cassette": "other"}) as client:
        upload = client.files.create(file=("input.jsonl", json.dumps(line).encode() + b"\n"), purpose="batch")
        batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions",
                                      completion_window="24h")
        batch = client.batches.retrieve(batch.id)
        output = json.loads(client.files.content(batch.output_file_id).read())
    assert output["response"]["body"]["choices"][0]["message"]["content"] == "Other."


def test_files_answer_from_the_servers_own_state_in_strict_mode(make_server, cassettes) -> None:
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client:
        created = client.files.create(file=("notes.jsonl", b"{}\n"), purpose="batch")
        assert client.files.retrieve(created.id).filename == "notes.jsonl"
    missed = post(server, HELLO)
    assert missed.status_code == 404 and missed.json()["error"]["code"] == "cassette_miss"


def test_an_answer_marked_always_offloaded_is_made_on_a_worker_thread(make_server) -> None:
    import asyncio
    import threading

    from tornado.httputil import HTTPHeaders

    from dummy_openai_api.proxy.core.http import Reply, Request
    from dummy_openai_api.proxy.pipeline.chain import synthetic

    pipeline = make_server().app.services.pipeline
    seen: list[str] = []

    def answer() -> Reply:
        seen.append(threading.current_thread().name)
        return Reply.json({})

    async def both() -> None:
        for marked in (synthetic(answer), synthetic(offload="always")(lambda: answer())):
            outcome = pipeline.answer(Request("POST", "/v1/images/generations", HTTPHeaders(), b"{}"), marked)
            if not isinstance(outcome, Reply):
                await outcome
    asyncio.run(both())
    assert seen[0] == "MainThread" and seen[1].startswith("generate")
