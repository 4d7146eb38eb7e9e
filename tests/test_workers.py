"""`--workers N`: several processes on one port, stopped together, recording without duplicates."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from proxy.cassette_format import read_cassette
from tests.conftest import KEY, ROOT, chat_body

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """main.py with the given flags; returns the process and its base URL once every worker is ready."""
    from proxy.workers import free_port
    port = free_port("127.0.0.1")
    process = subprocess.Popen([sys.executable, "main.py", "--port", str(port), "--access-log", "false", *args],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
    ready = 0
    deadline = time.monotonic() + 60
    while ready < int(args[args.index("--workers") + 1]) and time.monotonic() < deadline:
        line = process.stderr.readline()
        ready += "Dummy OpenAI API on" in line
    assert ready, "no worker became ready"
    return process, f"http://127.0.0.1:{port}"


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
