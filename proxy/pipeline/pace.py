"""Simulated latency of synthetic answers: realistic timings (chat 0.5-2.0 s, embeddings about 0.1 s), or a set time to first token and rate."""
from __future__ import annotations

import itertools
import random
from typing import Iterator

from dummy_openai_api.proxy.core.config import Latency, Settings


class Pace:
    """Simulated latency: none by default; realistic timings, or a set TTFT and token rate.

    With `jitter`, each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter] by a generator seeded
    with `latency_seed` and the answer's id: the same seed and request give the same delays.
    """

    def __init__(self, settings: Settings) -> None:
        self.realistic = settings.latency is Latency.REALISTIC
        self.ttft = settings.ttft_ms / 1000
        self.gap = 1 / settings.tokens_per_second if settings.tokens_per_second else 0.0
        self.jitter = settings.jitter
        self.seed = settings.latency_seed

    def whole_answer(self, key: str) -> float:
        """Seconds before a complete (non-streamed) chat answer: 0.5-2.0 s when realistic, stable per request."""
        base = random.Random(key).uniform(0.5, 2.0) if self.realistic else 0.0
        delay = self.ttft or base
        return self._jittered(delay, self._draws(key)) if self.jitter and delay else delay

    def stream(self, key: str) -> tuple[float, float]:
        """(seconds before the first chunk, seconds between chunks), before jitter."""
        first = self.ttft or (random.Random(key).uniform(0.2, 0.6) if self.realistic else 0.0)
        return first, self.gap or (0.01 if self.realistic else 0.0)

    def stream_delays(self, key: str) -> Iterator[float] | None:
        """Seconds before each chunk of a stream (endless), or None when streams are not paced."""
        first, gap = self.stream(key)
        if not first and not gap:
            return None
        if not self.jitter:
            return itertools.chain([first], itertools.repeat(gap))
        draws = self._draws(key)
        return (self._jittered(first if n == 0 else gap, draws) for n in itertools.count())

    def embeddings(self) -> float:
        return 0.1 if self.realistic else 0.0

    def _draws(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def _jittered(self, delay: float, draws: random.Random) -> float:
        return delay * draws.uniform(1 - self.jitter, 1 + self.jitter) if delay else delay
