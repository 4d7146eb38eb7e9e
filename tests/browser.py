"""Headless Chromium driven over the Chrome DevTools protocol (a websocket; no extra packages)."""
from __future__ import annotations

import itertools
import json
import os
import re
import signal
import shutil
import subprocess
import tempfile
import threading
from typing import Any

import httpx
from tornado.websocket import WebSocketClientConnection, websocket_connect

from tests.processes import wait_for

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-port=0",
         "--window-size=1280,900"]
LISTENING = re.compile(r"DevTools listening on (ws://[^\s]+)")


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Browser:
    """`with Browser() as browser:` a headless Chromium with a fresh profile; `page()` opens a DevTools session."""

    def __init__(self, *flags: str) -> None:
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("no chromium")
        # Chromium's helper processes may still write to the profile as they exit: cleaning it up is best effort.
        self.profile = tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True)
        self.process = subprocess.Popen([binary, *FLAGS, *flags, f"--user-data-dir={self.profile.name}",
                                         "about:blank"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        self.endpoint = self._wait_for_devtools()

    def _wait_for_devtools(self) -> str:
        lines = []
        for line in self.process.stderr:  # type: ignore[union-attr]
            lines.append(line)
            found = LISTENING.search(line)
            if found:
                threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()
                return found.group(1)
        raise RuntimeError("chromium did not start:\n" + "".join(lines[-20:]))

    def page_url(self) -> str:
        """The websocket of the first tab (polled: Chromium may say DevTools listens before its tab is open)."""
        host = self.endpoint.split("/")[2]

        def first_tab() -> str | None:
            targets = httpx.get(f"http://{host}/json/list", timeout=30).json()
            return next((t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"), None)
        found = wait_for(first_tab, 60)
        assert found, "chromium opened no tab"
        return str(found)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the browser and every helper process it started
        except ProcessLookupError:
            pass
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.profile.cleanup()


class Page:
    """One DevTools session: `await page.call(method, **params)`; events are kept in `page.events`."""

    def __init__(self, connection: WebSocketClientConnection) -> None:
        self.connection = connection
        self.events: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    @classmethod
    async def open(cls, url: str) -> "Page":
        return cls(await websocket_connect(url, max_message_size=64 * 1024 * 1024))

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        await self.connection.write_message(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            text = await self.connection.read_message()
            if text is None:
                raise RuntimeError("the browser closed the DevTools connection")
            message = json.loads(text)
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited when it is a promise); page errors are raised."""
        result = await self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(str(params["entry"]))
        return found

    def close(self) -> None:
        self.connection.close()


def until(condition: str, timeout_ms: int = 60000) -> str:
    """JavaScript that waits (in the page) until `condition` is truthy, then gives its value."""
    return (f"new Promise((resolve, reject) => {{ const end = Date.now() + {timeout_ms}; const check = () => {{ "
            f"let value; try {{ value = ({condition}); }} catch (e) {{ value = undefined; }} "
            f"if (value) resolve(value); else if (Date.now() > end) reject(new Error('timed out: ' + "
            f"{json.dumps(condition)})); else setTimeout(check, 50); }}; check(); }})")
