"""kill -9 during heavy concurrent recording, then a restart: every cassette on disk loads, and every answer a
client received in full was recorded first, so it replays (the guarantee: the recorder writes the cassette, by
temp file + fsync + rename under a directory lock, before the last byte of the answer goes out)."""
from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from dummy_openai_api.proxy.testing.background import BackgroundServer
from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode, Settings
from tests.conftest import KEY
from tests.processes import ServerProcess
from tests.wire import Connection

UPSTREAM_KEY = "sk-proj-CRASHupstream0123456789abcdefABCD"
WORKERS = 32
KILL_AFTER = 80  # acknowledged recordings before the kill; the rest are in flight
CASSETTES = ["crash/a", "crash/b", "crash/c", "shared", "deep/er/d", "e", "f", "g"]


@dataclass
class Acknowledged:
    """A request whose whole answer reached the client: it must be on disk."""

    cassette: str
    path: str
    body: dict
    answer: bytes


def next_request(worker: int, number: int) -> tuple[str, str, dict]:
    rng = random.Random(worker * 100_000 + number)
    cassette = rng.choice(CASSETTES)
    text = f"worker {worker} request {number}"
    if rng.random() < 0.1:
        return cassette, "/embeddings", {"model": "text-embedding-3-small", "input": text}
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    if rng.random() < 0.5:
        body.update(stream=True, stream_options={"include_usage": True})
    return cassette, "/chat/completions", body


async def record_until_killed(server: ServerProcess, acknowledged: list[Acknowledged]) -> None:
    async def worker(number: int) -> None:
        connection = Connection(server.port)
        for request in range(10_000):
            cassette, path, body = next_request(number, request)
            try:
                answer = await connection.request("POST", "/v1" + path, body, X_Cassette=cassette)
            except (OSError, asyncio.IncompleteReadError):
                return  # the server is gone
            if answer.status == 200 and (not body.get("stream") or answer.body.endswith(b"data: [DONE]\n\n")):
                acknowledged.append(Acknowledged(cassette, path, body, answer.body))
            if len(acknowledged) == KILL_AFTER:
                server.kill()  # SIGKILL, with the other workers mid-request
    await asyncio.gather(*(worker(n) for n in range(WORKERS)))


def test_kill_9_during_concurrent_recording_loses_nothing_acknowledged(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    with BackgroundServer(Settings(port=0, mode=Mode.SYNTHETIC, api_key=UPSTREAM_KEY, access_log=False,
                                   cassettes=str(tmp_path / "none"))) as upstream:
        recorder = ServerProcess(tmp_path, "--mode", "record", "--cassettes", str(cassettes), "--upstream",
                                 upstream.base_url, "--access-log", "false",
                                 env={"DUMMY_OPENAI_UPSTREAM_KEY": UPSTREAM_KEY})
        acknowledged: list[Acknowledged] = []
        with recorder:
            asyncio.run(record_until_killed(recorder, acknowledged))
        assert recorder.process.returncode == -9 and len(acknowledged) >= KILL_AFTER

    files = sorted(cassettes.rglob("*.yaml"))
    on_disk = [(path, i) for path in files for i in read_cassette(path)]  # every file loads: none is torn
    bodies = Counter((path.relative_to(cassettes).with_suffix("").as_posix(), i.request_body) for path, i in on_disk)
    assert max(bodies.values()) == 1, "an interaction was recorded twice"
    for ack in acknowledged:
        assert bodies[(ack.cassette, orjson.dumps(ack.body))] == 1, f"lost: {ack.body}"

    with BackgroundServer(Settings(port=0, mode=Mode.STRICT, access_log=False, cassettes=str(cassettes))) as replay:
        with httpx.Client(base_url=replay.base_url, headers={"Authorization": f"Bearer {KEY}"}) as client:
            for ack in acknowledged:
                again = client.post(ack.path, json=ack.body, headers={"X-Cassette": ack.cassette})
                assert again.status_code == 200 and again.content == ack.answer
    leftovers = [p.name for p in cassettes.rglob("*") if p.is_file() and p.suffix != ".yaml"
                 and CACHE_DIRECTORY not in p.parts]  # the parse cache is rebuilt from the cassettes
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)  # hidden, never loaded
    print(f"kill -9 after {len(acknowledged)} acknowledged recordings: {len(on_disk)} on disk in {len(files)} "
          f"files, {len(leftovers)} temp files left, 0 lost")
