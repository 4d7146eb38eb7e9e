"""Rate limits that behave like the real API's: per key, a requests-per-minute and a tokens-per-minute budget.

Each budget is a bucket that refills continuously (a full minute's worth over a minute), as the API's
`x-ratelimit-remaining-*` counting back up and `x-ratelimit-reset-*` (time until the bucket is full) show.
A request costs one request and its estimated tokens: the larger of its prompt's tokens and `max_tokens`,
as the API reserves them. A request that does not fit is a 429 saying when it would.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable

from dummy_openai_api.generators import tokens
from dummy_openai_api.proxy.pipeline.faults import go_duration, rate_limited, too_large
from dummy_openai_api.proxy.core.http import Request
from dummy_openai_api.proxy.validation import peek_body

ANONYMOUS = ""  # requests without a key (auth off) share one budget


@dataclass
class Bucket:
    capacity: float
    level: float
    updated: float

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.capacity / 60)
        self.updated = now

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` fits."""
        return max(0.0, (amount - self.level) * 60 / self.capacity)

    def until_full(self) -> float:
        return (self.capacity - self.level) * 60 / self.capacity


class RateLimiter:
    """Budgets per key; off while both are 0. `advance` moves its clock (tests need not wait a minute)."""

    def __init__(self, rpm: int = 0, tpm: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self.defaults = (rpm, tpm)
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        self.rpm, self.tpm = self.defaults
        self.offset = 0.0
        self.buckets: dict[str, tuple[Bucket, Bucket]] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.rpm or self.tpm)

    def configure(self, rpm: int | None = None, tpm: int | None = None) -> None:
        """New budgets start full."""
        self.rpm = self.rpm if rpm is None else rpm
        self.tpm = self.tpm if tpm is None else tpm
        self.buckets = {}

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def admit(self, key: str | None, request: Request) -> dict[str, str]:
        """Take one request and its tokens from `key`'s budgets (`key` names an API key, say a fingerprint of
        it); the headers to send, or a 429 raised."""
        requests, budget = self._buckets(key or ANONYMOUS)
        body = peek_body(request)
        cost = estimate_tokens(body, request.body)
        model = given if isinstance(given := body.get("model"), str) else "gpt-4o-mini"
        if self.tpm and cost > self.tpm:
            raise too_large(model, self.tpm, cost)
        if self.rpm and requests.level < 1:
            wait = requests.wait_for(1)
            raise rate_limited(model, "requests", self.rpm, self.rpm - math.floor(requests.level), 1, wait,
                               self._headers(requests, budget))
        if self.tpm and budget.level < cost:
            wait = budget.wait_for(cost)
            raise rate_limited(model, "tokens", self.tpm, self.tpm - math.floor(budget.level), cost, wait,
                               self._headers(requests, budget))
        if self.rpm:
            requests.level -= 1
        if self.tpm:
            budget.level -= cost
        return self._headers(requests, budget)

    def _buckets(self, key: str) -> tuple[Bucket, Bucket]:
        now = self.clock() + self.offset
        pair = self.buckets.get(key)
        if pair is None:
            pair = Bucket(self.rpm or 1, self.rpm or 1, now), Bucket(self.tpm or 1, self.tpm or 1, now)
            self.buckets[key] = pair
        for bucket in pair:
            bucket.refill(now)
        return pair

    def _headers(self, requests: Bucket, budget: Bucket) -> dict[str, str]:
        headers = {}
        for unit, limit, bucket in (("requests", self.rpm, requests), ("tokens", self.tpm, budget)):
            if limit:
                headers[f"x-ratelimit-limit-{unit}"] = str(limit)
                headers[f"x-ratelimit-remaining-{unit}"] = str(max(0, math.floor(bucket.level)))
                headers[f"x-ratelimit-reset-{unit}"] = go_duration(bucket.until_full())
        return headers

    def describe(self) -> dict[str, Any]:
        now = self.clock() + self.offset
        state = {}
        for key, (requests, budget) in self.buckets.items():
            requests.refill(now)
            budget.refill(now)
            state[key or "anonymous"] = {"remaining_requests": math.floor(requests.level) if self.rpm else None,
                                      "remaining_tokens": math.floor(budget.level) if self.tpm else None}
        return {"rpm": self.rpm, "tpm": self.tpm, "clock_offset": self.offset, "keys": state}


def estimate_tokens(body: dict[str, Any], raw: bytes) -> int:
    """The tokens a request reserves: the larger of its prompt (tiktoken) and what it may generate."""
    model = given if isinstance(given := body.get("model"), str) else "gpt-4o-mini"
    try:
        if isinstance(body.get("messages"), list):
            prompt = tokens.count_chat_prompt(body["messages"], model, body.get("tools") or None)
        elif isinstance(body.get("input"), str):
            prompt = tokens.count(body["input"], model)
        else:
            prompt = math.ceil(len(raw) / 4)  # the API's rule of thumb for what it does not count exactly
    except Exception:  # noqa: BLE001 - a body the counter does not understand is still estimated
        prompt = math.ceil(len(raw) / 4)
    limit = body.get("max_completion_tokens") or body.get("max_tokens") or body.get("max_output_tokens") or 0
    choices = n if isinstance(n := body.get("n"), int) and n > 0 else 1
    return max(1, prompt, limit * choices if isinstance(limit, int) else 0)
