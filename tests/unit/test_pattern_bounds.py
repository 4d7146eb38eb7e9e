"""Schema `pattern`s come from requests: a pattern that backtracks for hours must not hold a worker thread.

Each check runs in a thread joined with a generous bound, so a regression fails the test instead of hanging it.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from dummy_openai_api.generators.structured import patterns, scalars
from dummy_openai_api.generators.structured.facts import Facts

# Each backtracks exponentially in Python's `re` on the text it is searched in below (2^40 steps and more).
LOOKAHEAD = r"^(?=(a+)+b)a{40}$"   # the walk writes 40 a's; the lookahead can never hold
ALTERNATION = r"^1(a|aa)+$"        # "1aaa...ab": every split of the a's is tried before failing


def finished(call: Callable[[], Any], bound: float = 60.0) -> Any:
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(bound)
    assert not worker.is_alive(), "the search did not give up"
    return result[0]


def test_a_pattern_whose_walk_cannot_match_gives_up() -> None:
    assert finished(lambda: patterns.matching(LOOKAHEAD, lambda n: 0)) is None


def test_a_preferred_value_is_not_searched_for_ever() -> None:
    assert finished(lambda: scalars.string_ok("1" + "a" * 60 + "b", {"pattern": ALTERNATION})) is False


def test_an_id_in_the_conversation_is_not_searched_for_ever() -> None:
    text = " ".join(["order", "1" + "a" * 60 + "b"] * 50)
    assert finished(lambda: Facts(text).matching(ALTERNATION)) is None


def test_ordinary_patterns_still_match() -> None:
    assert scalars.string_ok("ORD-123456", {"pattern": r"^ORD-\d{6}$"})
    assert Facts("Where is my order ORD-123456?").matching(r"^ORD-\d{6}$") == "ORD-123456"
    assert patterns.matching(r"^[A-Z]{3}-\d{4}$", lambda n: 0) is not None
