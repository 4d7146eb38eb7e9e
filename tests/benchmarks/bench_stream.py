"""A 500-token synthetic stream: how long the server takes to produce and write it (latency off).

    python tests/benchmarks/bench_stream.py                       # about 15 s
    python tests/benchmarks/bench_stream.py --requests 500 --variants accesslog,fastlog

What it measures: our server (pinned to core 0, access log on) with a canned reply (`--replies`) of well
over 500 tokens, asked for it with `max_tokens: 500` and `stream: true`, so the answer is exactly 500
content chunks (plus role, finish and [DONE] events). Requests go one at a time over one keep-alive
connection from a raw-socket client on core 1. Per request:
  * SERVER TIME: the milliseconds our access log reports (from the request's last byte read to the last
    chunk handed to the socket), the figure the target is about;
  * CLIENT TIME: from sending the request to reading the final chunk, which adds the client and the loopback.
Two series: "uncached" (every request has another `seed`, so the answer is composed, tokenized and
encoded anew) and "cached" (the same request again: the composed answer comes from the generator's cache).

Target (PASS/MISS): the uncached median server time < 20 ms.
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import harness
from harness import API_KEY, HERE, HOST, PYTHON, ROOT, Processes, progress

sys.path.insert(0, str(ROOT))
from dummy_openai_api.generators import tokens  # noqa: E402

TOKENS = 500
TARGET_MS = 20.0
MODEL = "gpt-4o-mini"
SENTENCE = ("The river bends around the old mill, where the miller keeps a ledger of every sack of grain, "
            "every visitor, and every storm that has passed through the valley since his grandfather's time. ")
LOG_LINE = re.compile(rb"POST /v1/chat/completions 200 \S+ ([0-9.]+)ms")


def long_reply() -> str:
    text = SENTENCE
    while tokens.count(text, MODEL) < TOKENS + 100:
        text += SENTENCE
    return text.strip()


def request_bytes(seed: int | None) -> bytes:
    body: dict[str, Any] = {"model": MODEL, "stream": True, "max_tokens": TOKENS,
                            "messages": [{"role": "user", "content": "Tell me the long story of the mill."}]}
    if seed is not None:
        body["seed"] = seed
    data = json.dumps(body).encode()
    return (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {API_KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data


def read_stream(conn: socket.socket) -> bytes:
    """Read one chunked answer to its terminating chunk; returns everything read."""
    data = b""
    while not data.endswith(b"\r\n0\r\n\r\n"):
        part = conn.recv(1 << 16)
        if not part:
            raise RuntimeError("connection closed mid-answer")
        data += part
    return data


def series(port: int, count: int, cached: bool) -> tuple[list[float], int]:
    """Client-side seconds per request, and the SSE events in the last answer."""
    times, events = [], 0
    with socket.create_connection((HOST, port)) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for index in range(count):
            payload = request_bytes(None if cached else 10_000 + index)
            began = time.perf_counter()
            conn.sendall(payload)
            answer = read_stream(conn)
            times.append(time.perf_counter() - began)
            events = answer.count(b"data: ")
    return times, events


def server_ms(log: Path, skip: int) -> list[float]:
    return [float(m.group(1)) for m in LOG_LINE.finditer(log.read_bytes())][skip:]


def measure(procs: Processes, workdir: Path, replies: Path, requests: int, pin: bool, patches: str) -> dict[str, Any]:
    port = harness.free_port()
    server = ["--host", HOST, "--port", str(port), "--mode", "synthetic", "--access-log", "true",
              "--api-key", API_KEY, "--replies", str(replies)]
    argv = ([PYTHON, str(HERE / "variants.py"), "--patch", patches.replace("+", ","), "--", *server] if patches
            else [PYTHON, str(ROOT / "main.py"), *server])
    name = "ours" + (f"+{patches}" if patches else "")
    started = harness.start_server(procs, workdir, name, argv, port, pin)
    out: dict[str, Any] = {"name": name}
    logged = 0
    for kind, cached in (("uncached", False), ("cached", True)):
        series(port, 20, cached)  # warm-up (and the cache, for the cached series)
        logged += 20
        client, events = series(port, requests, cached)
        time.sleep(0.2)  # the log line is written after the last chunk: let it reach the file
        server = server_ms(started.log, logged)
        logged += requests
        out[kind] = {"client_ms": [t * 1000 for t in client], "server_ms": server, "events": events}
    procs.stop(started.process)
    return out


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    return (f"{statistics.median(ordered):.2f} ms (p90 {ordered[int(len(ordered) * 0.9)]:.2f}, "
            f"max {ordered[-1]:.2f})") if ordered else "n/a"


def report(results: list[dict[str, Any]], notes: list[str]) -> str:
    rows = []
    for result in results:
        for kind in ("uncached", "cached"):
            r = result[kind]
            rows.append([result["name"], kind, str(r["events"]), summary(r["server_ms"]), summary(r["client_ms"])])
    lines = ["## 500-token stream", "", harness.markdown_table(
        ["server", "answer", "SSE events", "server time (access log)", "client time"], rows), ""]
    ours = results[0]["uncached"]["server_ms"]
    median = statistics.median(ours) if ours else float("inf")
    lines.append(f"{'PASS' if median < TARGET_MS else 'MISS'}: 500-token stream server time {median:.2f} ms "
                 f"(target < {TARGET_MS:.0f} ms)")
    return "\n".join([*lines, "", *(f"note: {n}" for n in notes)]).rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per series (default 200)")
    parser.add_argument("--variants", default="", help="patch sets from variants.py, as in bench.py")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server to core 0")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON to PATH")
    args = parser.parse_args(argv)
    pin = not args.no_pin and len(__import__("os").sched_getaffinity(0)) >= 2
    if pin:
        __import__("os").sched_setaffinity(0, {int(harness.LOAD_CORE)})  # the client stays off the server's core
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as scratch, harness.terminated_as_interrupt():
        workdir, procs = Path(scratch), Processes(Path(scratch))
        replies = workdir / "replies.json"
        replies.write_text(json.dumps({"rules": [{"contains": ["long story"], "reply": long_reply()}]}))
        try:
            results = [measure(procs, workdir, replies, args.requests, pin, patches)
                       for patches in ["", *filter(None, (v.strip() for v in args.variants.split(",")))]]
        except KeyboardInterrupt:
            return 130
        except RuntimeError as error:
            progress(f"bench_stream.py: {error}")
            return 1
        finally:
            procs.stop_all()
    print(report(results, [harness.machine_note()]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    progress(f"done in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
