"""Soak: 200,000 mixed requests against one server process, its memory measured from start to end.

    python tests/benchmarks/soak.py                       # 200,000 requests, 32 connections (about a minute)
    python tests/benchmarks/soak.py --requests 20000      # a quick look
    python tests/benchmarks/soak.py --json soak.json

The server runs in replay mode with one cassette, so the mix meets every path a long-lived server sees: cassette
hits, synthetic answers for thousands of distinct prompts and inputs (the generators' caches fill and must stop
growing), streams, stored chat completions and Responses (kept up to --store-limit and --responses-limit), the
request journal (--journal-size), the model list, unknown models, malformed JSON, unknown API paths and cassette
names chosen by the client (the miss counters must stop growing too). RSS (VmRSS) is read when the server is warm (after the
first 5% of requests), at every tenth, and at the end; growth is reported from warm to end, and over the second
half alone, where a leak would show as a slope. Exit code 1 if any request failed (5xx, broken connection).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from harness import PYTHON, Processes, free_port, rss_kib  # noqa: E402
from tests.cassette_factory import completion_json, interaction, write  # noqa: E402
from tests.wire import Connection  # noqa: E402

KEY = "sk-dummy"
HIT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "a recorded question"}]}


def request_for(number: int) -> tuple[str, str, Any, dict[str, str], set[int]]:
    """(method, path, body, headers, acceptable statuses) of the number-th request of the mix."""
    kind = number % 10
    prompt = f"question number {number % 5000}: how do I reverse a list?"
    if kind == 0:
        return "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [
            {"role": "user", "content": prompt}]}, {}, {200}
    if kind == 1:  # kept for GET /v1/chat/completions: bounded by --store-limit
        return "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "store": True, "metadata": {"n": str(number)},
                                                "messages": [{"role": "user", "content": prompt}]}, {}, {200}
    if kind == 2:
        return "POST", "/v1/chat/completions", {"model": "gpt-4o", "stream": True, "messages": [
            {"role": "user", "content": prompt}], "stream_options": {"include_usage": True}}, {}, {200}
    if kind == 3:
        return "POST", "/v1/embeddings", {"model": "text-embedding-3-small",
                                          "input": [f"document {number % 10000}", "a shared sentence"]}, {}, {200}
    if kind == 4:
        return "POST", "/v1/chat/completions", HIT, {}, {200}
    if kind == 5:
        return "GET", "/v1/models", None, {}, {200}
    if kind == 6:
        return "POST", "/v1/chat/completions", {"model": f"gpt-nope-{number}", "messages": [
            {"role": "user", "content": "x"}]}, {}, {404}
    if kind == 7:
        return "POST", f"/v1/unknown/{number}", {"x": 1}, {}, {404}
    if kind == 8:
        return "POST", "/v1/chat/completions", HIT, {"X_Cassette": f"client-chosen/{number}"}, {200}
    if number % 20 == 9:  # stored for retrieval and previous_response_id: bounded by --responses-limit
        return "POST", "/v1/responses", {"model": "gpt-4o-mini", "input": prompt}, {}, {200}
    return "POST", "/v1/embeddings", b"{not json", {}, {400}


async def load(port: int, total: int, connections: int, samples: list[tuple[int, float]], pid: int) -> Counter:
    tally: Counter = Counter()
    issued = 0
    checkpoints = {int(total * f) for f in (0.05, *(i / 10 for i in range(1, 11)))}

    async def worker() -> None:
        nonlocal issued
        connection = Connection(port, key=KEY)
        while issued < total:
            number = issued
            issued += 1
            method, path, body, headers, ok = request_for(number)
            try:
                if isinstance(body, bytes):
                    answer = await connection.request(method, path, raw=body, Content_Type="application/json")
                else:
                    answer = await connection.request(method, path, body, **headers)
                tally["ok" if answer.status in ok else f"status {answer.status}"] += 1
            except (OSError, asyncio.IncompleteReadError) as error:
                tally[f"error {type(error).__name__}"] += 1
                await connection.close()
            if number + 1 in checkpoints:
                samples.append((number + 1, rss_kib(pid) / 1024))
        await connection.close()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return tally


def report(samples: list[tuple[int, float]], tally: Counter, elapsed: float, total: int) -> dict[str, Any]:
    samples.sort()
    warm, half, end = samples[0][1], samples[len(samples) // 2][1], samples[-1][1]
    return {"requests": total, "seconds": round(elapsed, 1), "requests_per_second": round(total / elapsed),
            "rss_mib_warm": round(warm, 1), "rss_mib_end": round(end, 1), "growth_mib": round(end - warm, 1),
            "second_half_growth_mib": round(end - half, 1), "outcomes": dict(tally),
            "samples": [(n, round(m, 1)) for n, m in samples]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        workdir = Path(tmp)
        write(workdir / "cassettes", "soak", [interaction(HIT, completion_json("recorded answer"))])
        procs = Processes(workdir)
        port = free_port()
        server = procs.start([PYTHON, "main.py", "--port", str(port), "--mode", "replay", "--cassettes",
                              str(workdir / "cassettes"), "--access-log", "false"], workdir / "server.log")
        try:
            asyncio.run(wait_ready(port))
            samples: list[tuple[int, float]] = [(0, rss_kib(server.pid) / 1024)]
            started = time.perf_counter()
            tally = asyncio.run(load(port, args.requests, args.connections, samples, server.pid))
            result = report(samples[1:], tally, time.perf_counter() - started, args.requests)
            result["rss_mib_ready"] = round(samples[0][1], 1)
        finally:
            procs.stop_all()
    print(f"soak: {result['requests']} requests in {result['seconds']} s ({result['requests_per_second']}/s); "
          f"RSS ready {result['rss_mib_ready']} MiB, warm {result['rss_mib_warm']} MiB, end "
          f"{result['rss_mib_end']} MiB: growth {result['growth_mib']} MiB (second half "
          f"{result['second_half_growth_mib']} MiB); outcomes {result['outcomes']}")
    print("SOAK_RESULT " + json.dumps(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0 if set(tally) == {"ok"} else 1


async def wait_ready(port: int, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            answer = await Connection(port).request("GET", "/health")
            if answer.status == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
