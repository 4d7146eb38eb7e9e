"""Fixtures of the system tier."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from dummy_openai_api.proxy.launch.workers import free_port
from tests.redis_server import RedisServer, require_redis


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of its own on a loopback port, stopped after the test (skipped where there is none)."""
    require_redis()
    server = RedisServer(tmp_path, free_port("127.0.0.1")).start()
    yield server
    server.stop()
