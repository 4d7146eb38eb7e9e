"""A Redis that answers slowly holds up only the requests that wait on it: the event loop goes on answering
`/health` and synthetic answers while a stored completion's read or write, a file's upload, an admin call, a
batch's or a fine-tuning job's creation or a picture's URL waits on it; fine-tuned models are answered from what
each process keeps."""
from __future__ import annotations

import json
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from dummy_openai_api.proxy.launch.workers import free_port
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess
from tests.redis_server import RedisServer, redis_available
from tests.system.test_shared_vector_stores_and_fine_tuning import chat_examples

HEADERS = {"Authorization": f"Bearer {KEY}"}
pytestmark = pytest.mark.skipif(not redis_available(), reason="redis-server is not installed")


class Gate:
    """A TCP relay in front of Redis that holds what clients send while it is shut (a Redis that is slow)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.open = threading.Event()
        self.open.set()
        self.held = threading.Semaphore(0)  # one release per message held at the shut gate
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, gated: bool) -> None:
        try:
            while data := source.recv(65536):
                if gated and not self.open.is_set():
                    self.held.release()
                    self.open.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def close(self) -> None:
        self.open.set()
        self.listener.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess, Gate]]:
    """A server on Redis through the gate, and a replica on the same Redis directly."""
    redis_server = RedisServer(tmp_path, free_port("127.0.0.1")).start()
    gate = Gate(redis_server.port)
    gated = ServerProcess(tmp_path, "--mode", "synthetic", "--state", f"redis://127.0.0.1:{gate.port}/0").start()
    direct = ServerProcess(tmp_path, "--mode", "synthetic", "--state", redis_server.url).start()
    try:
        yield gated, direct, gate
    finally:
        gate.close()
        gated.kill(signal.SIGTERM)
        direct.kill(signal.SIGTERM)
        redis_server.stop()


def answers_meanwhile(server: ServerProcess) -> None:
    assert httpx.get(server.root_url + "/health", timeout=30).status_code == 200
    chat = httpx.post(server.base_url + "/chat/completions", headers=HEADERS, json=chat_body(), timeout=30)
    assert chat.status_code == 200, chat.text


def test_a_read_waiting_on_redis_does_not_hold_up_the_process(servers: tuple[ServerProcess, ServerProcess,
                                                                              Gate]) -> None:
    gated, direct, gate = servers
    stored = httpx.post(direct.base_url + "/chat/completions", headers=HEADERS, json=chat_body(store=True),
                        timeout=30).json()["id"]  # made by the replica: not known to the gated server yet
    gate.open.clear()
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(httpx.get, f"{gated.base_url}/chat/completions/{stored}", headers=HEADERS,
                              timeout=60)
        assert gate.held.acquire(timeout=30)  # a round trip is under way at the shut gate
        answers_meanwhile(gated)
        assert not reading.done()
        gate.open.set()
        answer = reading.result(60)
    assert answer.status_code == 200 and answer.json()["id"] == stored


def test_a_write_waiting_on_redis_does_not_hold_up_the_process(servers: tuple[ServerProcess, ServerProcess,
                                                                               Gate]) -> None:
    gated, direct, gate = servers
    gate.open.clear()
    with ThreadPoolExecutor(1) as pool:
        storing = pool.submit(httpx.post, gated.base_url + "/chat/completions", headers=HEADERS,
                              json=chat_body(store=True), timeout=60)
        assert gate.held.acquire(timeout=30)
        answers_meanwhile(gated)
        gate.open.set()
        answer = storing.result(60)
    assert answer.status_code == 200
    stored = httpx.get(f"{direct.base_url}/chat/completions/{answer.json()['id']}", headers=HEADERS, timeout=30)
    assert stored.status_code == 200  # acknowledged, so on Redis for every process


def test_a_stored_response_waiting_on_redis_does_not_hold_up_the_process(
        servers: tuple[ServerProcess, ServerProcess, Gate]) -> None:
    gated, direct, gate = servers
    gate.open.clear()
    with ThreadPoolExecutor(1) as pool:
        creating = pool.submit(httpx.post, gated.base_url + "/responses", headers=HEADERS,
                               json={"model": "gpt-4o-mini", "input": "Keep this one."}, timeout=60)
        assert gate.held.acquire(timeout=30)
        answers_meanwhile(gated)
        gate.open.set()
        answer = creating.result(60)
    assert answer.status_code == 200, answer.text
    stored = httpx.get(f"{direct.base_url}/responses/{answer.json()['id']}", headers=HEADERS, timeout=30)
    assert stored.status_code == 200 and stored.json()["output"] == answer.json()["output"]


def held_up_request(gated: ServerProcess, direct: ServerProcess, kind: str) -> Callable[[], httpx.Response]:
    """A request of a route that answers from the server's own state, or of the admin API; what it reads is
    made beforehand on the replica."""
    if kind == "file upload":
        return lambda: httpx.post(gated.base_url + "/files", headers=HEADERS, data={"purpose": "assistants"},
                                  files={"file": ("notes.txt", b"kept on Redis")}, timeout=60)
    if kind == "file list":
        return lambda: httpx.get(gated.base_url + "/files", headers=HEADERS, timeout=60)
    if kind == "batch create":
        line = {"custom_id": "one", "method": "POST", "url": "/v1/chat/completions", "body": chat_body()}
        batch_input = upload(direct, "batch", "input.jsonl", json.dumps(line).encode() + b"\n")
        return lambda: httpx.post(gated.base_url + "/batches", headers=HEADERS, timeout=60, json={
            "input_file_id": batch_input, "endpoint": "/v1/chat/completions", "completion_window": "24h"})
    if kind == "fine-tuning job create":
        training = upload(direct, "fine-tune", "train.jsonl", chat_examples())
        return lambda: httpx.post(gated.base_url + "/fine_tuning/jobs", headers=HEADERS, timeout=60,
                                  json={"model": "gpt-4o-mini-2024-07-18", "training_file": training})
    if kind == "image content":
        made = httpx.post(direct.base_url + "/images/generations", headers=HEADERS, timeout=60, json={
            "model": "dall-e-2", "prompt": "a kite", "size": "256x256", "response_format": "url"})
        path = urlsplit(made.json()["data"][0]["url"]).path  # served by every process
        return lambda: httpx.get(gated.root_url + path, timeout=60)
    if kind == "admin read":
        return lambda: httpx.get(gated.root_url + "/_mock/counters", headers=HEADERS, timeout=60)
    assert kind == "admin change"
    return lambda: httpx.post(gated.root_url + "/_mock/rules", headers=HEADERS,
                              json={"fault": "500", "times": 1}, timeout=60)


def upload(server: ServerProcess, purpose: str, name: str, data: bytes) -> str:
    return httpx.post(server.base_url + "/files", headers=HEADERS, data={"purpose": purpose},
                      files={"file": (name, data)}, timeout=30).json()["id"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", ["file upload", "file list", "batch create", "fine-tuning job create",
                                  "image content", "admin read", "admin change"])
def test_own_state_and_admin_calls_waiting_on_redis_do_not_hold_up_the_process(
        servers: tuple[ServerProcess, ServerProcess, Gate], kind: str) -> None:
    gated, direct, gate = servers
    request = held_up_request(gated, direct, kind)
    gate.open.clear()
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(request)
        assert gate.held.acquire(timeout=30)
        if kind == "admin change":  # its rule is taken in by every request once it answers: none before
            assert httpx.get(gated.root_url + "/health", timeout=30).status_code == 200
        else:
            answers_meanwhile(gated)
        assert not waiting.done()
        gate.open.set()
        answer = waiting.result(60)
    assert answer.status_code in (200, 201), answer.text
    if kind == "file upload":
        listed = httpx.get(direct.base_url + "/files", headers=HEADERS, timeout=30).json()["data"]
        assert [f["id"] for f in listed] == [answer.json()["id"]]
    if kind in ("batch create", "fine-tuning job create"):  # run to its end (pace 0), on Redis for every process
        path = "/batches/" if kind == "batch create" else "/fine_tuning/jobs/"
        found = httpx.get(direct.base_url + path + answer.json()["id"], headers=HEADERS, timeout=30).json()
        assert found["status"] in ("completed", "succeeded"), found
    if kind == "admin change":
        faulted = httpx.post(direct.base_url + "/chat/completions", headers=HEADERS, json=chat_body(), timeout=30)
        assert faulted.status_code == 500

def test_fine_tuned_models_are_answered_from_what_the_process_keeps_while_redis_is_held(
        servers: tuple[ServerProcess, ServerProcess, Gate]) -> None:
    gated, direct, gate = servers
    training = httpx.post(direct.base_url + "/files", headers=HEADERS, data={"purpose": "fine-tune"},
                          files={"file": ("train.jsonl", chat_examples())}, timeout=30).json()["id"]
    job = httpx.post(direct.base_url + "/fine_tuning/jobs", headers=HEADERS, timeout=60,
                     json={"model": "gpt-4o-mini-2024-07-18", "training_file": training}).json()
    model = httpx.get(f"{direct.base_url}/fine_tuning/jobs/{job['id']}", headers=HEADERS,
                      timeout=30).json()["fine_tuned_model"]
    assert model in listed_models(gated)  # made on the replica, read here once
    gate.open.clear()
    try:  # no round trip needed: each answer comes while Redis holds whatever it is sent
        assert model in listed_models(gated)
        entry = httpx.get(f"{gated.base_url}/models/{model}", headers=HEADERS, timeout=30)
        assert entry.status_code == 200 and entry.json()["id"] == model
        chat = httpx.post(gated.base_url + "/chat/completions", headers=HEADERS, timeout=30,
                          json=chat_body(model=model))
        assert chat.status_code == 200 and chat.json()["model"] == model
        unknown = httpx.get(f"{gated.base_url}/models/ft:gpt-4o-mini-2024-07-18:none::x", headers=HEADERS,
                            timeout=30)
        assert unknown.status_code == 404
    finally:
        gate.open.set()
    deleted = httpx.delete(f"{gated.base_url}/models/{model}", headers=HEADERS, timeout=30)
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    assert model not in listed_models(direct)  # once the delete answers, no process lists it
    assert httpx.get(f"{direct.base_url}/models/{model}", headers=HEADERS, timeout=30).status_code == 404


def listed_models(server: ServerProcess) -> list[str]:
    return [m["id"] for m in httpx.get(server.base_url + "/models", headers=HEADERS, timeout=30).json()["data"]]
