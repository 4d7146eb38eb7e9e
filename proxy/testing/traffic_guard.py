"""A guard against real traffic in a test session: OpenAI's environment variables point at the mock, and a
name lookup of the real API's hosts fails unless the running test records.

The SDKs build their URL from OPENAI_BASE_URL (Azure: AZURE_OPENAI_ENDPOINT), so clients made anywhere, even at
import time, talk to the mock. A client given the real URL explicitly still has to resolve the host name first:
`socket.getaddrinfo` is where every Python HTTP client (httpx, requests, aiohttp, asyncio's loop) does that, so
the guard sits there, refuses only OpenAI's hosts, and lets everything else through. Attempts are kept so the
plugin fails the test even when the code under test swallows the connection error.
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
from typing import Any, Callable, Iterator

import pytest

REAL_HOSTS = re.compile(r"^(api\.openai\.com|[\w-]+\.openai\.azure\.com)\.?$", re.IGNORECASE)
HOW_TO_FIX = ("Tests reach OpenAI only through the Dummy OpenAI API mock: build the client without base_url "
              "(OPENAI_BASE_URL points at the mock) or use the openai_client fixture. To record real answers, mark "
              "the test @pytest.mark.openai_cassette and run pytest --openai-record-mode=once.")


class RealAPIBlocked(ConnectionRefusedError):
    """Raised where the host name would be looked up: HTTP clients report it as a failed connection."""


class Guard:
    """Refuses lookups of the real API's hosts unless `recording`; remembers each refused host."""

    def __init__(self, lookup: Callable[..., Any]) -> None:
        self.lookup = getattr(lookup, "__wrapped__", lookup)  # an outer session's guard is not asked again
        self.recording = False
        self.blocked: list[str] = []
        self.user_environment: dict[str, str | None] = {}  # the variables as they were before the plugin's
        self._lock = threading.Lock()

    def getaddrinfo(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not self.recording and REAL_HOSTS.match(name):
            with self._lock:
                self.blocked.append(name)
            raise RealAPIBlocked(f"blocked a connection to {name}. {HOW_TO_FIX}")
        return self.lookup(host, *args, **kwargs)

    def take(self) -> list[str]:
        """The hosts refused since the last call."""
        with self._lock:
            blocked, self.blocked = self.blocked, []
        return blocked


def install(patch: pytest.MonkeyPatch, root_url: str, api_key: str) -> Guard:
    """Point the SDKs' environment at the mock and guard name lookups, until `patch.undo()`."""
    guard = Guard(socket.getaddrinfo)
    patch.setattr(socket, "getaddrinfo", _wrapper(guard))
    variables = environment(root_url, api_key)
    guard.user_environment = {name: os.environ.get(name) for name in [*variables, "AZURE_OPENAI_AD_TOKEN"]}
    for name, value in variables.items():
        patch.setenv(name, value)
    patch.delenv("AZURE_OPENAI_AD_TOKEN", raising=False)  # a real credential the Azure client would prefer
    return guard


@contextlib.contextmanager
def lifted(guard: Guard) -> Iterator[None]:
    """The user's own variables and no host check, for a test that another tool records (pytest-recording's
    `vcr` marker): its cassettes hold the real API's URL, and in its `none` mode vcrpy itself refuses traffic."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in guard.user_environment.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        guard.recording = True
        try:
            yield
        finally:
            guard.recording = False


def _wrapper(guard: Guard) -> Callable[..., Any]:
    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        return guard.getaddrinfo(host, *args, **kwargs)
    getaddrinfo.__wrapped__ = guard.lookup  # type: ignore[attr-defined]
    return getaddrinfo


def environment(root_url: str, api_key: str) -> dict[str, str]:
    """What `OpenAI()` and `AzureOpenAI(api_version=...)` read to find the mock."""
    return {"OPENAI_BASE_URL": root_url + "/v1", "OPENAI_API_KEY": api_key,
            "AZURE_OPENAI_ENDPOINT": root_url, "AZURE_OPENAI_API_KEY": api_key}
