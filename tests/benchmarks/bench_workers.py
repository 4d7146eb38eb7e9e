"""`--workers N`: one worker against two on two cores, same scenario, same run.

    python tests/benchmarks/bench_workers.py              # about 40 s
    python tests/benchmarks/bench_workers.py --duration 5 --rounds 5 --scenario models

Skipped (exit 0, with a SKIP line) when `main.py --help` has no `--workers` flag.

What it measures: our server (`--mode synthetic --access-log false`) started with `--workers 1` pinned to
core 0, and with `--workers 2` pinned to cores 0-1; wrk (`-t2`) unpinned, since a 2-core machine has no
third core for it: it takes a share of the cores the 2 workers use, printed as "wrk CPU", which is what
keeps the ratio under 2. Rounds alternate 1, 2, 2, 1, ..., each after waiting (up to `--quiet-wait` s)
for the machine to be under 15 % busy with other work, since scaling needs both cores free. The CPU each worker used during the load is
printed too: a worker near 0 % means the kernel did not spread connections (SO_REUSEPORT or a shared
listening socket should).

Target (PASS/MISS): 2 workers >= 1.7x one worker.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness
from harness import API_KEY, HOST, PYTHON, ROOT, Processes, progress

TARGET = 1.7
BODIES = {
    "chat": ("POST", "/v1/chat/completions",
             {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]}),
    "models": ("GET", "/v1/models", None),
}


def has_workers_flag() -> bool:
    done = subprocess.run([PYTHON, str(ROOT / "main.py"), "--help"], capture_output=True, text=True, cwd=ROOT)
    return "--workers" in done.stdout


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def serving_pids(pid: int) -> list[int]:
    """The worker processes: the children of the started process if it forked, else the process itself."""
    found = children(pid)
    return found or [pid]


def one_round(procs: Processes, workdir: Path, args: argparse.Namespace, port: int, pid: int, label: str) -> dict:
    method, path, body = BODIES[args.scenario]
    workers = serving_pids(pid)
    before = {w: harness.cpu_ticks(w) for w in workers}
    load = harness.Load("wrk", args.connections, args.duration, 2, pin=False)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = harness.run_load(procs, workdir, load, f"http://{HOST}:{port}{path}", method,
                              json.dumps(body).encode() if body else None, label)
    elapsed = time.perf_counter() - began
    shares = [100 * (harness.cpu_ticks(w) - before[w]) / (elapsed * os.sysconf("SC_CLK_TCK")) for w in workers]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, reaped by run_load
    wrk_cpu = (children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime)
    return {"rps": result.rps, "errors": result.errors, "worker_cpu_pct": shares, "wrk_cpu_pct": 100 * wrk_cpu / elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--scenario", choices=sorted(BODIES), default="chat")
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--quiet-wait", type=float, default=30.0, help="seconds to wait for other work on the "
                        "machine to calm down before each round (default 30)")
    args = parser.parse_args(argv)
    if not has_workers_flag():
        print("SKIP: main.py has no --workers flag yet; this benchmark compares --workers 1 and 2 once it has.")
        return 0
    if len(os.sched_getaffinity(0)) < 2:
        print("SKIP: fewer than 2 usable cores")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as scratch, harness.terminated_as_interrupt():
        workdir, procs = Path(scratch), Processes(Path(scratch))
        try:
            servers = {}
            for count, cores in ((1, "0"), (2, "0,1")):
                port = harness.free_port()
                argv = [PYTHON, str(ROOT / "main.py"), "--host", HOST, "--port", str(port), "--mode", "synthetic",
                        "--access-log", "false", "--api-key", API_KEY, "--workers", str(count)]
                servers[count] = harness.start_server(procs, workdir, f"workers-{count}", argv, port, True, cores)
            results: dict[int, list[dict]] = {1: [], 2: []}
            for index in range(args.rounds):
                for count in ((1, 2) if index % 2 == 0 else (2, 1)):
                    busy = harness.wait_quiet(timeout=args.quiet_wait)
                    if busy > 15:
                        progress(f"  the machine is {busy:.0f}% busy with other work: this round is not worth much")
                    started = servers[count]
                    r = one_round(procs, workdir, args, started.port, started.process.pid, f"w{count}-{index}")
                    results[count].append(r)
                    progress(f"  round {index + 1}: {count} worker(s) {r['rps']:.0f} req/s, worker CPU "
                             f"{', '.join(f'{s:.0f}%' for s in r['worker_cpu_pct'])}, wrk CPU "
                             f"{r['wrk_cpu_pct']:.0f}%, errors {r['errors']}")
        except KeyboardInterrupt:
            return 130
        except RuntimeError as error:
            progress(f"bench_workers.py: {error}")
            return 1
        finally:
            procs.stop_all()
    one = statistics.median(r["rps"] for r in results[1])
    two = statistics.median(r["rps"] for r in results[2])
    rows = [[str(n), f"{statistics.median(r['rps'] for r in results[n]):.0f}",
             " / ".join(f"{statistics.median(r['worker_cpu_pct'][i] for r in results[n]):.0f}%"
                        for i in range(len(results[n][0]["worker_cpu_pct"]))),
             f"{statistics.median(r['wrk_cpu_pct'] for r in results[n]):.0f}%",
             str(sum(r["errors"] for r in results[n]))] for n in (1, 2)]
    print("\n".join([f"## Workers: {args.scenario}, {args.connections} connections, {args.duration} s x {args.rounds}",
                     "", harness.markdown_table(["workers", "req/s", "CPU per worker", "wrk CPU", "errors"], rows), "",
                     f"{'PASS' if two / one >= TARGET else 'MISS'}: 2 workers {two / one:.2f}x one worker "
                     f"(target >= {TARGET}); wrk shares the 2 cores (no third core here)",
                     f"note: {harness.machine_note()}"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
