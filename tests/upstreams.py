"""A small misbehaving upstream for record-mode tests: a real Tornado server on loopback, in a thread."""
from __future__ import annotations

import asyncio
import socket
import struct
import threading
from typing import Any, Iterator

import orjson
from tornado.ioloop import IOLoop
from tornado.iostream import IOStream, StreamClosedError
from tornado.netutil import bind_sockets
from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from tests.cassette_factory import completion_json, stream_body


class Scenario(RequestHandler):
    """Behaves as the `X-Scenario` header asks: ok, stream, slow, cut, invalid-json, endless, error, echo-key,
    reset, reset-mid-stream, stall-mid-stream, malformed-sse, empty-json, transcription, image."""

    seen: list[dict[str, Any]] = []
    closed: list[str] = []  # scenarios whose client (our server) closed the connection on them

    async def post(self, path: str) -> None:
        scenario = self.request.headers.get("X-Scenario", "ok")
        Scenario.seen.append({"path": path, "scenario": scenario, "headers": dict(self.request.headers),
                              "body": self.request.body})
        await getattr(self, "_" + scenario.replace("-", "_"))()

    async def _ok(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("x-request-id", "req_upstream")
        self.set_header("openai-organization", "org-secret")
        self.write(completion_json("from the upstream"))

    async def _stream(self) -> None:
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        for event in stream_body(["up", "stream", "ed"]).split(b"\n\n")[:-1]:
            self.write(event + b"\n\n")
            await self.flush()
            await asyncio.sleep(0.01)

    async def _slow(self) -> None:
        await asyncio.sleep(5)
        await self._ok()

    async def _cut(self) -> None:
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.write(stream_body(["partial"]).split(b"\n\n")[0] + b"\n\n")
        await self.flush()
        self.request.connection.stream.close()

    async def _invalid_json(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(b"{this is not json")

    async def _endless(self) -> None:
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        try:
            while True:
                self.write(b'data: {"choices": []}\n\n')
                await self.flush()
                await asyncio.sleep(0.01)
        except StreamClosedError:
            Scenario.closed.append("endless")

    async def _reset(self) -> None:
        _reset(self.request.connection.stream)

    async def _reset_mid_stream(self) -> None:
        await self._first_event()
        _reset(self.request.connection.stream)

    async def _stall_mid_stream(self) -> None:
        await self._first_event()
        await asyncio.sleep(30)

    async def _malformed_sse(self) -> None:
        await self._first_event()
        self.write(b"data: {this is not json\n\n" + b"data: [DONE]\n\n")

    async def _empty_json(self) -> None:
        self.set_header("Content-Type", "application/json")

    async def _first_event(self) -> None:
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.write(stream_body(["first"]).split(b"\n\n")[0] + b"\n\n")
        await self.flush()

    async def _transcription(self) -> None:
        """`POST /audio/transcriptions` as the API answers it (json format), numbered so a replay shows which."""
        self.set_header("Content-Type", "application/json")
        self.write({"text": f"transcription {len(Scenario.seen)}", "usage": {"type": "duration", "seconds": 1}})

    async def _image(self) -> None:
        """`POST /images/edits` as the API answers it (b64_json), numbered so a replay shows which."""
        self.set_header("Content-Type", "application/json")
        self.write({"created": 1760000000, "data": [{"b64_json": f"aW1hZ2U{len(Scenario.seen)}"}]})

    async def _error(self) -> None:
        self.set_status(500)
        self.set_header("Content-Type", "application/json")
        self.write({"error": {"message": "The server had an error", "type": "server_error", "param": None,
                              "code": None}})

    async def _echo_key(self) -> None:
        """Puts the credential it got into the body, as a careless upstream might."""
        self.set_header("Content-Type", "application/json")
        key = self.request.headers.get("Authorization", "")
        self.write(orjson.dumps({**completion_json(f"you sent {key}"), "api_key": key[7:]}))


def _reset(stream: IOStream) -> None:
    """Close with a TCP reset (SO_LINGER 0) instead of an orderly shutdown."""
    stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    stream.close()


def unanswered_port() -> Iterator[int]:
    """A port whose connections never complete: a listener with a full backlog that never accepts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname())  # takes the one backlog slot
    try:
        yield listener.getsockname()[1]
    finally:
        filler.close()
        listener.close()


class ScenarioServer:
    def __init__(self) -> None:
        self.port = 0
        self._ready = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> "ScenarioServer":
        threading.Thread(target=self._run, daemon=True).start()
        assert self._ready.wait(60)  # a bound against a hang: a busy machine may take seconds to start a thread
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = IOLoop.current()
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self.server = HTTPServer(Application([(r"/v1/(.*)", Scenario)]))
        self.server.add_sockets(sockets)
        self.loop.add_callback(self._ready.set)
        self.loop.start()

    def __exit__(self, *exc: object) -> None:
        self.loop.add_callback(lambda: (self.server.stop(), self.loop.stop()))
