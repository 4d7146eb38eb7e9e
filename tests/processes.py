"""The server as a separate process (`python main.py ...`): for what a thread cannot show, such as kill -9 or the
memory of the server alone."""
from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import httpx

from tests.conftest import ROOT

READY = re.compile(r"Dummy OpenAI API on (http://\S+?)/v1 ")


class ServerProcess:
    """`with ServerProcess(tmp_path, "--mode", "record", ...) as server:` until the block ends (or `kill()`)."""

    def __init__(self, workdir: Path, *args: str, env: dict[str, str] | None = None,
                 open_files: tuple[int, int] | None = None) -> None:
        """`open_files`: the (soft, hard) open-files limit the server starts under, as `ulimit -n` would set."""
        self.args = ["--port", "0", *args]
        self.open_files = open_files
        self.log = workdir / f"server-{time.monotonic_ns()}.log"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.root_url = ""

    @property
    def base_url(self) -> str:
        return self.root_url + "/v1"

    @property
    def port(self) -> int:
        return int(self.root_url.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, within: float = 60.0) -> "ServerProcess":
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen([sys.executable, "main.py", *self.args], cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env,
                                            preexec_fn=self._limit if self.open_files else None)
        found = wait_for(lambda: READY.search(self.output()) or self.process.poll() is not None, within)
        if not found or self.process.poll() is not None:
            self.kill()
            raise RuntimeError(f"server did not start: {self.output()[-2000:]}")
        self.root_url = READY.search(self.output()).group(1)  # type: ignore[union-attr]
        # More start-up lines follow that one: once /health answers, the loop runs and every one of them is out.
        if not wait_for(lambda: self.answers() or self.process.poll() is not None, within) or not self.answers():
            self.kill()
            raise RuntimeError(f"server did not answer: {self.output()[-2000:]}")
        return self

    def answers(self) -> bool:
        try:
            httpx.get(self.root_url + "/health", timeout=30)
        except httpx.TransportError:
            return False
        return True

    def _limit(self) -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, self.open_files)  # type: ignore[arg-type]

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(30)

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill(signal.SIGTERM)


def wait_for(condition: Callable[[], Any], within: float) -> Any:
    """Poll `condition` until it is truthy; `within` is a deadline against a hung test, not a timing check."""
    deadline = time.monotonic() + within
    while not (result := condition()):
        if time.monotonic() > deadline:
            return result
        time.sleep(0.02)
    return result


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def warm_up(base_url: str, key: str = "sk-dummy") -> None:
    """One answer per tokenizer, so both are loaded before memory is measured."""
    for model in ("gpt-4o-mini", "gpt-4"):
        httpx.post(base_url + "/chat/completions", headers={"Authorization": f"Bearer {key}"}, timeout=60,
                   json={"model": model, "messages": [{"role": "user", "content": "warm up"}]}).raise_for_status()
