"""A small HTTP/1.1 load generator for bench.py when `wrk` is not installed.

    python pyload.py --url http://127.0.0.1:8000/v1/models --connections 32 --duration 5 \
        [--method POST --body-file body.json] [--api-key sk-dummy]

Opens `--connections` keep-alive connections (raw asyncio streams, no HTTP library) and on each sends
the same request again as soon as the previous answer has been read in full (Content-Length or chunked).
Prints one line, `BENCH_RESULT {...}`, with the same fields as wrk_request.lua. Counts as errors: a
status >= 400 ("status"), a connection that fails or breaks ("connect"/"read"), an answer slower than
`--timeout` ("timeout"). Python is much slower than wrk: with a fast server the generator, not the server,
may be the bottleneck, so bench.py says which generator it used.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Tally:
    latencies_us: list[int] = field(default_factory=list)
    bytes: int = 0
    connect: int = 0
    read: int = 0
    write: int = 0
    status: int = 0
    timeout: int = 0


def build_request(method: str, host: str, port: int, path: str, body: bytes, api_key: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
    if api_key:
        lines.append(f"Authorization: Bearer {api_key}")
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """Read one whole response; returns (status, bytes read)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    size = len(head)
    if b"content-length" in headers:
        size += len(await reader.readexactly(int(headers[b"content-length"])))
    elif headers.get(b"transfer-encoding") == b"chunked":
        while True:
            line = await reader.readuntil(b"\r\n")
            length = int(line.split(b";")[0], 16)
            size += len(line) + len(await reader.readexactly(length + 2))
            if length == 0:
                break
    return status, size


async def connection(url: str, request: bytes, deadline: float, timeout: float, tally: Tally) -> None:
    parts = urlsplit(url)
    while time.perf_counter() < deadline:
        try:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        except OSError:
            tally.connect += 1
            await asyncio.sleep(0.01)
            continue
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(request)
                status, size = await asyncio.wait_for(read_response(reader), timeout)
                tally.latencies_us.append(int((time.perf_counter() - started) * 1e6))
                tally.bytes += size
                if status >= 400:
                    tally.status += 1
        except TimeoutError:
            tally.timeout += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.read += 1
        finally:
            writer.close()


def percentile(sorted_values: list[int], pct: float) -> int:
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * pct / 100))]


async def run(args: argparse.Namespace, body: bytes) -> dict[str, int]:
    parts = urlsplit(args.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = build_request(args.method, parts.hostname or "127.0.0.1", parts.port or 80, path, body, args.api_key)
    tally = Tally()
    started = time.perf_counter()
    deadline = started + args.duration
    await asyncio.gather(*(connection(args.url, request, deadline, args.timeout, tally)
                           for _ in range(args.connections)))
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies_us)
    return {"requests": len(latencies), "duration_us": int(elapsed * 1e6), "bytes": tally.bytes,
            "connect": tally.connect, "read": tally.read, "write": tally.write, "status": tally.status,
            "timeout": tally.timeout, "p50_us": percentile(latencies, 50), "p99_us": percentile(latencies, 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body-file", default="")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args()
    body = Path(args.body_file).read_bytes() if args.body_file else b""
    print("BENCH_RESULT " + json.dumps(asyncio.run(run(args, body))), flush=True)


if __name__ == "__main__":
    main()
