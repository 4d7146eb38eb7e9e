"""Reading a cassette directory: every file parsed and made ready to index, on every core when there is much.

Parsing is the cost of a start (about 80 ms per thousand interactions with the fast YAML path, 1.3 s without),
and files are independent: above PARALLEL_BYTES of files, worker processes each read files and return them
ready to index while this process indexes what they return, in file order, so the index is the one a
sequential load builds. Workers are spawned, not forked: a server may hold threads (and their locks) by now.
"""
from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("dummy_openai.cassettes")

# Below this much cassette text one process is faster: spawning a worker costs about half a second.
PARALLEL_BYTES = 32 * 2**20
# A terminal sees the progress line from this long into a load on; shorter loads print nothing.
PROGRESS_AFTER_S = 1.0


@dataclass
class Loaded:
    """One cassette file ready to index: (key, recording) rows, or the error that kept it out."""

    name: str
    count: int = 0  # interactions in the file
    rows: list[tuple[str, Any]] = field(default_factory=list)
    skipped: int = 0
    error: str | None = None


Prepare = Callable[[str, Path], Loaded]


def load_files(files: list[tuple[str, Path]], prepare: Prepare, stream: TextIO | None = None) -> Iterator[Loaded]:
    """`prepare(name, path)` of every file, in order; in worker processes when the files are large together."""
    sizes = [_size(path) for _, path in files]
    progress = Progress(len(files), sum(sizes), stream if stream is not None else sys.stderr)
    workers = _workers(sum(sizes), len(files))
    prepare = functools.partial(_without_collector, prepare)
    results = _in_workers(files, prepare, workers) if workers > 1 else (prepare(n, p) for n, p in files)
    try:
        for loaded, size in zip(results, sizes, strict=True):
            progress.advance(size, len(loaded.rows))
            yield loaded
    finally:
        progress.done()


def _without_collector(prepare: Prepare, name: str, path: Path) -> Loaded:
    """`prepare(name, path)` with the cyclic garbage collector paused: a parse makes a hundred thousand objects
    per thousand interactions, none in a cycle, and the collections they set off took a tenth of the time."""
    with collector_paused():
        return prepare(name, path)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while (reference counting still frees everything acyclic)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _workers(total: int, files: int) -> int:
    if total < PARALLEL_BYTES or files < 2:
        return 1
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, files)


def _in_workers(files: list[tuple[str, Path]], prepare: Prepare, workers: int) -> Iterator[Loaded]:
    """`prepare` of each file in worker processes; where they cannot start or die (no /dev/shm in a sandbox,
    the OOM killer), this process reads the files they did not return."""
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            # One file per task, in order: the results are large, so none waits long in this process's memory.
            for loaded in pool.map(prepare, *zip(*files, strict=True)):
                done += 1
                yield loaded
    except (OSError, BrokenExecutor) as error:
        log.warning("cassette worker processes failed (%s): reading the rest in this process", error)
        yield from (prepare(name, path) for name, path in files[done:])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class Progress:
    """One updating line on a terminal while a long load runs ("cassettes: 41% 41,000 recordings 37/100 files");
    nothing when the stream is not a terminal (logs, tests) or the load is short."""

    def __init__(self, files: int, total: int, stream: TextIO) -> None:
        self.files, self.total, self.stream = files, max(total, 1), stream
        self.began, self.shown = time.monotonic(), float("-inf")
        self.read = self.done_files = self.recordings = 0
        self.tty = _is_terminal(stream)
        self.drawn = False

    def advance(self, size: int, recordings: int) -> None:
        self.read += size
        self.done_files += 1
        self.recordings += recordings
        now = time.monotonic()
        if self.tty and now - self.began >= PROGRESS_AFTER_S and now - self.shown >= 0.1:
            self.shown = now
            self._draw(f"cassettes: {100 * self.read // self.total}% {self.recordings:,} recordings "
                       f"{self.done_files}/{self.files} files")

    def done(self) -> None:
        if self.drawn:
            self._draw(f"cassettes: {self.recordings:,} recordings from {self.done_files} files in "
                       f"{time.monotonic() - self.began:.1f} s")
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, text: str) -> None:
        self.stream.write("\r\x1b[2K" + text)  # back to the line's start, the line cleared
        self.stream.flush()
        self.drawn = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no progress
        return False
