"""Throughput benchmark: our server against a bare Tornado `RequestHandler` returning the same bytes, and a peer.

Run from the project root with the project's virtualenv (about 3 minutes with the defaults):

    python tests/benchmarks/bench.py                  # 7 scenarios, 3 rounds x 3 s per server
    python tests/benchmarks/bench.py --quick          # smoke run: 1 round of 1 s each
    python tests/benchmarks/bench.py --json out.json --duration 5 --rounds 5
    python tests/benchmarks/bench.py --scenarios chat,replay-chat --variants fastlog,keycache,fastlog+keycache

What it measures, in one run:
  * OURS: `main.py --mode synthetic` for the synthetic scenarios and `main.py --mode strict` on a scratch
    cassette directory (recordings of the replay scenarios' requests) for the replay ones; access log off;
  * BASELINE (baseline_server.py): a bare Tornado app with one `RequestHandler` per scenario writing the exact
    bytes our server answered, so "x baseline" = our req/s / its req/s is what our handling costs;
  * PEER: mocktopus (aiohttp), the fastest OpenAI mock we know, with a scripted answer of the same text,
    on the chat scenarios only (its streams sleep 20 ms per 5 characters; its embeddings are not comparable).
    Not a project dependency: `pip install mocktopus`; without it the column says n/a;
  * VARIANTS (`--variants a,b+c`): our server again with prototype patches from variants.py, each a column;
  * servers pinned to core 0, the load generator (wrk) to core 1; one server loaded at a time, the order
    alternating round by round so drift hits all alike; medians of the rounds; errors must be 0;
  * "other load" is CPU time on the server core not spent by the servers during the rounds (other jobs on
    a shared machine): numbers taken while it is high are not worth much.

Every process started here is killed (its whole process group) on exit, error, Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import harness
from harness import API_KEY, HERE, HOST, PYTHON, ROOT, Load, Processes, Result, Started, mib, progress

sys.path.insert(0, str(ROOT))
import recordings  # noqa: E402  (needs the project root on sys.path)
from dummy_openai_api.proxy.cassettes.formats import write_cassette  # noqa: E402


# --- scenarios ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """One kind of request, sent again and again on every connection."""

    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    subject: str = "ours"  # which of our servers answers it: "ours" (synthetic) or "ours-strict" (cassettes)
    min_ratio: float | None = None  # targets: ours / baseline,
    min_peer_ratio: float | None = None  # ours / peer,
    min_rps: float | None = None  # our req/s,
    min_events: float | None = None  # SSE events per second
    recorded: bytes | None = None  # the recorded answer (replay scenarios)

    @property
    def streamed(self) -> bool:
        return bool(self.body and self.body.get("stream"))

    def body_bytes(self) -> bytes | None:
        return json.dumps(self.body).encode() if self.body is not None else None


CHAT = recordings.chat_request("Hello, how are you?")
CHAT_ANSWER = "I'm doing well, thanks for asking! How can I help you today?"  # ours, for the peer's script
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
REPLAYED_EVENTS = 500


def embeddings_body(encoding: str) -> dict[str, Any]:
    return {"model": "text-embedding-3-small", "input": SENTENCES, "encoding_format": encoding}


SCENARIOS: list[Scenario] = [
    Scenario("chat", "POST", "/v1/chat/completions", CHAT, min_ratio=1.0, min_peer_ratio=1.0),
    Scenario("chat-stream", "POST", "/v1/chat/completions", {**CHAT, "stream": True}),
    Scenario("replay-chat", "POST", "/v1/chat/completions", recordings.chat_request("Replay: how are you?"),
             subject="ours-strict", min_ratio=1.0, min_peer_ratio=1.0,
             recorded=recordings.completion_body(CHAT_ANSWER)),
    Scenario("replay-stream", "POST", "/v1/chat/completions",
             recordings.chat_request("Replay: tell me a long story.", stream=True), subject="ours-strict",
             min_events=50_000, recorded=recordings.stream_body(REPLAYED_EVENTS)),
    Scenario("embeddings-float", "POST", "/v1/embeddings", embeddings_body("float"), min_rps=300),
    Scenario("embeddings-base64", "POST", "/v1/embeddings", embeddings_body("base64"), min_rps=1500),
    Scenario("models", "GET", "/v1/models", min_ratio=0.9),
]
SUBJECT, REFERENCE, PEER, CEILING = "ours", "baseline", "mocktopus", "ceiling"


# --- servers ----------------------------------------------------------------------------------------------------

@dataclass
class Running:
    """A started server, the column its numbers go to, and the path it serves each scenario on (None: not)."""

    started: Started
    column: str
    route: Callable[[Scenario], str | None]

    @property
    def name(self) -> str:
        return self.started.name

    @property
    def pid(self) -> int:
        return self.started.process.pid

    def url(self, scenario: Scenario) -> str:
        return f"http://{HOST}:{self.started.port}{self.route(scenario)}"


@dataclass
class Context:
    args: argparse.Namespace
    procs: Processes
    workdir: Path
    load: Load
    scenarios: list[Scenario]
    captures: dict[str, Capture] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Capture:
    body: bytes
    content_type: str
    streamed: bool
    headers: list[tuple[str, str]]  # what our server sent, less the framing (for the ceiling)


def start(ctx: Context, name: str, argv: list[str], port: int, column: str,
          route: Callable[[Scenario], str | None]) -> Running:
    running = Running(harness.start_server(ctx.procs, ctx.workdir, name, argv, port, ctx.load.pin), column, route)
    s = running.started
    progress(f"started {name} on port {port}: ready in {s.startup_s:.2f} s, idle {s.settle_s:.2f} s later, "
             f"RSS {mib(s.rss_ready_kib)} -> {mib(s.rss_idle_kib)}")
    return running


def cassette_dir(ctx: Context) -> Path:
    """A scratch cassette directory holding the recordings of every replay scenario."""
    directory = ctx.workdir / "cassettes"
    if not directory.exists():
        interactions = [recordings.interaction(s.body, s.recorded, s.streamed)
                        for s in ctx.scenarios if s.recorded is not None and s.body is not None]
        write_cassette(directory / "bench.yaml", interactions)
    return directory


def ours_argv(ctx: Context, subject: str, port: int, patches: str = "") -> list[str]:
    mode = ["--mode", "synthetic"] if subject == "ours" else ["--mode", "strict", "--cassettes", str(cassette_dir(ctx))]
    server = ["--host", HOST, "--port", str(port), *mode, "--access-log", "false", "--api-key", API_KEY]
    if patches:
        return [PYTHON, str(HERE / "variants.py"), "--patch", patches.replace("+", ","), "--", *server]
    return [PYTHON, str(ROOT / "main.py"), *server]


def launch_ours(ctx: Context, column: str = SUBJECT, patches: str = "") -> list[Running]:
    """One process per kind of subject the chosen scenarios need (synthetic, strict)."""
    launched = []
    for subject in dict.fromkeys(s.subject for s in ctx.scenarios):
        port = harness.free_port()
        name = subject if not patches else f"{subject}+{patches}"
        launched.append(start(ctx, name, ours_argv(ctx, subject, port, patches), port, column,
                              lambda s, subject=subject: s.path if s.subject == subject else None))
    return launched


def reference_spec(ctx: Context) -> Path:
    """The routes of baseline_server.py: each scenario's captured answer."""
    spec_file = ctx.workdir / "reference-spec.json"
    if not spec_file.exists():
        spec = []
        for name, capture in ctx.captures.items():
            body_file = ctx.workdir / f"reference-{name}.body"
            body_file.write_bytes(capture.body)
            spec.append({"path": f"/bench/{name}", "body_file": str(body_file), "headers": capture.headers,
                         "content_type": capture.content_type, "streamed": capture.streamed})
        spec_file.write_text(json.dumps(spec, indent=1))
    return spec_file


def launch_reference(ctx: Context, column: str, layer: str, uvloop: bool = False,
                     only: tuple[str, ...] | None = None) -> list[Running]:
    port = harness.free_port()
    argv = [PYTHON, str(HERE / "baseline_server.py"), "--host", HOST, "--port", str(port),
            "--spec", str(reference_spec(ctx)), "--layer", layer, *(["--uvloop"] if uvloop else [])]
    return [start(ctx, column, argv, port, column,
                  lambda s: f"/bench/{s.name}" if only is None or s.name in only else None)]


def launch_baseline(ctx: Context) -> list[Running]:
    return launch_reference(ctx, REFERENCE, "handler")


CEILING_SCENARIOS = ("chat", "replay-chat")


def launch_ceilings(ctx: Context) -> list[Running]:
    """Tornado's lowest layer writing our exact answer: on the chat scenarios (all with --all-ceilings)."""
    if ctx.args.no_ceiling:
        return []
    only = None if ctx.args.all_ceilings else CEILING_SCENARIOS
    if not any(only is None or s.name in only for s in ctx.scenarios):
        return []
    launched = launch_reference(ctx, CEILING, "delegate", only=only)
    if ctx.args.uvloop_refs:
        launched += launch_reference(ctx, REFERENCE + "+uvloop", "handler", uvloop=True)
        launched += launch_reference(ctx, CEILING + "+uvloop", "delegate", uvloop=True, only=only)
    return launched


PEER_SCENARIOS = ("chat", "replay-chat")


def launch_peer(ctx: Context) -> list[Running]:
    """mocktopus with a scripted answer of the same text as ours, on the chat scenarios."""
    if ctx.args.no_peer or not any(s.name in PEER_SCENARIOS for s in ctx.scenarios):
        return []
    executable = shutil.which("mocktopus") or str(Path(PYTHON).parent / "mocktopus")
    if not Path(executable).exists():
        ctx.notes.append("mocktopus not installed (pip install mocktopus): no peer column")
        return []
    script = ctx.workdir / "mocktopus.yaml"
    script.write_text(json.dumps({"version": 1, "rules": [{"type": "llm.openai", "when": {"model": "*"}, "respond": {
        "content": CHAT_ANSWER, "usage": {"input_tokens": 13, "output_tokens": 15, "total_tokens": 28}}}]}))
    port = harness.free_port()
    argv = [executable, "serve", "-s", str(script), "--host", HOST, "-p", str(port)]
    return [start(ctx, PEER, argv, port, PEER, lambda s: s.path if s.name in PEER_SCENARIOS else None)]


def launch_all(ctx: Context) -> list[Running]:
    """Start ours, capture its answers, then the servers that replay them, the peer and the variants."""
    servers = launch_ours(ctx)
    for scenario in ctx.scenarios:
        owner = next(r for r in servers if r.route(scenario) is not None)
        ctx.captures[scenario.name] = capture(owner, scenario)
    servers += launch_baseline(ctx) + launch_peer(ctx) + launch_ceilings(ctx)
    for patches in filter(None, (v.strip() for v in ctx.args.variants.split(","))):
        servers += launch_ours(ctx, column="+" + patches, patches=patches)
    return servers


# --- requests ----------------------------------------------------------------------------------------------------

def checked_request(running: Running, scenario: Scenario) -> tuple[str, bytes]:
    """The scenario's request once; anything but 200 stops the benchmark with the server's log."""
    status, content_type, body = harness.request(running.started.port, scenario.method, running.route(scenario),
                                                 scenario.body_bytes() or b"")
    if status != 200:
        raise RuntimeError(f"{running.name} answered {status} to {scenario.name}: {body[:300]!r}\n"
                           f"its log:\n{harness.tail(running.started.log)}")
    return content_type, body


FRAMING = ("content-length", "transfer-encoding", "connection", "date", "server")


def capture(running: Running, scenario: Scenario) -> Capture:
    got = harness.fetch(running.started.port, scenario.method, running.route(scenario), scenario.body_bytes() or b"")
    if got.status != 200:
        raise RuntimeError(f"{running.name} answered {got.status} to {scenario.name}: {got.body[:300]!r}")
    headers = [(k, v) for k, v in got.headers if k.lower() not in FRAMING]
    return Capture(got.body, got.content_type, scenario.streamed, headers)


def warm_up(running: Running, scenario: Scenario, count: int = 50) -> None:
    """A few requests first, so that nothing lazy (imports, caches) is paid for inside a measurement."""
    for _ in range(count):
        checked_request(running, scenario)


# --- measuring ----------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """A scenario's numbers: every round per column, and our RSS around it."""

    scenario: Scenario
    rounds: dict[str, list[Result]]
    rss_before_kib: int
    rss_after_kib: int
    answer_bytes: int
    events: int  # SSE data events per answer (0: not a stream)

    def rps(self, column: str) -> float | None:
        results = self.rounds.get(column)
        return statistics.median(r.rps for r in results) if results else None

    def latency_ms(self, column: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.rounds[column]) / 1000

    def errors(self, column: str) -> int:
        return sum(r.errors for r in self.rounds.get(column, []))

    def cpu_us(self, column: str) -> float | None:
        results = self.rounds.get(column)
        return statistics.median(r.cpu_us_per_request for r in results) if results else None

    def ratio(self, column: str) -> float | None:
        ours, other = self.rps(SUBJECT), self.rps(column)
        return ours / other if ours and other else None

    @property
    def foreign_pct(self) -> float:
        return max((r.foreign_pct for results in self.rounds.values() for r in results), default=0.0)

    @property
    def events_per_s(self) -> float | None:
        return (self.rps(SUBJECT) or 0) * self.events if self.events else None


def quiet_round(ctx: Context, running: Running, scenario: Scenario, label: str) -> Result:
    """One round; taken again (up to --retries times) while other work took more of the server's core than
    --max-other-load percent."""
    for attempt in range(ctx.args.retries + 1):
        result = harness.run_load(ctx.procs, ctx.workdir, ctx.load, running.url(scenario), scenario.method,
                                  scenario.body_bytes(), f"{running.name}-{scenario.name}", [running.pid])
        noisy = result.foreign_pct > ctx.args.max_other_load
        progress(f"  {scenario.name:<18} round {label} {running.column:<16} {result.rps:9.0f} req/s  "
                 f"{result.cpu_us_per_request:6.0f} us CPU/req  p50 {result.p50_us / 1000:6.2f} ms  errors "
                 f"{result.errors}  other load {result.foreign_pct:3.0f}%"
                 f"{'  (noisy: again)' if noisy and attempt < ctx.args.retries else ''}")
        if not noisy:
            break
        time.sleep(1)
    return result


def count_events(body: bytes) -> int:
    return body.count(b"data:")


def measure(ctx: Context, servers: list[Running], scenario: Scenario, rounds: int) -> Row:
    taking_part = [r for r in servers if r.route(scenario) is not None]
    subject = next(r for r in taking_part if r.column == SUBJECT)
    for running in taking_part:
        warm_up(running, scenario)
    before = harness.rss_kib(subject.pid)
    results: dict[str, list[Result]] = {r.column: [] for r in taking_part}
    for round_index in range(rounds):
        order = taking_part if round_index % 2 == 0 else taking_part[::-1]  # A B C, C B A, ...: drift hits all
        for running in order:
            results[running.column].append(quiet_round(ctx, running, scenario, f"{round_index + 1}/{rounds}"))
    answer = ctx.captures[scenario.name].body
    return Row(scenario, results, before, harness.rss_kib(subject.pid), len(answer),
               count_events(answer) if scenario.streamed else 0)


# --- reporting ----------------------------------------------------------------------------------------------------

def fmt(value: float | None, spec: str = ".0f") -> str:
    return "n/a" if value is None else format(value, spec)


def results_table(rows: list[Row], columns: list[str]) -> str:
    variants = [c for c in columns if c not in (SUBJECT, REFERENCE, PEER, CEILING)]
    head = ["scenario", "ours req/s", "baseline req/s", "peer req/s", "ceiling req/s",
            *(f"{v} req/s" for v in variants), "x baseline", "x peer", "x ceiling",
            *(f"{v} x ours" for v in variants), "p50", "p99", "events/s", "errors"]
    body = []
    for row in rows:
        body.append([
            row.scenario.name + ("" if row.scenario.subject == SUBJECT else " (strict)"),
            fmt(row.rps(SUBJECT)), fmt(row.rps(REFERENCE)), fmt(row.rps(PEER)), fmt(row.rps(CEILING)),
            *(fmt(row.rps(v)) for v in variants),
            fmt(row.ratio(REFERENCE), ".2f"), fmt(row.ratio(PEER), ".2f"), fmt(row.ratio(CEILING), ".2f"),
            *(fmt((row.rps(v) or 0) / row.rps(SUBJECT) if row.rps(v) and row.rps(SUBJECT) else None, ".2f")
              for v in variants),
            f"{row.latency_ms(SUBJECT, 'p50_us'):.2f} ms", f"{row.latency_ms(SUBJECT, 'p99_us'):.2f} ms",
            fmt(row.events_per_s), "/".join(str(row.errors(c)) for c in columns if c in row.rounds)])
    return harness.markdown_table(head, body)


def cpu_table(rows: list[Row], columns: list[str]) -> str:
    """Server CPU microseconds per answer: 1e6 / it is what one fully used core could answer per second."""
    def versus(row: Row, column: str) -> float | None:
        ours, theirs = row.cpu_us(SUBJECT), row.cpu_us(column)
        return ours / theirs if ours and theirs else None

    body = [[row.scenario.name, *(fmt(row.cpu_us(c), ".0f") for c in columns),
             *(fmt(versus(row, c), ".2f") for c in columns if c != SUBJECT)] for row in rows]
    return harness.markdown_table(["scenario", *(f"{c} us" for c in columns),
                                   *(f"{c} x ours" for c in columns if c != SUBJECT)], body)


def rss_table(rows: list[Row]) -> str:
    body = [[row.scenario.name, str(row.answer_bytes), str(row.events or ""), mib(row.rss_before_kib),
             mib(row.rss_after_kib), f"{(row.rss_after_kib - row.rss_before_kib) / 1024:+.1f} MiB",
             f"{row.foreign_pct:.0f}%"] for row in rows]
    return harness.markdown_table(["scenario", "answer bytes", "events", "ours RSS before", "ours RSS after",
                                   "change", "other load (max)"], body)


def verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for row in rows:
        s, errors = row.scenario, row.errors(SUBJECT)
        checks = [("x baseline", row.ratio(REFERENCE), s.min_ratio, ".2f"),
                  ("x peer", row.ratio(PEER), s.min_peer_ratio, ".2f"),
                  ("req/s", row.rps(SUBJECT), s.min_rps, ".0f"), ("events/s", row.events_per_s, s.min_events, ".0f")]
        for label, value, target, spec in checks:
            if target is None:
                continue
            if value is None:
                lines.append(f"n/a : {s.name} {label} (target >= {target:{spec}}): not measured")
                continue
            ok = value >= target and errors == 0
            lines.append(f"{'PASS' if ok else 'MISS'}: {s.name} {label} {value:{spec}} (target >= {target:{spec}})"
                         f"{'' if ok or value >= target else f', {100 * (1 - value / target):.1f}% short'}"
                         f"{'' if errors == 0 else ', with errors'}")
    return lines


def servers_lines(servers: list[Running]) -> list[str]:
    lines = []
    for r in servers:
        s = r.started
        lines.append(f"{r.name}: ready in {s.startup_s:.2f} s (idle {s.settle_s:.2f} s later), RSS "
                     f"{mib(s.rss_ready_kib)} ready, {mib(s.rss_idle_kib)} idle, {mib(harness.rss_kib(r.pid))} at "
                     f"the end, peak {mib(harness.rss_kib(r.pid, 'VmHWM'))}")
    return lines


def report(ctx: Context, rows: list[Row], servers: list[Running], rounds: int) -> str:
    columns = list(dict.fromkeys(r.column for r in servers))
    load = ctx.load
    return "\n".join([
        f"## Benchmark: {load.connections} connections, {load.duration} s x {rounds} rounds (median), load "
        f"generator {load.tool}, {'servers on core 0, load on core 1' if load.pin else 'not pinned'}",
        "",
        results_table(rows, columns),
        "",
        "x baseline/x peer = our req/s over theirs; `+patch x ours` = a variant's req/s over ours; p50/p99 = our "
        "latency; events/s = SSE data events per second (req/s x events per answer); errors per column, summed "
        "over the rounds (non-2xx + socket errors; must be 0).",
        "",
        "Server CPU per answer (microseconds, median over the rounds; `x ours` = ours / theirs, above 1 = they "
        "spend less). Much less sensitive than req/s to other work on the machine:",
        "",
        cpu_table(rows, columns),
        "",
        rss_table(rows),
        "",
        *servers_lines(servers),
        "",
        *verdicts(rows),
        "",
        *(f"note: {n}" for n in ctx.notes),
    ]).rstrip()


def json_report(ctx: Context, rows: list[Row], servers: list[Running]) -> dict[str, Any]:
    return {
        "load": asdict(ctx.load),
        "notes": ctx.notes,
        "servers": {r.name: {"column": r.column, "startup_s": round(r.started.startup_s, 3),
                             "settle_s": round(r.started.settle_s, 3), "rss_ready_kib": r.started.rss_ready_kib,
                             "rss_idle_kib": r.started.rss_idle_kib, "rss_end_kib": harness.rss_kib(r.pid),
                             "rss_peak_kib": harness.rss_kib(r.pid, "VmHWM")} for r in servers},
        "verdicts": verdicts(rows),
        "scenarios": [{
            "name": row.scenario.name, "method": row.scenario.method, "path": row.scenario.path,
            "subject": row.scenario.subject, "answer_bytes": row.answer_bytes, "events": row.events,
            "events_per_s": row.events_per_s, "rss_before_kib": row.rss_before_kib,
            "rss_after_kib": row.rss_after_kib, "other_load_pct": round(row.foreign_pct, 1),
            "columns": {column: {
                "rps": round(row.rps(column) or 0, 1), "p50_ms": row.latency_ms(column, "p50_us"),
                "p99_ms": row.latency_ms(column, "p99_us"), "errors": row.errors(column),
                "rounds": [asdict(r) | {"rps": round(r.rps, 1)} for r in results],
            } for column, results in row.rounds.items()},
        } for row in rows],
    }


# --- main ------------------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark our server against a bare Tornado handler and a peer.")
    harness.add_load_options(parser, duration=3)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per scenario and server; median (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: --duration 1 --rounds 1")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--variants", default="", help="comma-separated patch sets from variants.py, patches "
                        "joined by '+' (uvloop,fastlog+keycache): each runs as an extra column")
    parser.add_argument("--max-other-load", type=float, default=20.0, help="percent of the server core other "
                        "work may take during a round before it is taken again (default 20)")
    parser.add_argument("--retries", type=int, default=2, help="times a noisy round is taken again (default 2)")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer (mocktopus)")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the ceiling (Tornado's lowest layer)")
    parser.add_argument("--all-ceilings", action="store_true", help="the ceiling on every scenario, not only chat")
    parser.add_argument("--uvloop-refs", action="store_true", help="also run baseline and ceiling on uvloop "
                        "(pip install uvloop)")
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


def run(args: argparse.Namespace, procs: Processes, workdir: Path) -> tuple[str, bool]:
    """Benchmark; returns the report and whether the run is good (no errors; with --strict, no MISS)."""
    load, notes = harness.environment(args)
    ctx = Context(args, procs, workdir, load, choose_scenarios(args.scenarios), notes=[harness.machine_note(), *notes])
    progress(f"load generator {load.tool}, {'pinned: servers core 0, load core 1' if load.pin else 'not pinned'}")
    servers = launch_all(ctx)
    rows = [measure(ctx, servers, scenario, args.rounds) for scenario in ctx.scenarios]
    text = report(ctx, rows, servers, args.rounds)
    if args.json:
        Path(args.json).write_text(json.dumps(json_report(ctx, rows, servers), indent=2) + "\n")
    clean = all(row.errors(column) == 0 for row in rows for column in row.rounds)
    missed = any(line.startswith("MISS") for line in verdicts(rows))
    return text, clean and not (args.strict and missed)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch, harness.terminated_as_interrupt():
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
    progress(f"done in {time.perf_counter() - began:.0f} s")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
