"""Vector stores and fine-tuning jobs on SQLite and a real Redis: bounded as in memory (nothing grows on the
backend without end), and two processes' stores over one backend (two store objects here) changing one vector
store at once both keep their change."""
from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Iterator

import pytest

from dummy_openai_api.generators.catalog.models import Catalogue
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.launch.workers import free_port
from dummy_openai_api.proxy.pipeline.services import ModelRegistry
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import Generations
from dummy_openai_api.proxy.state.shared.files import SharedFileStore
from dummy_openai_api.proxy.state.shared.fine_tuning import SharedFineTuningStore, SharedModels
from dummy_openai_api.proxy.state.shared.table import Table, open_backend
from dummy_openai_api.proxy.state.shared.vector_stores import CHUNKS, SharedVectorStores
from dummy_openai_api.proxy.validation import fine_tuning as checks
from tests.redis_server import RedisServer, require_redis

BUDGET = 10_000_000


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    server = None
    if request.param == "redis":
        require_redis()
        server = RedisServer(tmp_path, free_port("127.0.0.1")).start()
    made = open_backend(server.url if server else f"sqlite:///{tmp_path}/state.db")
    assert made is not None
    yield made
    made.close()
    if server:
        server.stop()


def process(backend: Backend, limit: int = 1000) -> tuple[SharedFileStore, SharedVectorStores]:
    """What one process keeps over the backend: its files and vector stores (each with what it read)."""
    files = SharedFileStore(backend, BUDGET)
    return files, SharedVectorStores(backend, files, BUDGET, limit)


def text_file(files: SharedFileStore, text: str) -> str:
    return files.add("notes.txt", "assistants", text.encode())["id"]  # type: ignore[no-any-return]


def test_vector_stores_are_bounded_by_count_least_recently_active_first(backend: Backend) -> None:
    files, stores = process(backend, limit=2)
    first, second = (stores.create({"file_ids": [text_file(files, f"note {n} about the moon")]})["id"]
                     for n in (1, 2))
    stores.search([first], ["moon"], None, 5)  # `first` is now the more recently active
    third = stores.create({"name": "third"})["id"]
    assert [s["id"] for s in stores.page({"limit": 10})["data"]] == [first, third]
    assert len(backend.values(CHUNKS)) == 1  # the chunks of `second` left with it


def test_chunks_leave_the_backend_with_their_attachment(backend: Backend) -> None:
    files, stores = process(backend)
    kept, detached, deleted = (text_file(files, f"note {n}") for n in range(3))
    store = stores.create({"file_ids": [kept, detached, deleted]})["id"]
    stores.attach(store, kept, {"again": True}, None)  # attached again: its old chunks go
    stores.detach(store, detached)
    files.delete(deleted)
    assert [f["id"] for f in stores.files_page(store, {"limit": 10})["data"]] == [kept]
    assert len(backend.values(CHUNKS)) == 1
    stores.delete(store)
    assert backend.values(CHUNKS) == []


def test_two_processes_attaching_to_one_store_at_once_both_keep_their_file(backend: Backend) -> None:
    (files, one), (_, other) = process(backend), process(backend)
    store = one.create({"name": "shared"})["id"]
    ids = [text_file(files, f"note {n} on tides") for n in range(20)]

    def attach(stores: SharedVectorStores, mine: list[str]) -> None:
        for file_id in mine:
            stores.attach(store, file_id, None, None)
    threads = [threading.Thread(target=attach, args=(s, ids[i::2])) for i, s in enumerate((one, other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(f["id"] for f in other.files_page(store, {"limit": 100})["data"]) == sorted(ids)
    assert len(one.search([store], ["tides"], None, 50)) == 20


def test_fine_tuning_jobs_are_bounded_oldest_finished_first(backend: Backend) -> None:
    files = SharedFileStore(backend, BUDGET)
    models = ModelRegistry(Catalogue.default(), any_model=False)
    models.fine_tuned = SharedModels(Table(backend, "fine_tuned_models"), Generations(backend))
    jobs = SharedFineTuningStore(backend, files, models, limit=2)
    examples = [{"messages": [{"role": "user", "content": f"Q{n}?"}, {"role": "assistant", "content": f"A{n}"}]}
                for n in range(12)]
    training = files.add("train.jsonl", "fine-tune", "\n".join(map(json.dumps, examples)).encode())["id"]
    body = checks.create_body({"model": "gpt-4o-mini", "training_file": training})
    finished = jobs.create(body)
    asyncio.run(jobs.run(finished))
    assert jobs.get(finished.object["id"]).object["status"] == "succeeded"
    waiting = jobs.create(body)  # not run: still validating files
    newest = jobs.create(body)  # the finished job makes room
    assert [r["object"]["id"] for r in jobs.table.values()] == [waiting.object["id"], newest.object["id"]]
    with pytest.raises(APIError) as refused:
        jobs.create(body)
    assert refused.value.status == 429
