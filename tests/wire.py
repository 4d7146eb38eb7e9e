"""Raw HTTP/1.1 over a socket, for what no HTTP client will send: broken framing, stalls, hang-ups."""
from __future__ import annotations

import asyncio
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


def parse(data: bytes, with_body: bool = True) -> Answer:
    response = http.client.HTTPResponse(_Replay(data))  # type: ignore[arg-type]
    response.begin()
    return Answer(response.status, response.headers, response.read() if with_body else b"")


def request(method: str, path: str, body: bytes = b"", key: str | None = KEY, **headers: str) -> bytes:
    """A request's bytes; headers given as keyword arguments (underscores become dashes) are sent as they are."""
    headers.setdefault("Connection", "close")
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if key is not None:
        lines.append(f"Authorization: Bearer {key}")
    if body and "Content_Length" not in headers and "Transfer_Encoding" not in headers:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def exchange(port: int, data: bytes, timeout: float = 60.0) -> bytes:
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


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams, for load tests: httpx's async pool, not the
    server, is the bottleneck past a few dozen concurrent connections."""

    def __init__(self, port: int, key: str = KEY) -> None:
        self.port = port
        self.key = key
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: Any = None, raw: bytes | None = None,
                      **headers: str) -> Answer:
        """Send a JSON `body` (or `raw` bytes) and read the whole answer; reconnects when the server closed."""
        payload = raw if raw is not None else orjson.dumps(body) if body is not None else b""
        if payload:
            headers.setdefault("Content_Type", "application/json")
        data = request(method, path, payload, key=self.key, Connection="keep-alive", **headers)
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(data)
        answer = await read_answer(reader)
        if answer.headers.get("Connection", "").lower() == "close":
            await self.close()
        return answer

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def read_answer(reader: asyncio.StreamReader) -> Answer:
    answer = parse(await reader.readuntil(b"\r\n\r\n"), with_body=False)
    if "Content-Length" in answer.headers:
        answer.body = await reader.readexactly(int(answer.headers["Content-Length"]))
    elif answer.headers.get("Transfer-Encoding", "").lower() == "chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        await reader.readuntil(b"\r\n")
        answer.body = b"".join(parts)
    return answer
