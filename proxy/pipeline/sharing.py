"""Admin changes shared by every process: mode, current cassette, rate-limit settings, rules, resets and cassette
reloads.

The process that makes a change writes the settings and bumps a version counter; every process looks at the
counter at most once per `CHECK_SECONDS` on the request path (one small read, none in between, waited for
off the event loop) and takes the change in when it moved. The admin call answers only after `CHECK_SECONDS`,
so by then every process has it: any request arriving later either looks again or looked after the change was
written.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Any, Awaitable, Callable

import orjson

from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.offload import waited
from dummy_openai_api.proxy.pipeline.chain import Pipeline
from dummy_openai_api.proxy.pipeline.shared_admin import SharedRuleBook
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import COUNTER, SETTLE_SECONDS, Generations

log = logging.getLogger("dummy_openai")
CHECK_SECONDS = SETTLE_SECONDS
RETRY_SECONDS = 1.0  # after the backend failed, the request path looks again this much later
TABLE = "control"
COUNTERS = "cassette_counters"
SERVED = "cassette_served"  # [cassette, index] of each recording any process served
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
        self.reading: asyncio.Future[None] | None = None  # the request path's read under way
        self.pushed: Counter[tuple[str, str, str]] = Counter()  # the cassette counters written so far
        self.pushed_uses = 0  # of the store's `first_uses`
        self.counted = store.counters  # whose counts `pushed` holds: a reload starts the store's anew

    def refresh(self, force: bool = False) -> None:
        """Take in the other processes' changes now, waiting for the backend (at most once per CHECK_SECONDS
        unless `force`): at start and in the admin API, where an unreachable backend is the 503."""
        now = time.monotonic()
        if not force and now - self.checked < CHECK_SECONDS:
            return
        self.checked = now  # before the read: a change written after this instant is seen next time
        try:
            self._take_in(self._read())
        except APIError as error:
            if force:
                raise
            self._failed(error, now)
            return
        self._answers()

    def refreshed(self) -> Awaitable[None] | None:
        """`refresh(force=True)` for the admin API: a remote backend's read waited for off the event loop, what it
        brings taken in on the loop (None: done already)."""
        if not self.backend.remote:
            self.refresh(force=True)
            return None
        return self._refreshed(time.monotonic())

    async def _refreshed(self, began: float) -> None:
        seen = await waited(self._read)  # an unreachable backend: the 503, as `refresh(force=True)`
        if began >= self.checked or self.failing:  # else a later read is in already: keep it
            self._take_in(seen)
            self.checked = began
        self._answers()

    def fresh(self) -> Awaitable[None] | None:
        """On the request path: None while what this process knows is recent enough, else the wait for a read
        that is (the loop answers others meanwhile). The read is started halfway through CHECK_SECONDS, so
        that under steady traffic it is in before anyone must wait for it. A slow backend holds
        a request up for CHECK_SECONDS at most; an unreachable one is logged and the last known state kept: no
        admin change can be made meanwhile (the admin API needs the backend), and answers that need no shared
        state go on. A local backend (SQLite) is read at once: quicker than any hop."""
        if not self.backend.remote:
            self.refresh()
            return None
        now = time.monotonic()
        age = now - self.checked  # `checked`: when the last read that came back began
        if age < CHECK_SECONDS / 2:
            return None
        if self.reading is None:
            self.reading = asyncio.ensure_future(self._read_off_loop(now))
        return None if age < CHECK_SECONDS else self._caught_up(now - CHECK_SECONDS, now + CHECK_SECONDS)

    async def _caught_up(self, since: float, deadline: float) -> None:
        """Until a read that began at `since` or later has come back, or `deadline`."""
        while self.checked < since:
            if self.reading is None:
                self.reading = asyncio.ensure_future(self._read_off_loop(time.monotonic()))
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                await asyncio.wait_for(asyncio.shield(self.reading), left)
            except asyncio.TimeoutError:
                return

    async def _read_off_loop(self, began: float) -> None:
        try:
            counters = await self.backend.counts_on_loop(TABLE)
            seen = (counters, None) if counters.get("version", 0) == self.version else await waited(self._read)
        except APIError as error:
            self._failed(error, began)
        else:
            if began >= self.checked:  # else a later read or a change made here is in already: keep it
                self._take_in(seen)
                self.checked = began  # a change written before `began` is in now
            self._answers()
        finally:
            self.reading = None

    def _failed(self, error: APIError, now: float) -> None:
        if not self.failing:
            log.warning("admin state: %s; keeping the last one known", error.message)
        self.failing = True
        self.checked = now + RETRY_SECONDS  # a backend that hangs must not stall every request

    def _answers(self) -> None:
        if self.failing:
            log.info("admin state: the state store answers again")
        self.failing = False

    def _read(self) -> tuple[dict[str, int], tuple[bytes | None, list[Any] | None] | None]:
        """The counters, and the admin settings and rules when the version moved (no change made here: this
        may run on a thread)."""
        counters = self.backend.counts(TABLE)
        if counters.get("version", 0) == self.version:
            return counters, None
        rules = self.pipeline.rules
        rows = rules.rows() if isinstance(rules, SharedRuleBook) else None
        return counters, (self.backend.get(TABLE, "admin"), rows)

    def _take_in(self, seen: tuple[dict[str, int], tuple[bytes | None, list[Any] | None] | None]) -> None:
        counters, changed = seen
        self.generations.observe(counters.get(COUNTER, 0))
        if changed is not None:
            self.version = counters.get("version", 0)
            self._apply(*changed)

    def _apply(self, raw: bytes | None, rows: list[Any] | None) -> None:
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
        if rows is not None and isinstance(self.pipeline.rules, SharedRuleBook):
            self.pipeline.rules.load(rows)

    def publish(self, reset: bool = False, reload: bool = False) -> None:
        """Write this process's admin state for every process (after an admin change made here). Called through
        `until_round_trip`: what comes before the first round trip changes nothing."""
        resets, reloads = self.resets + reset, self.reloads + reload  # kept once written: this may run twice
        if reload:
            self.backend.clear(COUNTERS, SERVED)  # a reload counts from zero, as one process's does
        limiter = self.pipeline.limiter
        shown = {"mode": self.mode().value, "cassette": self.pipeline.default_cassette, "rpm": limiter.rpm,
                 "tpm": limiter.tpm, "offset": limiter.offset, "resets": resets, "reloads": reloads}
        self.backend.put(TABLE, "admin", orjson.dumps(shown))
        self.version = self.backend.incr(TABLE, "version")
        self.resets, self.reloads = resets, reloads
        self.checked = time.monotonic()

    def push_counters(self) -> None:
        """Add what this process counted (hits, misses, recordings) since its last push to the shared counters."""
        if self.store.counters is not self.counted:  # reloaded: its counts start from zero
            self.counted = self.store.counters
            self.pushed.clear()
            self.pushed_uses = 0
        counted = self.counted
        for row, count in list(counted.rows.items()):  # on the write-behind thread: a snapshot
            delta = count - self.pushed[row]
            if delta:
                self.backend.incr(COUNTERS, SEPARATOR.join(row), delta)
                self.pushed[row] = count
        used = counted.first_uses[self.pushed_uses:]
        if used:
            self.backend.put_many(SERVED, {f"{cassette}{SEPARATOR}{index}": orjson.dumps([cassette, index])
                                           for cassette, index in used})
            self.pushed_uses += len(used)

    def served(self) -> dict[str, list[int]]:
        """Every process's `CassetteStore.usage`: the recordings of each cassette served so far."""
        served: dict[str, set[int]] = {name: set() for name in self.store.paths}
        for raw in self.backend.values(SERVED):
            cassette, index = orjson.loads(raw)
            served.setdefault(cassette, set()).add(index)
        return {name: sorted(indices) for name, indices in served.items()}

    def close(self) -> None:
        """When the server stops (its loop stopped): the read under way ends first, then the backend's
        connections close (a read cut off there would connect again, retrying)."""
        reading = self.reading
        if reading is not None and not reading.done():
            loop = reading.get_loop()
            if not loop.is_running() and not loop.is_closed():
                loop.run_until_complete(asyncio.wait([reading], timeout=RETRY_SECONDS))
        self.backend.close()

    def counters(self) -> dict[str, dict[str, dict[str, int]]]:
        """Every process's counters, as `CassetteStore.summary` gives one process's."""
        report: dict[str, dict[str, dict[str, int]]] = {}
        for name, count in sorted(self.backend.counts(COUNTERS).items()):
            cassette, endpoint, kind = name.split(SEPARATOR)
            report.setdefault(cassette or "(none)", {}).setdefault(endpoint, {"hit": 0, "miss": 0, "record": 0})[
                kind] += count
        return report
