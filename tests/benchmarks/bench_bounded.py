"""The largest answers a request may ask for within the bounds, and how long `/health` waits meanwhile.

    python tests/benchmarks/bench_bounded.py            # about 30 s
    python tests/benchmarks/bench_bounded.py --json bounded.json

Against one server process (synthetic mode), each request at the edge of a bound (generators.limits,
proxy.validation.completions, the API's own n and input limits) is sent 3 times with a fresh prompt; meanwhile
a second client asks `/health` in a loop. Printed: the request's time (best and worst) and the worst `/health`
wait seen while it was being made.

Target (PASS/MISS): every `/health` answered within 100 ms while the largest answers are made. The first row is
the same probe with nothing being made: on a loaded machine the scheduler alone delays `/health` that much.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from harness import ROOT, markdown_table, machine_note

sys.path.insert(0, str(ROOT))
from tests.processes import ServerProcess  # noqa: E402

TARGET_MS = 100.0
IDLE_SECONDS = 5
ROUNDS = 3


def _schema(sub: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"value": sub}, "required": ["value"]}
    return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}


def cases(tag: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, path, body) at the edge of each bound; `tag` makes every prompt new."""
    ask = [{"role": "user", "content": f"Write a long essay about the sea ({tag})"}]
    return [
        ("chat n=128, max_tokens 4000", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": ask, "n": 128, "max_tokens": 4000}),
        ("schema: 3,000 strings of 20+ chars", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": ask,
          "response_format": _schema({"type": "array", "minItems": 3000, "items": {"type": "string",
                                                                                   "minLength": 20}})}),
        ("schema: 99,000-char string", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": ask, "response_format": _schema({"type": "string",
                                                                              "minLength": 99_000})}),
        ("schema: 19,000-char pattern", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": ask,
          "response_format": _schema({"type": "string", "pattern": "^[a-z]{19000}$"})}),
        ("schema over the bound (minItems 10M)", "/v1/chat/completions",
         {"model": "gpt-4o-mini", "messages": ask,
          "response_format": _schema({"type": "array", "minItems": 10_000_000})}),
        ("legacy: 2048 prompts x 1, max_tokens 128", "/v1/completions",
         {"model": "gpt-3.5-turbo-instruct", "prompt": [f"tell me a story {tag} {i}" for i in range(2048)],
          "max_tokens": 128}),
        ("legacy: 16 prompts x best_of 20 x 800 tokens, logprobs 5", "/v1/completions",
         {"model": "gpt-3.5-turbo-instruct", "prompt": [f"tell me a story {tag} {i}" for i in range(12)],
          "n": 20, "best_of": 20, "max_tokens": 1000, "logprobs": 5}),
        ("responses: text.format 3,000 strings", "/v1/responses",
         {"model": "gpt-4o-mini", "input": f"List things ({tag})", "text": {"format": {
             "type": "json_schema", "name": "answer", "schema": _schema({"type": "array", "minItems": 3000, "items": {
                 "type": "string", "minLength": 20}})["json_schema"]["schema"]}}}),
        ("embeddings: 2048 inputs, about 250k tokens", "/v1/embeddings",
         {"model": "text-embedding-3-small", "input": [f"{tag} {i} " + "hello world " * 60 for i in range(2048)]}),
    ]


# The probe runs in its own process: in this one it would wait for the GIL behind the client reading answers.
PROBE = """
import sys, time, threading, httpx
client, worst, lock = httpx.Client(base_url=sys.argv[1], timeout=30), [0.0], threading.Lock()
def ask():
    while True:
        start = time.perf_counter()
        client.get("/health")
        with lock:
            worst[0] = max(worst[0], (time.perf_counter() - start) * 1000)
threading.Thread(target=ask, daemon=True).start()
for line in sys.stdin:
    with lock:
        print(round(worst[0], 1), flush=True)
        worst[0] = 0.0
"""


class HealthProbe:
    """Asks `/health` in a loop from another process; `worst()` is the longest wait since the last call."""

    def __init__(self, root_url: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", PROBE, root_url], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def worst(self) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def reset(self) -> None:
        self.worst()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def measure(server: ServerProcess) -> list[dict[str, Any]]:
    rows = []
    probe = HealthProbe(server.root_url)
    with httpx.Client(base_url=server.root_url, headers={"Authorization": "Bearer sk-dummy"}, timeout=120) as api:
        api.post("/v1/chat/completions", json={"model": "gpt-4o-mini", "messages": [{"role": "user",
                                                                                     "content": "warm up"}]})
        probe.reset()  # the noise floor: the same probe with no request being made, for as long as the longest
        time.sleep(IDLE_SECONDS)
        rows.append({"request": f"(none: idle for {IDLE_SECONDS} s)", "status": "-", "best_ms": "-", "worst_ms": "-",
                     "health_worst_ms": probe.worst()})
        for index, (name, _, _) in enumerate(cases("")):
            times, health, status = [], [], 0
            for round_ in range(ROUNDS):
                _, path, body = cases(f"{round_}-{time.monotonic_ns()}")[index]
                probe.reset()
                start = time.perf_counter()
                status = api.post(path, json=body).status_code
                times.append((time.perf_counter() - start) * 1000)
                health.append(probe.worst())
            rows.append({"request": name, "status": status, "best_ms": round(min(times), 1),
                         "worst_ms": round(max(times), 1), "health_worst_ms": round(max(health), 1)})
    probe.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, ServerProcess(
            Path(workdir), "--mode", "synthetic", "--access-log", "false", "--cassettes", workdir) as server:
        rows = measure(server)
    print(machine_note())
    print(markdown_table(list(rows[0]), [[str(value) for value in row.values()] for row in rows]))
    worst = max(row["health_worst_ms"] for row in rows[1:])
    print(f"{'PASS' if worst <= TARGET_MS else 'MISS'}: worst /health wait {worst} ms (target {TARGET_MS} ms)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
