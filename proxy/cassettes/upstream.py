"""Forwarding to a real OpenAI-compatible API, streaming through while recording.

A stream is passed to the client event by event as it arrives; the last event is held back until the whole
exchange is written to its cassette, so a client that saw a complete answer knows it was recorded. Failures
before the answer starts are 502/504 in the API's envelope, and so is a 2xx whose JSON does not parse. A
stream that breaks off, times out or sends an event that is not JSON ends with the API's mid-stream error
event (the SDK raises it). None of these is recorded, and a client that goes away ends the upstream exchange.
"""
from __future__ import annotations

import asyncio
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

import orjson
from tornado import httputil
from tornado.httpclient import HTTPRequest
from tornado.simple_httpclient import SimpleAsyncHTTPClient, _HTTPConnection

from dummy_openai_api.proxy.core import keys, sse
from dummy_openai_api.proxy.cassettes.formats import CassetteError, Interaction
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.cassettes.scrub import scrub_interaction

# Client headers not forwarded: framing is rebuilt, credentials are replaced, our own controls stay here.
NOT_FORWARDED = frozenset({"host", "connection", "content-length", "transfer-encoding", "accept-encoding",
                           "authorization", "api-key", "x-cassette", "x-mock-fault", "keep-alive", "te", "upgrade", "cookie",
                           "origin", "referer", "x-api-key", "proxy-authorization"})
NOT_PASSED_BACK = frozenset({"content-length", "transfer-encoding", "connection", "content-encoding",
                             "x-consumed-content-encoding", "set-cookie", "keep-alive", "server", "date",
                             "alt-svc", "cf-ray", "cf-cache-status", "strict-transport-security"})

Recorder = Callable[[str, Interaction, bool], object]
Preflight = Callable[[str], object]  # raises the APIError a recording into that cassette would meet
log = logging.getLogger("dummy_openai.upstream")


@dataclass(frozen=True)
class UpstreamOptions:
    base_url: str = "https://api.openai.com/v1"
    key: str = ""
    record_to: str = "recorded"
    record_errors: bool = False
    connect_timeout: float = 10.0
    request_timeout: float = 600.0
    client_key: str = ""  # the mock's own key: scrubbed from recordings too
    max_clients: int = 1000  # upstream requests in flight at once; more wait in Tornado's queue


def upstream_error(status: int, message: str, code: str) -> APIError:
    return APIError(status, message, type="server_error", code=code)


class _Exchange:
    """The state of one forwarded request: headers as they come, then the body's chunks."""

    def __init__(self) -> None:
        self.abandoned = False  # nobody is listening any more: end the upstream exchange
        self.status_line: httputil.ResponseStartLine | None = None
        self.headers = httputil.HTTPHeaders()
        self.headers_done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.chunks: asyncio.Queue[bytes | None] = asyncio.Queue()  # None: the exchange is over
        self.body = bytearray()
        self.started = time.perf_counter()
        self.ttfb_ms = 0.0
        self.event_gaps: list[float] = []
        self._last = self.started
        self._events_seen = 0

    def on_header(self, line: str) -> None:
        if self.status_line is None:
            self.status_line = httputil.parse_response_start_line(line.strip())
        elif line.strip():
            self.headers.parse_line(line)
        elif not self.headers_done.done():
            self.headers_done.set_result(None)

    def on_chunk(self, chunk: bytes) -> None:
        if self.abandoned:  # Tornado closes the upstream connection on an input error raised here, quietly
            raise httputil.HTTPInputError("the client went away")
        now = time.perf_counter()
        if not self.body:
            self.ttfb_ms = (now - self.started) * 1000
        self.body += chunk
        events = self.body.count(b"\n\n")  # events completed so far: time each by when it was whole
        for n in range(self._events_seen, events):
            self.event_gaps.append(round((now - self._last) * 1000, 3) if n == self._events_seen else 0.0)
        if events > self._events_seen:
            self._last, self._events_seen = now, events
        self.chunks.put_nowait(chunk)


class _Connection(_HTTPConnection):
    """Tornado's client connection, ending the fetch when the peer resets the connection mid-answer.

    Tornado 6.6 re-raises the socket error from `on_connection_close` there: it is logged as a crash and the
    fetch only ends at its timeout, so a reset stream would hang the client for `--upstream-timeout`.
    """

    def on_connection_close(self) -> None:
        if self.final_callback is not None and self.stream.error is not None:
            try:
                raise self.stream.error
            except Exception:  # noqa: BLE001 - handed to the fetch as its failure
                self._handle_exception(*sys.exc_info())
            return
        super().on_connection_close()


class _Client(SimpleAsyncHTTPClient):
    def _connection_class(self) -> type:
        return _Connection


class Upstream:
    """Forwards misses to the upstream API and hands finished exchanges to the recorder."""

    def __init__(self, options: UpstreamOptions, recorder: Recorder, preflight: Preflight | None = None) -> None:
        self.options = options
        self.recorder = recorder
        self.preflight = preflight
        self.client = _Client(force_instance=True, max_clients=options.max_clients)

    def url(self, request: Request) -> str:
        path = keys.api_path(request.path) or request.path
        return self.options.base_url.rstrip("/") + path + (f"?{request.query}" if request.query else "")

    def cassette_for(self, request: Request) -> str:
        """Where this request's exchange is recorded: its cassette (X-Cassette or the current one), else --record-to."""
        return request.cassette or self.options.record_to

    def headers(self, request: Request) -> dict[str, str]:
        headers = {k: v for k, v in request.headers.get_all() if k.lower() not in NOT_FORWARDED}
        if self.options.key:
            headers["Authorization"] = f"Bearer {self.options.key}"
        return headers

    async def forward(self, request: Request, refresh: bool = False) -> Reply:
        if self.preflight is not None:  # a bad cassette name or file fails before the upstream is paid
            self.preflight(self.cassette_for(request))
        exchange = _Exchange()
        fetch = asyncio.ensure_future(self.client.fetch(HTTPRequest(
            self.url(request), method=request.method, headers=self.headers(request),
            body=request.body if request.method in ("POST", "PUT", "PATCH") else None,
            allow_nonstandard_methods=True, header_callback=exchange.on_header,
            streaming_callback=exchange.on_chunk, connect_timeout=self.options.connect_timeout,
            request_timeout=self.options.request_timeout, decompress_response=True, follow_redirects=False,
        ), raise_error=False))  # non-2xx answers come back as answers; network failures still raise
        fetch.add_done_callback(lambda _: exchange.chunks.put_nowait(None))
        first: list[asyncio.Future[Any]] = [fetch, exchange.headers_done]
        await asyncio.wait(first, return_when=asyncio.FIRST_COMPLETED)
        if not exchange.headers_done.done():
            raise self._failure(fetch)
        status = exchange.status_line.code  # type: ignore[union-attr]
        headers = {k.lower(): v for k, v in exchange.headers.get_all() if k.lower() not in NOT_PASSED_BACK}
        content_type = headers.pop("content-type", "application/json")
        if "event-stream" in content_type:
            stream = self._stream_through(request, exchange, fetch, refresh)
            return Reply(status, b"", headers, stream=stream, source="upstream", content_type=content_type)
        await asyncio.wait([fetch])
        if fetch.exception() is not None:
            raise self._broken(fetch)
        if 200 <= status < 300 and "json" in content_type and not _parses(exchange.body):
            raise upstream_error(502, "The upstream API answered with a body that is not valid JSON.",
                                 "upstream_invalid_response")
        self._save(request, exchange, refresh)
        return Reply(status, bytes(exchange.body), headers, source="upstream", content_type=content_type)

    async def _stream_through(self, request: Request, exchange: _Exchange, fetch: asyncio.Future,
                              refresh: bool) -> AsyncIterator[bytes]:
        """Whole events as they complete, the last held back until recorded; a failure ends with an error event."""
        events, held = sse.EventBuffer(), None
        try:
            while (chunk := await exchange.chunks.get()) is not None:
                for event in events.feed(chunk):
                    if sse.malformed(event):
                        yield _error_event(_malformed_stream(), held)
                        return
                    if held is not None:
                        yield held
                    held = event
            if fetch.exception() is not None:
                yield _error_event(self._broken(fetch), held)
                return
            rest = events.rest()
            if rest.strip() and sse.malformed(rest):
                yield _error_event(_malformed_stream(), held)
                return
            try:
                self._save(request, exchange, refresh)
            except APIError as error:
                yield _error_event(error, None)
                return
            yield (held or b"") + rest
        finally:
            exchange.abandoned = True  # a client that left, or a failure: the upstream need not go on

    def _save(self, request: Request, exchange: _Exchange, refresh: bool) -> None:
        status = exchange.status_line.code  # type: ignore[union-attr]
        if status >= 400 and not self.options.record_errors:
            return
        interaction = Interaction(
            method=request.method, uri=self.url(request),
            request_headers={k.lower(): [v] for k, v in self.headers(request).items()},
            request_body=request.body, status=status, reason=exchange.status_line.reason,  # type: ignore
            response_headers={k.lower(): [v] for k, v in exchange.headers.get_all()
                              if k.lower() not in ("content-length", "transfer-encoding", "content-encoding",
                                                   "x-consumed-content-encoding")},
            response_body=bytes(exchange.body),
            extra={"timing": {"ttfb_ms": round(exchange.ttfb_ms, 3), "chunk_ms": exchange.event_gaps[1:]}},
        )
        secrets = (self.options.key, self.options.client_key)
        cassette = self.cassette_for(request)
        try:
            self.recorder(cassette, scrub_interaction(interaction, secrets), refresh)
        except (OSError, CassetteError) as error:
            log.error("could not record into %s: %s", cassette, error)
            raise APIError(500, f"The answer could not be recorded into cassette {cassette!r}: "
                                f"{getattr(error, 'strerror', None) or error}", type="server_error",
                           code="recording_failed") from None

    def _failure(self, fetch: asyncio.Future) -> APIError:
        """Before the answer started: unreachable (502) or too slow (504)."""
        reason = _reason(fetch)
        if _timed_out(reason):
            return upstream_error(504, f"The upstream API did not answer in time: {reason}", "upstream_timeout")
        return upstream_error(502, f"The upstream API could not be reached: {reason}", "upstream_unreachable")

    def _broken(self, fetch: asyncio.Future) -> APIError:
        """After the answer started: it broke off, grew over Tornado's body limit, or did not finish in time."""
        reason = _reason(fetch)
        if _timed_out(reason):
            return upstream_error(504, f"The upstream API did not finish its answer in time: {reason}",
                                  "upstream_timeout")
        return upstream_error(502, f"The upstream API broke off its answer: {reason}", "upstream_disconnected")


def _reason(fetch: asyncio.Future) -> str:
    error = fetch.exception() if fetch.done() else None
    if error is None:
        return "no response"
    text = str(error) or type(error).__name__
    return text.replace("\n", " ")[:300]


def _timed_out(reason: str) -> bool:
    return "timeout" in reason.lower() or "timed out" in reason.lower()


def _parses(body: bytes | bytearray) -> bool:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return True


def _malformed_stream() -> APIError:
    return upstream_error(502, "The upstream API sent a stream event that is not valid JSON.",
                          "upstream_invalid_response")


def _error_event(error: APIError, before: bytes | None) -> bytes:
    """The API's mid-stream error event, after the last whole event the client has not had yet."""
    return (before or b"") + sse.event(error.envelope())
