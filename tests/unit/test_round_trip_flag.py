"""proxy.core.offload's MustWait flag: set only in the synchronous extent of an answer on the loop's thread."""
from __future__ import annotations

import asyncio
import threading

import pytest

from dummy_openai_api.proxy.core.offload import MustWait, answering_on_loop, done_on_loop, round_trip


def test_a_round_trip_while_answering_on_the_loop_must_wait() -> None:
    was = answering_on_loop()
    try:
        with pytest.raises(MustWait):
            round_trip()
    finally:
        done_on_loop(was)
    round_trip()  # after the answer: nothing to move


def test_tasks_started_and_threads_running_during_an_answer_may_wait() -> None:
    """A batch's run or a background response, started while an answer is made, runs later on its own: no chain
    is there to catch a MustWait, so its round trips wait (on a thread of theirs or the loop, as they chose)."""
    async def main() -> list[str]:
        outcomes: list[str] = []

        async def later() -> None:
            round_trip()
            outcomes.append("task waited")

        def on_thread() -> None:
            round_trip()
            outcomes.append("thread waited")

        was = answering_on_loop()
        try:
            task = asyncio.ensure_future(later())
            thread = threading.Thread(target=on_thread)
            thread.start()
            thread.join()
        finally:
            done_on_loop(was)
        await task
        return outcomes
    assert asyncio.run(main()) == ["thread waited", "task waited"]
