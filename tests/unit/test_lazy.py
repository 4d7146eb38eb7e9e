"""`built_on_first_read`: a field built once even when threads race for it, then an ordinary attribute."""
from __future__ import annotations

import threading
import time

from dummy_openai_api.proxy.core.lazy import build_all, built_on_first_read


class Holder:
    def __init__(self) -> None:
        self.builds: list[str] = []

    @built_on_first_read
    def store(self) -> dict[str, int]:
        self.builds.append("store")
        time.sleep(0.01)  # widens the window in which a second reader would build it again
        return {}

    @built_on_first_read
    def other(self) -> list[int]:
        self.builds.append("other")
        return []


def test_threads_reading_it_first_share_one_value() -> None:
    holder = Holder()
    seen: list[dict[str, int]] = []
    threads = [threading.Thread(target=lambda: seen.append(holder.store)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert holder.builds == ["store"]
    assert len(seen) == 8 and all(value is seen[0] for value in seen)


def test_it_is_built_on_first_read_only_and_kept_as_an_attribute() -> None:
    holder = Holder()
    assert holder.builds == []
    holder.store["kept"] = 1
    assert holder.store == {"kept": 1} and holder.builds == ["store"]
    assert vars(holder)["store"] is holder.store  # a plain instance attribute from then on


def test_an_assigned_value_replaces_it_and_build_all_builds_the_rest() -> None:
    holder = Holder()
    holder.store = {"twin": 2}
    build_all(holder)
    assert holder.store == {"twin": 2} and holder.builds == ["other"]
