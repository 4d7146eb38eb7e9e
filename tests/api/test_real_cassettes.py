"""Real recordings from other projects replay through the official SDK exactly as recorded, file by file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
import orjson
import pytest

from dummy_openai_api.proxy.cassettes.formats import Interaction, read_cassette
from dummy_openai_api.proxy.cassettes.store import cassette_files
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.sse import looks_like_sse, split_events
from tests.conftest import KEY, SHARED

REAL = SHARED / "cassettes-real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (shared material not available)")
FILES = list(cassette_files(REAL)) if REAL.is_dir() else []


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    from dummy_openai_api.proxy.testing.background import BackgroundServer
    from dummy_openai_api.proxy.core.config import Settings
    settings = Settings(port=0, mode=Mode.STRICT, cassettes=str(REAL), access_log=False)
    with BackgroundServer(settings) as running:
        yield running


def test_every_file_loads(strict_server) -> None:
    store = strict_server.app.services.store
    assert store.errors == []
    assert len(store.paths) == len(FILES) >= 80
    assert store.size > 100


def events(body: bytes) -> list[Any]:
    """What the SDK's stream yields for a recorded SSE body: each event's JSON data, up to [DONE]."""
    parsed = []
    for event in split_events(body):
        data = "\n".join(line[5:].lstrip() for line in event.decode().splitlines() if line.startswith("data:"))
        if data.startswith("[DONE]"):
            break
        if data:
            parsed.append(orjson.loads(data))
    return parsed


def replay(client: openai.OpenAI, name: str, interaction: Interaction) -> Any:
    path = interaction.uri.split("/v1", 1)[1]
    options: dict[str, Any] = {"headers": {"X-Cassette": name}}
    if interaction.method == "GET":
        return client.get(path, cast_to=object, options=options)
    if interaction.method == "DELETE":
        return client.delete(path, cast_to=object, options=options)
    body = orjson.loads(interaction.request_body) if interaction.request_body else None
    if looks_like_sse(interaction.response_body) and interaction.status < 400:
        stream = client.post(path, body=body, cast_to=object, options=options, stream=True,
                             stream_cls=openai.Stream[object])
        return list(stream)
    return client.post(path, body=body, cast_to=object, options=options)


@pytest.mark.parametrize("name,path", FILES, ids=[name for name, _ in FILES])
def test_file_replays_through_the_sdk_as_recorded(strict_server, name: str, path: Path) -> None:
    interactions = [i for i in read_cassette(path) if i.uri.startswith("https://api.openai.com/")]
    if not interactions:
        pytest.skip("no api.openai.com interaction in this file")
    with openai.OpenAI(base_url=strict_server.base_url, api_key=KEY, max_retries=0) as client:
        for interaction in interactions:
            if interaction.status >= 400:
                with pytest.raises(openai.APIStatusError) as caught:
                    replay(client, name, interaction)
                assert caught.value.status_code == interaction.status
                assert caught.value.response.json() == orjson.loads(interaction.response_body)
            elif looks_like_sse(interaction.response_body):
                assert replay(client, name, interaction) == events(interaction.response_body)
            else:
                assert replay(client, name, interaction) == orjson.loads(interaction.response_body)
