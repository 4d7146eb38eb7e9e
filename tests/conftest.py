"""Shared fixtures: one real server per session on a free loopback port, the official SDK pointed at it."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import httpx._transports.default
import openai
import pytest

from dummy_openai_api.proxy.testing.background import BackgroundServer
from dummy_openai_api.proxy.core.config import Mode, Settings

ROOT = Path(__file__).resolve().parents[1]
# Shared material sits beside the repository, or beside the directory of its worktrees.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
KEY = "sk-dummy"

# Every client here speaks plain HTTP to loopback, yet each new httpx client (and so each SDK client) loads
# certifi's CA bundle into a fresh TLS context: 20 ms idle, 70-100 ms on a busy machine, for thousands of
# clients. One context, made once, serves them all.
httpx._transports.default.create_ssl_context = functools.lru_cache(maxsize=None)(  # type: ignore[attr-defined]
    httpx._transports.default.create_ssl_context)

# httpx gives up after 5 s unless told otherwise, and a raw client here often is not: on a busy shared machine a
# first answer (a process starting, a tokenizer loading) can take longer. Every client made without a timeout of
# its own waits up to 60 s instead (the defaults are copied when a client is made, so changing them here is enough).
for _part in ("connect", "read", "write", "pool"):
    setattr(httpx._config.DEFAULT_TIMEOUT_CONFIG, _part, 60.0)


def chat_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello there!"}]}
    body.update(changes)
    return body


def responses_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "gpt-4o-mini", "input": "What is the capital of France?"}
    body.update(changes)
    return body


def embeddings_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "text-embedding-3-small", "input": "The quick brown fox"}
    body.update(changes)
    return body


@pytest.fixture(scope="session")
def session_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False,
                        cassettes=str(tmp_path_factory.mktemp("no-cassettes")))
    with BackgroundServer(settings) as running:
        yield running


@pytest.fixture
def server(session_server: BackgroundServer, admin_session: httpx.Client) -> BackgroundServer:
    """The session's server, reset before each test: nothing one test changes or stores reaches the next."""
    admin_session.post("/_mock/reset").raise_for_status()
    return session_server


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., BackgroundServer]]:
    """Start an extra server with some settings changed; stopped when the test ends."""
    started: list[BackgroundServer] = []

    def start(**changes: Any) -> BackgroundServer:
        changes.setdefault("cassettes", str(tmp_path / "cassettes"))
        settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False).replace(**changes)
        running = BackgroundServer(settings).start()
        started.append(running)
        return running
    yield start
    for running in started:
        running.stop()


def sdk_client(server: BackgroundServer, **kwargs: Any) -> openai.OpenAI:
    kwargs.setdefault("api_key", KEY)
    kwargs.setdefault("_strict_response_validation", True)
    return openai.OpenAI(base_url=server.base_url, max_retries=0, **kwargs)


@pytest.fixture
def client(server: BackgroundServer) -> Iterator[openai.OpenAI]:
    with sdk_client(server) as sdk:
        yield sdk


@pytest.fixture
def async_client(server: BackgroundServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=server.base_url, api_key=KEY, max_retries=0,
                              _strict_response_validation=True)


@pytest.fixture
def http(server: BackgroundServer) -> Iterator[httpx.Client]:
    """Raw HTTP with the key set, for what the SDK hides: status codes, headers, error bodies."""
    with httpx.Client(base_url=server.root_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as raw:
        yield raw


@pytest.fixture(scope="session")
def admin_session(session_server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=session_server.root_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as raw:
        yield raw


@pytest.fixture
def admin(server: BackgroundServer, admin_session: httpx.Client) -> httpx.Client:
    """Raw HTTP to /_mock/ with the key, on the session's server (reset before the test, as `server` is)."""
    return admin_session


def journal(admin: httpx.Client, **filters: str) -> list[dict]:
    answer = admin.get("/_mock/journal", params=filters)
    answer.raise_for_status()
    return answer.json()["data"]
