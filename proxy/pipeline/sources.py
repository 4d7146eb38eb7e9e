"""The sources of answers, each a callable `(request) -> Reply, an awaitable Reply, or None` (None: ask the next).

Their order, and which of them a mode uses, is written in one place: `proxy.pipeline.chain`. A source that
decides only what happens to the answer (a stream fault, rate-limit headers) adds a step to
`request.finishing` and passes.

Sources are synchronous callables that may return an awaitable: a request answered at once (most synthetic
answers, every replayed one) never becomes an asyncio task. Measured on the 2-core test machine, a task per
answer costs 9 us against 0.04 us for the call (5-7% of a synthetic chat answer's CPU), so async sources were
not worth their simpler signature.
"""
from __future__ import annotations

import random
from typing import Protocol

from dummy_openai_api.proxy.cassettes.store import CassetteStore, Positions
from dummy_openai_api.proxy.cassettes.upstream import Upstream
from dummy_openai_api.proxy.core.config import Settings
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Outcome, Reply, Request
from dummy_openai_api.proxy.core.offload import costly, on_thread
from dummy_openai_api.proxy.pipeline.canned import chat_reply, given_reply
from dummy_openai_api.proxy.pipeline.faults import Fault, FaultPlayer
from dummy_openai_api.proxy.pipeline.memo import Memo
from dummy_openai_api.proxy.pipeline.pace import Pace
from dummy_openai_api.proxy.pipeline.ratelimit import RateLimiter
from dummy_openai_api.proxy.pipeline.rules import Rule, RuleBook
from dummy_openai_api.proxy.state.journal import key_id

FAULT_HEADER = "X-Mock-Fault"
OFFLOAD = "offload"  # attribute of a route's synthetic answer: made on a worker thread when costly (True), or ALWAYS
ALWAYS = "always"  # every answer of the route takes long (images, audio)


class Source(Protocol):
    def __call__(self, request: Request) -> Outcome | None: ...


class Chaos:
    """A random fault for a share of requests, from a seeded generator: the same seed gives the same faults.

    With `--state` the draws are numbered for the whole server (`shared`), and each process makes the n-th
    draw by running its own generator on to it: the server's requests get the faults one process would give."""

    def __init__(self, rate: float, kinds: tuple[str, ...], seed: int) -> None:
        self.rate, self.kinds, self.seed = rate, kinds, seed
        self.shared: Positions | None = None
        self.reset()

    def reset(self, shared: bool = True) -> None:
        """Draw from the start again; `shared`: the server's numbering too (by the process that takes the reset)."""
        self.draws = random.Random(self.seed)
        self.made = 0
        if shared and self.shared is not None:
            self.shared.clear()

    def draw(self) -> Fault | None:
        if self.shared is None:
            return self._next()
        number = self.shared.next("draws")
        if number <= self.made:  # numbered again from 1 since (a reset this process has not taken in yet)
            self.reset(shared=False)
        while self.made < number - 1:  # the draws other processes made
            self._next()
        return self._next()

    def _next(self) -> Fault | None:
        self.made += 1
        if self.draws.random() < self.rate and self.kinds:
            return Fault(self.draws.choice(self.kinds))
        return None


class RulesAndFaults:
    """Faults asked for by header, rules set through the admin API (faults or canned answers), and chaos.

    With no header, no rule and no chaos (the usual case) a request costs one header lookup and two reads.
    """

    def __init__(self, settings: Settings, pace: Pace) -> None:
        self.pace = pace
        self.rules = RuleBook()
        self.chaos = Chaos(settings.chaos_rate, settings.chaos_faults, settings.chaos_seed)
        self.player = FaultPlayer()

    def reset(self) -> None:
        self.rules.reset()
        self.chaos.reset()
        self.player.release()

    def __call__(self, request: Request) -> Outcome | None:
        if FAULT_HEADER in request.headers:
            return self.player.play(Fault.parse(request.headers[FAULT_HEADER]), request)
        if not (self.rules.rules or self.chaos.rate):
            return None
        rule = self.rules.pick(request)
        if rule is not None:
            return self._apply(rule, request)
        fault = self.chaos.draw() if self.chaos.rate else None
        return self.player.play(fault, request) if fault is not None else None

    def _apply(self, rule: Rule, request: Request) -> Outcome | None:
        if rule.fault is not None:
            return self.player.play(rule.fault, request)
        source = f"rule:{rule.id}"
        if rule.response is not None:
            return given_reply(rule.response, source)
        body = request.json()
        if not isinstance(body, dict):
            raise APIError(400, "The request body must be a JSON object.")
        return chat_reply(body, rule.reply or "", self.pace, source)


class RateLimits:
    """A 429 when the key's budget is spent; otherwise the answer, whoever gives it, carries the budget's headers.
    In the chain only while a budget is set (`Pipeline.limit`)."""

    def __init__(self, settings: Settings) -> None:
        self.limiter = RateLimiter(settings.rate_limit_rpm, settings.rate_limit_tpm)

    def __call__(self, request: Request) -> None:
        headers = self.limiter.admit(key_id(request.headers), request)  # budgets belong to a key's fingerprint
        request.finish_with(lambda reply: _with_headers(reply, headers))
        return None


def _with_headers(reply: Reply, headers: dict[str, str]) -> Reply:
    reply.headers.update(headers)
    return reply


class Cassettes:
    """A recording of the request; in record mode, also what other workers recorded since this one looked."""

    def __init__(self, store: CassetteStore, shared_with: Upstream | None = None) -> None:
        self.store = store
        self.shared_with = shared_with  # record mode: the upstream whose recordings workers share

    def __call__(self, request: Request) -> Reply | None:
        hit = self.store.lookup(request)
        if hit is None and self.shared_with is not None and \
                self.store.read_new_recordings(self.shared_with.cassette_for(request)):
            hit = self.store.lookup(request)
        return hit


class Forward:
    """The upstream's answer, recorded as it streams (`refresh`: recorded again even when a recording exists)."""

    def __init__(self, upstream: Upstream, refresh: bool) -> None:
        self.upstream, self.refresh = upstream, refresh

    def __call__(self, request: Request) -> Outcome:
        return self.upstream.forward(request, refresh=self.refresh)


class Generate:
    """The route's synthetic answer: one kept for the same request (proxy.pipeline.memo), else made now, or on a
    worker thread when costly (proxy.core.offload)."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo

    def __call__(self, request: Request) -> Outcome:
        make = request.generate
        assert make is not None, "a request reaches the generator only through Pipeline.answer"
        key = self.memo.key(request, make)
        if key is not None:
            kept = self.memo.get(key)
            if kept is not None:
                return kept
        offload = getattr(make, OFFLOAD, False)
        if offload and (offload == ALWAYS or costly(request)):
            return on_thread(make)
        return make() if key is None else self.memo.make(key, make, request)


class Refusal:
    """Strict mode's miss: the error names the closest recording and the fields that differ."""

    def __init__(self, store: CassetteStore) -> None:
        self.store = store

    def __call__(self, request: Request) -> Reply:
        raise self.store.miss(request)
