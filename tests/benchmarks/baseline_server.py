"""The baseline for bench.py: a bare Tornado app, one `RequestHandler` per route, each answering fixed bytes.

    python baseline_server.py --port PORT --spec SPEC.json

SPEC.json is a list of routes: {"path": "/bench/chat", "body_file": "...", "content_type": "...",
"streamed": false}. A route answers GET and POST with the file's bytes, pre-read at start-up. A streamed
route writes its bytes in one go and flushes before finishing, so they go out with chunked transfer
encoding like a real SSE stream (no Content-Length). GET /health answers {"status": "ok"}. Nothing is
parsed or checked (no key, no JSON): it is the floor of what Tornado's `RequestHandler` costs per request.
The access log is off, as for our server in the benchmark.
"""
from __future__ import annotations

import argparse
import json
import signal
from pathlib import Path
from typing import Any

import tornado.web
from tornado.ioloop import IOLoop


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


def routes(spec: list[dict[str, Any]]) -> list[tuple[str, type[tornado.web.RequestHandler]]]:
    table: list[tuple[str, type[tornado.web.RequestHandler]]] = [
        ("/health", fixed_handler(b'{"status":"ok"}', "application/json", False))]
    for route in spec:
        body = Path(route["body_file"]).read_bytes()
        table.append((route["path"], fixed_handler(body, route["content_type"], bool(route["streamed"]))))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", required=True, help="JSON file: the routes and their bodies")
    args = parser.parse_args()
    spec = json.loads(Path(args.spec).read_text())
    app = tornado.web.Application(routes(spec), log_function=lambda handler: None)
    app.listen(args.port, args.host)
    loop = IOLoop.current()
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    try:
        loop.start()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
