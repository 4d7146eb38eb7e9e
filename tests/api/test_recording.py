"""Record mode against real local upstreams: forwarding, streaming through, scrubbing, atomic files, failures."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import openai
import pytest
import vcr

from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import KEY, chat_body, sdk_client
from tests.upstreams import Scenario, ScenarioServer

UPSTREAM_KEY = "sk-proj-UPSTREAMsecret0123456789abcdefABCDEF"
HELLO = chat_body(messages=[{"role": "user", "content": "Record me, please"}])


@pytest.fixture
def cassettes(tmp_path: Path) -> Path:
    return tmp_path / "cassettes"


@pytest.fixture
def upstream(make_server):
    """This server in synthetic mode, with its own key: a real OpenAI-compatible upstream."""
    return make_server(mode=Mode.SYNTHETIC, api_key=UPSTREAM_KEY)


@pytest.fixture
def recorder(make_server, upstream, cassettes):
    return make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url,
                       upstream_key=UPSTREAM_KEY)


@pytest.fixture
def scenarios():
    with ScenarioServer() as running:
        Scenario.seen.clear()
        yield running


def post(server, body: dict, **headers: str) -> httpx.Response:
    return httpx.post(server.base_url + "/chat/completions", json=body,
                      headers={"Authorization": f"Bearer {KEY}", **headers}, timeout=30)


def all_text(directory: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in directory.rglob("*") if p.is_file())


def test_a_miss_is_forwarded_recorded_and_then_replayed(recorder, upstream, cassettes) -> None:
    with sdk_client(recorder) as client:
        first = client.chat.completions.create(**HELLO)
    recorded = read_cassette(cassettes / "recorded.yaml")
    assert len(recorded) == 1 and recorded[0].uri == upstream.base_url + "/chat/completions"
    upstream.stop()  # the next identical request must not need it
    with sdk_client(recorder) as client:
        again = client.chat.completions.create(**HELLO)
    assert again.choices[0].message.content == first.choices[0].message.content
    summary = recorder.app.services.store.summary()
    assert summary["recorded"]["POST /chat/completions"] == {"hit": 1, "miss": 0, "record": 1}
    assert summary["(none)"]["POST /chat/completions"]["miss"] == 1


def test_streams_pass_through_and_are_recorded_readably(recorder, cassettes) -> None:
    body = {**HELLO, "stream": True, "stream_options": {"include_usage": True}}
    with sdk_client(recorder) as client:
        streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(**body)
                           if c.choices)
    text = (cassettes / "recorded.yaml").read_text()
    assert "data: [DONE]" in text and "data: {" in text
    interaction = read_cassette(cassettes / "recorded.yaml")[0]
    assert "timing" in interaction.extra and interaction.extra["timing"]["ttfb_ms"] >= 0
    with sdk_client(recorder) as client:  # now a replay
        replayed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(**body)
                           if c.choices)
    assert replayed == streamed
    assert recorder.app.services.store.summary()["recorded"]["POST /chat/completions"]["hit"] == 1


def test_x_cassette_chooses_where_to_record(recorder, cassettes) -> None:
    assert post(recorder, HELLO, **{"X-Cassette": "suite/test_one"}).status_code == 200
    assert (cassettes / "suite" / "test_one.yaml").exists()
    assert not (cassettes / "recorded.yaml").exists()


def test_no_secret_reaches_a_cassette_or_a_log(make_server, scenarios, cassettes, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url,
                         upstream_key=UPSTREAM_KEY, access_log=True)
    response = post(server, {**HELLO, "api_key": "sk-body-0123456789abcdef"}, **{"X-Scenario": "echo-key",
                                                                                  "OpenAI-Organization": "org-x"})
    assert response.status_code == 200
    assert Scenario.seen[-1]["headers"]["Authorization"] == f"Bearer {UPSTREAM_KEY}"  # the upstream got its key
    written = all_text(cassettes)
    for secret in (UPSTREAM_KEY, KEY, "sk-body-0123456789abcdef", "org-secret", "org-x"):
        assert secret not in written
        assert secret not in caplog.text
    assert "authorization" not in written.lower()


def test_the_client_key_is_not_sent_upstream(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url, upstream_key="")
    post(server, HELLO)
    assert "Authorization" not in Scenario.seen[-1]["headers"]


def test_what_we_record_replays_in_vcrpy(recorder, cassettes) -> None:
    plain = post(recorder, HELLO).json()
    streamed = post(recorder, {**HELLO, "stream": True}).content
    path = str(cassettes / "recorded.yaml")
    url = read_cassette(path)[0].uri
    with vcr.use_cassette(path, record_mode="none"):
        with httpx.Client() as raw:
            assert raw.post(url, json=HELLO).json() == plain
            assert raw.post(url, json={**HELLO, "stream": True}).content == streamed


def test_record_all_forwards_even_when_recorded(make_server, upstream, cassettes) -> None:
    first = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url,
                        upstream_key=UPSTREAM_KEY)
    post(first, HELLO)
    refresher = make_server(mode=Mode.RECORD_ALL, cassettes=str(cassettes), upstream=upstream.base_url,
                            upstream_key=UPSTREAM_KEY)
    post(refresher, HELLO)
    assert refresher.app.services.store.summary()["recorded"]["POST /chat/completions"]["record"] == 1
    assert len(read_cassette(cassettes / "recorded.yaml")) == 1  # refreshed, not duplicated


def test_concurrent_recordings_lose_nothing(recorder, cassettes) -> None:
    async def run() -> list[int]:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as client:
            bodies = [chat_body(messages=[{"role": "user", "content": f"question {i}"}]) for i in range(30)]
            names = ["shared" if i % 2 else f"own/{i}" for i in range(30)]
            responses = await asyncio.gather(*[
                client.post(recorder.base_url + "/chat/completions", json=b, headers={"X-Cassette": n})
                for b, n in zip(bodies, names, strict=True)])
            return [r.status_code for r in responses]
    assert asyncio.run(run()) == [200] * 30
    assert len(read_cassette(cassettes / "shared.yaml")) == 15
    assert len(list((cassettes / "own").glob("*.yaml"))) == 15
    assert not [p for p in cassettes.rglob("*") if p.is_file() and not p.name.endswith(".yaml")
                and CACHE_DIRECTORY not in p.parts]


@pytest.mark.parametrize("scenario,status,code", [("invalid-json", 502, "upstream_invalid_response"),
                                                   ("error", 500, None)])
def test_upstream_answers_pass_through(make_server, scenarios, cassettes, scenario, status, code) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url)
    response = post(server, HELLO, **{"X-Scenario": scenario})
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert not (cassettes / "recorded.yaml").exists()  # neither errors nor garbage are recorded by default


def test_upstream_errors_are_recorded_when_asked(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url,
                         record_errors=True)
    assert post(server, HELLO, **{"X-Scenario": "error"}).status_code == 500
    assert read_cassette(cassettes / "recorded.yaml")[0].status == 500


def test_unreachable_upstream_is_502(make_server, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream="http://127.0.0.1:9")
    response = post(server, HELLO)
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_unreachable"
    assert not cassettes.exists() or not list(cassettes.rglob("*.yaml"))
    assert httpx.get(server.root_url + "/health").status_code == 200


def test_dns_failure_is_502(make_server, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream="http://no-such-host.invalid")
    assert post(server, HELLO).status_code == 502


def test_slow_upstream_is_504(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url,
                         upstream_timeout=0.5)
    response = post(server, HELLO, **{"X-Scenario": "slow"})
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


def test_endless_stream_is_cut_at_the_timeout_and_not_recorded(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url,
                         upstream_timeout=0.5)
    events = post(server, {**HELLO, "stream": True}, **{"X-Scenario": "endless"}).text.split("\n\n")
    assert "did not finish its answer in time" in events[-2]  # the API's mid-stream error event ends it
    assert not list(cassettes.rglob("*.yaml")) if cassettes.exists() else True
    assert httpx.get(server.root_url + "/health").status_code == 200


def test_a_cut_stream_reaches_the_client_cut_and_is_not_recorded(make_server, scenarios, cassettes) -> None:
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=scenarios.base_url)
    with sdk_client(server) as client, pytest.raises((openai.APIError, httpx.HTTPError)):
        list(client.chat.completions.create(**{**HELLO, "stream": True}, extra_headers={"X-Scenario": "cut"}))
    assert not cassettes.exists() or not list(cassettes.rglob("*.yaml"))
    assert httpx.get(server.root_url + "/health").status_code == 200


def test_a_read_only_cassette_directory_gives_a_clear_error_and_replay_goes_on(make_server, upstream,
                                                                              cassettes) -> None:
    cassettes.mkdir()
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url,
                         upstream_key=UPSTREAM_KEY)
    post(server, HELLO)
    cassettes.chmod(0o500)
    try:
        other = post(server, chat_body(messages=[{"role": "user", "content": "cannot be written"}]))
        if other.status_code == 200:
            pytest.skip("running as a user that can write to read-only directories")
        assert other.status_code == 500 and other.json()["error"]["code"] == "recording_failed"
        assert post(server, HELLO).status_code == 200  # still replaying
    finally:
        cassettes.chmod(0o700)


def test_a_full_disk_gives_a_clear_error_and_replay_goes_on(make_server, upstream, cassettes, monkeypatch) -> None:
    import errno

    from dummy_openai_api.proxy.cassettes import persister as cassettes_module
    server = make_server(mode=Mode.RECORD, cassettes=str(cassettes), upstream=upstream.base_url,
                         upstream_key=UPSTREAM_KEY)
    post(server, HELLO)
    before = (cassettes / "recorded.yaml").read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(cassettes_module, "write_cassette", disk_full)
    other = chat_body(messages=[{"role": "user", "content": "no room for this one"}])
    response = post(server, other)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "recording_failed" and "No space left on device" in error["message"]
    with sdk_client(server) as client, pytest.raises(openai.APIError, match="No space left"):
        list(client.chat.completions.create(**{**other, "stream": True}))
    assert post(server, HELLO).status_code == 200  # still replaying
    assert (cassettes / "recorded.yaml").read_bytes() == before
