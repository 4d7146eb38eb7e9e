"""Admin values out of range are 400s naming the field, never 500s; rule headers cannot break HTTP framing."""
from __future__ import annotations

import socket

import pytest

from tests.conftest import KEY, chat_body


def error(answer) -> dict:
    assert answer.status_code == 400, answer.text
    return answer.json()["error"]


@pytest.mark.parametrize("body", [{"rpm": 1e308}, {"tpm": 1e308}, {"rpm": 1e12}, {"tpm": 2**62},
                                  {"advance_seconds": 1e308}, {"rpm": 1.5}, {"rpm": -1}, {"tpm": "10"},
                                  {"rpm": True}])
def test_rate_limit_values_are_range_checked(admin, body: dict) -> None:
    name = next(iter(body))
    assert error(admin.post("/_mock/ratelimits", json=body))["param"] == name
    assert admin.get("/_mock/ratelimits").json()["rpm"] == 0  # nothing changed
    assert admin.post("/_mock/ratelimits", json={"rpm": 60.0, "tpm": 10**9}).status_code == 200


@pytest.mark.parametrize("rule", [{"fault": "429", "retry_after": 1e308}, {"fault": "503", "retry_after": 1e6},
                                  {"fault": "timeout", "seconds": 1e308}, {"fault": "stream-cut", "after": 1e308},
                                  {"fault": "stream-cut", "after": 10**12}])
def test_fault_values_are_range_checked(admin, http, rule: dict) -> None:
    assert error(admin.post("/_mock/rules", json=rule))["code"] == "invalid_fault"
    assert http.post("/v1/chat/completions", json=chat_body()).status_code == 200  # no rule was added


def test_fault_header_values_are_range_checked(http) -> None:
    answer = http.post("/v1/chat/completions", json=chat_body(), headers={"X-Mock-Fault": "429; retry_after=1e308"})
    assert error(answer)["code"] == "invalid_fault"


@pytest.mark.parametrize("headers", [{"Content-Length": "0"}, {"transfer-encoding": "chunked"},
                                     {"Connection": "close"}, {"Keep-Alive": "timeout=5"}, {"Upgrade": "h2c"},
                                     {"X-A": "a\r\nSet-Cookie: x=1"}, {"X-A": "a\nb"}, {"X-A": "a\x00"},
                                     {"Bad Name": "x"}, {"X-A:": "x"}, {"": "x"}])
def test_rule_headers_that_would_break_framing_are_refused(admin, http, headers: dict) -> None:
    rule = {"response": {"status": 200, "body": {"ok": True}, "headers": headers}}
    assert error(admin.post("/_mock/rules", json=rule))["param"] == "response.headers"
    assert admin.get("/_mock/rules").json()["data"] == []


def test_a_rule_answer_is_framed_once(server, admin) -> None:
    rule = {"response": {"status": 200, "body": {"ok": True}, "headers": {"X-Custom": "yes"}}}
    assert admin.post("/_mock/rules", json=rule).status_code == 201
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as raw:
        raw.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY.encode()
                    + b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = raw.recv(65536)
            if not chunk:
                break
            head += chunk
    lines = head.split(b"\r\n\r\n")[0].lower().split(b"\r\n")
    assert sum(line.startswith(b"content-length:") for line in lines) == 1 and b"x-custom: yes" in lines


@pytest.mark.parametrize("path,status", [
    ("/_mock/journal/" + "9" * 5000, 404), ("/_mock/journal/%C2%B2", 404), ("/_mock/journal?since=" + "9" * 5000, 400),
    ("/_mock/journal?limit=" + "9" * 5000, 400), ("/_mock/journal?since=%C2%B2", 400), ("/_mock/journal?limit=-1", 400),
    ("/_mock/dashboard?since=" + "9" * 5000, 400)])
def test_journal_numbers_are_checked(admin, http, path: str, status: int) -> None:
    http.get("/v1/models")
    answer = admin.get(path)
    assert answer.status_code == status and answer.json()["error"]["message"]
    assert len(admin.get("/_mock/journal?limit=1").json()["data"]) == 1
