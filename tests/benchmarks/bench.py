"""Throughput benchmark: our server against a bare Tornado `RequestHandler` that returns the same bytes.

Run from the project root with the project's virtualenv (takes about 3 minutes with the defaults):

    python tests/benchmarks/bench.py                 # 5 scenarios x 2 servers x 3 rounds x 5 s
    python tests/benchmarks/bench.py --quick         # smoke run: 1 round of 1 s each
    python tests/benchmarks/bench.py --json out.json --duration 5 --rounds 3 --connections 32
    python tests/benchmarks/bench.py --scenarios chat,models --loader python

What it measures, in one run:
  * starts our server (`main.py --mode synthetic --access-log false`) in its own process, captures its real
    answer to each scenario, then starts the BASELINE (baseline_server.py): a bare Tornado app with one
    `RequestHandler` per scenario that writes those exact bytes with the same Content-Type (the streamed
    answer in one write). The baseline is the floor of Tornado's per-request cost for an answer of the
    same size, so "ratio" = our req/s / baseline req/s says how much our handling costs on top of it;
  * servers run pinned to core 0 and the load generator to core 1 (taskset), one server loaded at a time;
    each scenario alternates the servers round by round (A B, B A, A B) so slow drift on a noisy machine
    hits both; the median of the rounds is reported;
  * per scenario: req/s, ratio, our p50/p99 latency, errors (non-2xx answers and socket errors, which must
    be 0), and our server's RSS before and after the scenario (VmRSS from /proc);
  * PASS/MISS for the targets: synthetic chat >= 0.6 of the baseline, models list >= 0.9.

Load generator: `wrk` with wrk_request.lua when installed (`apt-get install -y wrk`), else pyload.py, a
small asyncio generator with the same keep-alive connections (much slower: it may be the bottleneck).

To extend: append a `Scenario` to SCENARIOS (a `target` adds a PASS/MISS line), or a `ServerSpec` to
SERVERS (each gets a req/s column; "ours" and "baseline" must stay, the ratio is between them).
Every process started here is killed (its whole process group) on exit, error or Ctrl-C.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
API_KEY = "sk-dummy"
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0  # seconds to wait for /health after starting a server
SERVER_CORE, LOAD_CORE = "0", "1"


# --- scenarios ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """One kind of request, sent again and again on every connection."""

    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    target: float | None = None  # the least acceptable ratio ours/baseline, if there is a target
    note: str = ""

    @property
    def streamed(self) -> bool:
        return bool(self.body and self.body.get("stream"))

    def body_bytes(self) -> bytes:
        return json.dumps(self.body).encode() if self.body is not None else b""


CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]}
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A journey of a thousand miles begins with a single step.",
    "Rain is expected in the northern valleys this afternoon.",
    "Please restart the server after changing the configuration.",
    "She sold seashells by the seashore on Sunday.",
    "The invoice was paid two days before the deadline.",
    "Neural networks learn representations from data.",
    "Our meeting has been moved to Thursday at noon.",
]


def embeddings_body(encoding: str) -> dict[str, Any]:
    return {"model": "text-embedding-3-small", "input": SENTENCES, "encoding_format": encoding}


SCENARIOS: list[Scenario] = [
    Scenario("chat", "POST", "/v1/chat/completions", CHAT, target=0.6),
    Scenario("chat-stream", "POST", "/v1/chat/completions", {**CHAT, "stream": True}),
    Scenario("embeddings-float", "POST", "/v1/embeddings", embeddings_body("float")),
    Scenario("embeddings-base64", "POST", "/v1/embeddings", embeddings_body("base64")),
    Scenario("models", "GET", "/v1/models", target=0.9),
]


# --- processes ------------------------------------------------------------------------------------------

class Processes:
    """Every child process, each in its own session, so that stopping one kills its whole process group."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self, argv: list[str], log: Path, env: dict[str, str] | None = None,
              cwd: Path = ROOT) -> subprocess.Popen[bytes]:
        with open(log, "wb") as out:
            child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=cwd, env=env, start_new_session=True)
        self.children.append(child)
        return child

    def stop(self, child: subprocess.Popen[bytes], grace: float = 5.0) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if child.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # stragglers left in the group
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.children)):
            self.stop(child)


def pinned(argv: list[str], core: str, pin: bool) -> list[str]:
    return ["taskset", "-c", core, *argv] if pin else argv


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def rss_kib(pid: int, field_name: str = "VmRSS") -> int:
    """A memory figure of a live process from /proc/PID/status, in KiB (0 if gone or unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- servers --------------------------------------------------------------------------------------------

@dataclass
class Running:
    """A started server: its process, port, and where it serves each scenario."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    route: Callable[[Scenario], str]
    startup_s: float = 0.0  # from start to the first 200 from /health
    settle_s: float = 0.0  # from then until the process went idle (background loading, e.g. tokenizers)
    rss_ready_kib: int = 0
    rss_idle_kib: int = 0

    def url(self, scenario: Scenario) -> str:
        return f"http://{HOST}:{self.port}{self.route(scenario)}"


@dataclass
class Context:
    """What launching a server may need: options, scratch directory, and our captured answers."""

    args: argparse.Namespace
    procs: Processes
    workdir: Path
    pin: bool
    captures: dict[str, Capture] = field(default_factory=dict)


@dataclass(frozen=True)
class ServerSpec:
    name: str
    launch: Callable[[Context], Running]
    description: str


def wait_ready(running: Running, timeout: float = READY_TIMEOUT) -> float:
    """Poll GET /health until it answers 200; returns the seconds since the process started."""
    started = time.perf_counter()
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.name} exited with {running.process.returncode} before it was "
                               f"ready:\n{tail(running.log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if request(running.port, "GET", "/health")[0] == 200:
                return time.perf_counter() - started
        time.sleep(0.02)
    raise RuntimeError(f"{running.name} not ready after {timeout:.0f} s:\n{tail(running.log)}")


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process (all its threads), in clock ticks; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of proc(5)


def wait_idle(pid: int, timeout: float = 20.0, window: float = 0.25) -> float:
    """Wait until the process uses under ~5 % CPU for two windows in a row; returns the seconds waited.

    A server may be ready before it is idle (ours loads its tokenizers in a background thread): load put
    on it meanwhile would measure that loading too.
    """
    started = time.perf_counter()
    quiet, allowed = 0, max(1, int(0.05 * window * os.sysconf("SC_CLK_TCK")))
    while quiet < 2 and time.perf_counter() - started < timeout:
        before = cpu_ticks(pid)
        time.sleep(window)
        quiet = quiet + 1 if cpu_ticks(pid) - before <= allowed else 0
    return time.perf_counter() - started - 2 * window


def start_server(ctx: Context, name: str, argv: list[str], route: Callable[[Scenario], str]) -> Running:
    log = ctx.workdir / f"{name}.log"
    began = time.perf_counter()
    process = ctx.procs.start(pinned(argv, SERVER_CORE, ctx.pin), log)
    running = Running(name, process, int(argv[argv.index("--port") + 1]), log, route)
    wait_ready(running)
    running.startup_s = time.perf_counter() - began
    running.rss_ready_kib = rss_kib(process.pid)
    running.settle_s = max(0.0, wait_idle(process.pid))
    running.rss_idle_kib = rss_kib(process.pid)
    return running


def launch_ours(ctx: Context) -> Running:
    argv = [PYTHON, str(ROOT / "main.py"), "--host", HOST, "--port", str(free_port()), "--mode", "synthetic",
            "--access-log", "false", "--api-key", API_KEY]
    return start_server(ctx, "ours", argv, lambda scenario: scenario.path)


def baseline_path(scenario: Scenario) -> str:
    return f"/bench/{scenario.name}"  # one route per scenario: several scenarios share a real path


def launch_baseline(ctx: Context) -> Running:
    spec = []
    for name, capture in ctx.captures.items():
        body_file = ctx.workdir / f"baseline-{name}.body"
        body_file.write_bytes(capture.body)
        spec.append({"path": f"/bench/{name}", "body_file": str(body_file),
                     "content_type": capture.content_type, "streamed": capture.streamed})
    spec_file = ctx.workdir / "baseline-spec.json"
    spec_file.write_text(json.dumps(spec, indent=1))
    argv = [PYTHON, str(HERE / "baseline_server.py"), "--host", HOST, "--port", str(free_port()),
            "--spec", str(spec_file)]
    return start_server(ctx, "baseline", argv, baseline_path)


# The first entry is the server under test (its answers feed the others); the ratio is ours / baseline.
SERVERS: list[ServerSpec] = [
    ServerSpec("ours", launch_ours, "main.py --mode synthetic --access-log false"),
    ServerSpec("baseline", launch_baseline, "bare tornado.web.RequestHandler, fixed bytes"),
]
SUBJECT, REFERENCE = "ours", "baseline"


# --- capturing our answers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Capture:
    body: bytes
    content_type: str
    streamed: bool


def request(port: int, method: str, path: str, body: bytes = b"",
            timeout: float = 10.0) -> tuple[int, str, bytes]:
    """One request on a fresh connection: (status, content type, body with any chunking undone)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {API_KEY}"}
        if method == "POST":
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def checked_request(running: Running, scenario: Scenario) -> tuple[str, bytes]:
    """The scenario's request once; anything but 200 stops the benchmark with the server's log."""
    status, content_type, body = request(running.port, scenario.method, running.route(scenario),
                                         scenario.body_bytes())
    if status != 200:
        raise RuntimeError(f"{running.name} answered {status} to {scenario.name}: {body[:300]!r}\n"
                           f"its log:\n{tail(running.log)}")
    return content_type, body


def capture(running: Running, scenario: Scenario) -> Capture:
    content_type, body = checked_request(running, scenario)
    return Capture(body, content_type, scenario.streamed)


def warm_up(running: Running, scenario: Scenario, count: int = 50) -> None:
    """A few requests first, so that nothing lazy (imports, caches) is paid for inside a measurement."""
    for _ in range(count):
        checked_request(running, scenario)


# --- load generation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Load:
    tool: str  # "wrk" or "python"
    connections: int
    duration: int
    threads: int
    pin: bool


@dataclass
class Result:
    """One load run against one server: wrk's summary (latencies in microseconds)."""

    requests: int
    duration_us: int
    bytes: int
    connect: int
    read: int
    write: int
    status: int
    timeout: int
    p50_us: int
    p99_us: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        return self.connect + self.read + self.write + self.status + self.timeout


def load_command(load: Load, url: str, scenario: Scenario, body_file: Path) -> list[str]:
    if load.tool == "wrk":
        argv = ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{load.duration}s", "--latency",
                "--timeout", "5s", "-s", str(HERE / "wrk_request.lua"), url]
    else:
        argv = [PYTHON, str(HERE / "pyload.py"), "--url", url, "--method", scenario.method,
                "--connections", str(load.connections), "--duration", str(load.duration),
                "--api-key", API_KEY, "--timeout", "5"]
        if scenario.body is not None:
            argv += ["--body-file", str(body_file)]
    return pinned(argv, LOAD_CORE, load.pin)


def run_load(ctx: Context, load: Load, running: Running, scenario: Scenario) -> Result:
    body_file = ctx.workdir / f"request-{scenario.name}.json"
    body_file.write_bytes(scenario.body_bytes())
    env = {**os.environ, "BENCH_METHOD": scenario.method, "BENCH_API_KEY": API_KEY,
           "BENCH_BODY_FILE": str(body_file) if scenario.body is not None else ""}
    log = ctx.workdir / f"load-{running.name}-{scenario.name}.log"
    child = ctx.procs.start(load_command(load, running.url(scenario), scenario, body_file), log, env=env)
    try:
        child.wait(load.duration + 60)
    finally:
        ctx.procs.stop(child)
    return parse_result(log.read_text(errors="replace"))


def parse_result(output: str) -> Result:
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            return Result(**json.loads(line.removeprefix("BENCH_RESULT ")))
    raise RuntimeError(f"the load generator printed no result:\n{output[-2000:]}")


# --- measuring ------------------------------------------------------------------------------------------

@dataclass
class Row:
    """A scenario's numbers: every round per server, and our RSS around it."""

    scenario: Scenario
    rounds: dict[str, list[Result]]
    rss_before_kib: int
    rss_after_kib: int
    answer_bytes: int

    def rps(self, server: str) -> float:
        return statistics.median(r.rps for r in self.rounds[server])

    def latency_ms(self, server: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.rounds[server]) / 1000

    def errors(self, server: str) -> int:
        return sum(r.errors for r in self.rounds[server])

    @property
    def ratio(self) -> float:
        reference = self.rps(REFERENCE)
        return self.rps(SUBJECT) / reference if reference else 0.0


def measure(ctx: Context, load: Load, servers: list[Running], scenario: Scenario, rounds: int) -> Row:
    ours = servers[0]
    for running in servers:
        warm_up(running, scenario)
    before = rss_kib(ours.process.pid)
    results: dict[str, list[Result]] = {s.name: [] for s in servers}
    for round_index in range(rounds):
        order = servers if round_index % 2 == 0 else servers[::-1]  # A B, B A, ...: drift hits both
        for running in order:
            result = run_load(ctx, load, running, scenario)
            results[running.name].append(result)
            progress(f"  {scenario.name:<18} round {round_index + 1}/{rounds} {running.name:<9} "
                     f"{result.rps:9.0f} req/s  p50 {result.p50_us / 1000:6.2f} ms  errors {result.errors}")
    answer = len(ctx.captures[scenario.name].body)
    return Row(scenario, results, before, rss_kib(ours.process.pid), answer)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- reporting ------------------------------------------------------------------------------------------

def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def results_table(rows: list[Row], servers: list[str]) -> str:
    others = [s for s in servers if s not in (SUBJECT, REFERENCE)]
    head = ["scenario", "ours req/s", "baseline req/s", *(f"{s} req/s" for s in others), "ratio", "p50", "p99",
            "errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.scenario.name, f"{row.rps(SUBJECT):.0f}", f"{row.rps(REFERENCE):.0f}",
                 *(f"{row.rps(s):.0f}" for s in others), f"{row.ratio:.2f}",
                 f"{row.latency_ms(SUBJECT, 'p50_us'):.2f} ms", f"{row.latency_ms(SUBJECT, 'p99_us'):.2f} ms",
                 "/".join(str(row.errors(s)) for s in servers)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rss_table(rows: list[Row]) -> str:
    lines = ["| scenario | answer bytes | ours RSS before | ours RSS after | change |", "|---|---|---|---|---|"]
    for row in rows:
        change = row.rss_after_kib - row.rss_before_kib
        lines.append(f"| {row.scenario.name} | {row.answer_bytes} | {mib(row.rss_before_kib)} | "
                     f"{mib(row.rss_after_kib)} | {change / 1024:+.1f} MiB |")
    return "\n".join(lines)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for row in rows:
        target = row.scenario.target
        if target is None:
            continue
        ok = row.ratio >= target and row.errors(SUBJECT) == 0
        lines.append(f"{'PASS' if ok else 'MISS'}: {row.scenario.name} ratio {row.ratio:.2f} "
                     f"(target >= {target:.2f}){'' if row.errors(SUBJECT) == 0 else ', with errors'}")
    return lines


def report(rows: list[Row], servers: list[Running], load: Load, notes: list[str], rounds: int) -> str:
    ours = servers[0]
    parts = [
        (f"## Benchmark: {load.connections} connections, {load.duration} s x {rounds} rounds (median), "
         f"load generator {load.tool}"),
        "",
        results_table(rows, [s.name for s in servers]),
        "",
        "ratio = ours / baseline req/s; p50/p99 = our latency; errors = ours/" + "/".join(
            s.name for s in servers[1:]) + " summed over the rounds (non-2xx + socket errors; must be 0).",
        "",
        rss_table(rows),
        "",
        (f"ours RSS: {mib(ours.rss_ready_kib)} when ready, {mib(ours.rss_idle_kib)} once idle, "
         f"{mib(rss_kib(ours.process.pid))} at the end, peak {mib(rss_kib(ours.process.pid, 'VmHWM'))}"),
        "startup: " + ", ".join(f"{s.name} ready in {s.startup_s:.2f} s (idle {s.settle_s:.2f} s later)"
                                for s in servers),
        "",
        *verdicts(rows),
    ]
    if notes:
        parts += ["", *(f"note: {n}" for n in notes)]
    return "\n".join(parts)


def json_report(rows: list[Row], servers: list[Running], load: Load, notes: list[str]) -> dict[str, Any]:
    ours = servers[0]
    return {
        "load": asdict(load),
        "notes": notes,
        "servers": {s.name: {"startup_s": round(s.startup_s, 3), "settle_s": round(s.settle_s, 3),
                             "rss_ready_kib": s.rss_ready_kib, "rss_idle_kib": s.rss_idle_kib}
                    for s in servers},
        "ours_rss_end_kib": rss_kib(ours.process.pid),
        "ours_rss_peak_kib": rss_kib(ours.process.pid, "VmHWM"),
        "scenarios": [{
            "name": row.scenario.name,
            "method": row.scenario.method,
            "path": row.scenario.path,
            "answer_bytes": row.answer_bytes,
            "ratio": round(row.ratio, 4),
            "target": row.scenario.target,
            "pass": None if row.scenario.target is None else row.ratio >= row.scenario.target,
            "rss_before_kib": row.rss_before_kib,
            "rss_after_kib": row.rss_after_kib,
            "servers": {name: {
                "rps": round(row.rps(name), 1),
                "p50_ms": row.latency_ms(name, "p50_us"),
                "p99_ms": row.latency_ms(name, "p99_us"),
                "errors": row.errors(name),
                "rounds": [asdict(r) | {"rps": round(r.rps, 1)} for r in results],
            } for name, results in row.rounds.items()},
        } for row in rows],
    }


# --- main -----------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark our server against a bare Tornado handler.")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per scenario and server; median (default 3)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections (32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: it has one core)")
    parser.add_argument("--quick", action="store_true", help="smoke run: --duration 1 --rounds 1")
    parser.add_argument("--loader", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk if installed (auto), or the Python fallback")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin processes to cores")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON to PATH")
    parser.add_argument("--strict", action="store_true", help="exit 1 on a MISS too (default: only on errors)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds = 1, 1
    return args


def choose_scenarios(names: str) -> list[Scenario]:
    if not names:
        return SCENARIOS
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {s.name: s for s in SCENARIOS}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in wanted]


def environment(args: argparse.Namespace) -> tuple[Load, list[str]]:
    """Which load generator, whether to pin, and notes about what was not possible."""
    notes = []
    tool = args.loader
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
        if tool == "python":
            notes.append("wrk not found (apt-get install -y wrk): used the Python load generator, which may "
                         "be the bottleneck; compare ratios, not absolute req/s")
    elif tool == "wrk" and not shutil.which("wrk"):
        raise SystemExit("--loader wrk: wrk is not installed (apt-get install -y wrk)")
    pin = not args.no_pin
    if pin and not shutil.which("taskset"):
        pin = False
        notes.append("taskset not found: processes not pinned; server and load generator share the cores")
    elif pin and len(os.sched_getaffinity(0)) < 2:
        pin = False
        notes.append("fewer than 2 usable cores: processes not pinned")
    elif not pin:
        notes.append("--no-pin: processes not pinned")
    return Load(tool, args.connections, args.duration, args.threads, pin), notes


def launch_all(ctx: Context, scenarios: list[Scenario]) -> list[Running]:
    """Start ours, capture its answers, then start the servers that replay them."""
    first, *rest = SERVERS
    servers = [first.launch(ctx)]
    progress(started_line(servers[0]))
    for scenario in scenarios:
        ctx.captures[scenario.name] = capture(servers[0], scenario)
    for spec in rest:
        servers.append(spec.launch(ctx))
        progress(started_line(servers[-1]))
    return servers


def started_line(running: Running) -> str:
    return (f"started {running.name} on port {running.port}: ready in {running.startup_s:.2f} s, idle "
            f"{running.settle_s:.2f} s later, RSS {mib(running.rss_ready_kib)} -> {mib(running.rss_idle_kib)}")


def run(args: argparse.Namespace, procs: Processes, workdir: Path) -> tuple[str, bool]:
    """Benchmark; returns the report and whether the run is good (no errors; with --strict, no MISS)."""
    scenarios = choose_scenarios(args.scenarios)
    load, notes = environment(args)
    progress(f"load generator {load.tool}, {'pinned: servers core 0, load core 1' if load.pin else 'not pinned'}")
    ctx = Context(args, procs, workdir, load.pin)
    servers = launch_all(ctx, scenarios)
    rows = [measure(ctx, load, servers, scenario, args.rounds) for scenario in scenarios]
    text = report(rows, servers, load, notes, args.rounds)
    if args.json:
        Path(args.json).write_text(json.dumps(json_report(rows, servers, load, notes), indent=2) + "\n")
    clean = all(row.errors(s.name) == 0 for row in rows for s in servers)
    missed = any(line.startswith("MISS") for line in verdicts(rows))
    return text, clean and not (args.strict and missed)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so the cleanup in `finally` runs either way."""
    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch, terminated_as_interrupt():
        procs = Processes(Path(scratch))
        try:
            text, good = run(args, procs, Path(scratch))
            print(text, flush=True)
        except KeyboardInterrupt:
            progress("interrupted: stopping every process started")
            return 130
        except RuntimeError as error:
            progress(f"bench.py: {error}")
            return 1
        finally:
            procs.stop_all()
    progress(f"done in {time.perf_counter() - started:.0f} s")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
