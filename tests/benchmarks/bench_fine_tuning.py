"""Fine-tuning: the time a job takes from create to succeeded at the default pace (the whole run happens inside
create), by training file size, and the slowest `/health` answer while the largest one runs.

Run from the project root: `python tests/benchmarks/bench_fine_tuning.py [--sizes 100,10000,50000]
[--state sqlite:///PATH]` (`--state`: jobs on a shared backend, every step one write). Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import httpx
import openai

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dummy_openai_api.proxy.testing.background import BackgroundServer  # noqa: E402
from dummy_openai_api.proxy.core.config import Mode, Settings  # noqa: E402

EXAMPLE = json.dumps({"messages": [{"role": "user", "content": "What is the capital of France? " * 5},
                                   {"role": "assistant", "content": "Paris is the capital of France. " * 10}]})


def slowest_health(url: str, stop: threading.Event, seen: list[float]) -> None:
    with httpx.Client() as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get(url)
            seen.append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,10000,50000")
    parser.add_argument("--state", default="")
    args = parser.parse_args()
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes="/nonexistent", state=args.state)
    print("| examples | file MB | create to succeeded (s) | slowest /health meanwhile (ms) |\n|---|---|---|---|")
    with BackgroundServer(settings) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-dummy", max_retries=0, timeout=600)
        for size in (int(n) for n in args.sizes.split(",")):
            data = "\n".join([EXAMPLE] * size).encode()
            training_file = client.files.create(file=("train.jsonl", data), purpose="fine-tune").id
            stop, seen = threading.Event(), [0.0]
            poller = threading.Thread(target=slowest_health, args=(server.root_url + "/health", stop, seen))
            poller.start()
            started = time.perf_counter()
            job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training_file)
            took = time.perf_counter() - started
            stop.set()
            poller.join()
            assert client.fine_tuning.jobs.retrieve(job.id).status == "succeeded"
            print(f"| {size} | {len(data) / 1e6:.1f} | {took:.2f} | {max(seen) * 1000:.0f} |")


if __name__ == "__main__":
    main()
