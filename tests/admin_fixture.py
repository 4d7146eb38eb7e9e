"""The admin API of the session's server, reset after each test that uses it (import the fixture to use it)."""
from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from proxy.background import BackgroundServer
from tests.conftest import KEY


@pytest.fixture(scope="session")
def admin_session(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.root_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as raw:
        yield raw


@pytest.fixture
def admin(admin_session: httpx.Client) -> Iterator[httpx.Client]:
    """Raw HTTP to /_mock/ with the key; the server is reset before and after, so tests leave nothing behind."""
    admin_session.post("/_mock/reset").raise_for_status()
    yield admin_session
    admin_session.post("/_mock/reset").raise_for_status()


def journal(admin: httpx.Client, **filters: str) -> list[dict]:
    answer = admin.get("/_mock/journal", params=filters)
    answer.raise_for_status()
    return answer.json()["data"]
