"""Prototype speed-ups, applied to our server at start-up so they can be measured side by side.

    python variants.py --patch uvloop,rawhead -- --mode synthetic --access-log false --port 8000

Starts `main.py` with the named patches applied first (none of them changes the project's files). Each
patch is a candidate change to the core, kept here so its effect can be measured against the unpatched
server in the same benchmark run (bench.py `--variants`). The numbers decide which ones move into the core.

Patches:
  accesslog  no change: the access log switched on (the default), to price it
  uvloop     run Tornado on uvloop's event loop instead of asyncio's default one
  rawhead    write the status line and headers as one pre-rendered block (`HTTP1Connection.write` with a
             header block, which Tornado documents as allowed) instead of building `HTTPHeaders` and
             letting `write_headers` render, encode and check every line
  sse1write  a ready-made (unpaced) stream goes out in one write with the headers, synchronously: no
             asyncio task, no future per event
  nobodytimeout  no body timeout (listen() sets 300 s): Tornado wraps every body read in a timer otherwise
  notimeouts no body timeout and no idle-connection timeout: no timer at all per request
  fastlog    the access log as one preformatted line written to a buffered stderr (flushed each second)
             instead of a `logging` call, and switched on
  keycache   cassette lookups remember raw request bytes -> request key (bounded), skipping the JSON
             parse, canonical re-serialization and sha256 for a repeated request
  fasttokens `tokens.count`/`encoding_for` through a lock-free model -> Encoding dict, and plain text-only
             chat prompts counted in one expression (generators/tokens.py)
  workers    `--workers N` (0: one per core): the listening socket bound, then `fork_processes`, then
             the server built and the tokenizers loaded in each worker; with REUSEPORT=1 in the
             environment each worker binds its own SO_REUSEPORT socket instead of sharing one
  protocol   serve on an asyncio.Protocol with httptools instead of Tornado's HTTP1Connection (a measuring
             prototype: no flow control, timeouts or body limit); includes rawhead's header rendering
  chatcache  a synthetic chat answer's serialized body is kept per request digest and rebuilt only when
             its `created` second changes
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PATCHES: dict[str, Callable[[], None]] = {}


def patch(function: Callable[[], None]) -> Callable[[], None]:
    PATCHES[function.__name__] = function
    return function


@patch
def accesslog() -> None:
    """The setting as it is: one `logging` call per request (main() turns --access-log on)."""


@patch
def uvloop() -> None:
    import uvloop as uv
    asyncio.set_event_loop_policy(uv.EventLoopPolicy())


# --- rawhead ----------------------------------------------------------------------------------------------

@patch
def rawhead() -> None:
    from tornado import httputil, iostream

    from proxy import app as app_module
    from proxy import http

    def head_block(app: Any, request: http.Request, reply: http.Reply, length: int | None) -> bytes:
        headers = app.finalize(request, reply)
        lines = [f"HTTP/1.1 {reply.status} {http.REASONS.get(reply.status, 'Unknown')}"]
        lines += [f"{name}: {value}" for name, value in headers.get_all()]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin1")

    static_api = "".join(f"\r\n{k}: {v}" for k, v in
                         [("openai-version", app_module.OPENAI_VERSION), *app_module.RATE_LIMIT_HEADERS.items()])
    static_cors = f"\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: {app_module.CORS_EXPOSE_HEADERS}"

    def fast_head(app: Any, request: http.Request, reply: http.Reply, length: int | None) -> bytes:
        """The common case rendered from pre-built text; anything unusual goes the general way."""
        if request.method == "OPTIONS" or "*" not in app.settings.cors_origins or not request.context.get("api", True):
            return head_block(app, request, reply, length)
        elapsed = int((time.perf_counter() - request.started) * 1000)
        parts = [f"HTTP/1.1 {reply.status} {http.REASONS.get(reply.status, 'Unknown')}\r\nContent-Type: "
                 f"{reply.content_type}\r\nx-request-id: {request.context.get('request_id', '')}{static_api}"
                 f"\r\nopenai-processing-ms: {elapsed}{static_cors}"]
        for name, value in reply.headers.items():
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
                return head_block(app, request, reply, length)
            parts.append(f"\r\n{name}: {value}")
        if length is not None:
            parts.append(f"\r\nContent-Length: {length}")
        if request.headers.get("Connection", "").lower() == "close":
            parts.append("\r\nConnection: close")
        parts.append("\r\n\r\n")
        return "".join(parts).encode("latin1")

    original = http.Exchange._write

    def _write(self: http.Exchange, request: http.Request, reply: http.Reply) -> None:
        if reply.stream is not None or self.start_line.version != "HTTP/1.1" or request.method == "HEAD":
            return original(self, request, reply)
        try:
            self.conn.write(fast_head(self.app, request, reply, len(reply.body)) + reply.body)
            self.conn.finish()
        except (iostream.StreamClosedError, httputil.HTTPOutputError):
            self.closed = True
        self.app.log(request, reply.status, reply.source)

    http.Exchange._write = _write
    http.fast_head = fast_head  # for sse1write


# --- sse1write ---------------------------------------------------------------------------------------------

@patch
def sse1write() -> None:
    from collections.abc import AsyncIterator

    from tornado import httputil, iostream

    from proxy import http

    original = http.Exchange._write

    def _write(self: http.Exchange, request: http.Request, reply: http.Reply) -> None:
        if reply.stream is None or isinstance(reply.stream, AsyncIterator):
            return original(self, request, reply)
        payload = b"".join(reply.stream)
        headers = self.app.finalize(request, reply)
        start = httputil.ResponseStartLine("HTTP/1.1", reply.status, http.REASONS.get(reply.status, "Unknown"))
        try:
            self.conn.write_headers(start, headers, payload)  # chunked: one chunk holds every event
            self.conn.finish()
        except (iostream.StreamClosedError, httputil.HTTPOutputError):
            self.closed = True
        self.app.log(request, reply.status, reply.source)

    http.Exchange._write = _write


# --- timeouts ----------------------------------------------------------------------------------------------

def _server_params(**changes: Any) -> None:
    """Change HTTP1ConnectionParameters of the server `proxy.app.listen` builds."""
    from proxy import app as app_module

    original = app_module.listen

    def listen(app: Any, host: str, port: int) -> Any:
        server, bound = original(app, host, port)
        for name, value in changes.items():
            setattr(server.conn_params, name, value)
        return server, bound

    app_module.listen = listen


@patch
def nobodytimeout() -> None:
    _server_params(body_timeout=None)  # Tornado then skips gen.with_timeout (a timer) around each body read


@patch
def notimeouts() -> None:
    _server_params(body_timeout=None, header_timeout=None)  # and around each wait for the next request


# --- fastlog -----------------------------------------------------------------------------------------------

@patch
def fastlog() -> None:
    from tornado.ioloop import PeriodicCallback

    from proxy import app as app_module

    out = open(sys.stderr.fileno(), "w", buffering=1 << 16, closefd=False)
    started: list[PeriodicCallback] = []

    def log(self: Any, request: Any, status: int, source: str) -> None:
        if not started:
            started.append(PeriodicCallback(out.flush, 1000))
            started[0].start()
        elapsed = (time.perf_counter() - request.started) * 1000
        out.write(f"{time.strftime('%H:%M:%S')} {request.method} {request.path} {status} {source} {elapsed:.1f}ms\n")

    app_module.App.log = log


# --- keycache ----------------------------------------------------------------------------------------------

@patch
def keycache() -> None:
    from proxy import cassettes

    original = cassettes.CassetteStore.request_key
    limit = 4096

    def request_key(self: Any, request: Any) -> tuple[str, str, Any]:
        cache = self.__dict__.setdefault("_key_cache", {})
        memo = (request.method, request.path, request.query, request.body)
        found = cache.get(memo)
        if found is None:
            found = original(self, request)
            if len(cache) >= limit:
                cache.pop(next(iter(cache)))
            cache[memo] = found
        return found

    cassettes.CassetteStore.request_key = request_key


# --- chatcache ---------------------------------------------------------------------------------------------

@patch
def chatcache() -> None:
    import orjson

    from generators import chat
    from proxy.handlers import chat as chat_handler
    from proxy.http import Reply

    bodies: dict[tuple[str, int], bytes] = {}

    def synthesize(self: Any) -> Any:
        from generators.models import CHAT
        from proxy import sse
        from proxy.validation.chat import chat_limits, chat_request
        body = chat_request(self.body())
        model = self.model(body["model"], CHAT)
        completion = self.services.chat.complete(body, model)
        chat_limits(body, model, completion.prompt_tokens)
        if not body.get("stream"):
            delay = self.services.pace.whole_answer(completion.id)
            memo = (completion.id, completion.created)
            data = bodies.get(memo)
            if data is None:
                if len(bodies) > 1024:
                    bodies.clear()
                data = bodies[memo] = orjson.dumps(chat.completion_body(completion))
            return self.later(Reply(body=data), delay)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [sse.event(c) for c in chat.completion_chunks(completion, model.id, include_usage)]
        return self.event_stream([*events, sse.DONE], completion.id)

    chat_handler.ChatCompletions.synthesize = synthesize


# --- fasttokens ---------------------------------------------------------------------------------------------

@patch
def fasttokens() -> None:
    from generators import tokens

    by_model: dict[str, Any] = {}  # model -> Encoding, without the lock once loaded

    def encoding_for(model: str) -> Any:
        found = by_model.get(model)
        if found is None:
            found = tokens.encoding(tokens.encoding_name_for(model))
            if len(by_model) < 4096:
                by_model[model] = found
        return found

    def count(text: str, model: str) -> int:
        return len((by_model.get(model) or encoding_for(model)).encode_ordinary(text))

    general = tokens.count_chat_prompt

    def count_chat_prompt(messages: list[dict[str, Any]], model: str, tools: list[dict] | None = None) -> int:
        """Plain {role, content: str} messages without tools in one expression; anything else the general way."""
        if tools or not all(len(m) == 2 and type(m.get("content")) is str and type(m.get("role")) is str
                            for m in messages):
            return general(messages, model, tools)
        encode = encoding_for(model).encode_ordinary
        return sum(len(encode(m["role"])) + len(encode(m["content"])) for m in messages) + 3 * len(messages) + 3

    tokens.encoding_for, tokens.count, tokens.count_chat_prompt = encoding_for, count, count_chat_prompt


# --- protocol ----------------------------------------------------------------------------------------------

@patch
def protocol() -> None:
    """Serve on an asyncio.Protocol with httptools (C, llhttp) instead of Tornado's HTTP1Connection.

    A measuring prototype, not a server: no flow control, no timeouts, no body limit, HTTP/1.1 only;
    answers of awaitable replies are written in request order by pausing reading meanwhile.
    """
    from collections.abc import AsyncIterator

    import httptools

    from proxy import app as app_module
    from proxy import http

    rawhead()  # for http.fast_head
    fast_head = http.fast_head

    class Headers(dict):
        """Lower-cased names; `.get` in any case, as handlers call it."""

        def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
            return dict.get(self, name.lower(), default)

        def get_all(self) -> Any:
            return self.items()

    class Protocol(asyncio.Protocol):
        def __init__(self, app: Any) -> None:
            self.app, self.parser, self.transport = app, httptools.HttpRequestParser(self), None

        def connection_made(self, transport: Any) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self.transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                self.transport.close()

        def on_message_begin(self) -> None:
            self.url, self.headers, self.body = b"", Headers(), []

        def on_url(self, url: bytes) -> None:
            self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.headers[name.decode("latin1").lower()] = value.decode("latin1")

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            request = http.Request(self.parser.get_method().decode(), self.url.decode("latin1"), self.headers,
                                   b"".join(self.body))
            keep = self.parser.should_keep_alive()
            try:
                reply = self.app.handle(request)
            except BaseException as exc:  # noqa: BLE001
                reply = self.app.crashed(request, exc)
            if isinstance(reply, http.Reply) and not isinstance(reply.stream, AsyncIterator):
                self.write(request, reply, keep)
            else:
                self.transport.pause_reading()
                asyncio.ensure_future(self.later(request, reply, keep))

        async def later(self, request: Any, pending: Any, keep: bool) -> None:
            try:
                reply = await pending if not isinstance(pending, http.Reply) else pending
            except BaseException as exc:  # noqa: BLE001
                reply = self.app.crashed(request, exc)
            if isinstance(reply.stream, AsyncIterator):
                self.transport.write(fast_head(self.app, request, reply, None)[:-2] + b"Transfer-Encoding: chunked\r\n\r\n")
                async for chunk in reply.stream:
                    self.transport.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.transport.write(b"0\r\n\r\n")
                self.app.log(request, reply.status, reply.source)
            else:
                self.write(request, reply, keep)
            self.transport.resume_reading()

        def write(self, request: Any, reply: Any, keep: bool) -> None:
            if reply.stream is None:
                self.transport.write(fast_head(self.app, request, reply, len(reply.body)) + reply.body)
            else:  # a ready stream: every event in one chunk
                payload = b"".join(reply.stream)
                self.transport.write(fast_head(self.app, request, reply, None)[:-2] + b"Transfer-Encoding: chunked\r\n\r\n"
                                     + b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload))
            self.app.log(request, reply.status, reply.source)
            if not keep:
                self.transport.close()

    def listen(app: Any, host: str, port: int) -> tuple[Any, int]:
        from tornado.ioloop import IOLoop
        loop = IOLoop.current().asyncio_loop  # type: ignore[attr-defined]
        server = loop.run_until_complete(loop.create_server(lambda: Protocol(app), host, port))
        return server, server.sockets[0].getsockname()[1]

    app_module.listen = listen


# --- workers -------------------------------------------------------------------------------------------------

@patch
def workers() -> None:
    """`--workers N` (0 = one per core): bind, fork, then build the server and start the tokenizer thread."""
    from tornado import process
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    from generators import tokens
    from proxy import app as app_module

    preload = tokens.preload
    tokens.preload = lambda: None  # no thread may exist when the process forks

    def listen(app: Any, host: str, port: int) -> tuple[HTTPServer, int]:
        count = int(os.environ.get("WORKERS", "1"))
        reuse = os.environ.get("REUSEPORT") == "1" and count != 1
        sockets = bind_sockets(port, host)  # one listening socket, inherited by every worker
        if reuse:  # instead, one socket per worker on the same port: the kernel spreads connections evenly
            port = sockets[0].getsockname()[1]
            for sock in sockets:
                sock.close()
        if count != 1:
            process.fork_processes(count or None, max_restarts=0)
        if reuse:
            sockets = bind_sockets(port, host, reuse_port=True)
        preload()
        server = HTTPServer(app_module.Server(app), max_body_size=app_module.MAX_WIRE_BODY,
                            idle_connection_timeout=300, body_timeout=300)
        server.add_sockets(sockets)
        return server, sockets[0].getsockname()[1]

    app_module.listen = listen


def take_workers(server_args: list[str]) -> list[str]:
    """`--workers N` is not a setting yet: the workers patch reads it from WORKERS."""
    if "--workers" in server_args:
        at = server_args.index("--workers")
        os.environ["WORKERS"] = server_args[at + 1]
        return server_args[:at] + server_args[at + 2:]
    return server_args


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patch", default="", help="comma-separated patch names: " + ", ".join(PATCHES))
    parser.add_argument("server_args", nargs=argparse.REMAINDER, help="-- then main.py's arguments")
    args = parser.parse_args()
    for name in filter(None, (n.strip() for n in args.patch.split(","))):
        if name not in PATCHES:
            parser.error(f"unknown patch {name!r}; known: {', '.join(PATCHES)}")
        PATCHES[name]()
    os.chdir(ROOT)
    import main as server_main
    logging.getLogger("dummy_openai").info("patches: %s", args.patch or "(none)")
    server_args = args.server_args[1:] if args.server_args[:1] == ["--"] else args.server_args
    if {"accesslog", "fastlog"} & set(args.patch.split(",")):
        server_args = [*server_args, "--access-log", "true"]  # the last occurrence of a flag wins
    return server_main.main(take_workers(server_args))


if __name__ == "__main__":
    sys.exit(main())
