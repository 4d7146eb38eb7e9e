"""`--workers N`: several processes on one port, stopped together, recording without duplicates or losses."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, ROOT, chat_body

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """main.py with the given flags; returns the process and its base URL once every worker is ready. The port
    was free when chosen, but another process of a busy machine may take it first: then another is tried."""
    from dummy_openai_api.proxy.launch.workers import free_port
    for _ in range(3):
        port = free_port("127.0.0.1")
        process = subprocess.Popen([sys.executable, "main.py", "--port", str(port), "--access-log", "false", *args],
                                   cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
        ready, said = 0, []
        deadline = time.monotonic() + 60
        while ready < int(args[args.index("--workers") + 1]) and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break  # it ended (a port taken meanwhile, or a bug: said shows which)
            ready += "Dummy OpenAI API on" in line
            said.append(line)
        if ready:
            # Read what it logs from now on, or a full pipe would one day stop the server in mid-write.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, f"http://127.0.0.1:{port}"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the workers with it
        process.wait(30)
    raise AssertionError("no worker became ready: " + "".join(said)[-2000:])


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0


def test_two_workers_share_the_port_and_stop_together(tmp_path) -> None:
    process, root = start("--workers", "2", "--mode", "synthetic")
    try:
        pids = {httpx.get(root + "/health").json()["pid"] for _ in range(60)}  # a new connection each time
        assert len(pids) == 2 and process.pid not in pids
        answer = httpx.post(root + "/v1/chat/completions", json=chat_body(), headers={"Authorization": f"Bearer {KEY}"})
        assert answer.status_code == 200
    finally:
        stop(process)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_workers_record_each_request_once(tmp_path, make_server) -> None:
    upstream = make_server(api_key="sk-upstream")
    cassettes = tmp_path / "cassettes"
    process, root = start("--workers", "2", "--mode", "record", "--cassettes", str(cassettes),
                          "--upstream", upstream.base_url, "--upstream-key", "sk-upstream")
    try:
        body = chat_body(messages=[{"role": "user", "content": "recorded once by two workers"}])
        answers = {httpx.post(root + "/v1/chat/completions", json=body,
                              headers={"Authorization": f"Bearer {KEY}"}).json()["id"] for _ in range(20)}
        assert len(answers) == 1
    finally:
        stop(process)
    assert len(read_cassette(cassettes / "recorded.yaml")) == 1


def test_record_all_with_two_workers_keeps_every_answered_recording(tmp_path, make_server) -> None:
    """Each worker's first recording of a key replaced the older recordings of it, including the ones the
    other worker had just made and answered: 20 answers, 18 recordings kept. Only the old run's may go."""
    upstream = make_server(api_key="sk-upstream")
    cassettes = tmp_path / "cassettes"
    body = chat_body(messages=[{"role": "user", "content": "re-recorded by two workers"}])
    write(cassettes, "recorded", [interaction(body, completion_json("from an earlier run", id="chatcmpl-old"))])
    process, root = start("--workers", "2", "--mode", "record-all", "--cassettes", str(cassettes),
                          "--upstream", upstream.base_url, "--upstream-key", "sk-upstream")
    try:
        statuses = [httpx.post(root + "/v1/chat/completions", json=body, timeout=60,  # a new connection each:
                               headers={"Authorization": f"Bearer {KEY}"}).status_code for _ in range(20)]
        pids = {httpx.get(root + "/health").json()["pid"] for _ in range(20)}  # the kernel spread them
    finally:
        stop(process)
    assert statuses == [200] * 20 and len(pids) == 2
    kept = read_cassette(cassettes / "recorded.yaml")
    assert len(kept) == 20
    assert not [i for i in kept if b"chatcmpl-old" in i.response_body]
