"""What stands between an authenticated API request and its handler: the current cassette, faults (asked for
by header, given by rules, or drawn at random), canned answers, and rate limits.

On the hot path: with no rules, no chaos and no limits, a request costs two header lookups here.
"""
from __future__ import annotations

import random
from typing import Awaitable, Callable, Protocol

from dummy_openai_api.proxy.pipeline.canned import chat_reply, given_reply
from dummy_openai_api.proxy.core.config import Settings
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.faults import Fault, FaultPlayer
from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.state.journal import key_id
from dummy_openai_api.proxy.pipeline.ratelimit import RateLimiter
from dummy_openai_api.proxy.pipeline.rules import Rule, RuleBook
from dummy_openai_api.proxy.pipeline.pace import Pace

Answer = Callable[[], "Reply | Awaitable[Reply]"]
FAULT_HEADER = "X-Mock-Fault"


class Shared(Protocol):
    """Admin state other processes change (proxy.pipeline.sharing.Sharing, with --state)."""

    def refresh(self, force: bool = False) -> None: ...


class Chaos:
    """A random fault for a share of requests, from a seeded generator: the same seed gives the same faults."""

    def __init__(self, rate: float, kinds: tuple[str, ...], seed: int) -> None:
        self.rate, self.kinds, self.seed = rate, kinds, seed
        self.reset()

    def reset(self) -> None:
        self.draws = random.Random(self.seed)

    def draw(self) -> Fault | None:
        if self.draws.random() < self.rate and self.kinds:
            return Fault(self.draws.choice(self.kinds))
        return None


class Interceptor:
    """Decides, per request, whether the handler answers, and what happens to its answer."""

    def __init__(self, settings: Settings, pace: Pace) -> None:
        self.pace = pace
        self.rules = RuleBook()
        self.chaos = Chaos(settings.chaos_rate, settings.chaos_faults, settings.chaos_seed)
        self.limiter = RateLimiter(settings.rate_limit_rpm, settings.rate_limit_tpm)
        self.player = FaultPlayer()
        self.cassette: str | None = None  # for requests without X-Cassette (set through the admin API)
        self.sharing: Shared | None = None  # with --state: admin changes made by other processes

    def reset(self) -> None:
        self.rules.reset()
        self.chaos.reset()
        self.limiter.reset()
        self.player.release()
        self.cassette = None

    def around(self, request: Request, answer: Answer) -> Reply | Awaitable[Reply]:
        if self.sharing is not None:
            self.sharing.refresh()
        headers = request.headers
        if self.cassette is not None and "X-Cassette" not in headers:
            headers["X-Cassette"] = self.cassette
        if FAULT_HEADER in headers:
            return self.player.play(Fault.parse(headers[FAULT_HEADER]), request, answer)
        if not (self.rules.rules or self.chaos.rate or self.limiter.rpm or self.limiter.tpm):
            return answer()  # the usual case: attribute reads only
        rule = self.rules.pick(request) if self.rules else None
        if rule is not None:
            return self._apply(rule, request, answer)
        fault = self.chaos.draw() if self.chaos.rate else None
        if fault is not None:
            return self.player.play(fault, request, answer)
        if self.limiter.enabled:
            return self._limited(request, answer)
        return answer()

    def _apply(self, rule: Rule, request: Request, answer: Answer) -> Reply | Awaitable[Reply]:
        if rule.fault is not None:
            return self.player.play(rule.fault, request, answer)
        source = f"rule:{rule.id}"
        if rule.response is not None:
            return given_reply(rule.response, source)
        body = request.json()
        if not isinstance(body, dict):
            raise APIError(400, "The request body must be a JSON object.")
        return chat_reply(body, rule.reply or "", self.pace, source)

    def _limited(self, request: Request, answer: Answer) -> Reply | Awaitable[Reply]:
        headers = self.limiter.admit(_presented(request), request)
        reply = answer()
        if isinstance(reply, Reply):
            reply.headers.update(headers)
            return reply
        return _with_headers(reply, headers)


async def _with_headers(pending: Awaitable[Reply], headers: dict[str, str]) -> Reply:
    reply = await pending
    reply.headers.update(headers)
    return reply


def _presented(request: Request) -> str | None:
    """The key that a budget belongs to (a fingerprint: budgets never hold keys)."""
    return key_id(request.headers)
