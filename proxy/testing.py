"""The server as a test suite sees it: started in a thread or a subprocess, driven through the admin API.

`MockServer` is what the pytest plugin's `openai_mock` fixture is, and works without pytest too:

    with MockServer.start(mode="replay", cassettes="tests/cassettes") as mock:
        mock.fault("429", path="/v1/chat/completions", times=1)
        ...  # code under test, pointed at mock.base_url with mock.api_key
        assert mock.journal[-1].body["temperature"] == 0
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import httpx

from proxy.config import UPSTREAM_KEY_ENV, Settings, _env, parse_settings

READY_LINE = re.compile(r"Dummy OpenAI API on (http://\S+)/v1 ")


@dataclass(frozen=True)
class JournalEntry:
    """One request the server received, as the journal shows it (secrets removed)."""

    id: int
    method: str
    path: str
    query: str
    status: int | None  # None while the answer is still going out; 444 when the connection was dropped
    source: str  # synthetic, cassette:<name>, upstream, error, fault:<kind>, rule:<id>
    duration_ms: float | None
    request_id: str
    model: str | None
    stream: bool
    cassette: str | None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # the parsed JSON body (or its text)
    body_truncated: bool = False
    key_id: str | None = None
    request_key: str | None = None
    time: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "JournalEntry":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []

    @property
    def last_message(self) -> str:
        """The text of the last message sent (chat), or of the `input` (responses, embeddings)."""
        from proxy.rules import last_text  # the rule matcher's reading, so `contains` and asserts agree
        return last_text(self.body) if isinstance(self.body, dict) else ""


class Journal:
    """The server's journal, fetched fresh on each use: `len(journal)`, `journal[1]`, `journal.filter(...)`."""

    def __init__(self, server: "MockServer") -> None:
        self.server = server

    def filter(self, **filters: Any) -> list[JournalEntry]:
        """Entries matching method, path (`/v1/chat*`), status, source (`cassette`, `fault`), model, since."""
        params = {k: str(v) for k, v in filters.items() if v is not None}
        data = self.server.admin("GET", "/_mock/journal", params=params)["data"]
        return [JournalEntry.from_json(item) for item in data]

    def requests(self, path: str | None = None, **filters: Any) -> list[JournalEntry]:
        return self.filter(path=path, **filters)

    def clear(self) -> None:
        self.server.admin("DELETE", "/_mock/journal")

    @property
    def last(self) -> JournalEntry:
        entries = self.filter(limit=1)
        if not entries:
            raise IndexError("the journal is empty")
        return entries[0]

    def __len__(self) -> int:
        return len(self.filter())

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.filter())

    def __getitem__(self, index: int) -> JournalEntry:
        return self.filter()[index]

    def __repr__(self) -> str:
        return f"Journal({self.filter()!r})"


class MockServer:
    """A running server and the admin API's verbs: journal, fault, answer, mode, cassette, rate limits, reset."""

    def __init__(self, root_url: str, api_key: str, admin_key: str = "", stop: Any = None) -> None:
        self.root_url = root_url
        self.base_url = root_url + "/v1"
        self.api_key = api_key
        self._admin = httpx.Client(base_url=root_url, timeout=30,
                                   headers={"Authorization": f"Bearer {admin_key or api_key}"})
        self._stop = stop
        self.journal = Journal(self)
        self.cassette: str | None = None  # the current cassette (see use_cassette)

    # Starting and stopping -----------------------------------------------------------------------------

    @classmethod
    def start(cls, argv: Sequence[str] = (), subprocess: bool = False, **settings: Any) -> "MockServer":
        """A server on a free loopback port: `argv` as on the command line, then `settings` by field name."""
        args = ["--port", "0", "--access-log", "false", *argv, *_as_flags(settings)]
        parsed = parse_settings(args, {k: v for k, v in os.environ.items() if k == UPSTREAM_KEY_ENV})
        if subprocess:
            return _start_process(args, parsed)
        from proxy.background import BackgroundServer  # the server's modules only load for in-process use
        running = BackgroundServer(parsed).start()
        return cls(running.root_url, parsed.api_key, parsed.admin_key, stop=running.stop)

    def stop(self) -> None:
        self._admin.close()
        if self._stop is not None:
            self._stop()
            self._stop = None

    def __enter__(self) -> "MockServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # The admin API -------------------------------------------------------------------------------------

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self._admin.request(method, path, **kwargs)
        if answer.status_code >= 400:
            raise AdminError(answer.status_code, answer.text)
        return answer.json()

    def reset(self) -> None:
        """Journal, rules, rate limits, chaos, mode, current cassette and stored objects back to the start."""
        self.admin("POST", "/_mock/reset")
        self.cassette = None

    def fault(self, kind: str, *, path: str | None = None, times: int | None = None, **options: Any) -> dict:
        """`fault("429", path="/v1/chat/completions", times=2)`: the next 2 such requests get a 429.

        Options: method, model, contains (text in the last message), skip, retry_after, after, seconds.
        """
        return self.admin("POST", "/_mock/rules", json={"fault": kind, "path": path, "times": times, **options})

    def answer(self, reply: str | None = None, *, response: dict | None = None, contains: str | None = None,
               times: int | None = None, **options: Any) -> dict:
        """`answer("It is sunny.", contains="weather")`: chat requests whose last message has "weather" get it."""
        spec = {"reply": reply, "response": response, "contains": contains, "times": times, **options}
        return self.admin("POST", "/_mock/rules", json=spec)

    def clear_rules(self) -> None:
        self.admin("DELETE", "/_mock/rules")

    @property
    def mode(self) -> str:
        return self.admin("GET", "/_mock/mode")["mode"]

    @mode.setter
    def mode(self, mode: str) -> None:
        self.admin("POST", "/_mock/mode", json={"mode": mode})

    def use_cassette(self, name: str | None) -> None:
        """Requests without an X-Cassette header use cassette `name` (None: all cassettes)."""
        self.admin("PUT", "/_mock/cassettes/current", json={"cassette": name})
        self.cassette = name

    def reload_cassettes(self) -> dict:
        return self.admin("POST", "/_mock/cassettes/reload")

    def cassettes(self) -> dict:
        return self.admin("GET", "/_mock/cassettes")

    def counters(self) -> dict:
        return self.admin("GET", "/_mock/counters")

    def rate_limit(self, rpm: int | None = None, tpm: int | None = None) -> dict:
        """Per-key budgets from now on (until reset); 0 turns one off."""
        return self.admin("POST", "/_mock/ratelimits", json={"rpm": rpm, "tpm": tpm})

    def advance(self, seconds: float) -> dict:
        """Move the rate limiter's clock on: budgets refill as if `seconds` had passed."""
        return self.admin("POST", "/_mock/ratelimits", json={"advance_seconds": seconds})

    def environ(self) -> dict[str, str]:
        """What code under test (or a subprocess) needs to find this server with its own client."""
        return {"OPENAI_BASE_URL": self.base_url, "OPENAI_API_KEY": self.api_key}


class AdminError(RuntimeError):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"admin API answered {status}: {text}")
        self.status = status


def _as_flags(settings: dict[str, Any]) -> list[str]:
    flags = []
    for name, value in settings.items():
        if value is None:
            continue
        shown = ("true" if value else "false") if isinstance(value, bool) else str(getattr(value, "value", value))
        flags += ["--" + name.replace("_", "-"), shown]
    return flags


def _start_process(args: list[str], settings: Settings) -> MockServer:
    """This package's `main.py ARGS` in a new interpreter; ready when it logs its address."""
    root = str(Path(__file__).resolve().parents[1])
    # The package's directory goes first: a test suite's own `main.py` in the working directory must not win.
    launch = f"import sys; sys.path.insert(0, {root!r}); import main; sys.exit(main.main(sys.argv[1:]))"
    env = {k: v for k, v in os.environ.items() if k not in _SETTING_VARIABLES or k == UPSTREAM_KEY_ENV}
    process = subprocess.Popen([sys.executable, "-c", launch, *args], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    for line in process.stderr:  # type: ignore[union-attr]
        lines.append(line)
        found = READY_LINE.search(line)
        if found:
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return MockServer(found.group(1), settings.api_key, settings.admin_key,
                              stop=lambda: _end(process))
    process.wait()
    raise RuntimeError("the server did not start:\n" + "".join(lines[-20:]))


def _drain(process: subprocess.Popen) -> None:
    for _ in process.stderr:  # type: ignore[union-attr]
        pass


def _end(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_SETTING_VARIABLES = frozenset(_env(f) for f in dataclasses.fields(Settings))
