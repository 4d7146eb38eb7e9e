"""Start-up and memory: time to the first 200 on /health, tokenizer load time, RSS idle and under load.

    python tests/benchmarks/bench_startup.py              # about 60 s
    python tests/benchmarks/bench_startup.py --starts 15 --soak 20 --json startup.json

What it measures:
  * STARTUP: `main.py --port P` with the default settings (replay mode on the project's `cassettes`
    directory) spawned `--starts` times; the time from spawn to the first 200 on GET /health, polled
    every 2 ms; median, min and max. The same for a bare Tornado app (baseline_server.py), the floor;
  * FIRST ANSWER: right after /health answers, one chat request: how long it took, and how long it waited
    for the tokenizers that load in the background meanwhile;
  * TOKENIZERS, in a fresh interpreter: import time of `generators.tokens`, each encoding's load time
    (`tokens.load_seconds`) and the RSS it adds; then the RSS once tiktoken's Python copy of the ranks
    (`Encoding._mergeable_ranks`, only read again when pickling) is dropped and malloc trimmed: what a
    core change that drops it would save;
  * MEMORY: our RSS when ready, once idle (tokenizers loaded), then after each of two `--soak`-second
    rounds of load in which every request differs (chat, chat streams and embeddings with a counter in
    the text), so every cache fills: RSS must level off (bounded), not grow round after round.

Targets (PASS/MISS): startup < 0.3 s; idle RSS < 80 MB; the second soak round grows RSS by < 5 MiB.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import harness
from harness import API_KEY, HERE, HOST, PYTHON, ROOT, Processes, mib, progress

STARTUP_TARGET_S = 0.3
IDLE_RSS_TARGET_KIB = 80 * 1000 * 1000 // 1024  # 80 MB
SOAK_GROWTH_LIMIT_KIB = 5 * 1024
HEALTH = f"GET /health HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
CHAT = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello, how are you?"}]})

# A wrk script whose every request differs: chat, chat stream, embeddings in turn, numbered.
VARIED_LUA = """
local n = 0
request = function()
  n = n + 1
  local text = "Question number " .. n .. " about item " .. (n * 7919 % 100003)
  local kind = n % 3
  local path, body
  if kind == 0 then
    path = "/v1/embeddings"
    body = '{"model":"text-embedding-3-small","input":["' .. text .. '","' .. text .. ' again"]}'
  else
    path = "/v1/chat/completions"
    local stream = (kind == 2) and ',"stream":true' or ''
    body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"' .. text .. '"}]' .. stream .. '}'
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                    ["Authorization"] = "Bearer sk-dummy"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format('BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def health_ok(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as conn:
            conn.sendall(HEALTH)
            return conn.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def time_to_health(procs: Processes, argv: list[str], port: int, log: Path, pin: bool) -> float:
    """Seconds from spawn to the first 200 on /health (polled every 2 ms); the process is stopped after."""
    began = time.perf_counter()
    child = procs.start(harness.pinned(argv, harness.SERVER_CORE, pin), log)
    try:
        while not health_ok(port):
            if child.poll() is not None or time.perf_counter() - began > harness.READY_TIMEOUT:
                raise RuntimeError(f"{argv[1]} did not start:\n{harness.tail(log)}")
            time.sleep(0.002)
        return time.perf_counter() - began
    finally:
        procs.stop(child)


def ours_argv(port: int, *extra: str) -> list[str]:
    return [PYTHON, str(ROOT / "main.py"), "--host", HOST, "--port", str(port), *extra]


def startup(procs: Processes, workdir: Path, starts: int, pin: bool) -> dict[str, Any]:
    spec = workdir / "empty-spec.json"
    spec.write_text("[]")
    ours, bare = [], []
    for index in range(starts):
        port = harness.free_port()
        ours.append(time_to_health(procs, ours_argv(port), port, workdir / f"start-{index}.log", pin))
        port = harness.free_port()
        bare.append(time_to_health(procs, [PYTHON, str(HERE / "baseline_server.py"), "--port", str(port),
                                           "--spec", str(spec)], port, workdir / "bare.log", pin))
        progress(f"  start {index + 1}/{starts}: ours {ours[-1]:.3f} s, bare Tornado {bare[-1]:.3f} s")
    return {"ours_s": ours, "bare_s": bare}


def first_answer(procs: Processes, workdir: Path, pin: bool) -> dict[str, float]:
    """Start, and as soon as /health answers, time one chat request (the tokenizers may still be loading)."""
    port = harness.free_port()
    log = workdir / "first.log"
    child = procs.start(harness.pinned(ours_argv(port, "--access-log", "true"), harness.SERVER_CORE, pin), log)
    try:
        harness.wait_ready("ours", child, port, log, poll=0.002)
        began = time.perf_counter()
        status, _, _ = harness.request(port, "POST", "/v1/chat/completions", CHAT.encode())
        took = time.perf_counter() - began
        if status != 200:
            raise RuntimeError(f"first chat answered {status}")
        began = time.perf_counter()
        harness.request(port, "POST", "/v1/chat/completions", CHAT.encode())
        return {"first_chat_s": took, "second_chat_s": time.perf_counter() - began}
    finally:
        procs.stop(child)


TOKENIZER_PROBE = r"""
import ctypes, gc, json, sys, time
sys.path.insert(0, sys.argv[1])
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
out = {"rss_start_kib": rss()}
began = time.perf_counter()
from dummy_openai_api.generators import tokens
out["import_s"] = time.perf_counter() - began
out["rss_imported_kib"] = rss()
for name in ("o200k_base", "cl100k_base"):
    tokens.encoding(name)
    gc.collect(); ctypes.CDLL("libc.so.6").malloc_trim(0)
    out[f"rss_{name}_kib"] = rss()
out["load_seconds"] = tokens.load_seconds
out["ranks_kept"] = any(tokens.encoding(n)._mergeable_ranks for n in ("o200k_base", "cl100k_base"))
for name in ("o200k_base", "cl100k_base"):
    tokens.encoding(name)._mergeable_ranks = {}
gc.collect(); ctypes.CDLL("libc.so.6").malloc_trim(0)
out["rss_ranks_dropped_kib"] = rss()
assert tokens.count("hello world", "gpt-4o") == 2 and tokens.count("hello world", "gpt-4") == 2
print(json.dumps(out))
"""


def tokenizer_probe() -> dict[str, Any]:
    done = subprocess.run([PYTHON, "-c", TOKENIZER_PROBE, str(ROOT)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"tokenizer probe failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory(procs: Processes, workdir: Path, load: harness.Load, soak: int) -> dict[str, Any]:
    port = harness.free_port()
    started = harness.start_server(procs, workdir, "ours-memory", ours_argv(port, "--access-log", "false",
                                                                            "--api-key", API_KEY), port, load.pin)
    script = workdir / "varied.lua"
    script.write_text(VARIED_LUA)
    out: dict[str, Any] = {"rss_ready_kib": started.rss_ready_kib, "rss_idle_kib": started.rss_idle_kib,
                           "settle_s": started.settle_s, "soak": []}
    for round_index in range(2):
        argv = ["wrk", "-t1", f"-c{load.connections}", f"-d{soak}s", "--latency", "--timeout", "5s",
                "-s", str(script), f"http://{HOST}:{port}/"]
        log = workdir / f"soak-{round_index}.log"
        child = procs.start(harness.pinned(argv, load.cores, load.pin), log)
        child.wait(soak + 60)
        result = harness.parse_result(log.read_text(errors="replace"))
        rss = harness.rss_kib(started.process.pid)
        out["soak"].append({"requests": result.requests, "errors": result.errors, "rps": round(result.rps),
                            "rss_kib": rss})
        progress(f"  soak round {round_index + 1}: {result.requests} distinct requests ({result.rps:.0f}/s, "
                 f"errors {result.errors}), RSS {mib(rss)}")
    out["rss_peak_kib"] = harness.rss_kib(started.process.pid, "VmHWM")
    procs.stop(started.process)
    return out


def report(data: dict[str, Any]) -> str:
    ours, bare = data["startup"]["ours_s"], data["startup"]["bare_s"]
    tok, mem, first = data["tokenizers"], data["memory"], data["first"]
    soak = mem["soak"]
    growth = soak[1]["rss_kib"] - soak[0]["rss_kib"]
    rows = [
        ["startup to first /health 200 (median of %d)" % len(ours), f"{statistics.median(ours) * 1000:.0f} ms",
         f"{min(ours) * 1000:.0f}-{max(ours) * 1000:.0f} ms", f"bare Tornado app {statistics.median(bare) * 1000:.0f} ms"],
        ["first chat answer right after ready", f"{first['first_chat_s'] * 1000:.0f} ms", "",
         f"second {first['second_chat_s'] * 1000:.1f} ms"],
        ["import generators.tokens", f"{tok['import_s'] * 1000:.0f} ms", "", ""],
        *([f"tokenizer {name} load", f"{seconds * 1000:.0f} ms", "",
           f"+{mib(tok[f'rss_{name}_kib'] - prev)} RSS"] for name, seconds, prev in (
            ("o200k_base", tok["load_seconds"]["o200k_base"], tok["rss_imported_kib"]),
            ("cl100k_base", tok["load_seconds"]["cl100k_base"], tok["rss_o200k_base_kib"]))),
        ["RSS with both tokenizers, then ranks dropped", mib(tok["rss_cl100k_base_kib"]), "",
         f"{mib(tok['rss_ranks_dropped_kib'])} (saves {mib(tok['rss_cl100k_base_kib'] - tok['rss_ranks_dropped_kib'])})"
         if tok.get("ranks_kept", True) else "dummy_openai_api.generators.tokens already drops them at load"],
        ["RSS ready (first /health)", mib(mem["rss_ready_kib"]), "", ""],
        ["RSS idle (tokenizers loaded)", mib(mem["rss_idle_kib"]), "", f"idle {mem['settle_s']:.2f} s after ready"],
        *([f"RSS after soak round {i + 1}", mib(r["rss_kib"]), f"{r['requests']} distinct requests",
           f"{r['rps']} req/s, errors {r['errors']}"] for i, r in enumerate(soak)),
        ["RSS peak", mib(mem["rss_peak_kib"]), "", ""],
    ]
    verdicts = [
        verdict("startup", statistics.median(ours) < STARTUP_TARGET_S, f"{statistics.median(ours) * 1000:.0f} ms",
                f"< {STARTUP_TARGET_S * 1000:.0f} ms"),
        verdict("idle RSS", mem["rss_idle_kib"] < IDLE_RSS_TARGET_KIB, mib(mem["rss_idle_kib"]), "< 80 MB (76.3 MiB)"),
        verdict("ready RSS", mem["rss_ready_kib"] < IDLE_RSS_TARGET_KIB, mib(mem["rss_ready_kib"]), "< 80 MB"),
        verdict("bounded under load", growth < SOAK_GROWTH_LIMIT_KIB, f"{growth / 1024:+.1f} MiB in round 2",
                "< +5 MiB"),
    ]
    return "\n".join(["## Start-up and memory", "",
                      harness.markdown_table(["measure", "value", "range / count", "note"], rows), "",
                      *verdicts, "", *(f"note: {n}" for n in data["notes"])]).rstrip()


def verdict(name: str, ok: bool, value: str, target: str) -> str:
    return f"{'PASS' if ok else 'MISS'}: {name} {value} (target {target})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_load_options(parser, duration=10)
    parser.add_argument("--starts", type=int, default=9, help="starts to time; median (default 9)")
    parser.add_argument("--soak", type=int, default=10, help="seconds per soak round (default 10)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON to PATH")
    args = parser.parse_args(argv)
    load, notes = harness.environment(args)
    if load.tool != "wrk":
        raise SystemExit("bench_startup.py needs wrk for the soak (apt-get install -y wrk)")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch, harness.terminated_as_interrupt():
        workdir, procs = Path(scratch), Processes(Path(scratch))
        try:
            progress("startup:")
            data: dict[str, Any] = {"notes": [harness.machine_note(), *notes],
                                    "startup": startup(procs, workdir, args.starts, load.pin)}
            data["first"] = first_answer(procs, workdir, load.pin)
            progress("tokenizers...")
            data["tokenizers"] = tokenizer_probe()
            progress("memory:")
            data["memory"] = memory(procs, workdir, load, args.soak)
        except KeyboardInterrupt:
            return 130
        except RuntimeError as error:
            progress(f"bench_startup.py: {error}")
            return 1
        finally:
            procs.stop_all()
    print(report(data), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    progress(f"done in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
