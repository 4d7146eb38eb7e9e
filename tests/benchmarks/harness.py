"""What every benchmark script shares: child processes, pinning, readiness, RSS, wrk runs, noise checks.

Not a test module and not part of the server: the scripts beside it (bench.py, bench_startup.py, ...)
import it as `harness` when run from the project root (`python tests/benchmarks/<script>.py`).
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
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
API_KEY = "sk-dummy"
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0  # seconds to wait for /health after starting a server
SERVER_CORE, LOAD_CORE = "0", "1"


# --- processes ----------------------------------------------------------------------------------------------

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
            os.killpg(child.pid, signal.SIGKILL)  # stragglers left in the group (forked workers)
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.children)):
            self.stop(child)


def pinned(argv: list[str], cores: str, pin: bool) -> list[str]:
    return ["taskset", "-c", cores, *argv] if pin else argv


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


def group_rss_kib(pid: int) -> int:
    """RSS of a process and its direct children (forked workers), in KiB."""
    total = rss_kib(pid)
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += rss_kib(int(child))
    return total


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


def core_busy_ticks(core: str) -> int:
    """Busy (non-idle, non-iowait) ticks of one CPU from /proc/stat; 0 if unknown."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith(f"cpu{core} "):
                values = [int(v) for v in line.split()[1:]]
                return sum(values) - values[3] - values[4]
    return 0


class ForeignLoad:
    """How busy the server's core was with other work during a run: a noise indicator for shared machines."""

    def __init__(self, core: str, pids: list[int]) -> None:
        self.core, self.pids = core, pids
        self.began = (time.perf_counter(), core_busy_ticks(core), sum(map(cpu_ticks, pids)))

    def percent(self) -> float:
        wall0, busy0, ours0 = self.began
        elapsed_ticks = (time.perf_counter() - wall0) * os.sysconf("SC_CLK_TCK")
        foreign = (core_busy_ticks(self.core) - busy0) - (sum(map(cpu_ticks, self.pids)) - ours0)
        return max(0.0, 100 * foreign / elapsed_ticks) if elapsed_ticks else 0.0


def machine_busy_pct(window: float = 1.0) -> float:
    """How busy all CPUs together were over `window` seconds, in percent of their capacity."""
    def totals() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(values) - values[3] - values[4], sum(values)
    busy0, all0 = totals()
    time.sleep(window)
    busy1, all1 = totals()
    return 100 * (busy1 - busy0) / max(1, all1 - all0)


def wait_quiet(limit_pct: float = 15.0, timeout: float = 60.0) -> float:
    """Wait (up to `timeout` s) until the machine is less busy than `limit_pct`; returns the last reading."""
    deadline = time.perf_counter() + timeout
    busy = machine_busy_pct()
    while busy > limit_pct and time.perf_counter() < deadline:
        busy = machine_busy_pct()
    return busy


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


# --- HTTP -----------------------------------------------------------------------------------------------------

@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # with any chunking undone

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


def fetch(port: int, method: str, path: str, body: bytes = b"", timeout: float = 10.0,
          headers: dict[str, str] | None = None) -> Fetched:
    """One request on a fresh connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        sent = {"Authorization": f"Bearer {API_KEY}", **(headers or {})}
        if method == "POST":
            sent.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body or None, headers=sent)
        response = conn.getresponse()
        return Fetched(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def request(port: int, method: str, path: str, body: bytes = b"", timeout: float = 10.0,
            headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """One request on a fresh connection: (status, content type, body with any chunking undone)."""
    got = fetch(port, method, path, body, timeout, headers)
    return got.status, got.content_type, got.body


@dataclass
class Started:
    """A started server process and what its start cost."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    startup_s: float = 0.0  # from spawn to the first 200 from /health
    settle_s: float = 0.0  # from then until the process went idle (background loading, e.g. tokenizers)
    rss_ready_kib: int = 0
    rss_idle_kib: int = 0


def wait_ready(name: str, process: subprocess.Popen[bytes], port: int, log: Path,
               timeout: float = READY_TIMEOUT, poll: float = 0.02, path: str = "/health") -> float:
    """Poll GET `path` until it answers 200; returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} before it was ready:\n{tail(log)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if request(port, "GET", path, timeout=2)[0] == 200:
                return time.perf_counter() - started
        time.sleep(poll)
    raise RuntimeError(f"{name} not ready after {timeout:.0f} s:\n{tail(log)}")


def start_server(procs: Processes, workdir: Path, name: str, argv: list[str], port: int, pin: bool,
                 cores: str = SERVER_CORE, env: dict[str, str] | None = None, settle: bool = True) -> Started:
    """Spawn a server (pinned), wait for /health, then (with `settle`) for it to go idle."""
    log = workdir / f"{name}.log"
    began = time.perf_counter()
    process = procs.start(pinned(argv, cores, pin), log, env=env)
    started = Started(name, process, port, log)
    wait_ready(name, process, port, log)
    started.startup_s = time.perf_counter() - began
    started.rss_ready_kib = rss_kib(process.pid)
    if settle:
        started.settle_s = max(0.0, wait_idle(process.pid))
        started.rss_idle_kib = rss_kib(process.pid)
    return started


# --- load ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Load:
    tool: str  # "wrk" or "python"
    connections: int
    duration: int
    threads: int
    pin: bool
    cores: str = LOAD_CORE


@dataclass
class Result:
    """One load run against one server: the generator's summary (latencies in microseconds)."""

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
    foreign_pct: float = 0.0  # other work on the server core meanwhile (see ForeignLoad)
    server_cpu_s: float = 0.0  # CPU time the watched server processes used meanwhile

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        return self.connect + self.read + self.write + self.status + self.timeout

    @property
    def cpu_us_per_request(self) -> float:
        """Server CPU per answer: far less sensitive than req/s to other work on a shared machine."""
        return self.server_cpu_s / self.requests * 1e6 if self.requests else 0.0


def load_command(load: Load, url: str, method: str, body_file: Path | None) -> list[str]:
    if load.tool == "wrk":
        argv = ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{load.duration}s", "--latency",
                "--timeout", "5s", "-s", str(HERE / "wrk_request.lua"), url]
    else:
        argv = [PYTHON, str(HERE / "pyload.py"), "--url", url, "--method", method,
                "--connections", str(load.connections), "--duration", str(load.duration),
                "--api-key", API_KEY, "--timeout", "5"]
        if body_file is not None:
            argv += ["--body-file", str(body_file)]
    return pinned(argv, load.cores, load.pin)


def run_load(procs: Processes, workdir: Path, load: Load, url: str, method: str, body: bytes | None,
             label: str, watch: list[int] | None = None) -> Result:
    """Put load on `url` for load.duration seconds; `watch` (server pids) feeds the foreign-load figure."""
    body_file = None
    if body is not None:
        body_file = workdir / f"request-{label}.json"
        body_file.write_bytes(body)
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_API_KEY": API_KEY,
           "BENCH_BODY_FILE": str(body_file) if body_file else ""}
    log = workdir / f"load-{label}.log"
    foreign = ForeignLoad(SERVER_CORE, watch or [])
    cpu_before = sum(map(cpu_ticks, watch or []))
    child = procs.start(load_command(load, url, method, body_file), log, env=env)
    try:
        child.wait(load.duration + 60)
    finally:
        procs.stop(child)
    result = parse_result(log.read_text(errors="replace"))
    result.foreign_pct = foreign.percent() if load.pin else 0.0
    result.server_cpu_s = (sum(map(cpu_ticks, watch or [])) - cpu_before) / os.sysconf("SC_CLK_TCK")
    return result


def parse_result(output: str) -> Result:
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            return Result(**json.loads(line.removeprefix("BENCH_RESULT ")))
    raise RuntimeError(f"the load generator printed no result:\n{output[-2000:]}")


# --- options and environment --------------------------------------------------------------------------------

def add_load_options(parser: argparse.ArgumentParser, duration: int) -> None:
    parser.add_argument("--duration", type=int, default=duration, help=f"seconds of load per round ({duration})")
    parser.add_argument("--connections", type=int, default=32, help="concurrent keep-alive connections (32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: it has one core)")
    parser.add_argument("--loader", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk if installed (auto), or the Python fallback")
    parser.add_argument("--no-pin", action="store_true", help="do not pin processes to cores")


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


def machine_note() -> str:
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {one:.2f} (1 min) {five:.2f} (5 min) at the start"


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


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
