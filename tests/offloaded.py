"""Holding back the answers made on a worker thread (proxy.core.offload), for tests that show the event loop
answers others meanwhile: with the work held until the test has its other answer, a busy machine cannot finish
the work first and make the test fail. An answer made on the loop instead is not held: it holds the loop."""
from __future__ import annotations

import threading
from typing import Any, Callable

import pytest

from dummy_openai_api.proxy.pipeline import sources


def hold_offloaded_answers(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Offloaded answers wait for the returned event (60 s at most, against a hung test) before they are made."""
    release = threading.Event()
    offload = sources.on_thread

    def held(make: Callable[[], Any]) -> Any:
        def after_release() -> Any:
            release.wait(60)
            return make()
        return offload(after_release)
    monkeypatch.setattr(sources, "on_thread", held)
    return release
