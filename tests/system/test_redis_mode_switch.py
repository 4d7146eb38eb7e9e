"""An admin call that waits on Redis goes on on a round-trip thread (proxy.core.offload.until_round_trip); what
belongs to the event loop is still made there: switched to a recording mode, a server on Redis forwards to its
upstream through a client of its own loop."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess
from tests.redis_server import RedisServer

HEADERS = {"Authorization": f"Bearer {KEY}"}


def test_a_switch_to_record_mode_forwards_to_the_upstream(redis_server: RedisServer, tmp_path: Path,
                                                          make_server: Any) -> None:
    upstream = make_server(api_key="sk-upstream")
    flags = ("--mode", "synthetic", "--cassettes", str(tmp_path / "cassettes"), "--upstream", upstream.base_url,
             "--upstream-key", "sk-upstream", "--state", redis_server.url, "--api-key", KEY)
    with ServerProcess(tmp_path, *flags) as server:
        switched = httpx.post(server.root_url + "/_mock/mode", headers=HEADERS, json={"mode": "record"}, timeout=30)
        assert switched.json() == {"mode": "record"}
        answer = httpx.post(server.base_url + "/chat/completions", headers=HEADERS, json=chat_body(), timeout=30)
        assert answer.status_code == 200, answer.text
        journal = httpx.get(server.root_url + "/_mock/journal", headers=HEADERS, timeout=30).json()["data"]
        assert [e["source"] for e in journal if e["path"] == "/v1/chat/completions"] == ["upstream"]
