"""Pictures: the time to draw and encode one synthetic image, per size, format and background.

    python tests/benchmarks/bench_images.py             # about 30 s
    python tests/benchmarks/bench_images.py --json images.json

In one process, `generators.images.pictures.render` (what every Images API answer calls once a picture, on the
worker thread) for each size the models offer and each output format, opaque and transparent; the best of
`--repeat` runs each in CPU time (what a picture costs the worker thread, less moved by other load on a shared
machine than wall time, also shown) and the encoded size (KB). No target: the numbers say what a picture costs.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from harness import ROOT, machine_note, markdown_table

sys.path.insert(0, str(ROOT))
from dummy_openai_api.generators.images.pictures import Canvas, render  # noqa: E402

SIZES = ((256, 256), (512, 512), (1024, 1024), (1536, 1024), (1792, 1024), (3840, 2160))
FORMATS = ("png", "jpeg", "webp")


def timed(canvas: Canvas, repeat: int) -> tuple[float, float, int]:
    """(best CPU ms, best wall ms, bytes)."""
    cpu, wall, size = float("inf"), float("inf"), 0
    for _ in range(repeat):
        start_cpu, start_wall = time.thread_time(), time.perf_counter()
        size = len(render(canvas, "a red fox in a green field"))
        cpu = min(cpu, time.thread_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start_wall)
    return cpu * 1000, wall * 1000, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows, numbers = [], []
    for width, height in SIZES:
        for output_format in FORMATS:
            for transparent in ((False, True) if output_format != "jpeg" else (False,)):
                canvas = Canvas(b"bench", width, height, output_format, transparent)
                cpu, wall, size = timed(canvas, args.repeat)
                background = "transparent" if transparent else "opaque"
                rows.append([f"{width}x{height}", output_format, background, f"{cpu:.1f}", f"{wall:.1f}",
                             f"{size / 1024:.0f}"])
                numbers.append({"size": f"{width}x{height}", "format": output_format, "background": background,
                                "cpu_ms": cpu, "wall_ms": wall, "bytes": size})
    print(machine_note())
    print(markdown_table(["size", "format", "background", "CPU ms (best)", "wall ms (best)", "KB"], rows))
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
