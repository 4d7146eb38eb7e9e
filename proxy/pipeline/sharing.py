"""Admin changes shared by every process: mode, current cassette, rate-limit settings, rules, resets and cassette
reloads.

The process that makes a change writes the settings and bumps a version counter; every process looks at the
counter at most once per `CHECK_SECONDS` on the request path (one small read, none in between) and takes
the change in when it moved. The admin call answers only after `CHECK_SECONDS`, so by then every process
has it: any request arriving later either looks again or looked after the change was written.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any, Callable

import orjson

from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.chain import Pipeline
from dummy_openai_api.proxy.pipeline.shared_admin import SharedRuleBook
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import COUNTER, SETTLE_SECONDS, Generations

log = logging.getLogger("dummy_openai")
CHECK_SECONDS = SETTLE_SECONDS
RETRY_SECONDS = 1.0  # after the backend failed, the request path looks again this much later
TABLE = "control"
COUNTERS = "cassette_counters"
SEPARATOR = "\x1f"


class Sharing:
    def __init__(self, backend: Backend, pipeline: Pipeline, store: CassetteStore, generations: Generations,
                 mode: Callable[[], Mode], switch: Callable[[Mode], None], local_reset: Callable[[], None]) -> None:
        """`mode`/`switch`: read and change the mode here; `local_reset`: what a reset clears that each process
        keeps for itself (chaos draws, replay positions, held faults)."""
        self.backend, self.pipeline = backend, pipeline
        self.mode, self.switch, self.local_reset = mode, switch, local_reset
        self.version = -1
        self.resets = 0
        self.reloads = -1  # the reloads made before this process started are not its to make
        self.checked = float("-inf")
        self.failing = False
        self.store = store
        self.generations = generations
        self.pushed: Counter[tuple[str, str, str]] = Counter()  # the cassette counters written so far
        self.counted = store.counters  # whose counts `pushed` holds: a reload starts the store's anew

    def refresh(self, force: bool = False) -> None:
        """Take in the other processes' changes (at most once per CHECK_SECONDS unless `force`).

        Unforced, on the request path, an unreachable backend is logged and the last known state kept: no
        admin change can be made meanwhile (the admin API needs the backend), and answers that need no shared
        state go on. Forced (the admin API) it is the 503."""
        now = time.monotonic()
        if not force and now - self.checked < CHECK_SECONDS:
            return
        self.checked = now  # before the read: a change written after this instant is seen next time
        try:
            self._take_in()
        except APIError as error:
            if force:
                raise
            if not self.failing:
                log.warning("admin state: %s; keeping the last one known", error.message)
            self.failing = True
            self.checked = now + RETRY_SECONDS  # a backend that hangs must not stall every request
            return
        if self.failing:
            log.info("admin state: the state store answers again")
        self.failing = False

    def _take_in(self) -> None:
        counters = self.backend.counts(TABLE)
        self.generations.observe(counters.get(COUNTER, 0))
        version = counters.get("version", 0)
        if version != self.version:
            self.version = version
            self._apply()

    def _apply(self) -> None:
        raw = self.backend.get(TABLE, "admin")
        shown: dict[str, Any] = orjson.loads(raw) if raw else {}
        if shown.get("resets", 0) != self.resets:
            self.resets = shown["resets"]
            self.local_reset()
        reloads = shown.get("reloads", 0)
        if reloads != self.reloads:
            if self.reloads >= 0 and (self.store.paths or self.store.errors):  # one never loaded loads when needed
                self.store.load()
            self.reloads = reloads
        limiter = self.pipeline.limiter
        if shown:
            if Mode(shown["mode"]) is not self.mode():
                self.switch(Mode(shown["mode"]))
            self.pipeline.default_cassette = shown["cassette"]
            limiter.rpm, limiter.tpm, limiter.offset = shown["rpm"], shown["tpm"], shown["offset"]
            self.pipeline.rebuild()  # rate limits are in the chain only while a budget is set
        if isinstance(self.pipeline.rules, SharedRuleBook):
            self.pipeline.rules.load()

    def publish(self, reset: bool = False, reload: bool = False) -> None:
        """Write this process's admin state for every process (after an admin change made here)."""
        self.resets += reset
        self.reloads += reload
        if reload:
            self.backend.clear(COUNTERS)  # a reload counts from zero, as one process's does
        limiter = self.pipeline.limiter
        shown = {"mode": self.mode().value, "cassette": self.pipeline.default_cassette, "rpm": limiter.rpm,
                 "tpm": limiter.tpm, "offset": limiter.offset, "resets": self.resets,
                 "reloads": self.reloads}
        self.backend.put(TABLE, "admin", orjson.dumps(shown))
        self.version = self.backend.incr(TABLE, "version")
        self.checked = time.monotonic()

    def push_counters(self) -> None:
        """Add what this process counted (hits, misses, recordings) since its last push to the shared counters."""
        if self.store.counters is not self.counted:  # reloaded: its counts start from zero
            self.counted = self.store.counters
            self.pushed.clear()
        for row, count in self.store.counters.rows.items():
            delta = count - self.pushed[row]
            if delta:
                self.backend.incr(COUNTERS, SEPARATOR.join(row), delta)
                self.pushed[row] = count

    def counters(self) -> dict[str, dict[str, dict[str, int]]]:
        """Every process's counters, as `CassetteStore.summary` gives one process's."""
        report: dict[str, dict[str, dict[str, int]]] = {}
        for name, count in sorted(self.backend.counts(COUNTERS).items()):
            cassette, endpoint, kind = name.split(SEPARATOR)
            report.setdefault(cassette or "(none)", {}).setdefault(endpoint, {"hit": 0, "miss": 0, "record": 0})[
                kind] += count
        return report

