"""The `--state` backends keep one contract: SQLite and a real Redis answer every call alike."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pytest

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.launch.workers import free_port
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.table import Table, open_backend
from tests.redis_server import RedisServer, require_redis


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        made = open_backend(f"sqlite:///{tmp_path}/state.db")
        assert made is not None
        yield made
        made.close()
        return
    require_redis()
    server = RedisServer(tmp_path, free_port("127.0.0.1")).start()
    made = open_backend(server.url)
    assert made is not None
    yield made
    made.close()
    server.stop()


def test_a_table_keeps_insertion_order_and_its_limit(backend: Backend) -> None:
    table = Table(backend, "things", limit=3)
    for name in "abcd":
        table.put(name, {"name": name})
    assert [v["name"] for v in table.values()] == ["b", "c", "d"]
    assert table.get("a") is None and table.get("b") == {"name": "b"}
    table.put("b", {"name": "b2"})  # a put makes it the newest
    assert [v["name"] for v in table.values()] == ["c", "d", "b2"]
    table.update("c", lambda v: {**v, "changed": True})  # an update keeps its place
    assert table.values()[0] == {"name": "c", "changed": True}
    assert table.delete("c") and not table.delete("c")
    table.put_many({"e": 1, "f": 2})
    assert table.values() == [{"name": "b2"}, 1, 2]
    table.clear()
    assert table.values() == []


def test_read_modify_write_is_atomic_across_clients(backend: Backend, tmp_path: Path) -> None:
    table = Table(backend, "counts")

    def add_many() -> None:
        for _ in range(50):
            table.update("n", lambda v: (v or 0) + 1)
    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert table.get("n") == 200


def test_counters_claims_and_logs(backend: Backend) -> None:
    assert [backend.incr("c", "x"), backend.incr("c", "x", 5), backend.incr("c", "y")] == [1, 6, 1]
    assert backend.counts("c") == {"x": 6, "y": 1}
    assert backend.claim("claims", "k") and not backend.claim("claims", "k")
    backend.append("log", [b"one", b"two"], keep=1000)
    backend.append("log", [b"three"], keep=1000)
    records = backend.tail("log", 2)
    assert [r for _, r in records] == [b"two", b"three"] and records[0][0] < records[1][0]
    backend.clear("log", "c")
    assert backend.tail("log", 10) == [] and backend.counts("c") == {}


def test_an_unreachable_redis_is_a_503() -> None:
    made = open_backend(f"redis://127.0.0.1:{free_port('127.0.0.1')}/0")
    assert made is not None
    with pytest.raises(APIError) as caught:
        made.get("t", "k")
    assert caught.value.status == 503 and caught.value.code == "state_unavailable"
