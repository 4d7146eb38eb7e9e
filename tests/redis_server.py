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

from tests.processes import wait_for


class RedisServer:
    def __init__(self, directory: Path, port: int, *extra: str) -> None:
        self.directory, self.port, self.extra = directory, port, extra
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--protected-mode", "no", *self.extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        if not wait_for(self.answers, 30):
            self.stop()
            raise RuntimeError("redis-server did not start")
        return self

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

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
