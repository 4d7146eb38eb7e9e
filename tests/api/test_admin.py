"""The admin API: reset, mode, cassettes (list, reload, current), counters, health, the dashboard's data."""
from __future__ import annotations

import httpx
import openai
import pytest

from dummy_openai_api.proxy.core.config import Exhausted, Mode
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body

HELLO = chat_body()


@pytest.fixture
def recorded(make_server, tmp_path):
    """A replay server with cassette `greetings` (HELLO answered twice, in order) and `other`."""
    cassettes = tmp_path / "cassettes"
    write(cassettes, "greetings", [interaction(HELLO, completion_json("first")),
                                   interaction(HELLO, completion_json("second"))])
    write(cassettes, "other", [interaction(HELLO, completion_json("from other"))])
    running = make_server(mode=Mode.REPLAY, cassettes=str(cassettes), on_exhausted=Exhausted.MISS)
    with httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {KEY}"}) as raw:
        yield raw


def said(raw: httpx.Client, **headers: str) -> str:
    answer = raw.post("/v1/chat/completions", json=HELLO, headers=headers)
    return answer.json()["choices"][0]["message"]["content"]


def test_reset_rewinds_replays_and_clears_everything(recorded) -> None:
    assert said(recorded, **{"X-Cassette": "greetings"}) == "first"
    recorded.post("/_mock/rules", json={"fault": "500"})
    recorded.post("/_mock/mode", json={"mode": "strict"})
    recorded.put("/_mock/cassettes/current", json={"cassette": "other"})
    assert recorded.post("/_mock/reset").json() == {"reset": True, "mode": "replay"}
    assert recorded.get("/_mock/journal").json()["data"] == [] and recorded.get("/_mock/rules").json()["data"] == []
    assert recorded.get("/_mock/cassettes/current").json() == {"cassette": None}
    assert said(recorded, **{"X-Cassette": "greetings"}) == "first"  # from the start again


def test_current_cassette_applies_to_requests_without_the_header(recorded) -> None:
    recorded.put("/_mock/cassettes/current", json={"cassette": "other"})
    assert said(recorded) == "from other"
    assert said(recorded, **{"X-Cassette": "greetings"}) == "first"  # the header wins
    entry = recorded.get("/_mock/journal").json()["data"][0]
    assert (entry["cassette"], entry["source"]) == ("other", "cassette:other")
    assert recorded.delete("/_mock/cassettes/current").json() == {"cassette": None}
    assert recorded.put("/_mock/cassettes/current", json={"cassette": "../x"}).status_code == 400


def test_cassettes_report_and_reload(recorded, tmp_path) -> None:
    said(recorded, **{"X-Cassette": "greetings"})
    report = recorded.get("/_mock/cassettes").json()
    rows = {c["name"]: c for c in report["cassettes"]}
    assert rows["greetings"]["recordings"] == 2 and rows["greetings"]["hit"] == 1 and rows["other"]["hit"] == 0
    write(tmp_path / "cassettes", "later", [interaction(chat_body(seed=1), completion_json("later"))])
    assert "later" not in {c["name"] for c in report["cassettes"]}
    reloaded = recorded.post("/_mock/cassettes/reload").json()
    assert "later" in {c["name"] for c in reloaded["cassettes"]} and reloaded["recordings"] == 4


def test_switch_mode(recorded) -> None:
    assert recorded.get("/_mock/mode").json() == {"mode": "replay"}
    assert recorded.post("/_mock/mode", json={"mode": "Strict"}).json() == {"mode": "strict"}
    miss = recorded.post("/v1/chat/completions", json=chat_body(seed=42))
    assert miss.status_code == 404 and miss.json()["error"]["code"] == "cassette_miss"
    recorded.post("/_mock/mode", json={"mode": "synthetic"})
    assert recorded.post("/v1/chat/completions", json=chat_body(seed=42)).status_code == 200
    bad = recorded.post("/_mock/mode", json={"mode": "replya"})
    assert bad.status_code == 400 and "expected one of synthetic, replay" in bad.json()["error"]["message"]


def test_switching_a_synthetic_server_to_replay_loads_its_cassettes(make_server, tmp_path) -> None:
    write(tmp_path / "cassettes", "greetings", [interaction(HELLO, completion_json("recorded"))])
    running = make_server(mode=Mode.SYNTHETIC, cassettes=str(tmp_path / "cassettes"))
    with httpx.Client(base_url=running.root_url, headers={"Authorization": f"Bearer {KEY}"}) as raw:
        assert said(raw) != "recorded"
        raw.post("/_mock/mode", json={"mode": "replay"})
        assert said(raw) == "recorded"


def test_counters_and_health(admin, http) -> None:
    counters = admin.get("/_mock/counters").json()
    assert counters["mode"] == "synthetic" and "counters" in counters
    http.get("/v1/models")
    health = httpx.get(str(http.base_url.join("/_mock/health"))).json()
    assert health["status"] == "ok" and health["journal"] == 1 and health["rules"] == 0


def test_extras_with_a_reset_are_reset(make_server) -> None:
    running = make_server()

    class Stored:
        cleared = False

        def reset(self) -> None:
            self.cleared = True
    stored = Stored()
    running.app.services.extras["files"] = stored
    httpx.post(running.root_url + "/_mock/reset", headers={"Authorization": f"Bearer {KEY}"}).raise_for_status()
    assert stored.cleared


def test_dashboard_data_leaves_out_headers_and_bodies(admin, client) -> None:
    client.chat.completions.create(**chat_body())
    data = admin.get("/_mock/dashboard").json()
    assert data["mode"] == "synthetic" and "gpt-4o-mini" in data["models"] and data["total"] == 1
    entry = data["journal"][0]
    assert (entry["path"], entry["status"], entry["source"], entry["model"]) == (
        "/v1/chat/completions", 200, "synthetic", "gpt-4o-mini")
    assert "headers" not in entry and "body" not in entry
    assert admin.get("/_mock/dashboard", params={"since": entry["id"]}).json()["journal"] == []


def test_root_is_a_page_for_browsers_and_json_for_clients(server, make_server) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    page = httpx.get(server.root_url + "/", headers=browser)
    assert page.headers["content-type"] == "text/html; charset=utf-8" and "<title>Dummy OpenAI API" in page.text
    info = httpx.get(server.root_url + "/").json()
    assert info["name"] == "Dummy OpenAI API" and "/_mock/journal" in info["endpoints"]
    assert "/_mock/journal/{entry}" in info["endpoints"]
    quiet = make_server(dashboard=False)
    assert httpx.get(quiet.root_url + "/", headers=browser).headers["content-type"] == "application/json"


def test_reset_forgets_stored_chat_completions(admin, client) -> None:
    stored = client.chat.completions.create(**chat_body(store=True))
    assert client.chat.completions.retrieve(stored.id).id == stored.id
    admin.post("/_mock/reset").raise_for_status()
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.retrieve(stored.id)
