"""proxy.validation.embeddings.embeddings_request: every check in the API's order, then one EmbeddingsRequest."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from dummy_openai_api.generators.catalog.models import EMBEDDING, Catalogue, Model
from dummy_openai_api.generators.embeddings.request import EmbeddingsRequest
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.services import ModelRegistry
from dummy_openai_api.proxy.validation.embeddings import embeddings_request


MODELS = ModelRegistry(Catalogue.default(), any_model=False)  # the server's own lookup


def model(name: str) -> Model:
    return MODELS.require(name, (EMBEDDING,), "/v1/embeddings")


def request(**fields: Any) -> EmbeddingsRequest:
    return embeddings_request({"model": "text-embedding-3-small", **fields}, model)


def test_one_text_is_one_input_with_the_models_dimensions() -> None:
    built = request(input="hello world")
    assert built.inputs == ("hello world",) and built.token_counts == (2,)
    assert built.dimensions == 1536 and not built.base64 and built.model.id == "text-embedding-3-small"


def test_token_arrays_become_tuples_and_count_as_their_length() -> None:
    assert request(input=[1, 2, 3]).inputs == ((1, 2, 3),)
    built = request(input=[[1, 2], [3]], dimensions=8, encoding_format="base64", user="u-1")
    assert built.inputs == ((1, 2), (3,)) and built.token_counts == (2, 1)
    assert built.dimensions == 8 and built.base64 and built.user == "u-1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.dimensions = 4  # type: ignore[misc]


def test_checks_keep_the_api_order() -> None:
    def refusal(body: dict[str, Any]) -> APIError:
        with pytest.raises(APIError) as caught:
            embeddings_request(body, model)
        return caught.value
    # the body's own fields, then the model, then the inputs, then dimensions against the model, then tokens
    assert refusal({"model": "nope", "input": [], "dimensions": 0}).param == "dimensions"
    assert refusal({"model": "nope", "input": []}).code == "model_not_found"
    assert "'$.input' is invalid" in refusal({"model": "text-embedding-ada-002", "input": [], "dimensions": 8}).message
    assert refusal({"model": "text-embedding-ada-002", "input": "x", "dimensions": 8}).param == "dimensions"
    assert refusal({"model": "text-embedding-3-small", "input": "w " * 9000}).message == \
        "Invalid 'input': maximum input length is 8192 tokens."
