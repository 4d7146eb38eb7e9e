"""Recording into one growing cassette: milliseconds per recording as the cassette grows.

    python tests/benchmarks/bench_recording.py [--count 1000]

Each recording is appended under the directory lock and the file is replaced whole (atomically); what it costs
is the YAML made for it and the bytes written.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dummy_openai_api.proxy.cassettes.parse_cache import CassetteCache  # noqa: E402
from dummy_openai_api.proxy.cassettes.persister import Persister  # noqa: E402
from tests.cassette_factory import completion_json, interaction  # noqa: E402
from tests.conftest import chat_body  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        persister = Persister(root, 64 << 20, CassetteCache(root, True, 64 << 20), lambda i: None)
        path = root / "growing.yaml"
        began = last = time.perf_counter()
        for n in range(1, count + 1):
            recorded = interaction(chat_body(messages=[{"role": "user", "content": f"question {n}"}]),
                                   completion_json(f"answer {n}"))
            persister.append("growing", path, recorded)
            if n % (count // 5) == 0:
                now = time.perf_counter()
                print(f"recordings {n - count // 5 + 1:>5}-{n:<5} {(now - last) * 1000 / (count // 5):7.2f} ms each")
                last = now
        print(f"total {count} recordings: {time.perf_counter() - began:.2f} s, file {path.stat().st_size >> 10} KiB")


if __name__ == "__main__":
    main()
