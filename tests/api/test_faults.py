"""Faults on demand: real 429/5xx shapes, the SDK's retries against them, broken streams, drops, chaos."""
from __future__ import annotations

import httpx
import openai
import pytest

from dummy_openai_api.proxy.pipeline.faults import Fault, go_duration
from tests.conftest import KEY, chat_body, journal, sdk_client

CHAT = "/v1/chat/completions"


def retrying(server, retries: int, **options) -> openai.OpenAI:
    """The SDK as applications use it: with retries."""
    return openai.OpenAI(base_url=server.base_url, api_key=KEY, max_retries=retries,
                         _strict_response_validation=True, **options)


def faulty(http: httpx.Client, fault: str, **changes) -> httpx.Response:
    return http.post(CHAT, json=chat_body(**changes), headers={"X-Mock-Fault": fault})


def test_429_has_the_real_body_and_headers(admin, http) -> None:
    answer = faulty(http, "429", model="gpt-4o")
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["type"] == "requests" and error["code"] == "rate_limit_exceeded" and error["param"] is None
    assert error["message"].startswith("Rate limit reached for gpt-4o in organization ")
    assert "on requests per min (RPM): Limit 10000, Used 10000, Requested 1. Please try again in 20ms." in \
        error["message"]
    assert error["message"].endswith("Visit https://platform.openai.com/account/rate-limits to learn more.")
    headers = answer.headers
    assert (headers["retry-after"], headers["retry-after-ms"]) == ("1", "20")
    assert headers["x-ratelimit-remaining-requests"] == "0" and headers["x-ratelimit-reset-requests"] == "20ms"
    assert headers["x-request-id"].startswith("req_") and journal(admin)[0]["source"] == "fault:429"


@pytest.mark.parametrize("fault,status,type_,code,wording", [
    ("429-tokens", 429, "tokens", "rate_limit_exceeded", "on tokens per min (TPM): Limit 30000000, Used 29999990"),
    ("429-quota", 429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"),
    ("500", 500, "server_error", None, "The server had an error processing your request. Sorry about that!"),
    ("503", 503, "server_error", None, "That model is currently overloaded with other requests."),
    ("502", 502, "server_error", None, "Bad Gateway."),
    ("404", 404, "invalid_request_error", None, "Not Found."),
])
def test_status_faults(admin, http, fault, status, type_, code, wording) -> None:
    answer = faulty(http, fault)
    error = answer.json()["error"]
    assert answer.status_code == status and (error["type"], error["code"]) == (type_, code)
    assert wording in error["message"]
    if status >= 500:
        assert answer.headers["x-request-id"] in error["message"] or status == 502


def test_the_sdk_retries_a_one_shot_429_and_succeeds(admin, server) -> None:
    admin.post("/_mock/rules", json={"fault": "429", "path": CHAT, "times": 1}).raise_for_status()
    with retrying(server, 2) as sdk:
        completion = sdk.chat.completions.create(**chat_body())
    assert completion.choices[0].message.content
    attempts = journal(admin, path=CHAT)
    assert [(e["status"], e["headers"]["x-stainless-retry-count"]) for e in attempts] == [(429, "0"), (200, "1")]


def test_the_sdk_retries_503s_and_succeeds(admin, server) -> None:
    admin.post("/_mock/rules", json={"fault": "503", "times": 2, "retry_after": 0.01}).raise_for_status()
    with retrying(server, 2) as sdk:
        assert sdk.models.retrieve("gpt-4o").id == "gpt-4o"
    assert [e["status"] for e in journal(admin)] == [503, 503, 200]


def test_the_sdk_gives_up_on_a_lasting_fault(admin, server) -> None:
    admin.post("/_mock/rules", json={"fault": "429", "path": CHAT}).raise_for_status()
    with retrying(server, 1) as sdk, pytest.raises(openai.RateLimitError) as caught:
        sdk.chat.completions.create(**chat_body())
    assert caught.value.code == "rate_limit_exceeded" and len(journal(admin)) == 2


def test_stream_error_is_raised_by_the_sdk_mid_stream(admin, client) -> None:
    received = []
    with pytest.raises(openai.APIError, match="The server experienced an error while processing") as caught:
        for chunk in client.chat.completions.create(**chat_body(stream=True),
                                                    extra_headers={"X-Mock-Fault": "stream-error; after=3"}):
            received.append(chunk)
    assert len(received) == 3 and caught.value.type == "server_error"  # the role chunk and two content chunks
    assert journal(admin)[0]["source"] == "fault:stream-error"


def test_stream_cut_closes_the_connection_mid_stream(admin, client) -> None:
    received = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in client.chat.completions.create(**chat_body(stream=True),
                                                    extra_headers={"X-Mock-Fault": "stream-cut"}):
            received.append(chunk)
    assert len(received) == 2
    entry = journal(admin)[0]
    assert (entry["status"], entry["source"]) == (200, "fault:stream-cut")


def test_raw_stream_cut_ends_without_the_last_chunk(admin, http) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        with http.stream("POST", CHAT, json=chat_body(stream=True),
                         headers={"X-Mock-Fault": "stream-cut; after=1"}) as answer:
            for _ in answer.iter_bytes():
                pass


def test_disconnect_and_timeout(admin, server) -> None:
    with sdk_client(server, timeout=30) as sdk:
        with pytest.raises(openai.APIConnectionError) as dropped_early:
            sdk.chat.completions.create(**chat_body(), extra_headers={"X-Mock-Fault": "disconnect"})
        assert not isinstance(dropped_early.value, openai.APITimeoutError)  # dropped, not waited out
        with pytest.raises(openai.APITimeoutError):  # the fault holds the answer: any wait is waited out
            sdk.chat.completions.create(**chat_body(), extra_headers={"X-Mock-Fault": "timeout"}, timeout=0.3)
    dropped = journal(admin, status="444")
    assert [e["source"] for e in dropped] == ["fault:disconnect"]  # the timed-out one is still held
    admin.post("/_mock/reset")  # lets it go


def test_malformed_json(admin, client, http) -> None:
    answer = faulty(http, "malformed-json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        answer.json()
    with pytest.raises(ValueError):
        for _ in client.chat.completions.create(**chat_body(stream=True),
                                                extra_headers={"X-Mock-Fault": "malformed-json"}):
            pass


def test_a_fault_leaves_validation_errors_alone(admin, http) -> None:
    answer = http.post(CHAT, json={"model": "gpt-4o-mini"}, headers={"X-Mock-Fault": "stream-cut"})
    assert answer.status_code == 400


@pytest.mark.parametrize("header,message", [
    ("418x", "unknown fault '418x'"), ("429; after=-1", "Invalid fault parameter after"),
    ("429; colour=red", "Unknown fault parameter 'colour'"),
])
def test_bad_fault_headers_are_400s(admin, http, header: str, message: str) -> None:
    answer = faulty(http, header)
    assert answer.status_code == 400 and message.lower() in answer.json()["error"]["message"].lower()


def test_chaos_is_seeded(make_server) -> None:
    def statuses(seed: int) -> list[int]:
        chaotic = make_server(chaos_rate=0.5, chaos_seed=seed, chaos_faults=("500", "503"))
        with httpx.Client(base_url=chaotic.root_url, headers={"Authorization": f"Bearer {KEY}"}) as raw:
            return [raw.get("/v1/models").status_code for _ in range(12)]
    first = statuses(7)
    assert first == statuses(7) and {200, 500, 503} == set(first)
    assert first != statuses(8)


def test_fault_parsing_and_durations() -> None:
    assert Fault.parse("stream-cut; after=5") == Fault("stream-cut", after=5)
    assert Fault.parse(" 503 ; retry-after = 0.5").retry_after == 0.5
    assert [go_duration(s) for s in (0.0064, 0.644, 9.816, 20, 86.4, 360)] == [
        "7ms", "644ms", "9.816s", "20s", "1m26.4s", "6m0s"]
