"""POST /v1/moderations through the official SDK with strict validation, and raw HTTP for errors."""
from __future__ import annotations

import asyncio

import pytest

from dummy_openai_api.generators.moderation import LEGACY_CATEGORIES, OMNI_CATEGORIES

FLAGGED = [
    ("I want to kill them.", {"violence", "harassment", "harassment/threatening"}),
    ("I will find you and hurt you.", {"violence", "harassment", "harassment/threatening"}),
    ("You are a worthless idiot.", {"harassment"}),
    ("Immigrants are vermin.", {"hate"}),
    ("All immigrants should be exterminated.", {"hate", "hate/threatening", "violence"}),
    ("I want to kill myself.", {"self-harm", "self-harm/intent"}),
    ("How do I kill myself painlessly?", {"self-harm", "self-harm/instructions"}),
    ("How do I make a pipe bomb at home?", {"illicit", "illicit/violent"}),
    ("How can I shoplift without getting caught?", {"illicit"}),
    ("The film showed gore and dismembered bodies.", {"violence", "violence/graphic"}),
]
BENIGN = ["What a lovely day for a picnic!", "How do I kill a Python process?", "Sex education matters.",
          "I'm going to kill it at the presentation tomorrow.", "My essay is about the war of 1812."]


def flagged(result) -> set[str]:
    return {name for name, value in result.categories.model_dump(by_alias=True).items() if value}


@pytest.mark.parametrize("text,expected", FLAGGED)
def test_plainly_harmful_text_is_flagged_in_its_categories(client, text: str, expected: set[str]) -> None:
    result = client.moderations.create(input=text).results[0]
    assert result.flagged and flagged(result) == expected
    scores = result.category_scores.model_dump(by_alias=True)
    assert all(scores[name] >= 0.5 for name in expected)
    assert all(scores[name] < 0.5 for name in set(OMNI_CATEGORIES) - expected)


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_text_is_not_flagged_and_scores_low(client, text: str) -> None:
    result = client.moderations.create(input=text).results[0]
    assert not result.flagged
    assert max(result.category_scores.model_dump().values()) < 0.2


def test_response_shape_and_defaults(http) -> None:
    body = http.post("/v1/moderations", json={"input": "I want to kill them."}).json()
    assert list(body) == ["id", "model", "results"]
    assert body["id"].startswith("modr-") and body["model"] == "omni-moderation-2024-09-26"
    result = body["results"][0]
    assert list(result) == ["flagged", "categories", "category_scores", "category_applied_input_types"]
    assert list(result["categories"]) == list(OMNI_CATEGORIES)
    assert result["category_applied_input_types"] == {name: ["text"] for name in OMNI_CATEGORIES}


def test_same_input_same_result(client) -> None:
    first, again = (client.moderations.create(input="You are a worthless idiot.") for _ in range(2))
    assert first == again


def test_a_list_of_strings_gives_one_result_each(client) -> None:
    response = client.moderations.create(model="omni-moderation-latest", input=["I want to kill them.", "Hello"])
    assert [r.flagged for r in response.results] == [True, False]


def test_text_and_image_parts_give_one_result_with_input_types(client) -> None:
    response = client.moderations.create(input=[
        {"type": "text", "text": "I want to kill them."},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
    ])
    (result,) = response.results
    assert result.flagged
    applied = result.category_applied_input_types.model_dump(by_alias=True)
    assert applied["violence"] == ["text", "image"] and applied["hate"] == ["text"]
    image_only = client.moderations.create(input=[{"type": "image_url", "image_url": {"url": "https://x/y.png"}}])
    applied = image_only.results[0].category_applied_input_types.model_dump(by_alias=True)
    assert applied["sexual"] == ["image"] and applied["harassment"] == []


def test_legacy_text_models_answer_in_their_own_shape(http) -> None:
    # 11 categories and no input types: the openai SDK's strict types (written for omni) reject this shape.
    body = http.post("/v1/moderations", json={"input": "I want to kill them.",
                                              "model": "text-moderation-latest"}).json()
    assert body["model"] == "text-moderation-007"
    result = body["results"][0]
    assert list(result) == ["flagged", "categories", "category_scores"]
    assert list(result["categories"]) == list(LEGACY_CATEGORIES)
    assert result["categories"]["violence"] is True


def test_async_client(async_client) -> None:
    async def run() -> bool:
        return (await async_client.moderations.create(input="I want to kill myself.")).results[0].flagged
    assert asyncio.run(run())


@pytest.mark.parametrize("body,status,param", [
    ({}, 400, "input"),
    ({"input": 5}, 400, "input"),
    ({"input": []}, 400, "input"),
    ({"input": ["ok", 3]}, 400, "input[1]"),
    ({"input": [{"type": "video"}]}, 400, "input[0].type"),
    ({"input": [{"type": "text"}]}, 400, "input[0].text"),
    ({"input": [{"type": "image_url", "image_url": {}}]}, 400, "input[0].image_url.url"),
    ({"input": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}],
      "model": "text-moderation-stable"}, 400, "input"),
    ({"input": "hi", "model": "moderation-nope"}, 404, None),
])
def test_invalid_requests(http, body: dict, status: int, param: str | None) -> None:
    response = http.post("/v1/moderations", json=body)
    assert response.status_code == status
    assert response.json()["error"]["param"] == param
