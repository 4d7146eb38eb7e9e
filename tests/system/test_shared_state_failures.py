"""Shared state when things break: a killed worker, a restarted Redis, a Redis full to `maxmemory`. Nothing a
client was told succeeded is lost, and what cannot be done is a 503 in the API's error shape, never a 500."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from dummy_openai_api.proxy.launch.workers import free_port
from tests.conftest import KEY, ROOT, chat_body
from tests.processes import ServerProcess, wait_for
from tests.redis_server import RedisServer, needs_redis, require_redis
from tests.system.test_workers import start

HEADERS = {"Authorization": f"Bearer {KEY}"}
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")


def store_one(root: str, text: str) -> httpx.Response:
    return httpx.post(root + "/v1/chat/completions", headers=HEADERS, timeout=60,
                      json=chat_body(store=True, messages=[{"role": "user", "content": text}]))


def read(root: str, completion_id: str) -> int:
    return httpx.get(f"{root}/v1/chat/completions/{completion_id}", headers=HEADERS, timeout=60).status_code


def survivors(root: str) -> set[int]:
    """The pids that answer ten new connections (a connection queued at the killed worker is reset)."""
    try:
        return {httpx.get(root + "/health").json()["pid"] for _ in range(10)}
    except httpx.TransportError:
        return set()


def assert_unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    error = answer.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == "state_unavailable" and "Traceback" not in answer.text


def test_a_killed_worker_loses_nothing_acknowledged() -> None:
    process, root = start("--workers", "2", "--mode", "synthetic")
    try:
        ids = [store_one(root, f"kept {i}").json()["id"] for i in range(10)]
        pids = {httpx.get(root + "/health").json()["pid"] for _ in range(40)}
        assert len(pids) == 2
        victim = pids.pop()
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: survivors(root) == pids, 30)
        assert [read(root, cid) for cid in ids] == [200] * 10
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


@pytest.fixture
def redis_dir(tmp_path: Path) -> Path:
    require_redis()
    directory = tmp_path / "redis"
    directory.mkdir()
    return directory


@needs_redis
def test_a_killed_replica_and_a_restarted_redis_lose_nothing_acknowledged(redis_dir: Path, tmp_path: Path) -> None:
    redis = RedisServer(redis_dir, free_port("127.0.0.1")).start()
    args = ("--mode", "synthetic", "--state", redis.url, "--access-log", "false")
    try:
        with ServerProcess(tmp_path, *args) as first, ServerProcess(tmp_path, *args) as second:
            ids = [store_one((first, second)[i % 2].root_url, f"kept {i}").json()["id"] for i in range(10)]
            first.kill()
            assert [read(second.root_url, cid) for cid in ids] == [200] * 10
            redis.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            redis.process.wait(30)  # type: ignore[union-attr]
            assert_unavailable(store_one(second.root_url, "not kept"))
            assert_unavailable(httpx.get(second.root_url + "/_mock/journal", headers=HEADERS))
            assert read(second.root_url, ids[0]) == 200  # read before: kept by this replica, unchanged since
            assert_unavailable(httpx.get(f"{second.root_url}/v1/chat/completions/chatcmpl-unknown", headers=HEADERS))
            plain = httpx.post(second.root_url + "/v1/chat/completions", headers=HEADERS, json=chat_body())
            assert plain.status_code == 200  # an answer that needs no shared state goes on
            redis.start()
            assert wait_for(lambda: store_one(second.root_url, "after the restart").status_code == 200, 30)
            with ServerProcess(tmp_path, *args) as third:  # a new replica reads them all from the restarted Redis
                assert [read(third.root_url, cid) for cid in ids] == [200] * 10
    finally:
        redis.stop()


@needs_redis
def test_a_full_redis_is_a_503_and_keeps_what_it_acknowledged(redis_dir: Path, tmp_path: Path) -> None:
    redis = RedisServer(redis_dir, free_port("127.0.0.1"), "--maxmemory", "3mb",
                        "--maxmemory-policy", "noeviction").start()
    try:
        with ServerProcess(tmp_path, "--mode", "synthetic", "--state", redis.url) as server:
            kept, refused = [], None
            for i in range(200):
                answer = store_one(server.root_url, f"{i} " + "x" * 100_000)
                if answer.status_code != 200:
                    refused = answer
                    break
                kept.append(answer.json()["id"])
            assert refused is not None and kept, "Redis never filled up"
            assert_unavailable(refused)
            assert "maxmemory" in refused.json()["error"]["message"]
            assert [read(server.root_url, cid) for cid in kept] == [200] * len(kept)
    finally:
        redis.stop()


def test_an_unreachable_or_misspelt_state_fails_at_start_up(tmp_path: Path) -> None:
    port = free_port("127.0.0.1")
    for state, said in ((f"redis://:hunter2@127.0.0.1:{port}/0", "state store is unavailable"),
                        ("postgres://db/state", "expected memory, sqlite:///PATH or redis://HOST:PORT/DB")):
        done = subprocess.run([sys.executable, "main.py", "--port", "0", "--state", state], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and said in done.stderr, done.stderr
        assert "hunter2" not in done.stderr + done.stdout and "Traceback" not in done.stderr
