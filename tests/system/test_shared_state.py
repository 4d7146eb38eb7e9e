"""One server across processes: `--workers 2` (the embedded SQLite store) and two replicas sharing one Redis
answer as one server would. Each request goes on a new connection, so the kernel (or the test, between two
replicas) spreads them over the processes; with `--state memory` each process keeps its own state and these
tests fail (an admin change reaching some processes only, stored objects 404 on the others, half a journal,
rate limits counted per process)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import httpx
import openai
import orjson
import pytest

from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, wait_for
from tests.redis_server import needs_redis
from tests.system.test_workers import start, stop

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")
HEADERS = {"Authorization": f"Bearer {KEY}"}


class Cluster:
    """Root URLs of one server's processes; request `i` goes to `roots[i % len(roots)]` on a new connection."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = roots

    def root(self, i: int) -> str:
        return self.roots[i % len(self.roots)]

    def post(self, i: int, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(self.root(i) + path, json=body, headers=HEADERS, timeout=60)

    def get(self, i: int, path: str) -> httpx.Response:
        return httpx.get(self.root(i) + path, headers=HEADERS, timeout=60)

    def sdk(self, i: int) -> openai.OpenAI:
        fresh = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), timeout=60)
        return openai.OpenAI(base_url=self.root(i) + "/v1", api_key=KEY, http_client=fresh, max_retries=0)


@pytest.fixture(params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    if request.param == "workers-sqlite":
        process, root = start("--workers", "2", "--mode", "synthetic", "--background-seconds", "60",
                              "--batch-seconds", "30")
        try:
            yield Cluster([root])
        finally:
            stop(process)
        return
    server = request.getfixturevalue("redis_server")
    args = ("--mode", "synthetic", "--state", server.url, "--access-log", "false", "--background-seconds", "60",
            "--batch-seconds", "30")
    with ServerProcess(tmp_path, *args) as first, ServerProcess(tmp_path, *args) as second:
        yield Cluster([first.root_url, second.root_url])


def test_an_admin_change_reaches_every_process_before_the_call_returns(cluster: Cluster) -> None:
    assert cluster.post(0, "/_mock/mode", {"mode": "strict"}).json() == {"mode": "strict"}
    statuses = {cluster.post(i, "/v1/chat/completions", chat_body()).status_code for i in range(40)}
    assert statuses == {404}  # a strict miss everywhere, no synthetic 200 from a process that missed the change
    rule = cluster.post(1, "/_mock/rules", {"reply": "from the shared rule"})
    assert rule.status_code == 201
    cluster.post(0, "/_mock/mode", {"mode": "synthetic"})
    answers = {cluster.post(i, "/v1/chat/completions", chat_body()).json()["choices"][0]["message"]["content"]
               for i in range(40)}
    assert answers == {"from the shared rule"}


def test_a_rule_for_the_next_two_requests_is_used_twice_in_all(cluster: Cluster) -> None:
    cluster.post(0, "/_mock/rules", {"fault": "500", "times": 2})
    statuses = [cluster.post(i, "/v1/chat/completions", chat_body()).status_code for i in range(12)]
    assert statuses == [500, 500] + [200] * 10


def test_stored_chat_completions_are_read_by_every_process(cluster: Cluster) -> None:
    ids = [cluster.post(i, "/v1/chat/completions",
                        chat_body(store=True, messages=[{"role": "user", "content": f"question {i}"}])).json()["id"]
           for i in range(10)]
    assert [cluster.sdk(i + 1).chat.completions.retrieve(cid).id for i, cid in enumerate(ids)] == ids
    listed = cluster.sdk(0).chat.completions.list(limit=100)
    assert sorted(c.id for c in listed.data) == sorted(ids)
    cluster.sdk(1).chat.completions.update(ids[0], metadata={"topic": "shared"})
    assert cluster.sdk(2).chat.completions.retrieve(ids[0]).metadata == {"topic": "shared"}
    assert cluster.sdk(3).chat.completions.delete(ids[1]).deleted
    assert {cluster.get(i, f"/v1/chat/completions/{ids[1]}").status_code for i in range(6)} == {404}


def test_previous_response_id_chains_continue_on_any_process(cluster: Cluster) -> None:
    previous = None
    for turn in range(10):
        response = cluster.sdk(turn).responses.create(model="gpt-4o-mini", input=f"turn {turn}: say more",
                                                      previous_response_id=previous)
        previous = response.id
    items = cluster.sdk(1).responses.input_items.list(previous)
    assert items.data
    history = cluster.post(0, "/v1/responses/input_tokens", {"model": "gpt-4o-mini", "input": "again",
                                                                "previous_response_id": previous})
    alone = cluster.post(1, "/v1/responses/input_tokens", {"model": "gpt-4o-mini", "input": "again"})
    assert history.json()["input_tokens"] > alone.json()["input_tokens"] * 5  # every earlier turn counted


def test_a_cancelled_or_deleted_response_is_so_on_every_process(cluster: Cluster) -> None:
    running = cluster.sdk(0).responses.create(model="gpt-4o-mini", input="slowly", background=True)
    assert cluster.sdk(1).responses.retrieve(running.id).status == "queued"  # 60 s of background work
    assert cluster.sdk(1).responses.cancel(running.id).status == "cancelled"
    assert {cluster.sdk(i).responses.retrieve(running.id).status for i in range(6)} == {"cancelled"}
    done = cluster.sdk(0).responses.create(model="gpt-4o-mini", input="keep me")
    assert {cluster.sdk(i).responses.retrieve(done.id).id for i in range(6)} == {done.id}  # read (and kept) by all
    assert cluster.sdk(3).responses.delete(done.id) is None
    assert {cluster.get(i, f"/v1/responses/{done.id}").status_code for i in range(6)} == {404}


def test_files_are_shared(cluster: Cluster) -> None:
    made = cluster.sdk(0).files.create(file=("notes.jsonl", b'{"a": 1}\n'), purpose="batch")
    assert {cluster.sdk(i).files.retrieve(made.id).filename for i in range(4)} == {"notes.jsonl"}
    assert {cluster.sdk(i).files.content(made.id).content for i in range(4)} == {b'{"a": 1}\n'}
    assert [f.id for f in cluster.sdk(1).files.list().data] == [made.id]
    assert cluster.sdk(2).files.delete(made.id).deleted
    assert {cluster.get(i, f"/v1/files/{made.id}").status_code for i in range(4)} == {404}


def test_an_upload_takes_parts_on_any_process(cluster: Cluster) -> None:
    upload = cluster.sdk(0).uploads.create(bytes=12, filename="parts.txt", mime_type="text/plain",
                                           purpose="assistants")
    first = cluster.sdk(1).uploads.parts.create(upload.id, data=b"hello ")
    second = cluster.sdk(2).uploads.parts.create(upload.id, data=b"world!")
    done = cluster.sdk(3).uploads.complete(upload.id, part_ids=[first.id, second.id])
    assert done.status == "completed" and done.file is not None
    assert {cluster.sdk(i).files.retrieve(done.file.id).bytes for i in range(4)} == {12}
    with pytest.raises(openai.BadRequestError, match="status 'completed'"):
        cluster.sdk(0).uploads.parts.create(upload.id, data=b"late")


def test_an_image_url_is_served_by_every_process(cluster: Cluster) -> None:
    answer = cluster.sdk(0).images.generate(model="dall-e-2", prompt="a kite", size="256x256", response_format="url")
    url = answer.data[0].url
    assert url is not None
    path = url[url.index("/v1/"):]
    fetched = [httpx.get(cluster.root(i) + path, timeout=60) for i in range(4)]
    assert {f.status_code for f in fetched} == {200} and len({f.content for f in fetched}) == 1


def test_a_batch_is_listed_retrieved_and_cancelled_on_any_process(cluster: Cluster) -> None:
    line = {"custom_id": "one", "method": "POST", "url": "/v1/chat/completions", "body": chat_body()}
    source = cluster.sdk(0).files.create(file=("in.jsonl", orjson.dumps(line) + b"\n"), purpose="batch")
    batch = cluster.sdk(1).batches.create(input_file_id=source.id, endpoint="/v1/chat/completions",
                                          completion_window="24h")  # 30 s of simulated work
    assert {cluster.sdk(i).batches.retrieve(batch.id).status for i in range(4)} <= {"validating", "in_progress"}
    assert [b.id for b in cluster.sdk(2).batches.list().data] == [batch.id]
    assert cluster.sdk(2).batches.cancel(batch.id).status == "cancelling"
    assert wait_for(lambda: cluster.sdk(3).batches.retrieve(batch.id).status == "cancelled", 30)
    assert {cluster.sdk(i).batches.retrieve(batch.id).status for i in range(4)} == {"cancelled"}


def test_voice_consents_and_voices_are_shared(cluster: Cluster) -> None:
    consent = cluster.sdk(0).audio.voice_consents.create(name="Jo", language="en-US",
                                                          recording=("c.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"))
    assert {cluster.sdk(i).audio.voice_consents.retrieve(consent.id).name for i in range(4)} == {"Jo"}
    cluster.sdk(1).audio.voice_consents.update(consent.id, name="Joan")
    assert [c.name for c in cluster.sdk(2).audio.voice_consents.list().data] == ["Joan"]
    voice = cluster.sdk(3).audio.voices.create(name="v", type="prompt", prompt="a calm narrator")
    assert cluster.sdk(0).audio.voices.delete(voice.id).deleted
    assert cluster.sdk(1).audio.voice_consents.delete(consent.id).deleted
    assert {cluster.get(i, f"/v1/audio/voice_consents/{consent.id}").status_code for i in range(4)} == {404}


def test_conversations_are_shared(cluster: Cluster) -> None:
    conversation = cluster.sdk(0).conversations.create(items=[{"type": "message", "role": "user",
                                                              "content": "first"}])
    cluster.sdk(1).conversations.items.create(conversation.id, items=[{"type": "message", "role": "user",
                                                                       "content": "second"}])
    cluster.sdk(2).responses.create(model="gpt-4o-mini", input="third", conversation=conversation.id)
    cluster.sdk(3).conversations.update(conversation.id, metadata={"k": "v"})
    texts = [item.content[0].text for item in cluster.sdk(4).conversations.items.list(conversation.id, order="asc")
             if item.type == "message"]
    assert texts[:3] == ["first", "second", "third"] and len(texts) == 4
    assert cluster.sdk(5).conversations.retrieve(conversation.id).metadata == {"k": "v"}


def test_one_journal_lists_every_request_in_order(cluster: Cluster) -> None:
    cluster.post(0, "/_mock/reset", {})
    for i in range(20):
        cluster.post(i, "/v1/chat/completions", chat_body(messages=[{"role": "user", "content": f"request {i}"}]))
    # Polled: each process writes its answered requests in batches and a reader waits 75 ms for them; on a busy
    # machine a process may write its batch later (with `--state memory` the total never gets there).
    assert wait_for(lambda: cluster.get(1, "/_mock/journal").json()["total"] >= 20, 30)
    journal = cluster.get(1, "/_mock/journal").json()
    assert journal["total"] == 20
    assert [e["body"]["messages"][0]["content"] for e in journal["data"]] == [f"request {i}" for i in range(20)]
    since = journal["data"][-1]["id"]
    cluster.post(0, "/v1/embeddings", {"model": "text-embedding-3-small", "input": "later"})
    assert wait_for(lambda: cluster.get(1, f"/_mock/journal?since={since}").json()["data"], 30)
    assert [e["path"] for e in cluster.get(1, f"/_mock/journal?since={since}").json()["data"]] == ["/v1/embeddings"]


def test_rate_limits_count_per_key_across_processes(cluster: Cluster) -> None:
    # 3 a minute: the budget gains a request back only after 20 s, far longer than 8 requests take on a busy machine
    cluster.post(0, "/_mock/ratelimits", {"rpm": 3})
    statuses = [cluster.post(i, "/v1/chat/completions", chat_body()).status_code for i in range(8)]
    assert statuses == [200] * 3 + [429] * 5
    remaining = cluster.get(1, "/_mock/ratelimits").json()["keys"]
    assert [k["remaining_requests"] for k in remaining.values()] == [0]
    cluster.post(1, "/_mock/ratelimits", {"advance_seconds": 60})
    assert cluster.post(0, "/v1/chat/completions", chat_body()).status_code == 200


def test_a_reset_on_one_process_resets_them_all(cluster: Cluster) -> None:
    stored = cluster.post(0, "/v1/chat/completions", chat_body(store=True)).json()["id"]
    cluster.post(1, "/_mock/rules", {"fault": "500"})
    cluster.post(0, "/_mock/mode", {"mode": "strict"})
    assert cluster.post(1, "/_mock/reset", {}).json() == {"reset": True, "mode": "synthetic"}
    assert {cluster.post(i, "/v1/chat/completions", chat_body()).status_code for i in range(10)} == {200}
    assert {cluster.get(i, f"/v1/chat/completions/{stored}").status_code for i in range(4)} == {404}
    assert cluster.get(0, "/_mock/rules").json()["data"] == []
