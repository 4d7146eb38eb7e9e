"""`--state`: requests that touch shared state (a stored chat completion read back, a Responses turn that
continues a `previous_response_id` chain) on memory, the embedded SQLite store and Redis; and a plain
synthetic answer, whose path must not touch the state at all.

    python tests/benchmarks/bench_state.py                   # about 60 s
    python tests/benchmarks/bench_state.py --duration 5 --rounds 3

One server process per backend (`--mode synthetic --access-log false`), pinned to core 0; wrk (`-t1`) on
core 1; Redis (started here, on a free loopback port, appendfsync everysec) shares core 1 with wrk. Rounds
alternate the backends' order. Skipped (SKIP line, exit 0) without wrk or redis-server.

Target (PASS/MISS): Redis within 20 % of memory for the stored completion and the Responses chain.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import harness
from harness import API_KEY, HOST, PYTHON, ROOT, Processes, progress

TARGET = 0.8  # Redis's req/s at least 80 % of memory's
CHAIN = 5  # earlier turns in the Responses chain each request continues


def prepare(port: int) -> dict[str, tuple[str, str, bytes | None]]:
    """Create the objects each scenario reads or continues; the scenarios as (method, path, body)."""
    chat = {"model": "gpt-4o-mini", "store": True, "messages": [{"role": "user", "content": "Keep this answer."}]}
    stored = json.loads(harness.fetch(port, "POST", "/v1/chat/completions", json.dumps(chat).encode()).body)["id"]
    previous = None
    for turn in range(CHAIN):
        body = {"model": "gpt-4o-mini", "input": f"Turn {turn}: tell me more.", "previous_response_id": previous}
        previous = json.loads(harness.fetch(port, "POST", "/v1/responses", json.dumps(body).encode()).body)["id"]
    turn = {"model": "gpt-4o-mini", "input": "And then?", "previous_response_id": previous, "store": False}
    plain = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]}
    return {"stored completion": ("GET", f"/v1/chat/completions/{stored}", None),
            "responses chain": ("POST", "/v1/responses", json.dumps(turn).encode()),
            "plain chat": ("POST", "/v1/chat/completions", json.dumps(plain).encode())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        print("SKIP: needs wrk and redis-server")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-state-") as scratch, harness.terminated_as_interrupt():
        workdir, procs = Path(scratch), Processes(Path(scratch))
        redis_port = harness.free_port()
        redis = subprocess.Popen(["taskset", "-c", "1", "redis-server", "--port", str(redis_port), "--bind", HOST,
                                  "--dir", scratch, "--save", "", "--appendonly", "yes"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            results = run(procs, workdir, args, {"memory": "memory", "sqlite": f"sqlite:///{scratch}/state.db",
                                                 "redis": f"redis://{HOST}:{redis_port}/0"})
        except RuntimeError as error:
            progress(f"bench_state.py: {error}")
            return 1
        finally:
            procs.stop_all()
            redis.terminate()
            redis.wait(10)
    report(results, args)
    return 0


def run(procs: Processes, workdir: Path, args: argparse.Namespace, states: dict[str, str]) -> dict:
    servers, scenarios = {}, {}
    for name, url in states.items():
        port = harness.free_port()
        argv = [PYTHON, str(ROOT / "main.py"), "--host", HOST, "--port", str(port), "--mode", "synthetic",
                "--access-log", "false", "--api-key", API_KEY, "--state", url]
        servers[name] = harness.start_server(procs, workdir, name, argv, port, True)
        scenarios[name] = prepare(port)
    results: dict[str, dict[str, list[float]]] = {s: {n: [] for n in states} for s in scenarios["memory"]}
    for index in range(args.rounds):
        order = list(states) if index % 2 == 0 else list(reversed(states))
        for scenario in results:
            for name in order:
                method, path, body = scenarios[name][scenario]
                load = harness.Load("wrk", args.connections, args.duration, 1, pin=True)
                result = harness.run_load(procs, workdir, load, f"http://{HOST}:{servers[name].port}{path}", method,
                                          body, f"{name}-{index}-{scenario.replace(' ', '-')}")
                if result.errors:
                    progress(f"  {name} {scenario}: {result.errors} errors")
                results[scenario][name].append(result.rps)
                progress(f"  round {index + 1}: {scenario} on {name}: {result.rps:.0f} req/s")
    return results


def report(results: dict, args: argparse.Namespace) -> None:
    rows, verdicts = [], []
    for scenario, by_state in results.items():
        medians = {name: statistics.median(values) for name, values in by_state.items()}
        rows.append([scenario, *(f"{medians[n]:.0f}" for n in medians),
                     f"{medians['redis'] / medians['memory']:.2f}x"])
        if scenario != "plain chat":
            ratio = medians["redis"] / medians["memory"]
            verdicts.append(f"{'PASS' if ratio >= TARGET else 'MISS'}: {scenario} on Redis {ratio:.2f}x memory "
                            f"(target >= {TARGET})")
    print("\n".join([f"## State backends: {args.connections} connections, {args.duration} s x {args.rounds}", "",
                     harness.markdown_table(["scenario", "memory req/s", "sqlite req/s", "redis req/s",
                                             "redis / memory"], rows), "", *verdicts,
                     f"note: {harness.machine_note()}"]))


if __name__ == "__main__":
    sys.exit(main())
