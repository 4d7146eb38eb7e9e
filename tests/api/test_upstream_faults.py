"""Upstream faults in record mode: each one is a clear error in the API's envelope, nothing partial is recorded,
and the server goes on recording and replaying. (tests/api/test_recording.py covers refused connections, DNS,
a slow answer, an endless stream cut at the timeout, a cut stream, disk full and read-only directories.)"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator

import httpx
import openai
import pytest

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import KEY, chat_body, sdk_client
from tests.upstreams import Scenario, ScenarioServer, unanswered_port

HELLO = chat_body(messages=[{"role": "user", "content": "Record me, if you can"}])
STREAM = {**HELLO, "stream": True}


@pytest.fixture
def scenarios() -> Iterator[ScenarioServer]:
    with ScenarioServer() as running:
        Scenario.seen.clear()
        Scenario.closed.clear()
        yield running


@pytest.fixture
def cassettes(tmp_path: Path) -> Path:
    return tmp_path / "cassettes"


# The scenarios made to outlast the upstream timeout (the upstream waits 5 s, 30 s): a short one for them only, as
# any other answer may take longer than half a second on a busy machine and would end as a 504.
HASTY = {"slow", "stall-mid-stream"}


def recording(make_server, scenarios, cassettes, scenario: str = "ok"):
    return make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url,
                       upstream_timeout=0.5 if scenario in HASTY else 60)


@pytest.fixture
def recorder(make_server, scenarios, cassettes):
    return recording(make_server, scenarios, cassettes)


def post(server, body: dict, scenario: str) -> httpx.Response:
    return httpx.post(server.base_url + "/chat/completions", json=body, timeout=30,
                      headers={"Authorization": f"Bearer {KEY}", "X-Scenario": scenario})


def recorded(cassettes: Path) -> list:
    return [i for path in cassettes.rglob("*.yaml") for i in read_cassette(path)] if cassettes.exists() else []


def healthy(server) -> bool:
    return httpx.get(server.root_url + "/health").json()["status"] == "ok"


def eventually(condition: Callable[[], bool], within: float = 60.0) -> bool:
    """Wait for something another thread does; `within` is a deadline for a hung test, not a timing check."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.parametrize("scenario,status,code,fragment", [
    ("reset", 502, "upstream_unreachable", "could not be reached"),
    ("empty-json", 502, "upstream_invalid_response", "not valid JSON"),
    ("invalid-json", 502, "upstream_invalid_response", "not valid JSON"),
    ("slow", 504, "upstream_timeout", "Timeout during request"),
])
def test_a_fault_before_the_answer_is_an_error_in_the_envelope(make_server, scenarios, cassettes, scenario, status,
                                                                code, fragment) -> None:
    recorder = recording(make_server, scenarios, cassettes, scenario)
    response = post(recorder, HELLO, scenario)
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("server_error", code) and fragment in error["message"]
    assert recorded(cassettes) == [] and healthy(recorder)


def test_a_connect_timeout_says_so(make_server, cassettes) -> None:
    for port in unanswered_port():
        server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=f"http://127.0.0.1:{port}/v1",
                             upstream_timeout=0.5)
        response = post(server, HELLO, "ok")
        assert response.status_code == 504
        assert "Timeout while connecting" in response.json()["error"]["message"]
        assert recorded(cassettes) == [] and healthy(server)


@pytest.mark.parametrize("scenario,fragment", [
    ("reset-mid-stream", "broke off its answer"),
    ("cut", "broke off its answer"),
    ("stall-mid-stream", "did not finish its answer in time: Timeout during request"),
    ("malformed-sse", "stream event that is not valid JSON"),
])
def test_a_fault_mid_stream_ends_it_with_the_apis_error_event(make_server, scenarios, cassettes, scenario,
                                                               fragment) -> None:
    recorder = recording(make_server, scenarios, cassettes, scenario)
    with sdk_client(recorder) as client, pytest.raises(openai.APIError) as caught:
        list(client.chat.completions.create(**STREAM, extra_headers={"X-Scenario": scenario}))
    assert fragment in caught.value.message
    assert recorded(cassettes) == [] and healthy(recorder)


def test_a_client_that_leaves_mid_stream_ends_the_upstream_exchange(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url)  # 600 s timeout
    with httpx.stream("POST", server.base_url + "/chat/completions", json=STREAM, timeout=30,
                      headers={"Authorization": f"Bearer {KEY}", "X-Scenario": "endless"}) as response:
        next(response.iter_raw())  # the first events, then hang up
    assert eventually(lambda: "endless" in Scenario.closed), "the upstream stream was left running"
    assert recorded(cassettes) == [] and healthy(server)


def test_after_every_fault_the_server_records_and_replays(recorder, scenarios, cassettes) -> None:
    for scenario in ("reset", "empty-json", "invalid-json", "cut", "malformed-sse", "reset-mid-stream"):
        post(recorder, STREAM if "stream" in scenario or scenario == "cut" else HELLO, scenario)
    first = post(recorder, HELLO, "ok")
    assert first.status_code == 200 and len(recorded(cassettes)) == 1
    assert post(recorder, HELLO, "reset").json() == first.json()  # a replay now: the upstream is not asked
    streamed = post(recorder, STREAM, "stream")
    assert streamed.status_code == 200 and streamed.text.endswith("data: [DONE]\n\n")
    assert len(recorded(cassettes)) == 2
