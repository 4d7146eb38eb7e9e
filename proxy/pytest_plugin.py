"""pytest plugin: one Dummy OpenAI API server per test session, reset before each test that uses it.

Fixtures: `openai_mock` (the server: `base_url`, `api_key`, `journal`, `fault(...)`, `answer(...)`, `mode`; it
also sets OPENAI_BASE_URL and OPENAI_API_KEY for the test), `openai_client` and `async_openai_client` (the
official SDK's clients pointed at it), and `openai_mock_server` (the session's server, never reset).

Options (command line, or ini without the dashes): `--openai-mode` (replay, strict, record, ...),
`--openai-cassettes DIR`, `--openai-upstream URL`, `--openai-server thread|subprocess`, and
`--openai-setting NAME=VALUE` for any other server setting. The marker `@pytest.mark.openai_cassette("name")`
puts a test's calls in one cassette: recorded there with `--openai-mode record`, replayed from it otherwise.
Registered through the `pytest11` entry point, so installing the package is enough. It also points
TIKTOKEN_CACHE_DIR at the official tokenizer files for the session (unless already set), so client-side
tiktoken works offline.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from proxy.tiktoken_cache import write_cache
from proxy.testing import MockServer

MARKER = "openai_cassette"
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]+")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openai", "Dummy OpenAI API server")
    options = [
        ("mode", "replay", "where answers come from: synthetic, replay, strict, record or record-all"),
        ("cassettes", "cassettes", "cassette directory, relative to the rootdir"),
        ("upstream", "", "the real API that record modes forward to (default: the server's)"),
        ("server", "thread", "run the server in a thread of this process, or in a subprocess (its own interpreter)"),
    ]
    for name, default, text in options:
        group.addoption(f"--openai-{name}", dest=f"openai_{name}", default=None,
                        help=f"{text} (ini openai_{name}, default {default!r})")
        parser.addini(f"openai_{name}", text, default=default)
    group.addoption("--openai-setting", dest="openai_setting", action="append", default=[], metavar="NAME=VALUE",
                    help="any other server setting, e.g. --openai-setting chaos_rate=0.1 (repeatable)")
    parser.addini("openai_settings", "server settings, one NAME=VALUE a line", type="linelist", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(name=None): record and replay this test's OpenAI calls in "
                                       "cassette NAME (default: <test module>/<test name>)")
    offline_tiktoken(config)


def offline_tiktoken(config: pytest.Config) -> None:
    """Client-side tiktoken (LangChain, LlamaIndex, the code under test) reads its BPE files from here instead
    of downloading them, for this session, unless the user chose a TIKTOKEN_CACHE_DIR already."""
    if os.environ.get("TIKTOKEN_CACHE_DIR"):
        return
    cache = getattr(config, "cache", None)
    directory = cache.mkdir("dummy-openai-api-tiktoken") if cache is not None else Path(tempfile.mkdtemp())
    try:
        write_cache(directory)
    except OSError:
        return  # a read-only tree: tiktoken keeps its own behaviour
    os.environ["TIKTOKEN_CACHE_DIR"] = str(directory)
    config.add_cleanup(lambda: os.environ.pop("TIKTOKEN_CACHE_DIR", None))


def _option(config: pytest.Config, name: str) -> str:
    value = config.getoption(f"openai_{name}")
    return value if value is not None else config.getini(f"openai_{name}")


def server_arguments(config: pytest.Config) -> list[str]:
    """The server's command line from the options and ini settings."""
    cassettes = Path(_option(config, "cassettes"))
    if not cassettes.is_absolute():
        cassettes = Path(config.rootpath) / cassettes
    argv = ["--mode", _option(config, "mode"), "--cassettes", str(cassettes)]
    if _option(config, "upstream"):
        argv += ["--upstream", _option(config, "upstream")]
    for pair in [*config.getini("openai_settings"), *config.getoption("openai_setting")]:
        name, sep, value = pair.partition("=")
        if not sep:
            raise pytest.UsageError(f"--openai-setting expects NAME=VALUE, got {pair!r}")
        argv += ["--" + name.strip().replace("_", "-"), value.strip()]
    return argv


@pytest.fixture(scope="session")
def openai_mock_server(pytestconfig: pytest.Config) -> Iterator[MockServer]:
    """The session's server, started before the first test that needs it."""
    kind = _option(pytestconfig, "server")
    if kind not in ("thread", "subprocess"):
        raise pytest.UsageError(f"--openai-server must be thread or subprocess, got {kind!r}")
    server = MockServer.start(server_arguments(pytestconfig), subprocess=kind == "subprocess")
    yield server
    server.reset()  # lets requests held by a `timeout` fault go before the server stops
    server.stop()


def cassette_for(item: pytest.Item) -> str | None:
    """The cassette a test's marker names, or one derived from its module and name for a bare marker."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return None
    name = marker.args[0] if marker.args else marker.kwargs.get("name")
    if not name:
        module = Path(str(item.path)).stem if hasattr(item, "path") else "tests"
        name = f"{module}/{item.name}"
    return UNSAFE_NAME.sub("_", str(name))


@pytest.fixture
def openai_mock(openai_mock_server: MockServer, request: pytest.FixtureRequest,
                monkeypatch: pytest.MonkeyPatch) -> MockServer:
    """The server, reset for this test, with its cassette chosen and OPENAI_* variables set."""
    server = openai_mock_server
    server.reset()
    cassette = cassette_for(request.node)
    if cassette is not None:
        server.use_cassette(cassette)  # for clients built from the environment, which send no X-Cassette
    for name, value in server.environ().items():
        monkeypatch.setenv(name, value)
    return server


def _client_options(server: MockServer) -> dict[str, Any]:
    return {"base_url": server.base_url, "api_key": server.api_key,
            "default_headers": {"X-Cassette": server.cassette} if server.cassette else None}


@pytest.fixture
def openai_client(openai_mock: MockServer) -> Iterator[Any]:
    """`openai.OpenAI` pointed at the server (the SDK's default retries and timeouts)."""
    import openai
    with openai.OpenAI(**_client_options(openai_mock)) as client:
        yield client


@pytest.fixture
def async_openai_client(openai_mock: MockServer) -> Any:
    """`openai.AsyncOpenAI` pointed at the server."""
    import openai
    return openai.AsyncOpenAI(**_client_options(openai_mock))
