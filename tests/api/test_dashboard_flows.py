"""The dashboard's data: the journal as a timeline for the charts, and one entry as a flow (request, answer,
and for a strict miss the closest recording with the differing values), with secrets removed."""
from __future__ import annotations

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Exhausted, Mode
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.conftest import chat_body

ADMIN_KEY = "sk-admin-0123456789abcdef"
CLIENT_KEY = "sk-proj-client0123456789abcdef"
RECORDED = chat_body(messages=[{"role": "user", "content": "What is the capital of France?"}], temperature=0.2)
SENT = chat_body(messages=[{"role": "user", "content": "What is the capital of Spain?"}], temperature=0.7,
                 user="sk-live-leaked0123456789abcdef", metadata={"api_key": "plain-secret-value"})


@pytest.fixture
def strict(make_server, tmp_path):
    """A strict server with one recorded chat (and one recorded stream), its API key and admin key set."""
    cassettes = tmp_path / "cassettes"
    write(cassettes, "capitals", [interaction(RECORDED, completion_json("Paris.")),
                                  interaction(chat_body(stream=True), stream_body(["Hi", "!"]),
                                              content_type="text/event-stream")])
    running = make_server(mode=Mode.STRICT, cassettes=str(cassettes), api_key=CLIENT_KEY, admin_key=ADMIN_KEY)
    with httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {CLIENT_KEY}"},
                      timeout=30) as api, \
            httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                         timeout=30) as admin:
        yield api, admin


def traffic(api: httpx.Client) -> None:
    """A hit, a streamed hit, a strict miss and a fault."""
    assert api.post("/v1/chat/completions", json=RECORDED).status_code == 200
    with api.stream("POST", "/v1/chat/completions", json=chat_body(stream=True)) as streamed:
        assert b"[DONE]" in streamed.read()
    assert api.post("/v1/chat/completions", json=SENT).status_code == 404
    assert api.post("/v1/chat/completions", json=RECORDED, headers={"X-Mock-Fault": "429"}).status_code == 429


def test_the_timeline_counts_hits_misses_and_faults_with_latency(strict) -> None:
    api, admin = strict
    traffic(api)
    data = admin.get("/_mock/dashboard").json()
    timeline = data["timeline"]
    assert timeline["totals"] == {"hit": 2, "miss": 1, "fault": 1, "rule": 0, "upstream": 0, "synthetic": 0,
                                  "error": 0}
    assert sum(bar["hit"] for bar in timeline["bars"]) == 2 and timeline["step"] >= 1
    assert 0 < timeline["latency"]["p50"] <= timeline["latency"]["p95"] <= timeline["latency"]["max"]
    assert [e["kind"] for e in data["journal"]] == ["hit", "hit", "miss", "fault"]
    assert {c["name"]: (c["hit"], c["miss"]) for c in data["cassettes"]["cassettes"]} == {"capitals": (2, 0),
                                                                                          "(none)": (0, 1)}


def test_a_flow_shows_what_was_sent_and_answered_without_secrets(strict) -> None:
    api, admin = strict
    traffic(api)
    hit, streamed, miss, fault = admin.get("/_mock/journal").json()["data"]
    shown = admin.get(f"/_mock/journal/{hit['id']}/flow")
    assert shown.status_code == 200
    flow = shown.json()
    assert flow["body"] == RECORDED and flow["kind"] == "hit" and flow["closest"] is None
    assert flow["response"]["status"] == 200 and flow["response"]["body"]["choices"][0]["message"]["content"] == \
        "Paris."
    assert ["x-request-id", "req_recorded0000000000000000000001"] in flow["response"]["headers"]
    stream = admin.get(f"/_mock/journal/{streamed['id']}/flow").json()["response"]
    assert stream["stream"] and '"content":"Hi"' in stream["body"] and stream["body"].endswith("[DONE]\n\n")
    assert admin.get(f"/_mock/journal/{fault['id']}/flow").json()["response"]["status"] == 429
    text = admin.get(f"/_mock/journal/{miss['id']}/flow").text
    for secret in (CLIENT_KEY, ADMIN_KEY, "leaked0123456789", "plain-secret-value"):
        assert secret not in text
    assert "authorization" not in text.lower()


def test_a_strict_miss_shows_the_closest_recording_and_the_differing_values(strict) -> None:
    api, admin = strict
    traffic(api)
    miss = admin.get("/_mock/journal", params={"status": "404"}).json()["data"][0]
    flow = admin.get(f"/_mock/journal/{miss['id']}/flow").json()
    assert flow["kind"] == "miss" and flow["response"]["body"]["error"]["code"] == "cassette_miss"
    closest = flow["closest"]
    assert closest["cassette"] == "capitals" and closest["index"] == 0
    assert closest["recorded"] == RECORDED and closest["answer"]["choices"][0]["message"]["content"] == "Paris."
    differences = {d["field"]: d for d in closest["differences"]}
    assert set(differences) == {"messages[0].content", "temperature", "user", "metadata"}
    assert differences["temperature"] | {} == {"field": "temperature", "recorded": 0.2, "received": 0.7,
                                               "absent": None}
    assert differences["user"]["absent"] == "recorded" and differences["user"]["received"] == "sk-REDACTED"


def test_a_flow_needs_the_admin_key_the_same_origin_and_an_entry_that_exists(strict) -> None:
    api, admin = strict
    traffic(api)
    assert api.get("/_mock/journal/1/flow").status_code == 401
    other_page = admin.get("/_mock/journal/1/flow", headers={"Origin": "https://example.com",
                                                             "Sec-Fetch-Site": "cross-site"})
    assert other_page.status_code == 403 and other_page.json()["error"]["code"] == "origin_not_allowed"
    missing = admin.get("/_mock/journal/999/flow")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_replay_miss_answered_synthetically_is_a_miss_with_its_closest_recording(make_server, tmp_path) -> None:
    write(tmp_path / "cassettes", "capitals", [interaction(RECORDED, completion_json("Paris."))])
    running = make_server(mode=Mode.REPLAY, cassettes=str(tmp_path / "cassettes"), api_key=CLIENT_KEY)
    with httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {CLIENT_KEY}"},
                      timeout=30) as api:
        assert api.post("/v1/chat/completions", json=chat_body(model="gpt-4o")).status_code == 200
        entry = api.get("/_mock/journal").json()["data"][0]
        flow = api.get(f"/_mock/journal/{entry['id']}/flow").json()
    assert entry["source"] == "synthetic" and flow["kind"] == "miss"
    assert flow["response"]["body"]["object"] == "chat.completion"
    assert {d["field"] for d in flow["closest"]["differences"]} == {"model", "messages[0].content", "temperature"}


def test_a_recorded_stream_is_an_upstream_answer_kept_as_it_went_out(make_server, tmp_path) -> None:
    """Record mode forwards a stream (an async producer the journal copies from as it is written)."""
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream-0123456789abcdef")
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "cassettes"), upstream=upstream.base_url,
                           upstream_key="sk-upstream-0123456789abcdef", api_key=CLIENT_KEY)
    with httpx.Client(base_url=recorder.root_url, headers={"Authorization": f"Bearer {CLIENT_KEY}"},
                      timeout=30) as api:
        with api.stream("POST", "/v1/chat/completions", json=chat_body(stream=True)) as streamed:
            sent = streamed.read()
        entry = api.get("/_mock/journal").json()["data"][0]
        flow = api.get(f"/_mock/journal/{entry['id']}/flow")
    assert entry["source"] == "upstream" and flow.json()["kind"] == "upstream"
    assert flow.json()["response"]["stream"] and flow.json()["response"]["body"] == sent.decode()
    assert "sk-upstream" not in flow.text


def test_a_request_refused_before_routing_shows_its_answer(strict) -> None:
    """A foreign Host is refused before any handler runs: the journal notes it afterwards, answer included."""
    api, admin = strict
    refused = api.post("/v1/chat/completions", json=RECORDED, headers={"Host": "attacker.example"})
    assert refused.status_code == 403
    entry = admin.get("/_mock/journal").json()["data"][-1]
    flow = admin.get(f"/_mock/journal/{entry['id']}/flow").json()
    assert flow["status"] == 403 and flow["response"]["status"] == 403
    assert flow["response"]["body"]["error"]["code"] == refused.json()["error"]["code"]


def test_a_used_up_recording_is_a_miss_with_no_differing_field(make_server, tmp_path) -> None:
    write(tmp_path / "cassettes", "capitals", [interaction(RECORDED, completion_json("Paris."))])
    running = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "cassettes"), api_key=CLIENT_KEY,
                          on_exhausted=Exhausted.MISS)
    with httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {CLIENT_KEY}"},
                      timeout=30) as api:
        assert [api.post("/v1/chat/completions", json=RECORDED).status_code for _ in range(2)] == [200, 404]
        entry = api.get("/_mock/journal").json()["data"][-1]
        flow = api.get(f"/_mock/journal/{entry['id']}/flow").json()
    assert flow["kind"] == "miss" and flow["closest"]["differences"] == []
    assert "already served" in flow["response"]["body"]["error"]["message"]
