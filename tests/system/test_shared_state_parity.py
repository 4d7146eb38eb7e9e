"""What each process used to keep for itself, now counted for the whole server: `--workers 2` (SQLite) and two
replicas on one Redis replay a request recorded several times in recorded order, whichever process each
request reaches (every request on a new connection; the replicas are taken in turn)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from dummy_openai_api.proxy.launch.workers import free_port
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess
from tests.redis_server import RedisServer, redis_available
from tests.system.test_workers import start, stop

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")
HEADERS = {"Authorization": f"Bearer {KEY}"}
needs_redis = pytest.mark.skipif(not redis_available(), reason="redis-server is not installed (apt-get install "
                                                              "redis-server; .ci/run does)")


def asked(text: str) -> dict:
    return chat_body(messages=[{"role": "user", "content": text}])


def cassettes(directory: Path) -> Path:
    """`polled`: one request recorded three times (as a client polling); `once`: recorded once."""
    write(directory, "polled", [interaction(asked("status?"), completion_json(f"answer {n}", id=f"chatcmpl-{n}"))
                                for n in range(3)])
    write(directory, "once", [interaction(asked("only once"), completion_json("the one answer", id="chatcmpl-one"))])
    return directory


@pytest.fixture(scope="module", params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def roots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    tmp = tmp_path_factory.mktemp(request.param)
    flags = ("--mode", "strict", "--cassettes", str(cassettes(tmp / "cassettes")), "--on-exhausted", "miss")
    if request.param == "workers-sqlite":
        process, root = start("--workers", "2", *flags)
        try:
            yield [root]
        finally:
            stop(process)
        return
    if not redis_available():
        pytest.skip("redis-server is not installed")
    redis = RedisServer(tmp, free_port("127.0.0.1")).start()
    try:
        args = (*flags, "--state", redis.url, "--access-log", "false")
        with ServerProcess(tmp, *args) as first, ServerProcess(tmp, *args) as second:
            yield [first.root_url, second.root_url]
    finally:
        redis.stop()


def answers(roots: list[str], text: str, count: int) -> list[str | int]:
    """The content of each of `count` requests (its status when not 200), on new connections."""
    out: list[str | int] = []
    for i in range(count):
        reply = httpx.post(roots[i % len(roots)] + "/v1/chat/completions", json=asked(text), headers=HEADERS,
                           timeout=60)
        out.append(reply.json()["choices"][0]["message"]["content"] if reply.status_code == 200 else reply.status_code)
    return out


@pytest.fixture
def rewound(roots: list[str]) -> list[str]:
    assert httpx.post(roots[0] + "/_mock/reset", json={}, headers=HEADERS, timeout=60).status_code == 200
    return roots


def test_a_request_recorded_several_times_is_replayed_in_recorded_order_by_every_process(rewound: list[str]) -> None:
    assert answers(rewound, "status?", 5) == ["answer 0", "answer 1", "answer 2", 404, 404]
    assert answers(rewound, "only once", 4) == ["the one answer", 404, 404, 404]  # --on-exhausted miss


def test_a_reset_on_one_process_replays_from_the_first_recording_on_every_process(rewound: list[str]) -> None:
    assert answers(rewound, "status?", 2) == ["answer 0", "answer 1"]
    httpx.post(rewound[-1] + "/_mock/reset", json={}, headers=HEADERS, timeout=60)
    assert answers(rewound, "status?", 4) == ["answer 0", "answer 1", "answer 2", 404]
