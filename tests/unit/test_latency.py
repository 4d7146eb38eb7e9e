"""Latency profiles: time to first token, token rate, jitter that a seed makes repeatable."""
from __future__ import annotations

import itertools

from dummy_openai_api.proxy.core.config import Latency, Settings
from dummy_openai_api.proxy.pipeline.pace import Pace


def delays(pace: Pace, key: str, count: int = 6) -> list[float]:
    stream = pace.stream_delays(key)
    return [] if stream is None else list(itertools.islice(stream, count))


def test_no_latency_by_default() -> None:
    pace = Pace(Settings())
    assert pace.stream_delays("chatcmpl-1") is None and pace.whole_answer("chatcmpl-1") == 0


def test_ttft_and_rate_without_jitter() -> None:
    pace = Pace(Settings(ttft_ms=200, tokens_per_second=50))
    assert delays(pace, "a") == [0.2, 0.02, 0.02, 0.02, 0.02, 0.02] and pace.whole_answer("a") == 0.2


def test_jitter_is_bounded_and_repeatable_under_a_seed() -> None:
    settings = Settings(ttft_ms=200, tokens_per_second=50, jitter=0.25, latency_seed=7)
    first = delays(Pace(settings), "chatcmpl-x")
    assert first == delays(Pace(settings), "chatcmpl-x")  # same seed, same request: same delays
    assert first != delays(Pace(settings), "chatcmpl-y")  # another request: other draws
    assert first != delays(Pace(settings.replace(latency_seed=8)), "chatcmpl-x")
    assert 0.15 <= first[0] <= 0.25 and all(0.015 <= gap <= 0.025 for gap in first[1:])
    assert len(set(first[1:])) > 1
    whole = Pace(settings).whole_answer("chatcmpl-x")
    assert whole == Pace(settings).whole_answer("chatcmpl-x") and 0.15 <= whole <= 0.25


def test_realistic_timings_take_jitter_too() -> None:
    pace = Pace(Settings(latency=Latency.REALISTIC, jitter=0.1, latency_seed=1))
    first, *gaps = delays(pace, "k")
    assert 0.18 <= first <= 0.66 and all(0.009 <= gap <= 0.011 for gap in gaps)
