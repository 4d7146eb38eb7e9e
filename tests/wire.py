"""Raw HTTP/1.1 over a socket, for what no HTTP client will send: broken framing, stalls, hang-ups."""
from __future__ import annotations

import http.client
import io
import socket
from dataclasses import dataclass
from typing import Any

import orjson

from tests.conftest import KEY


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


class _Replay:
    """Just enough of a socket for `http.client.HTTPResponse` to parse bytes already received."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, *args: object, **kwargs: object) -> io.BytesIO:
        return io.BytesIO(self.data)


def parse(data: bytes) -> Answer:
    response = http.client.HTTPResponse(_Replay(data))  # type: ignore[arg-type]
    response.begin()
    return Answer(response.status, response.headers, response.read())


def request(method: str, path: str, body: bytes = b"", key: str | None = KEY, **headers: str) -> bytes:
    """A request's bytes; headers given as keyword arguments (underscores become dashes) are sent as they are."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if key is not None:
        lines.append(f"Authorization: Bearer {key}")
    if body and "Content_Length" not in headers and "Transfer_Encoding" not in headers:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def exchange(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Send `data`, then read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    received = bytearray()
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return bytes(received)
