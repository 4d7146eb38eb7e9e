"""Slow and broken clients: stalls, hang-ups mid-body and mid-stream, thousands of idle connections. The server
keeps answering everyone else, closes what stalls past `--client-timeout`, and its memory stays bounded."""
from __future__ import annotations

import itertools
import json
import logging
import resource
import socket
from pathlib import Path

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import stream_body, interaction, write
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, open_files, rss_mib, wait_for, warm_up
from tests.wire import read_all, request

IDLE_CONNECTIONS = 2000


def answers(server) -> bool:
    """The server answers a health check and a chat completion right now."""
    health = httpx.get(server.root_url + "/health", timeout=60)
    chat = httpx.post(server.base_url + "/chat/completions", json=chat_body(), timeout=60,
                      headers={"Authorization": f"Bearer {KEY}"})
    return health.status_code == 200 and chat.status_code == 200


def connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


@pytest.fixture
def impatient(make_server):
    """A server that gives clients half a second to send their headers or body."""
    return make_server(client_timeout=0.5)


STALLS = [
    b"",  # connected, said nothing
    b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n",  # half the headers
    request("POST", "/v1/chat/completions", Content_Length="100", Content_Type="application/json"),  # no body
    request("POST", "/v1/chat/completions", Transfer_Encoding="chunked") + b"10\r\n{\"model\": ",  # half a chunk
]


def test_stalled_clients_are_disconnected_and_others_are_served_meanwhile(impatient) -> None:
    stalled = [connect(impatient) for _ in STALLS]
    try:
        for connection, sent in zip(stalled, STALLS, strict=True):
            connection.sendall(sent)
        assert answers(impatient)
        for connection in stalled:
            assert read_all(connection) == b""  # closed by the server at --client-timeout, without an answer
    finally:
        for connection in stalled:
            connection.close()


def test_a_slowloris_cannot_keep_a_connection_by_trickling_headers(impatient) -> None:
    closed = False
    with connect(impatient) as trickler:
        trickler.sendall(b"GET /health HTTP/1.1\r\n")
        trickler.settimeout(0.05)  # the trickle's pace: one header byte per 50 ms
        for byte in itertools.islice(itertools.cycle(b"X-Trickle: a\r\n"), 2000):
            try:
                trickler.sendall(bytes([byte]))
                closed = trickler.recv(1) == b""
            except TimeoutError:
                continue  # no answer yet: still connected
            except OSError:
                closed = True
            if closed:
                break
    assert closed, "the server kept a trickling client for 100 seconds"
    assert answers(impatient)


@pytest.mark.parametrize("declared,sent", [(1_000_000, 1000), (10, 3), (5_000_000, 4_000_000)])
def test_a_client_that_hangs_up_mid_body_leaves_no_trace(server, caplog, declared: int, sent: int) -> None:
    caplog.set_level(logging.INFO)
    with connect(server) as leaver:
        leaver.sendall(request("POST", "/v1/chat/completions", Content_Length=str(declared),
                               Content_Type="application/json"))
        leaver.sendall(b"x" * sent)
    assert answers(server)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def paced_servers(make_server, tmp_path: Path) -> dict[str, object]:
    """A slow synthetic stream and a slow replayed one: hanging up in the middle must stop either producer."""
    cassettes = tmp_path / "cassettes"
    streamed = chat_body(stream=True)
    recorded = interaction(streamed, stream_body(["a"] * 200), content_type="text/event-stream")
    recorded.extra = {"timing": {"ttfb_ms": 0, "chunk_ms": [20.0] * 201}}
    write(cassettes, "slow", [recorded])
    return {"synthetic": make_server(tokens_per_second=50, access_log=True),
            "replay": make_server(mode=Mode.REPLAY, cassettes=str(cassettes), replay_speed=1.0, access_log=True)}


@pytest.mark.parametrize("kind", ["synthetic", "replay"])
def test_a_client_that_hangs_up_mid_stream_stops_the_stream(paced_servers, kind: str) -> None:
    server = paced_servers[kind]
    body = chat_body(stream=True, messages=[{"role": "user", "content": "Tell me a long story " * 20}])
    with connect(server) as leaver:
        leaver.sendall(request("POST", "/v1/chat/completions", json.dumps(body if kind == "synthetic" else
                                                                          chat_body(stream=True)).encode(),
                               Content_Type="application/json"))
        assert wait_for(lambda: b"data: " in leaver.recv(65536), 30)  # the stream has begun
    journal = server.app.services.journal
    assert wait_for(lambda: any(entry.status == 499 for entry in journal.entries), 30), "still streaming"
    assert answers(server)


def test_thousands_of_idle_connections_neither_block_others_nor_take_much_memory(tmp_path: Path) -> None:
    wanted = IDLE_CONNECTIONS + 100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted and hard >= wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # the server inherits it
    if max(soft, min(hard, wanted)) < wanted:
        pytest.skip(f"needs {wanted} open files, the limit is {hard}")
    with ServerProcess(tmp_path, "--mode", "synthetic", "--access-log", "false") as server:
        warm_up(server.base_url)
        before, files = rss_mib(server.pid), open_files(server.pid)
        idle: list[socket.socket] = []
        try:
            while len(idle) < IDLE_CONNECTIONS:  # in batches the accept backlog holds, or connects wait for SYN retries
                idle.extend(connect(server) for _ in range(100))
                assert wait_for(lambda: open_files(server.pid) >= files + len(idle) - 5, 60)
            for half in idle[: IDLE_CONNECTIONS // 2]:  # half have said half a request
                half.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
            assert answers(server)
            growth = rss_mib(server.pid) - before
        finally:
            for connection in idle:
                connection.close()
        print(f"{IDLE_CONNECTIONS} idle connections: server RSS {before:.1f} MiB -> +{growth:.1f} MiB")
        assert growth < 64, f"{growth:.1f} MiB for {IDLE_CONNECTIONS} idle connections"
        assert answers(server)
