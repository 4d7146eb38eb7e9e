"""The ordered chain of answer sources: the one place that says who answers a request, and in what order.

    rules and faults -> rate limits -> cassette -> upstream -> the route's synthetic answer, or strict refusal

Each source (proxy.pipeline.sources) gives an answer or passes; the first answer wins. The mode decides which
sources are in the chain when it is set, not on every request. A handler gives only its synthetic answer: the
method of its HTTP verb, marked `@synthetic` when a recording or the upstream may answer in its place.
"""
from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable, Protocol, Sequence, TypeVar

from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.cassettes.upstream import Upstream, UpstreamOptions
from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.core.http import Outcome, Reply, Request
from dummy_openai_api.proxy.core.offload import MustWait, answering_on_loop, done_on_loop, waiting
from dummy_openai_api.proxy.pipeline.pace import Pace
from dummy_openai_api.proxy.pipeline.ratelimit import RateLimiter
from dummy_openai_api.proxy.pipeline.rules import RuleBook
from dummy_openai_api.proxy.pipeline.sources import (
    OFFLOAD, Cassettes, Forward, Generate, RateLimits, Refusal, RulesAndFaults, Source,
)
from dummy_openai_api.proxy.pipeline.memo import REPEATABLE, Memo

REPLAYABLE = "replayable"  # attribute of a verb's method marked @synthetic
Step = Callable[[Reply], Reply]
Method = TypeVar("Method", bound=Callable[..., Any])


def synthetic(method: Method | None = None, *, offload: bool | str = False, repeatable: bool = False) -> Any:
    """Marks a handler's verb method as the route's synthetic answer: cassettes, the upstream and strict mode's
    refusal come before it. `offload=True`: made on a worker thread when the request is costly (proxy.core.offload);
    `offload=ALWAYS` ("always"): on a worker thread every time. `repeatable=True`: the answer depends only on the
    request's path, query and body, the model registry and the wall-clock second, so a repeated request may get
    the one kept for it (proxy.pipeline.memo). Without the mark a method answers from the server's own state
    (files, batches) in every mode."""
    def mark(function: Method) -> Method:
        setattr(function, REPLAYABLE, True)
        setattr(function, OFFLOAD, offload)
        setattr(function, REPEATABLE, repeatable)
        return function
    return mark(method) if method is not None else mark


def order(mode: Mode, pipeline: "Pipeline", replayable: bool, intercepted: bool) -> tuple[Source, ...]:
    """The precedence, written once. Rate limits are in the chain while a budget is set. Routes that answer
    from the server's own state skip cassette, upstream and refusal; batch lines (`intercepted=False`) skip
    rules, faults and limits, which the batch request met."""
    chain: list[Source] = []
    if intercepted:
        chain.append(pipeline.rules_and_faults)
        if pipeline.limiter.enabled:
            chain.append(pipeline.rate_limits)
    if not replayable:
        return (*chain, pipeline.generate)
    if mode.uses_cassettes:
        chain.append(Cassettes(pipeline.store, pipeline.upstream if mode is Mode.RECORD else None))
    if mode.records:
        assert pipeline.upstream is not None
        chain.append(Forward(pipeline.upstream, refresh=mode is Mode.RECORD_ALL))
    else:
        chain.append(Refusal(pipeline.store) if mode is Mode.STRICT else pipeline.generate)
    return tuple(chain)


class Shared(Protocol):
    """Admin state other processes change (proxy.pipeline.sharing.Sharing, with --state)."""

    def refresh(self, force: bool = False) -> None: ...
    def fresh(self) -> Awaitable[None] | None: ...
    def close(self) -> None: ...


class Pipeline:
    """The mode, its chains of sources, and what the admin API changes in them (rules, limits, the current
    cassette)."""

    def __init__(self, settings: Settings, store: CassetteStore, pace: Pace) -> None:
        self.settings = settings
        self.store = store
        self.upstream: Upstream | None = None
        self.rules_and_faults = RulesAndFaults(settings, pace)
        self.rate_limits = RateLimits(settings)
        self.generate = Generate(Memo())
        self.default_cassette: str | None = None  # for requests without X-Cassette (set through the admin API)
        self.sharing: Shared | None = None  # with --state: admin changes other processes made
        self.switch(settings.mode)

    @property
    def rules(self) -> RuleBook:
        return self.rules_and_faults.rules

    @property
    def limiter(self) -> RateLimiter:
        return self.rate_limits.limiter

    def switch(self, mode: Mode) -> None:
        """Answer in `mode` from now on; the upstream client is made when a mode first needs it."""
        if mode.records:
            self.connect()
        self.mode = mode
        self.rebuild()

    def connect(self) -> None:
        """Make the upstream client if there is none yet: on the event loop, whose client it is."""
        if self.upstream is None:
            self.upstream = make_upstream(self.settings, self.store)

    def rebuild(self) -> None:
        """The chains for the mode and the rate limits as they are now."""
        self.replayable = order(self.mode, self, replayable=True, intercepted=True)
        self.own_state = order(self.mode, self, replayable=False, intercepted=True)
        self.replayable_line = order(self.mode, self, replayable=True, intercepted=False)
        self.own_state_line = order(self.mode, self, replayable=False, intercepted=False)

    def limit(self, rpm: int | None, tpm: int | None) -> None:
        """New rate-limit budgets (0 turns one off; None leaves it as it is)."""
        self.limiter.configure(rpm, tpm)
        self.rebuild()

    def reset(self) -> None:
        self.rules_and_faults.reset()
        self.limiter.reset()
        self.default_cassette = None
        self.generate.memo.clear()
        self.rebuild()

    def answer(self, request: Request, method: Callable[[], Outcome], after: Step | None = None,
               line: bool = False) -> Outcome:
        """The first answer a source gives, with `after` (the route's own step) and the sources' steps applied;
        `line`: a batch line's, without the rules, faults and limits the batch request met."""
        if self.sharing is not None:
            reading = self.sharing.fresh()
            if reading is not None:
                return self._once_fresh(reading, request, method, after, line)
        return self._answer(request, method, after, line)

    async def _once_fresh(self, reading: Awaitable[None], request: Request, method: Callable[[], Outcome],
                          after: Step | None, line: bool) -> Reply:
        """The answer once this process has taken in the other processes' admin changes."""
        await reading
        outcome = self._answer(request, method, after, line)
        return outcome if isinstance(outcome, Reply) else await outcome

    def _answer(self, request: Request, method: Callable[[], Outcome], after: Step | None, line: bool) -> Outcome:
        if getattr(method, REPLAYABLE, False):
            chain = self.replayable_line if line else self.replayable
        else:
            chain = self.own_state_line if line else self.own_state
        request.generate = method
        if after is not None:
            request.finish_with(after)
        if self.sharing is None:
            return _through(request, chain, 0)
        on_loop = answering_on_loop()  # a source or step that needs a round trip goes on a thread from there
        try:
            return _through(request, chain, 0)
        finally:
            done_on_loop(on_loop)


def _through(request: Request, chain: Sequence[Source], start: int) -> Outcome:
    """The first answer of `chain[start:]`, with the request's steps applied."""
    moved = False
    try:
        for index in range(start, len(chain)):
            try:
                outcome = chain[index](request)
            except MustWait:  # before its round trip: the source answers again on a thread
                moved = True
                return waiting(functools.partial(_through, request, chain, index))
            if outcome is not None:
                steps = request.finishing
                return outcome if steps is None else finished(outcome, steps)
        raise AssertionError("the last source of every chain answers")
    finally:
        if not moved:
            # The method and the steps hold the handler, which holds the request: a cycle left in place would
            # wait for the garbage collector (about 3 us an answer, measured) instead of going at once.
            request.generate = request.finishing = None


def finished(outcome: Outcome, steps: Sequence[Step]) -> Outcome:
    """The answer changed by each step in turn, now or once it is there."""
    if isinstance(outcome, Reply):
        return _apply(outcome, steps)

    async def when_there() -> Reply:
        applied = _apply(await outcome, steps)
        return applied if isinstance(applied, Reply) else await applied
    return when_there()


def _apply(reply: Reply, steps: Sequence[Step]) -> Outcome:
    for index, step in enumerate(steps):
        try:
            reply = step(reply)
        except MustWait:  # before its round trip (storing a completion): this step and the rest on a thread
            return waiting(functools.partial(_apply, reply, steps[index:]))
    return reply


def make_upstream(settings: Settings, store: CassetteStore) -> Upstream:
    options = UpstreamOptions(base_url=settings.upstream, key=settings.upstream_key, record_to=settings.record_to,
                              record_errors=settings.record_errors, request_timeout=settings.upstream_timeout,
                              client_key=settings.api_key)
    return Upstream(options, recorder=store.record, preflight=store.check_target)
