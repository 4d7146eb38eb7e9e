"""The tokenizer loads in a background thread right after start-up: /health never waits for it, an API request
that comes first waits for it without holding up the event loop, and it loads once."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from dummy_openai_api.generators import tokens
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, wait_for


@pytest.fixture
def gated_tokenizer(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[str]]]:
    """A process whose tokenizer is not loaded yet, and whose loading holds until the event is set."""
    ready = {name: tokens.encoding(name) for name in ("o200k_base", "cl100k_base")}
    gate, loads = threading.Event(), []

    def load(name: str) -> Any:
        loads.append(name)
        gate.wait(60)
        tokens._loaded[name] = ready[name]
        return ready[name]
    monkeypatch.setattr(tokens, "_loaded", {})
    monkeypatch.setattr(tokens, "_by_model", {})
    monkeypatch.setattr(tokens, "_preloading", None, raising=False)
    monkeypatch.setattr(tokens, "_load", load)
    yield gate, loads
    gate.set()


def test_requests_wait_for_the_background_load_and_health_does_not(make_server, gated_tokenizer) -> None:
    gate, loads = gated_tokenizer
    server = make_server()
    assert wait_for(lambda: loads, 30) == ["o200k_base"]  # started with no request at all
    answers: list[httpx.Response] = []
    chat = threading.Thread(target=lambda: answers.append(httpx.post(
        server.base_url + "/chat/completions", json=chat_body(), headers={"Authorization": f"Bearer {KEY}"},
        timeout=60)))
    chat.start()
    for _ in range(3):  # the loop is free while the chat request waits for the tokenizer
        assert httpx.get(server.root_url + "/health", timeout=30).status_code == 200
    assert not answers  # it cannot have been answered: the tokenizer is still loading
    gate.set()
    chat.join(60)
    assert answers[0].status_code == 200 and answers[0].json()["usage"]["prompt_tokens"] > 0
    assert loads == ["o200k_base"]  # once: the request did not load it again


def test_no_preload_tokenizer_loads_on_first_use(make_server, gated_tokenizer) -> None:
    gate, loads = gated_tokenizer
    gate.set()
    server = make_server(preload_tokenizer=False)
    assert httpx.get(server.root_url + "/health").status_code == 200
    assert tokens._preloading is None and loads == []
    answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(),
                        headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
    assert answer.status_code == 200 and loads == ["o200k_base"]


def test_the_server_loads_the_tokenizer_after_start_up_without_a_request(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--mode", "synthetic") as server:
        assert wait_for(lambda: "tokenizer o200k_base loaded in the background" in server.output(), 60)
        ready = server.output().index("Dummy OpenAI API on")
        assert server.output().index("tokenizer o200k_base loaded") > ready  # after start-up, not before
