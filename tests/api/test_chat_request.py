"""Chat validation runs in the synthetic source only: whatever it would refuse, a cassette still replays and
record mode still forwards, so the real API's answer (or error) is what a recording holds."""
from __future__ import annotations

import httpx
import orjson

from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body
from tests.upstreams import Scenario, ScenarioServer

# Refused here three ways: a field the API does not know, n below 1, a stop sequence a reasoning model refuses.
REFUSED = chat_body(model="o3-mini", n=0, stop="x", made_up_field=True)


def post(base_url: str, body: dict) -> httpx.Response:
    return httpx.post(base_url + "/chat/completions", json=body, headers={"Authorization": f"Bearer {KEY}"},
                      timeout=30)


def test_a_recording_of_a_refused_request_replays(make_server, tmp_path) -> None:
    cassettes = tmp_path / "cassettes"
    write(cassettes, "refused", [interaction(REFUSED, completion_json("Recorded anyway."))])
    replayed = post(make_server(mode=Mode.REPLAY, cassettes=str(cassettes)).base_url, REFUSED)
    assert replayed.status_code == 200
    assert replayed.json()["choices"][0]["message"]["content"] == "Recorded anyway."
    synthetic = post(make_server(mode=Mode.SYNTHETIC, cassettes=str(cassettes)).base_url, REFUSED)
    assert synthetic.status_code == 400
    assert synthetic.json()["error"]["message"] == "Unrecognized request argument supplied: made_up_field"


def test_record_mode_forwards_a_request_this_server_would_refuse(make_server, tmp_path) -> None:
    with ScenarioServer() as upstream:
        Scenario.seen.clear()
        recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "cassettes"), upstream=upstream.base_url,
                               upstream_key="sk-upstream")
        answered = post(recorder.base_url, REFUSED)
    assert answered.status_code == 200
    assert answered.json()["choices"][0]["message"]["content"] == "from the upstream"
    assert len(Scenario.seen) == 1 and orjson.loads(Scenario.seen[0]["body"]) == REFUSED  # forwarded as sent
