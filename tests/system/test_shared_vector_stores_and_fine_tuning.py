"""Vector stores and fine-tuning jobs across processes: `--workers 2` (the embedded SQLite store) and two
replicas on one Redis. Every read is made on each process in turn (a connection asks `/health` which process it
reached, and the read follows on that connection), so a store or job kept by one process only fails here."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import httpx
import openai
import pytest

from tests.conftest import KEY
from tests.processes import ServerProcess, wait_for
from tests.redis_server import needs_redis
from tests.system.test_workers import start, stop

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")
PROCESSES = 2
T = TypeVar("T")

HANDBOOK = ("Refunds reach the original card within five business days. Customers may send back any unworn "
            "item within 30 days of delivery.")
CANTEEN = "The office cafeteria serves lunch from noon to 2pm. Vegetarian meals are available every day."


class Cluster:
    def __init__(self, roots: list[str]) -> None:
        self.roots = roots

    def sdk(self, i: int) -> openai.OpenAI:
        """A client of process `i % 2` of two replicas, or of whichever worker each new connection reaches."""
        fresh = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), timeout=60)
        return openai.OpenAI(base_url=self.roots[i % len(self.roots)] + "/v1", api_key=KEY, http_client=fresh,
                             max_retries=0)

    def on_each(self, read: Callable[[openai.OpenAI], T]) -> dict[int, T]:
        """`read` made once on each process (by pid), over new connections until every process has answered."""
        answers: dict[int, T] = {}
        for attempt in range(200):
            root = self.roots[attempt % len(self.roots)]
            with httpx.Client(base_url=root, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as raw:
                pid = raw.get("/health").json()["pid"]
                if pid not in answers:  # the same connection, so the same process
                    answers[pid] = read(openai.OpenAI(base_url=root + "/v1", api_key=KEY, http_client=raw,
                                                      max_retries=0))
            if len(answers) == PROCESSES:
                return answers
        raise AssertionError(f"only {len(answers)} of {PROCESSES} processes answered")

    def same_on_each(self, read: Callable[[openai.OpenAI], Any]) -> Any:
        answers = list(self.on_each(read).values())
        assert all(answer == answers[0] for answer in answers), answers
        return answers[0]


def cluster_of(request: pytest.FixtureRequest, tmp_path: Path, *flags: str) -> Iterator[Cluster]:
    if request.param == "workers-sqlite":
        process, root = start("--workers", str(PROCESSES), "--mode", "synthetic", *flags)
        try:
            yield Cluster([root])
        finally:
            stop(process)
        return
    server = request.getfixturevalue("redis_server")
    args = ("--mode", "synthetic", "--state", server.url, "--access-log", "false", *flags)
    with ServerProcess(tmp_path, *args) as first, ServerProcess(tmp_path, *args) as second:
        yield Cluster([first.root_url, second.root_url])


@pytest.fixture(params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    """Fine-tuning jobs run to their end before `create` answers."""
    yield from cluster_of(request, tmp_path)


@pytest.fixture(params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def paced(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    """Fine-tuning jobs take 60 s: 10 validating files, 10 queued, 40 running."""
    yield from cluster_of(request, tmp_path, "--fine-tuning-seconds", "60")


def hits(client: openai.OpenAI, store_id: str, query: str) -> list[tuple[str, str]]:
    return [(r.file_id, r.content[0].text) for r in client.vector_stores.search(store_id, query=query).data]


def test_a_vector_store_made_on_one_process_is_read_and_searched_on_every_process(cluster: Cluster) -> None:
    maker = cluster.sdk(0)
    handbook = maker.files.create(file=("handbook.txt", HANDBOOK.encode()), purpose="assistants").id
    store = maker.vector_stores.create(name="handbook", metadata={"team": "support"})
    attached = maker.vector_stores.files.create(vector_store_id=store.id, file_id=handbook,
                                                attributes={"year": 2025})
    assert attached.status == "completed"
    assert cluster.same_on_each(lambda c: (c.vector_stores.retrieve(store.id).name,
                                           c.vector_stores.retrieve(store.id).file_counts.completed)) == ("handbook", 1)
    assert cluster.same_on_each(lambda c: [s.id for s in c.vector_stores.list().data]) == [store.id]
    assert cluster.same_on_each(lambda c: [(f.id, f.attributes) for f in c.vector_stores.files.list(store.id)]) \
        == [(handbook, {"year": 2025})]
    assert cluster.same_on_each(lambda c: hits(c, store.id, "How long do refunds take?")) == [(handbook, HANDBOOK)]

    def file_search(client: openai.OpenAI) -> list[str]:
        answer = client.responses.create(model="gpt-4o-mini", input="How long do refunds take to arrive?",
                                         tools=[{"type": "file_search", "vector_store_ids": [store.id]}],
                                         include=["file_search_call.results"])
        call = answer.output[0]
        assert call.type == "file_search_call"
        return [r.file_id for r in call.results or []]
    assert cluster.same_on_each(file_search) == [handbook]


def test_a_vector_store_changed_on_one_process_is_changed_on_every_process(cluster: Cluster) -> None:
    first, second = cluster.sdk(0), cluster.sdk(1)
    store = first.vector_stores.create(name="before")
    canteen = second.files.create(file=("canteen.txt", CANTEEN.encode()), purpose="assistants").id
    batch = second.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[canteen])
    assert cluster.same_on_each(lambda c: c.vector_stores.file_batches.retrieve(
        batch.id, vector_store_id=store.id).file_counts.completed) == 1
    second.vector_stores.update(store.id, name="after")
    assert cluster.same_on_each(lambda c: c.vector_stores.retrieve(store.id).name) == "after"
    first.vector_stores.files.delete(canteen, vector_store_id=store.id)
    assert cluster.same_on_each(lambda c: hits(c, store.id, "When is lunch served?")) == []
    second.vector_stores.delete(store.id)

    def gone(client: openai.OpenAI) -> bool:
        with pytest.raises(openai.NotFoundError):
            client.vector_stores.retrieve(store.id)
        return True
    assert cluster.same_on_each(gone)


def test_a_file_deleted_on_one_process_leaves_the_vector_stores_of_every_process(cluster: Cluster) -> None:
    maker = cluster.sdk(0)
    handbook = maker.files.create(file=("handbook.txt", HANDBOOK.encode()), purpose="assistants").id
    canteen = maker.files.create(file=("canteen.txt", CANTEEN.encode()), purpose="assistants").id
    store = maker.vector_stores.create(file_ids=[handbook, canteen])
    assert cluster.same_on_each(lambda c: len(hits(c, store.id, "refunds card lunch"))) == 2  # read everywhere
    assert cluster.sdk(1).files.delete(handbook).deleted
    assert cluster.same_on_each(lambda c: [f.id for f in c.vector_stores.files.list(store.id)]) == [canteen]
    assert cluster.same_on_each(lambda c: [h[0] for h in hits(c, store.id, "refunds card lunch")]) == [canteen]
    assert cluster.same_on_each(lambda c: c.vector_stores.retrieve(store.id).file_counts.total) == 1


def chat_examples() -> bytes:
    lines = [json.dumps({"messages": [{"role": "user", "content": f"Question {n}?"},
                                      {"role": "assistant", "content": f"A{n}"}]}) for n in range(12)]
    return "\n".join(lines).encode() + b"\n"


def test_a_finished_fine_tuning_job_and_its_model_are_known_to_every_process(cluster: Cluster) -> None:
    maker = cluster.sdk(0)
    training = maker.files.create(file=("train.jsonl", chat_examples()), purpose="fine-tune").id
    created = maker.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training, suffix="shared",
                                            metadata={"run": "one"})
    job = cluster.same_on_each(lambda c: c.fine_tuning.jobs.retrieve(created.id).to_dict())
    assert job["status"] == "succeeded" and job["fine_tuned_model"].startswith("ft:gpt-4o-mini-2024-07-18:")
    model = job["fine_tuned_model"]
    assert cluster.same_on_each(lambda c: [j.id for j in c.fine_tuning.jobs.list(metadata={"run": "one"})]) \
        == [created.id]
    events = cluster.same_on_each(lambda c: [e.message for e in c.fine_tuning.jobs.list_events(created.id, limit=100)])
    assert events[0] == "The job has successfully completed" and events[-1] == f"Created fine-tuning job: {created.id}"
    checkpoints = cluster.same_on_each(
        lambda c: [k.fine_tuned_model_checkpoint for k in c.fine_tuning.jobs.checkpoints.list(created.id)])
    assert checkpoints and all(name.startswith(model + ":ckpt-step-") for name in checkpoints)
    assert all(model in [m.id for m in models] for models in cluster.on_each(lambda c: c.models.list().data).values())
    assert cluster.same_on_each(lambda c: c.models.retrieve(model).owned_by) == job["organization_id"]
    answered = cluster.on_each(lambda c: c.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hello"}]).model)
    assert set(answered.values()) == {model}
    permission = cluster.sdk(1).fine_tuning.checkpoints.permissions.create(checkpoints[0], project_ids=["proj_a"])
    assert cluster.same_on_each(lambda c: [p.id for p in c.fine_tuning.checkpoints.permissions.list(
        checkpoints[0])]) == [permission.data[0].id]
    assert cluster.sdk(1).models.delete(model).deleted
    assert cluster.same_on_each(lambda c: model in [m.id for m in c.models.list().data]) is False


def test_a_running_fine_tuning_job_is_paused_resumed_and_cancelled_from_any_process(paced: Cluster) -> None:
    maker = paced.sdk(0)
    training = maker.files.create(file=("train.jsonl", chat_examples()), purpose="fine-tune").id
    created = maker.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training)
    assert set(paced.on_each(lambda c: c.fine_tuning.jobs.retrieve(created.id).status).values()) \
        <= {"validating_files", "queued", "running"}
    assert wait_for(lambda: paced.sdk(1).fine_tuning.jobs.retrieve(created.id).status == "running", 60)
    assert paced.sdk(1).fine_tuning.jobs.pause(created.id).status == "paused"
    assert paced.same_on_each(lambda c: c.fine_tuning.jobs.retrieve(created.id).status) == "paused"
    assert paced.sdk(0).fine_tuning.jobs.resume(created.id).status == "running"
    assert paced.sdk(1).fine_tuning.jobs.cancel(created.id).status == "cancelled"
    assert paced.same_on_each(lambda c: c.fine_tuning.jobs.retrieve(created.id).status) == "cancelled"
    messages = paced.same_on_each(lambda c: [e.message for e in c.fine_tuning.jobs.list_events(created.id, limit=100)
                                             if e.message.startswith("Fine-tuning job ")])  # not the steps'
    assert messages == ["Fine-tuning job cancelled", "Fine-tuning job resumed", "Fine-tuning job paused",
                        "Fine-tuning job started"]
    with pytest.raises(openai.BadRequestError, match="status 'cancelled'"):
        paced.sdk(0).fine_tuning.jobs.cancel(created.id)
