"""The request journal: what was sent, where the answer came from, filters, secrets kept out, bounds."""
from __future__ import annotations

import httpx
import pytest

from dummy_openai_api.proxy.state.journal import Journal
from tests.conftest import KEY, chat_body, journal, sdk_client


def test_every_api_request_is_noted_in_arrival_order(admin, client, http) -> None:
    client.chat.completions.create(**chat_body(temperature=0))
    client.chat.completions.create(**chat_body(temperature=0.7, tools=[
        {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]))
    http.get("/v1/models")
    http.get("/health")  # not API requests
    http.options("/v1/chat/completions", headers={"Origin": "http://example.com",
                                                  "Access-Control-Request-Method": "POST"})
    first, second, third = journal(admin)
    assert (first["method"], first["path"], first["status"], first["source"]) == (
        "POST", "/v1/chat/completions", 200, "synthetic")
    assert first["body"]["temperature"] == 0 and second["body"]["temperature"] == 0.7
    assert second["body"]["tools"][0]["function"]["name"] == "lookup"
    assert third["path"] == "/v1/models" and third["body"] is None
    assert first["id"] < second["id"] < third["id"]
    assert first["duration_ms"] >= 0 and first["request_id"].startswith("req_") and first["model"] == "gpt-4o-mini"
    assert first["headers"]["content-type"] == "application/json" and "x-stainless-retry-count" in first["headers"]


def test_secrets_never_reach_the_journal(admin, server) -> None:
    body = {**chat_body(), "metadata": {"note": "key sk-proj-abcdefghijklmnop1234"}}
    headers = {"Authorization": f"Bearer {KEY}", "OpenAI-Organization": "org-secret", "Cookie": "session=1",
               "api-key": KEY}
    httpx.post(server.base_url + "/chat/completions", json=body, headers=headers)
    text = admin.get("/_mock/journal").text
    for secret in ("sk-proj-abcdefghijklmnop1234", "org-secret", "session=1", f"Bearer {KEY}", f'"{KEY}"'):
        assert secret not in text
    entry = journal(admin)[0]
    assert not {"authorization", "api-key", "openai-organization", "cookie"} & set(entry["headers"])
    assert entry["key_id"].startswith("sha256:") and KEY not in entry["key_id"]


def test_errors_and_refusals_are_noted(admin, http) -> None:
    http.post("/v1/chat/completions", json={"model": "gpt-4o-mini"})
    http.post("/v1/nope", json={})
    httpx.get(http.base_url.join("/v1/models"))  # no key
    statuses = [(e["path"], e["status"], e["source"]) for e in journal(admin)]
    assert statuses == [("/v1/chat/completions", 400, "error"), ("/v1/nope", 404, "error"),
                        ("/v1/models", 401, "error")]


@pytest.mark.parametrize("filters,expected", [
    ({"path": "/v1/models"}, ["/v1/models"]),
    ({"path": "/v1/chat*"}, ["/v1/chat/completions", "/v1/chat/completions"]),
    ({"method": "get"}, ["/v1/models"]),
    ({"status": "400"}, ["/v1/chat/completions"]),
    ({"source": "error"}, ["/v1/chat/completions"]),
    ({"model": "gpt-4o"}, ["/v1/chat/completions"]),
    ({"limit": "1"}, ["/v1/models"]),
])
def test_filters(admin, http, filters: dict, expected: list[str]) -> None:
    http.post("/v1/chat/completions", json=chat_body(model="gpt-4o"))
    http.post("/v1/chat/completions", json={"model": "gpt-4o-mini"})
    http.get("/v1/models")
    assert [e["path"] for e in journal(admin, **filters)] == expected


def test_one_entry_since_and_clear(admin, http) -> None:
    http.get("/v1/models")
    http.get("/v1/models/gpt-4o")
    first, second = journal(admin)
    assert admin.get(f"/_mock/journal/{second['id']}").json()["path"] == "/v1/models/gpt-4o"
    assert [e["id"] for e in journal(admin, since=str(first["id"]))] == [second["id"]]
    assert admin.delete("/_mock/journal").json() == {"cleared": True}
    assert journal(admin) == [] and admin.get(f"/_mock/journal/{first['id']}").status_code == 404


def test_request_key_is_the_cassette_key(admin, http, server) -> None:
    http.post("/v1/embeddings", json={"model": "text-embedding-3-small", "input": "hi"})
    entry = journal(admin)[0]
    assert len(entry["request_key"]) == 64
    http.post("/v1/embeddings", json={"input": "hi", "model": "text-embedding-3-small"})  # same body, other order
    assert journal(admin)[1]["request_key"] == entry["request_key"]


def test_the_admin_api_needs_the_key(server, make_server) -> None:
    assert httpx.get(server.root_url + "/_mock/journal").status_code == 401
    assert httpx.get(server.root_url + "/_mock/journal", headers={"Authorization": "Bearer sk-wrong-key-123"}
                     ).json()["error"]["code"] == "invalid_api_key"
    assert httpx.get(server.root_url + "/_mock/health").json()["status"] == "ok"  # health is open
    guarded = make_server(admin_key="admin-secret", auth=False)
    assert httpx.get(guarded.root_url + "/_mock/journal", headers={"Authorization": f"Bearer {KEY}"}
                     ).status_code == 401
    assert httpx.get(guarded.root_url + "/_mock/journal", headers={"Authorization": "Bearer admin-secret"}
                     ).status_code == 200


def test_size_and_body_limits(make_server) -> None:
    small = make_server(journal_size=2, journal_body_limit=10)
    with sdk_client(small) as sdk, httpx.Client(base_url=small.root_url,
                                                headers={"Authorization": f"Bearer {KEY}"}) as raw:
        for _ in range(3):
            sdk.models.list()
        sdk.chat.completions.create(**chat_body())
        entries = raw.get("/_mock/journal").json()["data"]
    assert [e["path"] for e in entries] == ["/v1/models", "/v1/chat/completions"]
    assert entries[1]["body_truncated"] and len(entries[1]["body"]) == 10 and entries[1]["request_key"] is None


def test_no_journal(make_server) -> None:
    off = make_server(journal_size=0)
    with sdk_client(off) as sdk:
        sdk.models.list()
    answer = httpx.get(off.root_url + "/_mock/journal", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert answer["data"] == [] and answer["total"] == 0


def test_entries_render_lazily_from_references() -> None:
    """The hot path keeps references; nothing is serialized until the journal is read."""
    from tornado.httputil import HTTPHeaders
    from dummy_openai_api.proxy.core.http import Request
    request = Request("POST", "/v1/embeddings?x=1", HTTPHeaders({"Authorization": "Bearer sk-abcdefghijkl"}),
                      b'{"input": "sk-abcdefghijklmnop"}')
    book = Journal(size=5, body_limit=1000, secrets=("sk-abcdefghijkl",))
    book.open(request)
    entry = request.context["journal"]
    assert entry.body is request.body and entry.headers is request.headers and entry.status is None
    book.close(request, 200, "synthetic")
    shown = book.render(entry)
    assert shown["query"] == "x=1" and shown["headers"] == {} and "sk-abcdefghijkl" not in str(shown)
