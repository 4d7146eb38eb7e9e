"""HTTP plumbing on Tornado's lowest public layer: one `Exchange` per request, no `RequestHandler`.

Tornado's `HTTPServer` parses the wire; an `Exchange` collects the request, asks the application for a
`Reply` and writes it: the rendered header block and the body in one write (a ready-made stream as one
chunk), while streams produced over time go out event by event. The `Server` delegate enforces client
timeouts with one periodic sweep. Measured on one core, skipping `RequestHandler` (its per-request setup,
header objects and output transforms) is what lets a synthetic answer beat a bare `RequestHandler` that
returns a fixed body, so the few things it gave us (routing, errors, streaming) live here and in `app.py`.
"""
from __future__ import annotations

import asyncio
import http.client
import inspect
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Protocol
from urllib.parse import parse_qsl

import orjson
from tornado import httputil, iostream
from tornado.ioloop import PeriodicCallback
from tornado.http1connection import HTTP1Connection

from dummy_openai_api.proxy.core.errors import APIError, bad_json
from dummy_openai_api.proxy.core.keys import writable

REASONS = {**http.client.responses, 429: "Too Many Requests"}


class Request:
    """What a client sent: the parsed start line, headers and the whole body."""

    __slots__ = ("method", "path", "query", "headers", "body", "remote_ip", "path_args", "started",
                 "_json", "context", "cassette", "generate", "finishing")

    def __init__(self, method: str, uri: str, headers: httputil.HTTPHeaders, body: bytes,
                 remote_ip: str = "") -> None:
        self.method = method
        path, _, self.query = uri.partition("?")
        self.path = path
        self.headers = headers
        self.body = body
        self.remote_ip = remote_ip
        self.path_args: dict[str, str] = {}
        self.started = time.perf_counter()
        self._json: Any = _UNPARSED
        self.context: dict[str, Any] = {}  # per-request notes: where the answer came from, the request id
        # The cassette this request reads and records to: its X-Cassette header, else the admin API's current
        # cassette (set once when it is routed; None: every cassette, recording to --record-to).
        self.cassette: str | None = None
        # While the answer chain (proxy.pipeline.chain) runs: the route's synthetic answer, its last source, and
        # the changes to whatever answer comes, in order (a stream fault, rate-limit headers; None: none yet).
        self.generate: Callable[[], Outcome] | None = None
        self.finishing: list[Callable[[Reply], Reply]] | None = None

    def json(self) -> Any:
        """The body parsed as JSON (cached); malformed JSON, or JSON nested too deep to handle, is the API's 400."""
        if self._json is _UNPARSED:
            try:
                self._json = orjson.loads(self.body) if self.body else None
            except orjson.JSONDecodeError:
                raise bad_json() from None
            if not writable(self.body, self._json):
                self._json = _UNPARSED
                raise bad_json()
        return self._json

    def query_args(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def finish_with(self, step: Callable[["Reply"], "Reply"]) -> None:
        """Have `step` change the answer, whichever source gives it."""
        if self.finishing is None:
            self.finishing = []
        self.finishing.append(step)


_UNPARSED = object()

SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
CLOSE_LINE = "Connection: close\r\n"  # Tornado closes after answering a client that asked; the answer says so
JSON_CONTENT_TYPE = "application/json"


@dataclass(slots=True)
class Reply:
    """What every source of answers returns: a status, headers, and a body or a stream of SSE bytes."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: AsyncIterator[bytes] | Iterable[bytes] | None = None
    source: str = "synthetic"
    content_type: str = JSON_CONTENT_TYPE

    @classmethod
    def json(cls, payload: Any, status: int = 200, **kwargs: Any) -> "Reply":
        return cls(status=status, body=orjson.dumps(payload), **kwargs)

    @classmethod
    def error(cls, error: APIError) -> "Reply":
        return cls(status=error.status, body=error.body(), headers=dict(error.headers), source="error")


# What a source of answers gives: a reply now, or one to await.
Outcome = Reply | Awaitable[Reply]


class Application(Protocol):
    max_body_size: int

    def handle(self, request: Request) -> Outcome: ...

    def finalize(self, request: Request, reply: Reply) -> str: ...

    def log(self, request: Request, status: int, source: str) -> None: ...

    def crashed(self, request: Request, exc: BaseException) -> Reply: ...


class Server(httputil.HTTPServerConnectionDelegate):
    """Hands each request on a connection to a fresh `Exchange`; closes connections whose client stalls.

    A client gets `client_timeout` seconds to send a request's headers, and again its body. One periodic
    sweep enforces that for every connection: Tornado's own header and body timeouts put two timers around
    every request, which cost 15% of a small answer's CPU.
    """

    def __init__(self, app: Application, client_timeout: float | None = None) -> None:
        self.app = app
        self.timeout = client_timeout
        self.deadlines: dict[Exchange, float] = {}  # exchanges waiting on their client -> when it is too late
        self.sweeper: PeriodicCallback | None = None
        # The streams of connections waiting for a request's headers, from the time they began to: the first
        # are closed when connections run out (proxy.server.connections). A new connection's entry is made on accept.
        self.idle: dict[iostream.IOStream, None] = {}

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> "Exchange":
        exchange = Exchange(self.app, request_conn, self)
        if isinstance(request_conn, HTTP1Connection):
            self.idle[request_conn.stream] = None
        self.waiting(exchange)
        return exchange

    def waiting(self, exchange: "Exchange") -> None:
        """`exchange` now waits on its client (for headers, then for the body)."""
        if self.timeout:
            self.deadlines[exchange] = time.monotonic() + self.timeout
            if self.sweeper is None:
                self.sweeper = PeriodicCallback(self.sweep, max(50.0, min(1000.0, self.timeout * 250)))
                self.sweeper.start()

    def done_waiting(self, exchange: "Exchange") -> None:
        self.deadlines.pop(exchange, None)

    def sweep(self) -> None:
        now = time.monotonic()
        for exchange in [e for e, deadline in self.deadlines.items() if deadline < now]:
            self.deadlines.pop(exchange, None)
            exchange.stalled()

    def stop(self) -> None:
        if self.sweeper is not None:
            self.sweeper.stop()


class Exchange(httputil.HTTPMessageDelegate):
    """One request/response on a connection."""

    def __init__(self, app: Application, conn: httputil.HTTPConnection, server: Server | None = None) -> None:
        self.app = app
        self.conn = conn
        self.server = server
        self.chunks: list[bytes] = []
        self.size = 0
        self.too_large = False
        self.closed = False
        self.task: asyncio.Future | None = None

    def headers_received(self, start_line: httputil.RequestStartLine,  # type: ignore[override]
                         headers: httputil.HTTPHeaders) -> Awaitable[None] | None:
        self.start_line, self.headers = start_line, headers
        if self.server is not None:
            self.server.idle.pop(getattr(self.conn, "stream", None), None)  # type: ignore[arg-type]
            self.server.waiting(self)  # the body's own deadline
        declared = headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.app.max_body_size:
            return self._refuse_body()  # before a byte of it is read
        return None

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.app.max_body_size:
            self.too_large, self.chunks = True, []  # keep reading (chunked bodies), stop buffering
        elif not self.too_large:
            self.chunks.append(chunk)

    def finish(self) -> None:
        if self.server is not None:
            self.server.done_waiting(self)
        request = self._request(b"".join(self.chunks))
        if self.too_large:
            self._write(request, Reply.error(body_too_large(self.app.max_body_size)))
            return
        try:
            reply = self.app.handle(request)
        except StreamAbort as abort:
            self._drop(request, abort)
            return
        except BaseException as exc:  # noqa: BLE001 - an answer must always go out
            reply = self.app.crashed(request, exc)
        if isinstance(reply, Reply) or not inspect.isawaitable(reply):  # the cheap test first: most answers
            self._write(request, reply)
        else:
            self.task = asyncio.ensure_future(self._respond_later(request, reply))

    def on_connection_close(self) -> None:
        self.closed = True
        if self.server is not None:
            self.server.done_waiting(self)

    def stalled(self) -> None:
        """The client took too long to send its request: drop the connection, as Tornado's timeouts would."""
        self._abort()

    def _request(self, body: bytes) -> Request:
        context = getattr(self.conn, "context", None)
        return Request(self.start_line.method, self.start_line.path, self.headers, body,
                       getattr(context, "remote_ip", "") or "")

    async def _respond_later(self, request: Request, pending: Awaitable[Reply]) -> None:
        try:
            reply = await pending
        except StreamAbort as abort:
            self._drop(request, abort)
            return
        except BaseException as exc:  # noqa: BLE001
            reply = self.app.crashed(request, exc)
        self._write(request, reply)

    def _drop(self, request: Request, abort: "StreamAbort") -> None:
        """No answer at all: the connection is closed as a failing network or gateway would."""
        self._abort()
        self.app.log(request, abort.status, abort.source)

    def _write(self, request: Request, reply: Reply) -> None:
        block = self.app.finalize(request, reply)
        if self._writes_raw(request, reply):
            if reply.stream is None:
                self._send(request, reply, f"{block}Content-Length: {len(reply.body)}\r\n", reply.body)
                return
            if not isinstance(reply.stream, AsyncIterator):  # ready-made: every event goes out at once
                payload = b"".join(reply.stream)
                framed = (b"%x\r\n%s\r\n" % (len(payload), payload) if payload else b"") + b"0\r\n\r\n"
                self._send(request, reply, f"{block}Transfer-Encoding: chunked\r\n", framed)
                return
        start = httputil.ResponseStartLine("HTTP/1.1", reply.status, REASONS.get(reply.status, "Unknown"))
        headers = httputil.HTTPHeaders.parse(block)
        if reply.stream is None:
            headers["Content-Length"] = str(len(reply.body))
            try:
                self.conn.write_headers(start, headers, reply.body)
                self.conn.finish()
            except (iostream.StreamClosedError, httputil.HTTPOutputError):
                self.closed = True
            self.app.log(request, reply.status, reply.source)
            return
        self.task = asyncio.ensure_future(self._stream(request, reply, start, headers))

    def _writes_raw(self, request: Request, reply: Reply) -> bool:
        """HTTP/1.1 answers with a body can skip Tornado's header rendering (HEAD, 1.0, 1xx/204/304 cannot)."""
        return (self.start_line.version == "HTTP/1.1" and request.method != "HEAD"
                and reply.status >= 200 and reply.status not in (204, 304))

    def _send(self, request: Request, reply: Reply, block: str, payload: bytes) -> None:
        """Status line, headers and body in one write, as HTTP1Connection.write allows for a rendered head."""
        headers = request.headers  # `in` first: HTTPHeaders.get of an absent name raises inside, at 3x the cost
        closing = CLOSE_LINE if "Connection" in headers and "close" in headers["Connection"].lower() else ""
        head = f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Unknown')}\r\n{block}{closing}\r\n"
        try:
            self.conn.write(head.encode("latin1", "replace") + payload)
            self.conn.finish()
        except (iostream.StreamClosedError, httputil.HTTPOutputError):
            self.closed = True
        self.app.log(request, reply.status, reply.source)

    async def _stream(self, request: Request, reply: Reply, start: httputil.ResponseStartLine,
                      headers: httputil.HTTPHeaders) -> None:
        """Write each chunk as it is produced; a client that goes away stops the producer."""
        outcome, aborted = reply.status, False
        try:
            await self.conn.write_headers(start, headers)
            if isinstance(reply.stream, AsyncIterator):
                async for chunk in reply.stream:
                    if self.closed:
                        break
                    await self.conn.write(chunk)
            else:
                await self._write_all(reply.stream)  # type: ignore[arg-type]
            if not self.closed:
                self.conn.finish()
        except (iostream.StreamClosedError, httputil.HTTPOutputError):
            self.closed = True
        except StreamAbort as abort:
            outcome, aborted = abort.status, True
            self._abort()
        except Exception as exc:  # noqa: BLE001 - headers are out: all we can do is cut the stream
            self.app.crashed(request, exc)
            self._abort()
        finally:
            await _close(reply.stream)
        self.app.log(request, outcome if aborted or not self.closed else 499, reply.source)

    async def _write_all(self, chunks: Iterable[bytes]) -> None:
        """A ready-made stream: write without waiting between chunks, then wait for the socket once."""
        pending = None
        for chunk in chunks:
            if self.closed:
                return
            pending = self.conn.write(chunk)
        if pending is not None:
            await pending

    def _abort(self) -> None:
        if isinstance(self.conn, HTTP1Connection) and self.conn.stream is not None:
            self.conn.stream.close()
        self.closed = True

    async def _refuse_body(self) -> None:
        request = self._request(b"")
        request.context["refused"] = True
        reply = Reply.error(body_too_large(self.app.max_body_size))
        reply.headers["Connection"] = "close"
        self.too_large = True
        headers = httputil.HTTPHeaders.parse(self.app.finalize(request, reply))
        headers["Content-Length"] = str(len(reply.body))
        start = httputil.ResponseStartLine("HTTP/1.1", 413, REASONS[413])
        try:
            await self.conn.write_headers(start, headers, reply.body)
        except iostream.StreamClosedError:
            pass
        self.app.log(request, 413, "error")
        if isinstance(self.conn, HTTP1Connection) and self.conn.stream is not None:
            self.conn.stream.close()


class StreamAbort(Exception):
    """Raised by a stream producer to cut the connection mid-stream (an upstream that broke off), or by a
    handler to close it without any answer (a simulated network failure); `status` is what the log shows."""

    def __init__(self, status: int = 502, source: str = "error") -> None:
        super().__init__(status)
        self.status = status
        self.source = source


async def _close(stream: Any) -> None:
    closer: Callable[[], Any] | None = getattr(stream, "aclose", None)
    if closer is not None:
        try:
            await closer()
        except Exception:  # noqa: BLE001 - the producer's cleanup must not mask the answer
            pass


def body_too_large(limit: int) -> APIError:
    return APIError(413, f"Request body too large. The maximum request body size is {limit} bytes.",
                    code="request_too_large")
