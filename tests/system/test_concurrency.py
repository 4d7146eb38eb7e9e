"""200 concurrent clients mixing replay, synthetic answers, streams and recording for a bounded time (1 s): no error,
no lost recording, no duplicate interaction, every cassette valid. `-m slow` runs it for longer.

The three servers (replayer, recorder and its upstream) are processes of their own, as they are in use: in the
test's interpreter they would share one GIL with the 200 clients, and a busy machine starved them into
upstream timeouts. How fast anything goes is never checked; every client makes every kind of request at least
once however slow the machine, and only a hang (`HANG_SECONDS`) fails for time."""
from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import orjson
import pytest

from dummy_openai_api.proxy.testing.background import BackgroundServer
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode, Settings
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.processes import ServerProcess
from tests.wire import Answer, Connection

CLIENTS = 200
SEEDED = 20
UPSTREAM_KEY = "sk-proj-MIXupstream0123456789abcdefABCDEF"
KINDS = ["replay", "synthetic", "synthetic-stream", "record", "record-stream", "replay-recorded"]
HANG_SECONDS = 600.0  # a bound against a hung server, not a speed check: a loaded 2-core machine needs ~30 s


def body(text: str, stream: bool = False) -> dict:
    chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    return {**chat, "stream": True} if stream else chat


def seeded(number: int) -> dict:
    return body(f"seeded question {number}", stream=number % 2 == 1)


@dataclass
class Tally:
    done: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    recorded: list[tuple[str, dict, bytes]] = field(default_factory=list)  # (cassette, body, answer)


@dataclass
class Servers:
    replayer: ServerProcess
    recorder: ServerProcess
    recordings: Path


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    seeds = tmp_path / "seeded"
    write(seeds, "seeded", [interaction(seeded(n), stream_body([f"seeded {n}"]) if n % 2 else
                                        completion_json(f"seeded {n}"),
                                        content_type="text/event-stream" if n % 2 else "application/json")
                            for n in range(SEEDED)])
    quiet = ("--access-log", "false")
    with ServerProcess(tmp_path, "--mode", "synthetic", "--api-key", UPSTREAM_KEY, *quiet) as upstream, \
            ServerProcess(tmp_path, "--mode", "replay", "--cassettes", str(seeds), *quiet) as replayer, \
            ServerProcess(tmp_path, "--mode", "record", "--cassettes", str(tmp_path / "recorded"),
                          "--upstream", upstream.base_url, "--upstream-key", UPSTREAM_KEY, *quiet) as recorder:
        yield Servers(replayer, recorder, tmp_path / "recorded")


def complete(answer: Answer, stream: bool) -> bool:
    return answer.status == 200 and (answer.body.endswith(b"data: [DONE]\n\n") if stream else
                                     b'"choices"' in answer.body)


async def client(number: int, servers: Servers, deadline: float, tally: Tally) -> None:
    replayer, recorder = Connection(servers.replayer.port), Connection(servers.recorder.port)
    mine: list[tuple[str, dict, bytes]] = []
    cassette = f"mix/{number % 20}"
    try:
        for step in itertools.count():
            if step > len(KINDS) and time.monotonic() > deadline:
                return  # every client makes every kind of request at least once, however loaded the machine
            kind = KINDS[(number + step) % len(KINDS)]
            if kind == "replay-recorded" and not mine:
                kind = "record"
            text = f"client {number} step {step}"
            if kind == "replay":
                request, stream = seeded(step % SEEDED), step % SEEDED % 2 == 1
                answer = await replayer.request("POST", "/v1/chat/completions", request)
                ok = complete(answer, stream) and f"seeded {step % SEEDED}".encode() in answer.body
            elif kind.startswith("synthetic"):
                stream = kind.endswith("stream")
                answer = await replayer.request("POST", "/v1/chat/completions", body(text, stream))
                ok = complete(answer, stream)
            elif kind.startswith("record"):
                stream, request = kind.endswith("stream"), body(text, kind.endswith("stream"))
                answer = await recorder.request("POST", "/v1/chat/completions", request, X_Cassette=cassette)
                ok = complete(answer, stream)
                mine.append((cassette, request, answer.body))
            else:  # an answer this client recorded earlier comes back byte for byte, from the cassette
                old_cassette, request, first = mine[step % len(mine)]
                answer = await recorder.request("POST", "/v1/chat/completions", request, X_Cassette=old_cassette)
                ok = answer.status == 200 and answer.body == first
            tally.done[kind] += 1
            if not ok:
                tally.errors.append(f"{kind}: {answer.status} {answer.body[:200]!r}")
    except (OSError, asyncio.IncompleteReadError) as error:
        tally.errors.append(f"client {number}: {error!r}")
    finally:
        tally.recorded += mine
        await replayer.close()
        await recorder.close()


async def mix(servers: Servers, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.wait_for(asyncio.gather(*(client(n, servers, deadline, tally) for n in range(CLIENTS))),
                           HANG_SECONDS + seconds)
    return tally


def check(servers: Servers, tally: Tally, seconds: float) -> None:
    assert tally.errors == []
    assert set(tally.done) == set(KINDS)
    on_disk = Counter((path.relative_to(servers.recordings).with_suffix("").as_posix(), i.request_body)
                      for path in servers.recordings.rglob("*.yaml") for i in read_cassette(path))
    assert max(on_disk.values()) == 1, "an interaction was recorded twice"
    assert sum(on_disk.values()) == len(tally.recorded), "recordings lost (or extra)"
    for cassette, request, _ in tally.recorded:
        assert on_disk[(cassette, orjson.dumps(request))] == 1
    print(f"{CLIENTS} concurrent clients for {seconds:.0f} s: {sum(tally.done.values())} requests "
          f"({dict(tally.done)}), {len(tally.recorded)} recorded, 0 errors, 0 lost, 0 duplicates")


def test_200_clients_mixing_replay_synthetic_streams_and_recording(servers: Servers) -> None:
    tally = asyncio.run(mix(servers, 1.0))
    check(servers, tally, 1.0)


@pytest.mark.slow
def test_200_clients_for_a_minute(servers: Servers) -> None:
    tally = asyncio.run(mix(servers, 60.0))
    check(servers, tally, 60.0)


def test_two_recorders_sharing_a_cassette_lose_nothing(tmp_path: Path) -> None:
    """Two servers (as two worker processes would) append to one cassette in turn: each reads the other's writes."""
    base = Settings(port=0, access_log=False, cassettes=str(tmp_path / "none"))
    with BackgroundServer(base.replace(mode=Mode.SYNTHETIC, api_key=UPSTREAM_KEY)) as upstream:
        shared = base.replace(mode=Mode.RECORD, cassettes=str(tmp_path / "shared"), upstream=upstream.base_url,
                              upstream_key=UPSTREAM_KEY)
        with BackgroundServer(shared) as first, BackgroundServer(shared) as second:
            async def alternate() -> list[int]:
                connections = [Connection(first.port), Connection(second.port)]
                statuses = [(await connections[n % 2].request("POST", "/v1/chat/completions",
                                                             body(f"turn {n}"))).status for n in range(10)]
                for connection in connections:
                    await connection.close()
                return statuses
            assert asyncio.run(alternate()) == [200] * 10
    recorded = read_cassette(tmp_path / "shared" / "recorded.yaml")
    assert sorted(orjson.loads(i.request_body)["messages"][0]["content"] for i in recorded) == \
        sorted(f"turn {n}" for n in range(10))
