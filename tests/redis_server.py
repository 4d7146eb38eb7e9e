"""A real Redis server for the shared-state tests: on a free loopback port, in a temporary directory, stopped
at the end. Every acknowledged write is on disk before Redis answers (appendfsync always), as a team setting
up Redis for this server should configure it."""
from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import redis

from dummy_openai_api.proxy.launch.workers import free_port
from tests.processes import wait_for


class RedisServer:
    def __init__(self, directory: Path, port: int, *extra: str) -> None:
        self.directory, self.port, self.extra = directory, port, extra
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        """Start (or restart, on the same port) and wait until it answers. The port was free when chosen, but
        another process of a busy machine may take it before Redis binds it: a first start then tries another."""
        first = self.process is None
        for _ in range(3):
            self.process = subprocess.Popen(
                [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                 "--dir", str(self.directory), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                 "--protected-mode", "no", *self.extra],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            if wait_for(lambda: self.answers() or self.process.poll() is not None, 60) and self.answers():
                return self
            self.stop()
            if not first:
                break  # a restart keeps its port: the servers using it know no other
            self.port = free_port("127.0.0.1")
        raise RuntimeError("redis-server did not start")

    def answers(self) -> bool:
        """This Redis answers on the port (not another one that took the port first)."""
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            info = redis.Redis(port=self.port, socket_connect_timeout=5, socket_timeout=5).info("server")
        except redis.RedisError:
            return False
        return bool(info.get("process_id") == self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


MISSING = "redis-server is not installed (apt-get install redis-server; .ci/run does)"
needs_redis = pytest.mark.skipif(not redis_available(), reason=MISSING)


def require_redis() -> None:
    if not redis_available():
        pytest.skip(MISSING)
