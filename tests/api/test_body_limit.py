"""Oversized bodies: refused with 413 before they are read (declared length) or held (chunked); the limit is
`--max-body-mb`."""
from __future__ import annotations

import json
import tracemalloc
from typing import Iterator

import httpx
import pytest

from dummy_openai_api.generators import tokens
from tests.conftest import KEY, chat_body
from tests.wire import exchange, parse, request

CHAT = "/v1/chat/completions"


MIB = 1024 * 1024


def chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    """`total` bytes of a JSON-looking body, from one reused buffer: the test itself holds no 100 MB."""
    piece = b"[" + b" " * (size - 1)
    for _ in range(total // size):
        yield piece


def assert_too_large(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "request_too_large" and f"{limit} bytes" in error["message"]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_100_mb_body_is_refused_with_413(server, declared: bool) -> None:
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(100 * MIB)
    response = httpx.post(server.base_url + "/chat/completions", content=chunks(100 * MIB), headers=headers,
                          timeout=60)
    assert_too_large(response, 32 * MIB)  # the default limit
    assert httpx.get(server.root_url + "/health").status_code == 200


def test_a_declared_100_mb_body_is_refused_before_a_byte_of_it_is_sent(server) -> None:
    answer = parse(exchange(server.port, request("POST", CHAT, Content_Length=str(100 * MIB),
                                                 Content_Type="application/json", Expect="100-continue")))
    assert answer.status == 413 and answer.json()["error"]["code"] == "request_too_large"
    assert answer.headers["Connection"] == "close" and answer.headers["x-request-id"].startswith("req_")


def test_a_chunked_100_mb_body_is_never_held_in_memory(make_server) -> None:
    server = make_server(max_body_mb=1)
    tokens.encoding("o200k_base"), tokens.encoding("cl100k_base")  # loaded (in the background) before measuring
    tracemalloc.start()  # Python's own allocations, in every thread: the server's buffers included
    try:
        response = httpx.post(server.base_url + "/embeddings", content=chunks(100 * MIB), timeout=60,
                              headers={"Authorization": f"Bearer {KEY}"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_too_large(response, MIB)
    assert peak < 16 * MIB, f"{peak / MIB:.1f} MiB held while 100 MiB went by"


def test_the_body_limit_is_a_setting(make_server) -> None:
    server = make_server(max_body_mb=0.5)
    big = json.dumps(chat_body(messages=[{"role": "user", "content": "x" * (MIB // 2)}])).encode()
    small = json.dumps(chat_body(messages=[{"role": "user", "content": "x" * (MIB // 4)}])).encode()
    url, headers = server.base_url + "/chat/completions", {"Authorization": f"Bearer {KEY}"}
    assert_too_large(httpx.post(url, content=big, headers=headers), MIB // 2)
    assert httpx.post(url, content=small, headers=headers).status_code == 200
