"""pytest plugin: one Dummy OpenAI API server per test session, reset before each test that uses it.

Fixtures: `openai_mock` (the server: `base_url`, `api_key`, `journal`, `fault(...)`, `answer(...)`, `mode`),
`openai_client` and `async_openai_client` (the official SDK's clients pointed at it), and `openai_mock_server`
(the session's server, never reset).

Tests answer synthetically unless marked `@pytest.mark.openai_cassette` (name and `record_mode` optional): a
marked test replays and records its own cassette, in vcrpy's record mode from the marker, else
`--openai-record-mode` (default `none`: replay only). Before collection the plugin points OPENAI_BASE_URL,
OPENAI_API_KEY and the Azure variables at the server, so clients built at import time use it, and refuses
connections to the real API's hosts outside recording tests (proxy/testing/traffic_guard.py). The user's real key
(DUMMY_OPENAI_UPSTREAM_KEY, else the OPENAI_API_KEY the session started with) is the server's upstream key, for
recording only.

Only the standard library and pytest load with this module, and the server starts only in a session with a
test that uses it, so a project with no OpenAI test pays nothing and cannot fail because of it. Registered
through the `pytest11` entry point. It also points TIKTOKEN_CACHE_DIR at the official tokenizer files for the
session (unless already set), so client-side tiktoken works offline.
"""
from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generator, Iterator

import pytest

from dummy_openai_api.proxy import __version__
from dummy_openai_api.proxy.testing import record_modes, traffic_guard

if TYPE_CHECKING:
    import pluggy

    from dummy_openai_api.proxy.testing.mock_server import MockServer

MARKER = "openai_cassette"
FIXTURES = frozenset({"openai_mock", "openai_client", "async_openai_client", "openai_mock_server"})
DEFAULT_API_KEY = "sk-dummy"  # Settings.api_key's default, without importing the server's settings


@dataclass
class Launch:
    """The session's server: what it starts with, the port held for it, and the server or why it failed."""

    settings: dict[str, Any]
    subprocess: bool
    host: str
    reserved: socket.socket | None  # bound, not listening: clients get a quick refusal until the server runs
    port: int
    server: "MockServer | None" = None
    failure: str | None = None
    guard: traffic_guard.Guard | None = field(default=None, repr=False)

    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Start the server once; a failure is kept for the tests that need it, never raised here."""
        if self.server is not None or self.failure is not None:
            return
        if self.reserved is not None:
            self.reserved.close()
            self.reserved = None
        try:
            from dummy_openai_api.proxy.testing.mock_server import MockServer
            self.server = MockServer.start(subprocess=self.subprocess, **{**self.settings, "port": self.port})
        except Exception as exc:  # noqa: BLE001 - shown, in one line, by each test that uses the server
            self.failure = " ".join(str(exc).split())

    def running(self) -> "MockServer":
        self.start()
        if self.server is None:
            pytest.fail(f"the Dummy OpenAI API server did not start: {self.failure}", pytrace=False)
        return self.server

    def stop(self) -> None:
        if self.reserved is not None:
            self.reserved.close()
        if self.server is not None:
            with contextlib.suppress(Exception):  # a server that died must not turn the session's end into an error
                self.server.reset()  # lets requests held by a `timeout` fault go before the server stops
            self.server.stop()


LAUNCH = pytest.StashKey[Launch]()
PLAN = pytest.StashKey[record_modes.CassettePlan]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openai", "Dummy OpenAI API server")
    options = [
        ("record-mode", "none", "record mode of tests marked openai_cassette: none (replay only), once (record a "
                                "cassette that does not exist), new_episodes (record what is missing) or all"),
        ("mode", "", "the earlier option, a server mode for marked tests: replay, strict, record, record-all or "
                     "synthetic (--openai-record-mode wins)"),
        ("cassettes", "cassettes", "cassette directory, relative to the rootdir"),
        ("upstream", "", "the real API that recording forwards to (default: the server's)"),
        ("server", "thread", "run the server in a thread of this process, or in a subprocess (its own interpreter)"),
    ]
    for name, default, text in options:
        ini = "openai_" + name.replace("-", "_")
        group.addoption(f"--openai-{name}", dest=ini, default=None, help=f"{text} (ini {ini}, default {default!r})")
        parser.addini(ini, text, default=default)
    group.addoption("--openai-setting", dest="openai_setting", action="append", default=[], metavar="NAME=VALUE",
                    help="any other server setting, e.g. --openai-setting chaos_rate=0.1 (repeatable)")
    parser.addini("openai_settings", "server settings, one NAME=VALUE a line", type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(name=None, record_mode=None): replay and record this test's "
                                       "OpenAI calls in cassette NAME (default: <test module>/<test name>)")
    offline_tiktoken(config)
    launch = _launch(config)
    patch = pytest.MonkeyPatch()
    config.add_cleanup(launch.stop)
    config.add_cleanup(patch.undo)  # runs first: the environment is restored, then the server stops
    launch.guard = traffic_guard.install(patch, launch.root_url, launch.settings.get("api_key", DEFAULT_API_KEY))
    config.stash[LAUNCH] = launch


def offline_tiktoken(config: pytest.Config) -> None:
    """Client-side tiktoken (LangChain, LlamaIndex, the code under test) reads its BPE files from here instead
    of downloading them, for this session, unless the user chose a TIKTOKEN_CACHE_DIR already."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return
    cache = getattr(config, "cache", None)
    directory = cache.mkdir("dummy-openai-api-tiktoken") if cache is not None else Path(tempfile.mkdtemp())
    written = directory / f"written-by-{__version__}"  # then the files are there: no tokenizer import, no hashing
    try:
        if not written.is_file():
            from dummy_openai_api.proxy.launch.tiktoken_cache import write_cache
            write_cache(directory)
            written.touch()
    except (OSError, ImportError):
        return  # a read-only tree: tiktoken keeps its own behaviour
    os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)

    def forget() -> None:
        os.environ.pop("TIKTOKEN_CACHE_DIR", None)

    config.add_cleanup(forget)


def _option(config: pytest.Config, name: str) -> str:
    value = config.getoption(name)
    return value if value is not None else config.getini(name)


def _launch(config: pytest.Config) -> Launch:
    """The server's settings from the options, checked now so a mistake is one usage error; a port held."""
    kind = _option(config, "openai_server")
    if kind not in ("thread", "subprocess"):
        raise pytest.UsageError(f"--openai-server must be thread or subprocess, got {kind!r}")
    for name in ("record_mode", "mode"):
        if _option(config, f"openai_{name}"):
            _checked_record_mode(_option(config, f"openai_{name}"), "--openai-" + name.replace("_", "-"))
    settings = server_settings(config)
    port = int(settings.get("port") or 0)
    host = str(settings.get("host") or "127.0.0.1")
    if port:
        return Launch(settings, kind == "subprocess", host, None, port)
    reserved = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        reserved.bind((host, 0))
    except OSError as exc:  # the tests that use the server say so; the others run
        reserved.close()
        return Launch(settings, kind == "subprocess", host, None, 0, failure=f"no port free on {host}: {exc}")
    return Launch(settings, kind == "subprocess", host, reserved, reserved.getsockname()[1])


def server_settings(config: pytest.Config) -> dict[str, Any]:
    """Settings by field name. Names must be exactly a Settings field's; values are parsed by its parser."""
    cassettes = Path(_option(config, "openai_cassettes"))
    if not cassettes.is_absolute():
        cassettes = Path(config.rootpath) / cassettes
    raw = {"cassettes": str(cassettes)}
    if _option(config, "openai_upstream"):
        raw["upstream"] = _option(config, "openai_upstream")
    for pair in [*config.getini("openai_settings"), *config.getoption("openai_setting")]:
        name, sep, value = pair.partition("=")
        if not sep:
            raise pytest.UsageError(f"--openai-setting expects NAME=VALUE, got {pair!r}")
        if name.strip() == "mode":
            raise pytest.UsageError("--openai-setting mode: tests are synthetic unless marked openai_cassette; "
                                    "set the record mode with --openai-record-mode")
        raw[name.strip()] = value.strip()
    settings: dict[str, Any] = dict(raw)
    if set(raw) != {"cassettes"}:  # something to check: the settings' parsers load only then
        from dummy_openai_api.proxy.core.config import SettingsError
        from dummy_openai_api.proxy.testing.mock_server import typed_setting
        try:
            settings = {name: typed_setting(name, value) for name, value in raw.items()}
        except SettingsError as exc:
            raise pytest.UsageError(f"--openai-setting: {exc}") from None
    # The user's own key, read before the plugin points OPENAI_API_KEY at the mock, is what recording forwards.
    if key := upstream_key(settings):
        settings.setdefault("upstream_key", key)
    return {**settings, "mode": "synthetic"}  # unmarked tests; a marked test sets its own


def upstream_key(settings: dict[str, Any]) -> str:
    """The user's real key, read before the plugin points OPENAI_API_KEY at the mock: the server's own variable
    first, else OPENAI_API_KEY, unless that is only the mock's client key."""
    key = os.environ.get("DUMMY_OPENAI_UPSTREAM_KEY") or os.environ.get("OPENAI_API_KEY", "")
    return "" if key == settings.get("api_key", "sk-dummy") else key


def _checked_record_mode(value: str, origin: str) -> str:
    try:
        return record_modes.check_record_mode(value, origin)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the server before the first test when a test uses it, or the collected code imported the SDK (a
    client made at import time, used by tests without our fixtures); a session with neither starts nothing."""
    launch = session.config.stash.get(LAUNCH, None)
    if launch is None:
        return
    if launch.guard is not None and (blocked := launch.guard.take()):  # at import time: no test to fail
        session.config.issue_config_time_warning(pytest.PytestWarning(
            f"collecting the tests tried to reach the real OpenAI API ({', '.join(sorted(set(blocked)))}). "
            + traffic_guard.HOW_TO_FIX), stacklevel=2)
    if session.config.option.collectonly or not session.items:
        return
    if "openai" in sys.modules or any(FIXTURES.intersection(getattr(item, "fixturenames", ()))
                                      or item.get_closest_marker(MARKER) for item in session.items):
        launch.start()


@pytest.fixture(scope="session")
def openai_mock_server(pytestconfig: pytest.Config) -> "MockServer":
    """The session's server (started before the first test that needs it)."""
    return pytestconfig.stash[LAUNCH].running()


@pytest.fixture
def openai_mock(openai_mock_server: "MockServer", request: pytest.FixtureRequest,
                monkeypatch: pytest.MonkeyPatch) -> Iterator["MockServer"]:
    """The server, reset for this test, in the mode and cassette its marker asks for (synthetic without one)."""
    server, launch = openai_mock_server, request.config.stash[LAUNCH]
    server.reset()
    plan = record_modes.cassette_plan(request.node, Path(launch.settings["cassettes"]), MARKER)
    if plan is not None:
        request.node.stash[PLAN] = plan
        server.use_cassette(plan.name)  # for clients built from the environment, which send no X-Cassette
        server.mode = plan.mode
    for name, value in traffic_guard.environment(server.root_url, server.api_key).items():
        monkeypatch.setenv(name, value)  # again: the test may have changed them
    assert launch.guard is not None
    launch.guard.recording = plan is not None and plan.records
    yield server
    launch.guard.recording = False
    server.reset()  # a later test without the fixture (an import-time client) gets synthetic answers again


@pytest.fixture(autouse=True)
def _openai_cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    """A marked test gets its cassette even when it uses no fixture of ours (an import-time client); a test
    that pytest-recording records gets the user's own OPENAI_* variables back."""
    guard = request.config.stash[LAUNCH].guard
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("openai_mock")
    elif request.node.get_closest_marker("vcr") is not None and guard is not None:
        with traffic_guard.lifted(guard):
            yield
        return
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
        item: pytest.Item, call: pytest.CallInfo) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    """A test that tried to reach the real API fails, even if the code under test swallowed the error; a failed
    replay-only test says how to record what it missed."""
    outcome = yield
    report = outcome.get_result()
    launch = item.config.stash.get(LAUNCH, None)
    blocked = launch.guard.take() if launch is not None and launch.guard is not None else []
    if blocked:
        text = f"tried to reach the real OpenAI API ({', '.join(sorted(set(blocked)))}). {traffic_guard.HOW_TO_FIX}"
        if report.passed:
            report.outcome, report.longrepr = "failed", text
        else:
            report.sections.append(("real OpenAI API", text))
    plan = item.stash.get(PLAN, None)
    if report.when == "call" and report.failed and plan is not None and plan.mode == "strict":
        report.sections.append(("openai cassette", f"cassette {plan.name!r} replays only (record mode "
                                f"{plan.record_mode}); record what it lacks with --openai-record-mode=once (a "
                                "new cassette) or new_episodes, and OPENAI_API_KEY set to a real key"))


def _client_options(server: "MockServer") -> dict[str, Any]:
    return {"base_url": server.base_url, "api_key": server.api_key,
            "default_headers": {"X-Cassette": server.cassette} if server.cassette else None}


@pytest.fixture
def openai_client(openai_mock: "MockServer") -> Iterator[Any]:
    """`openai.OpenAI` pointed at the server (the SDK's default retries and timeouts)."""
    import openai
    with openai.OpenAI(**_client_options(openai_mock)) as client:
        yield client


@pytest.fixture
def async_openai_client(openai_mock: "MockServer") -> Any:
    """`openai.AsyncOpenAI` pointed at the server."""
    import openai
    return openai.AsyncOpenAI(**_client_options(openai_mock))
