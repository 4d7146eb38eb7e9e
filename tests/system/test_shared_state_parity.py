"""What each process used to keep for itself, now counted for the whole server: `--workers 2` (SQLite) and two
replicas on one Redis replay a request recorded several times in recorded order, whichever process each
request reaches (every request on a new connection; the replicas are taken in turn)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.launch.workers import free_port
from dummy_openai_api.proxy.pipeline.sources import Chaos
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, wait_for
from tests.redis_server import RedisServer, needs_redis, require_redis
from tests.system.test_workers import start, stop

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")
HEADERS = {"Authorization": f"Bearer {KEY}"}
# a new connection for each request (the kernel spreads the workers' over them); one client, so no set-up between
FRESH = httpx.Client(headers=HEADERS, timeout=60, limits=httpx.Limits(max_keepalive_connections=0))


def asked(text: str) -> dict:
    return chat_body(messages=[{"role": "user", "content": text}])


def cassettes(directory: Path) -> Path:
    """`polled`: one request recorded three times (as a client polling); `once`: recorded once."""
    write(directory, "polled", [interaction(asked("status?"), completion_json(f"answer {n}", id=f"chatcmpl-{n}"))
                                for n in range(3)])
    write(directory, "once", [interaction(asked("only once"), completion_json("the one answer", id="chatcmpl-one"))])
    return directory


CHAOS = ("--mode", "synthetic", "--chaos-rate", "0.4", "--chaos-seed", "7", "--chaos-faults", "500,503")


@dataclass
class Cluster:
    roots: list[str]  # one URL for workers on one port, one per replica
    cassettes: Path


def started(kind: str, tmp: Path, *flags: str) -> Iterator[list[str]]:
    """The root URLs of `--workers 2` (kind "workers-sqlite") or of two replicas on one Redis."""
    if kind == "workers-sqlite":
        process, root = start("--workers", "2", *flags)
        try:
            yield [root]
        finally:
            stop(process)
        return
    require_redis()
    redis = RedisServer(tmp, free_port("127.0.0.1")).start()
    try:
        args = (*flags, "--state", redis.url, "--access-log", "false")
        with ServerProcess(tmp, *args) as first, ServerProcess(tmp, *args) as second:
            yield [first.root_url, second.root_url]
    finally:
        redis.stop()


@pytest.fixture(scope="module", params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp(request.param)
    directory = cassettes(tmp / "cassettes")
    for roots in started(request.param, tmp, "--mode", "strict", "--cassettes", str(directory),
                         "--on-exhausted", "miss"):
        yield Cluster(roots, directory)


@pytest.fixture(scope="module", params=["workers-sqlite", pytest.param("replicas-redis", marks=needs_redis)])
def chaotic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    yield from started(request.param, tmp_path_factory.mktemp(request.param), *CHAOS)


def answers(roots: list[str], text: str, count: int) -> list[str | int]:
    """The content of each of `count` requests (its status when not 200), on new connections."""
    out: list[str | int] = []
    for i in range(count):
        reply = FRESH.post(roots[i % len(roots)] + "/v1/chat/completions", json=asked(text))
        out.append(reply.json()["choices"][0]["message"]["content"] if reply.status_code == 200 else reply.status_code)
    return out


@pytest.fixture
def rewound(cluster: Cluster) -> list[str]:
    assert FRESH.post(cluster.roots[0] + "/_mock/reset", json={}).status_code == 200
    return cluster.roots


def cassette_counts(root: str) -> dict[str, dict[str, int]]:
    report = FRESH.get(root + "/_mock/cassettes").json()
    return {c["name"]: {"recordings": c["recordings"], "hit": c["hit"], "miss": c["miss"]} for c in report["cassettes"]}


def test_a_request_recorded_several_times_is_replayed_in_recorded_order_by_every_process(rewound: list[str]) -> None:
    assert answers(rewound, "status?", 5) == ["answer 0", "answer 1", "answer 2", 404, 404]
    assert answers(rewound, "only once", 4) == ["the one answer", 404, 404, 404]  # --on-exhausted miss


def test_a_reset_on_one_process_replays_from_the_first_recording_on_every_process(rewound: list[str]) -> None:
    assert answers(rewound, "status?", 2) == ["answer 0", "answer 1"]
    FRESH.post(rewound[-1] + "/_mock/reset", json={})
    assert answers(rewound, "status?", 4) == ["answer 0", "answer 1", "answer 2", 404]


def misses(root: str) -> int:
    return cassette_counts(root).get("(none)", {}).get("miss", 0)


def test_the_cassette_report_counts_what_every_process_served(cluster: Cluster) -> None:
    """Each process writes its counts with its journal batch, a reader waits 75 ms for the batches: a process
    that a busy machine leaves unscheduled longer writes later, so each count is polled for (bounded)."""
    roots = cluster.roots
    before = misses(roots[0])
    for n in range(1, 7):
        assert answers(roots[n % len(roots):], "never recorded", 1) == [404]
        reader, expected = roots[(n + 1) % len(roots)], before + n
        assert wait_for(lambda root=reader, count=expected: misses(root) >= count, 30)
        assert misses(reader) == expected


def test_every_process_tells_the_same_journal_size_in_its_health(cluster: Cluster) -> None:
    roots = cluster.roots
    assert FRESH.post(roots[0] + "/_mock/reset", json={}).status_code == 200
    answers(roots, "never recorded", 5)
    # polled: a process's batch may be written after the reader's 75 ms wait on a busy machine
    assert wait_for(lambda: FRESH.get(roots[0] + "/_mock/journal").json()["total"] >= 5, 30)
    assert FRESH.get(roots[0] + "/_mock/journal").json()["total"] == 5
    assert {FRESH.get(roots[i % len(roots)] + "/_mock/health").json()["journal"] for i in range(8)} == {5}


def test_a_reload_on_one_process_reaches_every_process_before_it_answers(cluster: Cluster) -> None:
    roots = cluster.roots
    assert set(answers(roots, "added later", 4)) == {404}
    write(cluster.cassettes, "added", [interaction(asked("added later"), completion_json(f"added {n}"))
                                       for n in range(8)])
    reloaded = FRESH.post(roots[0] + "/_mock/cassettes/reload", json={})
    assert reloaded.status_code == 200
    assert answers(roots, "added later", 9) == [f"added {n}" for n in range(8)] + [404]  # strict: a miss is a 404
    assert {cassette_counts(root)["added"]["hit"] for root in roots} == {8}


def test_the_counters_tell_which_recordings_every_process_served(cluster: Cluster) -> None:
    roots = cluster.roots
    assert FRESH.post(roots[0] + "/_mock/cassettes/reload", json={}).status_code == 200  # served: none yet
    assert answers(roots, "status?", 3) == ["answer 0", "answer 1", "answer 2"]
    served = [FRESH.get(roots[i % len(roots)] + "/_mock/counters").json()["served"] for i in range(6)]
    assert all(s["polled"] == [0, 1, 2] and s["once"] == [] for s in served), served


def test_chaos_gives_the_servers_requests_the_faults_one_process_would_give_them(chaotic: list[str]) -> None:
    one = Chaos(0.4, ("500", "503"), 7)  # as one process with the same flags draws
    expected = [int(fault.kind) if (fault := one.draw()) else 200 for _ in range(16)]
    for _ in range(2):  # and again from the first draw after a reset on the other process
        statuses = [FRESH.post(chaotic[i % len(chaotic)] + "/v1/embeddings",
                               json={"model": "text-embedding-3-small", "input": "x"}).status_code for i in range(16)]
        assert statuses == expected
        assert FRESH.post(chaotic[-1] + "/_mock/reset", json={}).status_code == 200


@needs_redis
def test_record_all_by_two_replicas_into_one_directory_keeps_every_answered_recording(tmp_path: Path,
                                                                                     make_server) -> None:
    """Each replica's first recording of a key replaced the older ones, including those the other replica had
    just recorded and answered (15 of 20 kept). Only the earlier run's recording may go."""
    upstream = make_server(api_key="sk-upstream")
    directory = tmp_path / "cassettes"
    body = asked("re-recorded by two replicas")
    write(directory, "recorded", [interaction(body, completion_json("from an earlier run", id="chatcmpl-old"))])
    flags = ("--mode", "record-all", "--cassettes", str(directory), "--upstream", upstream.base_url,
             "--upstream-key", "sk-upstream")
    for roots in started("replicas-redis", tmp_path, *flags):
        statuses = [FRESH.post(roots[n % 2] + "/v1/chat/completions", json=body).status_code for n in range(20)]
    assert statuses == [200] * 20
    kept = read_cassette(directory / "recorded.yaml")
    assert len(kept) == 20
    assert not [i for i in kept if b"chatcmpl-old" in i.response_body]
