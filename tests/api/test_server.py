"""Routing, auth, CORS and the headers every answer carries, over raw HTTP."""
from __future__ import annotations

import re

import httpx
import openai
import pytest

from dummy_openai_api.proxy import handlers
from dummy_openai_api.proxy.handlers.base import Handler, mask_key
from dummy_openai_api.proxy.server.app import ROUTES
from tests.conftest import chat_body, sdk_client


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


def test_every_route_handler_derives_from_the_base_handler() -> None:
    assert ROUTES
    for _, handler in ROUTES:  # a class, or the name of one imported on first use
        assert issubclass(handlers.resolve(handler), Handler)


@pytest.mark.parametrize("path", ["/health", "/"])
def test_health_and_info_need_no_key(server, path: str) -> None:
    response = httpx.get(server.root_url + path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


def test_info_lists_name_version_mode_endpoints_and_models(server) -> None:
    info = httpx.get(server.root_url + "/").json()
    assert info["name"] == "Dummy OpenAI API"
    assert info["mode"] == "synthetic"
    assert "/v1/chat/completions" in info["endpoints"]
    assert {"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "text-embedding-ada-002"} <= set(info["models"])


@pytest.mark.parametrize("method,path", [("POST", "/v1/nope"), ("GET", "/v2/models"), ("DELETE", "/v1")])
def test_unknown_route_is_invalid_url(http, method: str, path: str) -> None:
    response = http.request(method, path)
    assert response.status_code == 404
    assert error_of(response) == {"message": f"Invalid URL ({method} {path})", "type": "invalid_request_error",
                                  "param": None, "code": None}


def test_wrong_method_is_405_in_the_envelope(http) -> None:
    response = http.get("/v1/embeddings")
    assert response.status_code == 405
    assert "GET /v1/embeddings" in error_of(response)["message"]


def test_api_headers(http) -> None:
    response = http.post("/v1/chat/completions", json=chat_body())
    headers = response.headers
    assert re.fullmatch(r"req_[0-9a-f]{32}", headers["x-request-id"])
    assert headers["openai-version"] == "2020-10-01"
    assert int(headers["openai-processing-ms"]) >= 0
    for kind in ("requests", "tokens"):
        for what in ("limit", "remaining", "reset"):
            assert headers[f"x-ratelimit-{what}-{kind}"]
    assert headers["content-type"] == "application/json"


def test_request_ids_differ(http) -> None:
    ids = {http.get("/v1/models").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


def test_sdk_exposes_the_request_id(client) -> None:
    completion = client.chat.completions.create(**chat_body())
    assert completion._request_id.startswith("req_")


def test_cors_preflight(server) -> None:
    response = httpx.options(server.root_url + "/v1/chat/completions", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-stainless-os"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "x-stainless-os" in response.headers["access-control-allow-headers"]


@pytest.mark.parametrize("path", ["/health", "/v1/models", "/v1/nope"])
def test_cors_on_every_answer(http, path: str) -> None:
    response = http.get(path, headers={"Origin": "http://localhost:3000"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


def test_cors_origins_setting(make_server) -> None:
    server = make_server(cors_origins=("http://app.test",))
    allowed = httpx.get(server.root_url + "/health", headers={"Origin": "http://app.test"})
    other = httpx.get(server.root_url + "/health", headers={"Origin": "http://evil.test"})
    assert allowed.headers["access-control-allow-origin"] == "http://app.test"
    assert "access-control-allow-origin" not in other.headers


# Auth ---------------------------------------------------------------------------------------------------

def test_missing_key_is_401_with_the_real_message(server) -> None:
    response = httpx.post(server.root_url + "/v1/chat/completions", json=chat_body())
    assert response.status_code == 401
    error = error_of(response)
    assert error["message"].startswith("You didn't provide an API key.")
    assert error["type"] == "invalid_request_error" and error["code"] is None


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "sk-dummy", "Token sk-dummy"])
def test_malformed_authorization_is_401(server, header: str) -> None:
    response = httpx.get(server.root_url + "/v1/models", headers={"Authorization": header})
    assert response.status_code == 401


def test_wrong_key_is_401_invalid_api_key_masked(server) -> None:
    response = httpx.get(server.root_url + "/v1/models", headers={"Authorization": "Bearer sk-wrong-api-key"})
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "invalid_api_key"
    assert "sk-wrong****-key" in error["message"]
    assert "sk-wrong-api-key" not in error["message"]


@pytest.mark.parametrize("key,shown", [
    ("invalid-key-12345", "invalid-*****2345"), ("<not-a-real-key>", "<not-a-r****key>"),
    ("sk-fake-key", "sk-fake-key"), ("sk-proj-" + "x" * 40 + "abcd", "sk-proj-" + "*" * 40 + "abcd")])
def test_key_masking_matches_the_real_api(key: str, shown: str) -> None:
    assert mask_key(key) == shown


def test_sdk_raises_authentication_error(server) -> None:
    with sdk_client(server, api_key="sk-nope") as sdk:
        with pytest.raises(openai.AuthenticationError) as caught:
            sdk.models.list()
    assert caught.value.status_code == 401
    assert caught.value.code == "invalid_api_key"


def test_key_may_contain_spaces(make_server) -> None:
    server = make_server(api_key="my secret key")
    ok = httpx.get(server.base_url + "/models", headers={"Authorization": "Bearer my secret key"})
    assert ok.status_code == 200
    with sdk_client(server, api_key="my secret key") as sdk:
        assert sdk.models.list().data


def test_auth_off_accepts_any_key_or_none(make_server) -> None:
    server = make_server(auth=False)
    assert httpx.get(server.base_url + "/models").status_code == 200
    assert httpx.get(server.base_url + "/models", headers={"Authorization": "Bearer x"}).status_code == 200


def test_unexpected_errors_are_500_in_the_envelope_without_a_traceback(server, http, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom: secret detail")
    monkeypatch.setattr(server.app.services.chat, "complete", broken)
    response = http.post("/v1/chat/completions", json=chat_body())
    assert response.status_code == 500
    error = error_of(response)
    assert error["type"] == "server_error"
    assert "boom" not in response.text and "Traceback" not in response.text
    assert http.get("/health").status_code == 200


def test_access_log_has_one_line_per_request(make_server) -> None:
    import io
    server = make_server(access_log=True)
    server.app.access_log.stream = io.StringIO()
    httpx.post(server.base_url + "/chat/completions", json=chat_body(), headers={"Authorization": "Bearer sk-dummy"})
    httpx.get(server.root_url + "/v1/nope", headers={"Authorization": "Bearer sk-dummy"})
    server.call(server.app.access_log.flush)
    lines = server.app.access_log.stream.getvalue().splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d POST /v1/chat/completions 200 synthetic \d+\.\dms", lines[0])
    assert re.fullmatch(r"\d\d:\d\d:\d\d GET /v1/nope 404 error \d+\.\dms", lines[1])
