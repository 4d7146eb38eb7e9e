"""Legacy completions and moderations: one entry point each, every check, then a typed, frozen request."""
from __future__ import annotations

import dataclasses

import pytest

from dummy_openai_api.generators.catalog.models import COMPLETION, MODERATION, Catalogue, Model
from dummy_openai_api.generators.moderation import Input
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.services import ModelRegistry
from dummy_openai_api.proxy.validation.completions import completion_request
from dummy_openai_api.proxy.validation.moderations import moderation_request

MODELS = ModelRegistry(Catalogue.default(), any_model=False)  # the server's own lookup


def completion_model(name: str) -> Model:
    return MODELS.require(name, (COMPLETION,), "/v1/completions")


def moderation_model(name: str) -> Model:
    return MODELS.require(name, (MODERATION,), "/v1/moderations")


def test_a_completion_request_holds_tuples_and_how_it_travels() -> None:
    built = completion_request({"model": "davinci-002", "prompt": [[1, 2], [3]], "stream": True,
                                "stream_options": {"include_usage": True}, "stop": ["x", ""]}, completion_model)
    assert built.prompts == ((1, 2), (3,)) and built.stops == ("x",)
    assert built.stream and built.include_usage and built.model == "davinci-002"
    assert not completion_request({"model": "davinci-002", "prompt": "hi"}, completion_model).stream
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.n = 2  # type: ignore[misc]


def test_the_completion_model_is_checked_before_the_body() -> None:
    with pytest.raises(APIError) as caught:  # a chat model: the API's pointer to chat completions, not the n error
        completion_request({"model": "gpt-4o-mini", "prompt": "hi", "n": 0}, completion_model)
    assert "chat model" in caught.value.message


def test_a_moderation_request_holds_its_inputs() -> None:
    parts = [{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]
    built = moderation_request({"input": parts}, moderation_model)
    assert built.model == "omni-moderation-latest" and built.inputs == (Input(("hi",), ("https://x/y.png",)),)
    assert moderation_request({"input": ["a", "b"]}, moderation_model).inputs == (Input(("a",)), Input(("b",)))
    with pytest.raises(APIError) as caught:  # the legacy models read text only
        moderation_request({"model": "text-moderation-latest", "input": parts}, moderation_model)
    assert caught.value.param == "input" and caught.value.code == "invalid_value"
