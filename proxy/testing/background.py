"""Run the server in a background thread with its own IO loop: for tests, fixtures and embedding in a program."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

from dummy_openai_api.proxy.server.app import App, listen, make_app
from dummy_openai_api.proxy.core.config import Settings


class BackgroundServer:
    """`with BackgroundServer(settings) as server:` serves on `server.base_url` until the block ends."""

    def __init__(self, settings: Settings | None = None, **changes: Any) -> None:
        self.settings = (settings or Settings(port=0)).replace(**changes)
        self.app: App | None = None
        self.port = 0
        self._loop: IOLoop | None = None
        self._server: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.host}:{self.port}/v1"

    @property
    def root_url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> "BackgroundServer":
        self._thread = threading.Thread(target=self._run, name="dummy-openai-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"server did not start within {timeout} s")
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        self._loop = IOLoop.current()
        try:
            self.app = app = make_app(self.settings)
            self._server, self.port = listen(app, self.settings.host, self.settings.port)
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._loop.add_callback(self._ready.set)
        self._loop.start()
        try:
            app.close()  # once the loop has stopped, as the command line's server does
        finally:
            self._loop.close(all_fds=True)

    def call(self, function: Any, *args: Any) -> Any:
        """Run `function(*args)` on the server's loop and wait for its result (for state the loop owns)."""
        if self._loop is None:
            raise RuntimeError("server not started")
        done = threading.Event()
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = function(*args)
            except BaseException as exc:  # noqa: BLE001
                box["error"] = exc
            done.set()
        self._loop.add_callback(run)
        done.wait(30)
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        loop, server = self._loop, self._server

        def shutdown() -> None:
            try:
                if server is not None:
                    server.stop()
            finally:
                loop.stop()
        loop.add_callback(shutdown)
        self._thread.join(30)
        self._loop = None

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
