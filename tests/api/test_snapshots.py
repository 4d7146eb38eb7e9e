"""Answers name the dated snapshot an alias is served by, as the API's do."""
from __future__ import annotations

import json

import pytest

from dummy_openai_api.generators.catalog.models import Catalogue
from dummy_openai_api.generators.catalog.snapshots import SNAPSHOTS
from tests.conftest import chat_body, responses_body


@pytest.mark.parametrize(("asked", "named"), [("gpt-4o", "gpt-4o-2024-08-06"), ("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
                                              ("gpt-4o-2024-11-20", "gpt-4o-2024-11-20"),
                                              ("chatgpt-4o-latest", "chatgpt-4o-latest")])
def test_chat_answers_and_their_chunks_name_the_snapshot(client, http, asked: str, named: str) -> None:
    assert client.chat.completions.create(**chat_body(model=asked)).model == named
    streamed = http.post("/v1/chat/completions", json=chat_body(model=asked, stream=True)).text
    models = {json.loads(line[6:])["model"] for line in streamed.splitlines() if line.startswith("data: {")}
    assert models == {named}


def test_responses_name_the_snapshot(client) -> None:
    response = client.responses.create(**responses_body(model="gpt-4.1"))
    assert response.model == "gpt-4.1-2025-04-14"
    assert client.responses.retrieve(response.id).model == "gpt-4.1-2025-04-14"


def test_every_snapshot_is_a_model_the_catalogue_knows() -> None:
    known = Catalogue.default().models
    assert all(alias in known for alias in SNAPSHOTS)
    assert [s for s in SNAPSHOTS.values() if s not in known] in ([], ["gpt-5.4-2026-03-05"])  # recorded, newer
