"""The server as a test suite sees it: started in a thread or a subprocess, driven through the admin API.

`MockServer` is what the pytest plugin's `openai_mock` fixture is, and works without pytest too:

    with MockServer.start(mode="replay", cassettes="tests/cassettes") as mock:
        mock.fault("429", path="/v1/chat/completions", times=1)
        ...  # code under test, pointed at mock.base_url with mock.api_key
        assert mock.journal[-1].body["temperature"] == 0
"""
from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

# Only the standard library and proxy.core.config load with this module: the pytest plugin imports it in every
# user's session, where nothing beyond the install dependencies may be assumed.
from dummy_openai_api.proxy.core.config import Settings, SettingsError, _env, _shown, parse_settings


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
        from dummy_openai_api.proxy.pipeline.rules import last_text  # the rule matcher's reading, so `contains` and asserts agree
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
        self._admin_key = admin_key or api_key
        self._stop = stop
        self.journal = Journal(self)
        self.cassette: str | None = None  # the current cassette (see use_cassette)

    # Starting and stopping -----------------------------------------------------------------------------

    @classmethod
    def start(cls, argv: Sequence[str] = (), subprocess: bool = False, **settings: Any) -> "MockServer":
        """A server on a free loopback port: `argv` as on the command line, then `settings` by field name
        (values typed, or text as a flag takes it). The upstream key comes from its environment variable
        unless `upstream_key` is given."""
        parsed = server_settings(argv, settings)
        if subprocess:
            return _start_process(parsed)
        from dummy_openai_api.proxy.testing.background import BackgroundServer  # the server's modules only load for in-process use
        running = BackgroundServer(parsed).start()
        return cls(running.root_url, parsed.api_key, parsed.admin_key, stop=running.stop)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    def __enter__(self) -> "MockServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # The admin API -------------------------------------------------------------------------------------

    def admin(self, method: str, path: str, params: dict[str, str] | None = None, json: Any = None) -> Any:
        """One admin API call (urllib: the plugin may not assume any HTTP client is installed)."""
        url = self.root_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if json is None else _json_bytes(json)
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self._admin_key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return _json_loads(answer.read())
        except urllib.error.HTTPError as error:
            raise AdminError(error.code, error.read().decode(errors="replace")) from None

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


_json_loads = json.loads  # `admin` takes a parameter named json, as httpx's does


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_TEST_DEFAULTS = {"port": 0, "access_log": False}  # a free port, and no line per request in the test output


def typed_setting(name: str, value: Any) -> Any:
    """A setting's value as Settings holds it; text goes through the field's parser. SettingsError names the
    setting when the name is not exactly a field's, or the value does not parse."""
    if name not in _FIELDS:
        raise SettingsError(f"unknown setting {name!r}")
    if not isinstance(value, str):
        return value
    try:
        return _FIELDS[name].metadata["parse"](value)
    except ValueError as exc:
        raise SettingsError(f"invalid {name}={value!r}: {exc}") from None


def server_settings(argv: Sequence[str], settings: dict[str, Any]) -> Settings:
    """`argv` as on the command line (with the upstream key's variable from the environment), then `settings`."""
    key_variable = _env(_FIELDS["upstream_key"])
    parsed = parse_settings(list(argv), {k: v for k, v in os.environ.items() if k == key_variable})
    untouched = {k: v for k, v in _TEST_DEFAULTS.items() if getattr(parsed, k) == _FIELDS[k].default}
    typed = {name: typed_setting(name, value) for name, value in settings.items() if value is not None}
    return parsed.replace(**{**untouched, **typed})


def _environment_of(settings: Settings) -> dict[str, str]:
    """The settings as the server's environment variables: every value a flag would need, none on the command
    line (where the upstream key would show in `ps`)."""
    variables = {}
    for f in dataclasses.fields(Settings):
        value = getattr(settings, f.name)
        if value != f.default:
            many = isinstance(value, tuple) and any("," in str(v) for v in value)
            variables[_env(f)] = json.dumps(list(value)) if many else _shown(value)
    return variables


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


PORT_TRIES = 3  # a port chosen here was free when chosen; another process may bind it before the server does


class PortTaken(RuntimeError):
    """The server could not listen on its port: another process holds it."""


def _start_process(settings: Settings) -> MockServer:
    """The server's command line (`python -m dummy_openai_api.proxy.launch.cli`) in a new interpreter; ready when its
    /health answers with its pid. Only the installed package is imported: a `main.py` of the user's cannot win.
    With port 0 a free port is chosen here, and another one if someone else took it before the server could."""
    if settings.port != 0:
        return _run_process(settings)
    for _ in range(PORT_TRIES - 1):
        try:
            return _run_process(settings.replace(port=free_port(settings.host)))
        except PortTaken:
            continue  # taken since it was chosen: choose again
    return _run_process(settings.replace(port=free_port(settings.host)))


def _run_process(settings: Settings) -> MockServer:
    env = {k: v for k, v in os.environ.items() if k not in _SETTING_VARIABLES}
    process = subprocess.Popen([sys.executable, "-m", "dummy_openai_api.proxy.launch.cli"], env={**env, **_environment_of(settings)},
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    errors: list[str] = []
    draining = threading.Thread(target=_drain, args=(process, errors), daemon=True)
    draining.start()
    root_url = f"http://{settings.host}:{settings.port}"
    try:
        _wait_ready(process, root_url, errors)
    except RuntimeError:
        draining.join(30)  # what it said before it ended, all of it
        said = "".join(errors[-20:]).strip() or "no output"
        taken = "cannot listen on" in said
        raise (PortTaken if taken else RuntimeError)(f"the server did not start: {said}") from None
    return MockServer(root_url, settings.api_key, settings.admin_key, stop=lambda: _end(process))


def _wait_ready(process: subprocess.Popen, root_url: str, errors: list[str], timeout: float = 60.0) -> None:
    """Poll /health until this process answers it (not another one on the port), it exits, or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(root_url + "/health", timeout=2) as answer:
                if _json_loads(answer.read()).get("pid") == process.pid:
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    if process.poll() is None:
        _end(process)
    process.wait()
    raise RuntimeError("the server did not start: " + ("".join(errors[-20:]).strip() or "no output"))


def _drain(process: subprocess.Popen, lines: list[str]) -> None:
    for line in process.stderr:  # type: ignore[union-attr]
        lines.append(line)
        del lines[:-50]


def _end(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_SETTING_VARIABLES = frozenset(_env(f) for f in dataclasses.fields(Settings))
