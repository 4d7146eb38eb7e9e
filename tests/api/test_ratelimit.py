"""Opt-in rate limits that behave like the real ones: per key, counting down, 429, recovery as time passes."""
from __future__ import annotations

import math
import re

import httpx
import openai
import pytest

from dummy_openai_api.proxy.pipeline.ratelimit import Bucket, RateLimiter, estimate_tokens
from tests.conftest import chat_body

CHAT = "/v1/chat/completions"


@pytest.fixture
def still_clock(server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's budgets refill by the clock (a 100 TPM budget regains a token every 0.6 s): stopped, a slow
    request on a busy machine cannot change the counts these tests read. `advance_seconds` still moves time."""
    limiter = server.app.services.pipeline.limiter
    now = limiter.clock()
    monkeypatch.setattr(limiter, "clock", lambda: now)


def test_requests_per_minute_count_down_then_429_then_recover(admin, http, still_clock) -> None:
    admin.post("/_mock/ratelimits", json={"rpm": 3}).raise_for_status()
    remaining = [http.post(CHAT, json=chat_body()).headers["x-ratelimit-remaining-requests"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = http.post(CHAT, json=chat_body(model="gpt-4o"))
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
    assert re.search(r"^Rate limit reached for gpt-4o in organization org-dummy on requests per min \(RPM\): "
                     r"Limit 3, Used 3, Requested 1\. Please try again in [\d.]+m?s\. Visit ", error["message"])
    wait_ms = int(refused.headers["retry-after-ms"])  # 20 s: a third of the window
    assert wait_ms == 20000 and refused.headers["retry-after"] == str(math.ceil(wait_ms / 1000))
    assert refused.headers["x-ratelimit-limit-requests"] == "3"
    admin.post("/_mock/ratelimits", json={"advance_seconds": 20}).raise_for_status()  # a third of the window
    assert http.post(CHAT, json=chat_body()).status_code == 200
    assert http.post(CHAT, json=chat_body()).status_code == 429


def test_budgets_are_per_key(admin, make_server) -> None:
    open_server = make_server(auth=False, rate_limit_rpm=1)
    with httpx.Client(base_url=open_server.base_url) as raw:
        assert raw.get("/models", headers={"Authorization": "Bearer sk-first"}).status_code == 200
        assert raw.get("/models", headers={"Authorization": "Bearer sk-second"}).status_code == 200
        assert raw.get("/models", headers={"Authorization": "Bearer sk-first"}).status_code == 429
        state = raw.get(open_server.root_url + "/_mock/ratelimits").json()
    assert state["rpm"] == 1 and len(state["keys"]) == 2 and all(k.startswith("sha256:") for k in state["keys"])


def test_tokens_per_minute(admin, http, still_clock) -> None:
    admin.post("/_mock/ratelimits", json={"tpm": 100}).raise_for_status()
    first = http.post(CHAT, json=chat_body(max_tokens=60))
    assert first.status_code == 200 and first.headers["x-ratelimit-remaining-tokens"] == "40"
    refused = http.post(CHAT, json=chat_body(max_tokens=60))
    error = refused.json()["error"]
    assert refused.status_code == 429 and error["type"] == "tokens"
    assert re.search(r"on tokens per min \(TPM\): Limit 100, Used 60, Requested 60\. Please try again in [\d.]+m?s\.",
                     error["message"])
    too_big = http.post(CHAT, json=chat_body(max_tokens=1000)).json()["error"]
    assert too_big["message"].startswith("Request too large for gpt-4o-mini") and "Requested 1000" in too_big["message"]


def test_the_sdk_raises_rate_limit_error(admin, client) -> None:
    admin.post("/_mock/ratelimits", json={"rpm": 1}).raise_for_status()
    client.models.list()
    with pytest.raises(openai.RateLimitError) as caught:
        client.models.list()
    assert caught.value.code == "rate_limit_exceeded" and caught.value.type == "requests"
    assert int(caught.value.response.headers["retry-after-ms"]) > 0


def test_reset_restores_the_settings(admin, http) -> None:
    admin.post("/_mock/ratelimits", json={"rpm": 1}).raise_for_status()
    http.get("/v1/models")
    admin.post("/_mock/reset")
    assert [http.get("/v1/models").status_code for _ in range(3)] == [200, 200, 200]


def test_bucket_refills_continuously() -> None:
    bucket = Bucket(capacity=60, level=0, updated=0.0)
    bucket.refill(30.0)
    assert bucket.level == 30 and bucket.wait_for(31) == pytest.approx(1.0) and bucket.until_full() == 30
    bucket.refill(120.0)
    assert bucket.level == 60


def test_limiter_with_a_fake_clock() -> None:
    from tornado.httputil import HTTPHeaders
    from dummy_openai_api.proxy.core.errors import APIError
    from dummy_openai_api.proxy.core.http import Request
    now = [0.0]
    limiter = RateLimiter(rpm=2, clock=lambda: now[0])

    def call() -> dict:
        return limiter.admit("k", Request("GET", "/v1/models", HTTPHeaders(), b""))
    assert call()["x-ratelimit-remaining-requests"] == "1" and call()["x-ratelimit-reset-requests"] == "1m0s"
    with pytest.raises(APIError) as caught:
        call()
    assert caught.value.headers["retry-after-ms"] == "30000"
    now[0] = 30.0
    assert call()["x-ratelimit-remaining-requests"] == "0"


@pytest.mark.parametrize("body,expected", [
    ({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello there!"}]}, 10),
    ({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 500}, 500),
    ({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 50, "n": 3}, 150),
    ({"model": "text-embedding-3-small", "input": "one two three"}, 3),
    ({"model": "x", "prompt": "a" * 40}, 17),  # the whole body's characters / 4
])
def test_token_estimates(body: dict, expected: int) -> None:
    import orjson
    assert estimate_tokens(body, orjson.dumps(body)) == expected
