"""Responses validation runs in the synthetic source only: whatever it would refuse, a cassette still replays and
record mode still forwards, so the real API's answer (or error) is what a recording holds."""
from __future__ import annotations

import httpx
import orjson

from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import interaction, write
from tests.conftest import KEY
from tests.upstreams import Scenario, ScenarioServer

# Refused here three ways: a field the API does not know, a temperature a reasoning model refuses, a tool that
# synthetic answers do not simulate.
REFUSED = {"model": "o3-mini", "input": "Run this code", "temperature": 0.5, "made_up_field": True,
           "tools": [{"type": "code_interpreter", "container": {"type": "auto"}}]}
RECORDED = {"id": "resp_recorded", "object": "response", "created_at": 1760000000, "status": "completed",
            "model": "o3-mini-2025-01-31", "output": [{"id": "msg_recorded", "type": "message", "status": "completed",
            "role": "assistant", "content": [{"type": "output_text", "text": "Recorded anyway.", "annotations": []}]}]}


def post(base_url: str, body: dict) -> httpx.Response:
    return httpx.post(base_url + "/responses", json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=30)


def test_a_recording_of_a_refused_request_replays(make_server, tmp_path) -> None:
    cassettes = tmp_path / "cassettes"
    write(cassettes, "refused", [interaction(REFUSED, RECORDED, path="/responses")])
    replayed = post(make_server(mode=Mode.REPLAY, cassettes=str(cassettes)).base_url, REFUSED)
    assert replayed.status_code == 200
    assert replayed.json()["output"][0]["content"][0]["text"] == "Recorded anyway."
    synthetic = post(make_server(mode=Mode.SYNTHETIC, cassettes=str(cassettes)).base_url, REFUSED)
    assert synthetic.status_code == 400
    assert synthetic.json()["error"]["param"] == "made_up_field"
    fewer = {name: value for name, value in REFUSED.items() if name != "made_up_field"}
    assert post(make_server(mode=Mode.SYNTHETIC).base_url, fewer).json()["error"]["code"] == "unsupported_parameter"


def test_record_mode_forwards_a_request_this_server_would_refuse(make_server, tmp_path) -> None:
    with ScenarioServer() as upstream:
        Scenario.seen.clear()
        recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "cassettes"), upstream=upstream.base_url,
                               upstream_key="sk-upstream")
        answered = post(recorder.base_url, REFUSED)
    assert answered.status_code == 200
    assert answered.json()["choices"][0]["message"]["content"] == "from the upstream"  # the upstream's answer
    assert len(Scenario.seen) == 1 and Scenario.seen[0]["path"] == "responses"
    assert orjson.loads(Scenario.seen[0]["body"]) == REFUSED  # forwarded as sent
