"""More connections than the open-files limit allows: normal clients are still answered, the log stays small,
and past `--max-connections` with every connection busy a newcomer gets the API's 503."""
from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess, wait_for
from tests.wire import parse, read_all, request

LIMIT = 64  # the server's open-files limit: small, so that the flood stays small
FLOOD = 160  # idle connections: well past the limit, within what the listen backlog holds without one


def flood(port: int, count: int = FLOOD) -> list[socket.socket]:
    return [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]


def served(server: ServerProcess) -> bool:
    """A normal client, connecting after the flood, is answered."""
    try:
        answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(), timeout=30,
                            headers={"Authorization": f"Bearer {KEY}"})
    except httpx.TransportError:
        return False
    return answer.status_code == 200


@pytest.mark.parametrize("cap", [None, "1000"], ids=["default-cap", "cap-above-the-limit"])
def test_more_idle_connections_than_open_files_leave_clients_served_and_the_log_small(tmp_path: Path,
                                                                                      cap: str | None) -> None:
    args = ["--mode", "synthetic", "--access-log", "false", *(["--max-connections", cap] if cap else [])]
    with ServerProcess(tmp_path, *args, open_files=(LIMIT, LIMIT)) as server:
        idle = flood(server.port)
        try:
            assert served(server)
            assert read_all(idle[0]) == b""  # the longest idle made room, closed without an answer
        finally:
            for connection in idle:
                connection.close()
        assert served(server)
        log = server.output()
    assert "Traceback" not in log
    assert log.count("cannot accept connections") <= 2  # once per burst, not once per attempt
    assert len(log) < 5000, log[-2000:]


def test_the_soft_open_files_limit_is_raised_to_the_hard_one(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--mode", "synthetic", open_files=(LIMIT, 4 * LIMIT)) as server:
        limits = Path(f"/proc/{server.pid}/limits").read_text()
    assert [line.split()[3:5] for line in limits.splitlines() if line.startswith("Max open files")] == [
        [str(4 * LIMIT), str(4 * LIMIT)]]


def test_past_the_cap_with_every_connection_busy_a_newcomer_gets_503(make_server) -> None:
    server = make_server(max_connections=3)
    busy = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(3)]
    try:
        for connection in busy:  # headers read, body still owed: a request in progress, not an idle connection
            connection.sendall(request("POST", "/v1/chat/completions", Content_Length="100",
                                       Content_Type="application/json", Expect="100-continue"))
            assert connection.recv(100).startswith(b"HTTP/1.1 100")  # the server has read the headers
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as newcomer:
            answer = parse(read_all(newcomer))
        assert answer.status == 503
        assert answer.json()["error"]["type"] == "server_error"
        assert answer.json()["error"]["code"] == "too_many_connections"
    finally:
        for connection in busy:
            connection.close()
    # the server sees the hang-ups on its next turns; a client retrying as the 503 asks then gets in
    assert wait_for(lambda: httpx.get(server.root_url + "/health", timeout=30).status_code == 200, 60)


def test_past_the_cap_the_longest_idle_connection_makes_room(make_server) -> None:
    server = make_server(max_connections=3)
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(3)]
    try:
        assert httpx.get(server.root_url + "/health", timeout=30).status_code == 200
        assert read_all(idle[0]) == b""  # closed by the server, without an answer
    finally:
        for connection in idle:
            connection.close()
