"""The vector store, file search and fine-tuning tests again, on a server whose stores are on a shared backend
(`--state sqlite:///...`): the shared twins answer exactly as the memory stores do, the handlers cannot tell.

Each test of those modules is collected here under its module's name; the server they are given is this
module's own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import httpx
import openai
import pytest

from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.testing.background import BackgroundServer
from tests.api import test_file_search, test_fine_tuning, test_vector_stores
from tests.conftest import KEY

# It moves a store's clock back by changing the memory store's object in place.
IN_MEMORY_ONLY = {"test_an_expired_store_says_so_and_refuses_search"}


@pytest.fixture(scope="module")
def session_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    directory: Path = tmp_path_factory.mktemp("shared-state")
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=str(directory / "cassettes"),
                        state=f"sqlite:///{directory}/state.db")
    with BackgroundServer(settings) as running:
        yield running


@pytest.fixture(scope="module")
def admin_session(session_server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=session_server.root_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as raw:
        yield raw


def _collect(module: Any) -> None:
    for name, value in vars(module).items():
        if name.startswith("test_") and callable(value) and name not in IN_MEMORY_ONLY:
            globals()[f"test_{module.__name__.rsplit('.', 1)[-1][5:]}__{name[5:]}"] = value
        elif hasattr(value, "_pytestfixturefunction") or type(value).__name__ == "FixtureFunctionDefinition":
            globals()[name] = value  # `clean`, `library`, `store`: the same for every module that has one


for _module in (test_vector_stores, test_file_search, test_fine_tuning):
    _collect(_module)


def test_an_expired_shared_store_says_so_and_refuses_search(client: openai.OpenAI, server: BackgroundServer) -> None:
    """The memory test's twin: the store's `last_active_at` is moved two days back on the backend."""
    store = client.vector_stores.create(name="old", expires_after={"anchor": "last_active_at", "days": 1})

    def two_days_back(record: dict[str, Any]) -> dict[str, Any]:
        record["object"]["last_active_at"] -= 2 * 86400
        return record
    server.app.services.vector_stores.table.update(store.id, two_days_back)  # type: ignore[attr-defined]
    assert client.vector_stores.retrieve(store.id).status == "expired"
    with pytest.raises(openai.BadRequestError, match="has expired"):
        client.vector_stores.search(store.id, query="anything")


def test_chat_with_a_catalogue_model_reads_nothing_of_the_fine_tuned_models(client: openai.OpenAI,
                                                                            server: BackgroundServer,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Chat's request path makes no backend round trip for the model: the catalogue is looked at first, and
    the fine-tuned models are kept by the process once read."""
    backend = server.app.services.vector_stores.backend  # type: ignore[attr-defined]
    read: list[str] = []
    get, values = backend.get, backend.values
    monkeypatch.setattr(backend, "get", lambda table, key: read.append(table) or get(table, key))
    monkeypatch.setattr(backend, "values", lambda table: read.append(table) or values(table))
    for _ in range(5):
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
    assert read == []
    for _ in range(5):
        with pytest.raises(openai.NotFoundError):
            client.chat.completions.create(model="ft:gpt-4o-mini-2024-07-18:dummy-org::none", messages=[
                {"role": "user", "content": "Hi"}])
    assert read.count("fine_tuned_models") <= 1  # looked for among the fine-tuned models, read once at most
