"""The references for bench.py: Tornado answering fixed bytes, as a `RequestHandler` or on its lowest layer.

    python baseline_server.py --port PORT --spec SPEC.json [--layer handler|delegate] [--uvloop]

SPEC.json is a list of routes: {"path": "/bench/chat", "body_file": "...", "content_type": "...",
"streamed": false, "headers": [[name, value], ...]}. Bodies are pre-read at start-up. GET /health
answers {"status": "ok"}. Nothing is parsed or checked (no key, no JSON). The access log is off.

--layer handler (the BASELINE): a bare `tornado.web.Application` with one `RequestHandler` per route
    that sets the Content-Type and writes the body; a streamed route flushes before finishing, so its
    bytes go out with chunked transfer encoding in one write like a real SSE stream.
--layer delegate (the CEILING): an `HTTPServerConnectionDelegate` (what our server is built on) that
    writes the route's complete answer, status line, every header our server sent (`headers`) and the
    body, as one pre-rendered block. No routing, no header objects, no work per request: the most any
    server on Tornado's HTTP1Connection can answer per second with the same bytes on the wire.
--uvloop runs either on uvloop's event loop (pip install uvloop; not a project dependency).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import tornado.web
from tornado import httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

HEALTH = (b'{"status":"ok"}', "application/json")


def fixed_handler(body: bytes, content_type: str, streamed: bool) -> type[tornado.web.RequestHandler]:
    """A handler class that answers `body` to GET and POST."""

    class Fixed(tornado.web.RequestHandler):
        async def get(self) -> None:
            self.set_header("Content-Type", content_type)
            self.write(body)
            if streamed:
                await self.flush()

        post = get

    return Fixed


def handler_app(spec: list[dict[str, Any]]) -> tornado.web.Application:
    table: list[tuple[str, type[tornado.web.RequestHandler]]] = [("/health", fixed_handler(*HEALTH, False))]
    for route in spec:
        body = Path(route["body_file"]).read_bytes()
        table.append((route["path"], fixed_handler(body, route["content_type"], bool(route["streamed"]))))
    return tornado.web.Application(table, log_function=lambda handler: None)


def rendered(route: dict[str, Any]) -> bytes:
    """The whole answer as bytes: status line, headers, body (one chunk + terminator when streamed)."""
    body = Path(route["body_file"]).read_bytes()
    lines = ["HTTP/1.1 200 OK", *(f"{name}: {value}" for name, value in route.get("headers") or [])]
    if not any(line.lower().startswith("content-type:") for line in lines):
        lines.append(f"Content-Type: {route['content_type']}")
    if route["streamed"]:
        lines.append("Transfer-Encoding: chunked")
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    else:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin1") + body


class Answer(httputil.HTTPMessageDelegate):
    def __init__(self, answers: dict[str, bytes], conn: httputil.HTTPConnection) -> None:
        self.answers, self.conn, self.path = answers, conn, ""

    def headers_received(self, start_line: Any, headers: httputil.HTTPHeaders) -> None:
        self.path = start_line.path

    def data_received(self, chunk: bytes) -> None:
        pass

    def finish(self) -> None:
        # Tornado documents writing a pre-encoded header block with write() (instead of write_headers).
        self.conn.write(self.answers.get(self.path) or self.answers["/health"])
        self.conn.finish()


class Delegate(httputil.HTTPServerConnectionDelegate):
    def __init__(self, spec: list[dict[str, Any]]) -> None:
        health = {"body_file": None, "content_type": HEALTH[1], "streamed": False}
        self.answers = {route["path"]: rendered(route) for route in spec}
        self.answers["/health"] = (f"HTTP/1.1 200 OK\r\nContent-Type: {health['content_type']}\r\n"
                                   f"Content-Length: {len(HEALTH[0])}\r\n\r\n").encode() + HEALTH[0]

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> Answer:
        return Answer(self.answers, request_conn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", required=True, help="JSON file: the routes and their bodies")
    parser.add_argument("--layer", choices=("handler", "delegate"), default="handler")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop's event loop")
    args = parser.parse_args()
    if args.uvloop:
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    spec = json.loads(Path(args.spec).read_text())
    if args.layer == "handler":
        handler_app(spec).listen(args.port, args.host)
    else:
        HTTPServer(Delegate(spec)).listen(args.port, args.host)
    loop = IOLoop.current()
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    try:
        loop.start()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
