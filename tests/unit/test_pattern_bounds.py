"""Schema `pattern`s come from requests: a pattern that backtracks for hours must not hold a worker thread.

Each check runs in a thread joined with a generous bound, so a regression fails the test instead of hanging it.
"""
from __future__ import annotations

import itertools
import threading
import time
import types
from typing import Any, Callable

import pytest

from dummy_openai_api.generators.custom_tools import inputs
from dummy_openai_api.generators.custom_tools.inputs import user_value
from dummy_openai_api.generators.structured import facts, patterns, scalars
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


# --- the budget is the search's own work, not the wall clock of a busy machine ----------------------------------

class Preempted:
    """A compiled pattern whose first searches run out of (wall-clock) time without working: as when the machine
    runs other processes meanwhile. Then it matches."""

    def __init__(self, stalls: int) -> None:
        self.stalls = stalls

    def search(self, text: str, timeout: float) -> object | None:
        if self.stalls:
            self.stalls -= 1
            raise TimeoutError("regex timed out")
        return object()


class Backtracking:
    """A compiled pattern whose search works through its whole timeout (as `^(a|aa)+$` does), then gives up."""

    searches = 0

    def search(self, text: str, timeout: float) -> object | None:
        self.searches += 1
        end = time.thread_time() + timeout
        while time.thread_time() < end:
            pass
        raise TimeoutError("regex timed out")


def test_a_search_cut_short_by_a_busy_machine_still_matches() -> None:
    assert patterns.found(Preempted(stalls=2), "ORD-123456")  # type: ignore[arg-type]


def test_a_search_that_works_through_its_time_gives_up_at_once() -> None:
    backtracking = Backtracking()
    assert not patterns.found(backtracking, "1aaaab", seconds=0.02)  # type: ignore[arg-type]
    assert backtracking.searches == 1


def test_token_budgets_count_this_threads_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wall clock that jumps (the process not running for a while) does not end the search for an ID."""
    jumps = itertools.count(0.0, 10.0)
    busy = types.SimpleNamespace(monotonic=lambda: next(jumps), perf_counter=lambda: next(jumps),
                                 thread_time=time.thread_time)
    for module in (facts, inputs):  # the wall clocks these modules would read; nothing else in the process
        monkeypatch.setattr(module, "time", busy, raising=False)
    text = "Hello, " + " ".join(f"note-{n}" for n in range(20)) + " my order is ORD-123456, thanks"
    assert Facts(text).matching(r"^ORD-\d{6}$") == "ORD-123456"
    assert user_value(r"ORD-\d{6}", text) == "ORD-123456"
