"""/v1/batches through the official SDK: lines answered like direct requests, the status sequence, the files."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai.types import CreateEmbeddingResponse
from openai.types.chat import ChatCompletion

from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import chat_body, journal, sdk_client

ORDER = ["validating", "in_progress", "finalizing", "completed"]


@pytest.fixture(autouse=True)
def clean(admin: httpx.Client) -> None:
    """Every test starts with no files and no batches."""


def line(custom_id: str, url: str = "/v1/chat/completions", **body: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body or chat_body()}


def input_file(client: openai.OpenAI, lines: list[Any]) -> str:
    text = "\n".join(item if isinstance(item, str) else json.dumps(item) for item in lines) + "\n"
    return client.files.create(file=("input.jsonl", text.encode()), purpose="batch").id


def run(client: openai.OpenAI, lines: list[Any], endpoint: str = "/v1/chat/completions") -> openai.types.Batch:
    created = client.batches.create(input_file_id=input_file(client, lines), endpoint=endpoint,
                                    completion_window="24h", metadata={"job": "nightly"})
    assert created.status == "validating"
    return client.batches.retrieve(created.id)


def read_lines(client: openai.OpenAI, file_id: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in client.files.content(file_id).read().decode().splitlines()]


def test_every_line_is_answered_and_parses(client: openai.OpenAI) -> None:
    lines = [line(f"q{i}", **chat_body(messages=[{"role": "user", "content": f"Name a colour, {i}"}]))
             for i in range(20)]  # more than the lines answered at once: the files keep the input's order
    batch = run(client, lines)
    assert batch.status == "completed" and batch.error_file_id is None
    assert batch.request_counts.model_dump() == {"total": 20, "completed": 20, "failed": 0}
    assert batch.completed_at and batch.in_progress_at and batch.finalizing_at and batch.metadata == {"job": "nightly"}
    output = read_lines(client, batch.output_file_id)
    assert [o["custom_id"] for o in output] == [f"q{i}" for i in range(20)]
    completions = [ChatCompletion.model_validate(o["response"]["body"]) for o in output]
    assert all(o["error"] is None and o["response"]["status_code"] == 200 for o in output)
    assert all(o["id"].startswith("batch_req_") and o["response"]["request_id"].startswith("req_") for o in output)
    assert batch.usage is not None
    assert batch.usage.input_tokens == sum(c.usage.prompt_tokens for c in completions)
    assert batch.usage.output_tokens == sum(c.usage.completion_tokens for c in completions)
    assert client.files.retrieve(batch.output_file_id).purpose == "batch_output"


def test_a_line_answers_as_the_direct_request_does(client: openai.OpenAI) -> None:
    body = chat_body(messages=[{"role": "user", "content": "What is 2 + 2?"}], seed=3)
    direct = client.chat.completions.create(**body)
    output = read_lines(client, run(client, [line("same", **body)]).output_file_id)
    answered = ChatCompletion.model_validate(output[0]["response"]["body"])
    assert answered.choices[0].message.content == direct.choices[0].message.content


def test_a_refused_line_goes_to_the_error_file(client: openai.OpenAI) -> None:
    batch = run(client, [line("good"), line("bad", model="gpt-4o-mini")])
    assert batch.request_counts.model_dump() == {"total": 2, "completed": 1, "failed": 1}
    errors = read_lines(client, batch.error_file_id)
    assert errors[0]["custom_id"] == "bad"
    assert errors[0]["response"]["status_code"] == 400
    assert errors[0]["response"]["body"]["error"]["param"] == "messages"


def test_an_embeddings_batch(client: openai.OpenAI) -> None:
    lines = [line(f"e{i}", "/v1/embeddings", model="text-embedding-3-small", input=f"text {i}") for i in range(3)]
    batch = run(client, lines, "/v1/embeddings")
    for output in read_lines(client, batch.output_file_id):
        assert len(CreateEmbeddingResponse.model_validate(output["response"]["body"]).data[0].embedding) == 1536


@pytest.mark.parametrize("lines,code,number", [
    ([line("a"), line("a")], "duplicate_custom_id", 2),
    ([line("a"), {**line("b"), "method": "GET"}], "invalid_method", 2),
    ([{**line("a"), "url": "/v1/embeddings"}], "invalid_url", 1),
    ([line("a"), "{not json"], "invalid_json_line", 2),
    ([{"method": "POST", "url": "/v1/chat/completions", "body": {}}], "missing_required_parameter", 1),
    ([""], "empty_file", None),
])
def test_an_invalid_input_file_fails_the_batch(client: openai.OpenAI, lines: list, code: str,
                                               number: int | None) -> None:
    batch = run(client, lines)
    assert batch.status == "failed" and batch.failed_at is not None
    assert batch.output_file_id is None and batch.request_counts.total == 0
    assert batch.errors is not None and batch.errors.object == "list"
    assert [(e.code, e.line) for e in batch.errors.data] == [(code, number)]


def test_one_model_per_batch(client: openai.OpenAI) -> None:
    batch = run(client, [line("a"), line("b", **chat_body(model="gpt-4o"))])
    assert batch.status == "failed" and batch.errors.data[0].code == "mismatched_model"


@pytest.mark.parametrize("changes,status,param", [
    ({"endpoint": "/v1/nope"}, 400, "endpoint"),
    ({"completion_window": "1h"}, 400, "completion_window"),
    ({"input_file_id": "file-nope"}, 404, "id"),
])
def test_create_refuses_bad_fields(client: openai.OpenAI, http: httpx.Client, changes: dict, status: int,
                                   param: str) -> None:
    body = {"input_file_id": input_file(client, [line("a")]), "endpoint": "/v1/chat/completions",
            "completion_window": "24h", **changes}
    answer = http.post("/v1/batches", json=body)
    assert answer.status_code == status
    assert answer.json()["error"]["param"] == param


def test_the_input_file_must_have_purpose_batch(client: openai.OpenAI) -> None:
    other = client.files.create(file=("input.jsonl", json.dumps(line("a")).encode()), purpose="user_data")
    with pytest.raises(openai.BadRequestError, match="purpose 'batch'"):
        client.batches.create(input_file_id=other.id, endpoint="/v1/chat/completions", completion_window="24h")


def test_list_retrieve_and_unknown_ids(client: openai.OpenAI, http: httpx.Client) -> None:
    ids = [run(client, [line("a")]).id for _ in range(3)]
    assert [b.id for b in client.batches.list(limit=2)] == ids[::-1]
    page = http.get("/v1/batches", params={"limit": 1}).json()
    assert (page["object"], page["has_more"], page["first_id"]) == ("list", True, ids[2])
    for method, path in (("GET", "/v1/batches/batch_nope"), ("POST", "/v1/batches/batch_nope/cancel")):
        answer = http.request(method, path)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "batch_not_found"


def test_a_finished_batch_cannot_be_cancelled(client: openai.OpenAI) -> None:
    batch = run(client, [line("a")])
    with pytest.raises(openai.BadRequestError, match="completed"):
        client.batches.cancel(batch.id)


def poll(client: openai.OpenAI, batch_id: str, until: tuple[str, ...]) -> list[str]:
    """The statuses seen while polling, until one of `until` (bounded at 30 s)."""
    seen: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = client.batches.retrieve(batch_id).status
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in until:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"batch still {seen[-1]} after 30 s")


def test_a_paced_batch_walks_the_status_sequence(make_server) -> None:
    server = make_server(batch_seconds=4)  # the first poll must come before the end: 1.5 s was within a busy machine's reach
    with sdk_client(server) as client:
        created = client.batches.create(input_file_id=input_file(client, [line("a"), line("b")]),
                                        endpoint="/v1/chat/completions", completion_window="24h")
        seen = poll(client, created.id, ("completed",))
        assert len(seen) >= 2 and seen == sorted(seen, key=ORDER.index)
        assert client.batches.retrieve(created.id).request_counts.completed == 2


def test_cancel_goes_through_cancelling_to_cancelled(make_server) -> None:
    server = make_server(batch_seconds=600)
    with sdk_client(server) as client:
        created = client.batches.create(input_file_id=input_file(client, [line("a")]),
                                        endpoint="/v1/chat/completions", completion_window="24h")
        cancelling = client.batches.cancel(created.id)
        assert cancelling.status == "cancelling" and cancelling.cancelling_at is not None
        assert poll(client, created.id, ("cancelled",))[-1] == "cancelled"
        assert client.batches.retrieve(created.id).cancelled_at is not None


def test_a_batch_past_its_window_expires(make_server) -> None:
    server = make_server(batch_seconds=3, batch_window_seconds=0.5)
    with sdk_client(server) as client:
        created = client.batches.create(input_file_id=input_file(client, [line("a"), line("b")]),
                                        endpoint="/v1/chat/completions", completion_window="24h")
        assert poll(client, created.id, ("expired", "completed"))[-1] == "expired"
        batch = client.batches.retrieve(created.id)
        assert batch.expired_at is not None
        errors = read_lines(client, batch.error_file_id)
        assert [e["error"]["code"] for e in errors] == ["batch_expired", "batch_expired"]
        assert all(e["response"] is None for e in errors)


def test_lines_replay_from_recordings_of_the_single_calls(make_server, tmp_path: Path) -> None:
    body = chat_body(messages=[{"role": "user", "content": "recorded question"}])
    write(tmp_path / "cassettes", "chat", [interaction(body, completion_json("A recorded answer."))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(tmp_path / "cassettes"))
    with sdk_client(server) as client:
        batch = run(client, [line("rec", **body)])
        output = read_lines(client, batch.output_file_id)[0]
        assert output["response"]["body"]["choices"][0]["message"]["content"] == "A recorded answer."
        assert output["response"]["request_id"] == "req_recorded0000000000000000000001"


def test_output_expires_after_dates_the_output_file(client: openai.OpenAI) -> None:
    created = client.batches.create(input_file_id=input_file(client, [line("a")]), endpoint="/v1/chat/completions",
                                    completion_window="24h",
                                    output_expires_after={"anchor": "created_at", "seconds": 7200})
    output = client.files.retrieve(client.batches.retrieve(created.id).output_file_id)
    assert output.expires_at == output.created_at + 7200
    with pytest.raises(openai.BadRequestError) as refused:
        client.batches.create(input_file_id=created.input_file_id, endpoint="/v1/chat/completions",
                              completion_window="24h", output_expires_after={"anchor": "created_at", "seconds": 60})
    assert refused.value.body["param"] == "output_expires_after.seconds"


def test_a_batch_records_its_lines_and_replays_them_strictly(make_server, tmp_path: Path) -> None:
    """Record mode forwards each line to the upstream as a single call; strict replay answers the same batch."""
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream")
    cassettes = tmp_path / "recorded"
    lines = [line(f"r{i}", **chat_body(messages=[{"role": "user", "content": f"Count to {i}"}])) for i in range(2)]
    recorder = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url,
                           upstream_key="sk-upstream")
    with sdk_client(recorder) as client:
        recorded = read_lines(client, run(client, lines).output_file_id)
    assert recorder.app.services.store.summary()["recorded"]["POST /chat/completions"]["record"] == 2
    replayer = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(replayer) as client:
        replayed = read_lines(client, run(client, lines).output_file_id)
    assert [r["response"]["body"] for r in replayed] == [r["response"]["body"] for r in recorded]


def test_output_beyond_the_files_budget_fails_the_batch(make_server) -> None:
    server = make_server(files_budget_mb=0.02)
    with sdk_client(server) as client:
        lines = [line(f"e{i}", "/v1/embeddings", model="text-embedding-3-small", input=f"text {i}") for i in range(2)]
        batch = run(client, lines, "/v1/embeddings")
        assert batch.status == "failed" and batch.errors.data[0].code == "server_error"
        assert "--files-budget-mb" in batch.errors.data[0].message


def test_lines_appear_in_the_journal_like_direct_requests(client: openai.OpenAI, admin: httpx.Client) -> None:
    run(client, [line("a"), line("b", model="gpt-4o-mini")])
    answered = [(e["path"], e["status"]) for e in journal(admin) if e["path"] == "/v1/chat/completions"]
    assert sorted(answered) == [("/v1/chat/completions", 200), ("/v1/chat/completions", 400)]
