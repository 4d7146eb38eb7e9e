"""POST /v1/traces/ingest: the OpenAI Agents SDK's trace uploads are accepted quietly and kept in the journal."""
from __future__ import annotations

import httpx
import pytest

from tests.conftest import journal

# What agents.tracing.processors.BackendSpanExporter posts: a trace, then its spans, under "data".
TRACE = {"object": "trace", "id": "trace_0123456789abcdef0123456789abcdef", "workflow_name": "Agent workflow",
         "group_id": None, "metadata": None}
SPAN = {"object": "trace.span", "id": "span_0123456789abcdef01234567", "trace_id": TRACE["id"], "parent_id": None,
        "started_at": "2026-01-01T00:00:00.000000+00:00", "ended_at": "2026-01-01T00:00:01.000000+00:00",
        "span_data": {"type": "agent", "name": "Assistant", "handoffs": [], "tools": [], "output_type": "str"},
        "error": None}
EXPORTER_HEADERS = {"OpenAI-Beta": "traces=v1", "Content-Type": "application/json"}


def test_an_upload_is_accepted_with_no_content_and_journaled(http: httpx.Client, admin: httpx.Client) -> None:
    answer = http.post("/v1/traces/ingest", json={"data": [TRACE, SPAN]}, headers=EXPORTER_HEADERS)
    assert answer.status_code == 204 and answer.content == b""
    assert answer.headers["x-request-id"].startswith("req_")
    (entry,) = journal(admin, path="/v1/traces/ingest")
    assert entry["status"] == 204 and entry["body"]["data"][1]["span_data"]["name"] == "Assistant"


def test_an_upload_needs_the_key(server) -> None:
    answer = httpx.post(f"{server.base_url}/traces/ingest", json={"data": []})
    assert answer.status_code == 401  # the exporter logs a 4xx: a wrong key must show


@pytest.mark.parametrize("body,param", [({}, "data"), ({"data": {"a": 1}}, "data"), ({"data": [1]}, "data[0]")])
def test_a_malformed_upload_is_a_400(http: httpx.Client, body: dict, param: str) -> None:
    answer = http.post("/v1/traces/ingest", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param
