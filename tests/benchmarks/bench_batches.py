"""Batches and files: the time to upload, run and read back a synthetic batch, and a file round trip.

Run from the project root: `python tests/benchmarks/bench_batches.py [--lines 1000]`. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import openai

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dummy_openai_api.proxy.testing.background import BackgroundServer  # noqa: E402
from dummy_openai_api.proxy.core.config import Mode, Settings  # noqa: E402


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--file-mb", type=int, default=16)
    args = parser.parse_args()
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes="/nonexistent")
    with BackgroundServer(settings) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-dummy", max_retries=0, timeout=600)
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "warm up"}])
        lines = "\n".join(json.dumps({"custom_id": f"q{i}", "method": "POST", "url": "/v1/chat/completions",
                                      "body": {"model": "gpt-4o-mini", "messages": [
                                          {"role": "user", "content": f"Give me a fact about the number {i}"}]}})
                          for i in range(args.lines)).encode()
        blob = bytes(range(256)) * (args.file_mb * 4096)
        rows = []
        seconds, uploaded = timed(lambda: client.files.create(file=("in.jsonl", lines), purpose="batch"))
        rows.append((f"upload a {args.lines}-line batch file", seconds))
        seconds, batch = timed(lambda: client.batches.create(input_file_id=uploaded.id,
                                                             endpoint="/v1/chat/completions",
                                                             completion_window="24h"))
        rows.append((f"create (runs all {args.lines} lines)", seconds))
        done = client.batches.retrieve(batch.id)
        seconds, output = timed(lambda: client.files.content(done.output_file_id).read())
        rows.append(("read the output file", seconds))
        seconds, file = timed(lambda: client.files.create(file=("blob.bin", blob), purpose="user_data"))
        rows.append((f"upload {args.file_mb} MiB", seconds))
        seconds, _ = timed(lambda: client.files.content(file.id).read())
        rows.append((f"download {args.file_mb} MiB", seconds))
    print("| step | seconds |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value:.3f} |")
    print(f"\n{done.request_counts.completed} lines answered, {len(output) / 1e6:.1f} MB of output, "
          f"{args.lines / rows[1][1]:.0f} lines/s")


if __name__ == "__main__":
    main()
