"""Embeddings: the body, the inputs (texts or token arrays), `dimensions` and the token limits.

`embeddings_request` is the one entry point: it runs every check in the API's order and returns the typed,
frozen `EmbeddingsRequest` the generator takes.
"""
from __future__ import annotations

from typing import Any, Callable

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.embeddings.request import EmbeddingsRequest
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import bounded, model_name, one_of, typed

MAX_EMBEDDING_INPUTS = 2048
MAX_TOKENS_PER_INPUT = 8192
MAX_TOKENS_PER_REQUEST = 300_000
_INVALID_INPUT = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."


def embeddings_request(body: dict[str, Any], resolve: Callable[[str], Model]) -> EmbeddingsRequest:
    """An embeddings body, checked as the API checks it, as the `EmbeddingsRequest` the generator takes.

    `resolve` finds the model by name (refusing unknown ones) after the body's own fields and before the inputs.
    This runs in the synthetic source only, after the cassette and upstream sources: a recording of a request
    this server would refuse still replays, and record mode forwards it to get the real API's error.
    """
    model_name(body)
    if body.get("input") is None:
        raise APIError(400, "Please submit an `input`.")
    encoding = one_of(body, "encoding_format", ("float", "base64"))
    bounded(body, "dimensions", "integer", 1, None)
    typed(body, "user", "string")
    model = resolve(body["model"])
    inputs = embedding_inputs(body["input"])
    dimensions = embedding_dimensions(body, model)
    counts = tuple(tokens.count(item, model.id) if isinstance(item, str) else len(item) for item in inputs)
    embedding_token_limits(counts, single=inputs is not body["input"])
    return EmbeddingsRequest(model, body["model"], tuple(i if isinstance(i, str) else tuple(i) for i in inputs),
                             counts, dimensions, encoding == "base64", body.get("user"))


def embedding_inputs(value: Any) -> list[str | list[int]]:
    """`input` as a list of texts or token arrays; empty or mixed inputs are the API's 400."""
    if isinstance(value, str):
        items: list[Any] = [value]
    elif not isinstance(value, list):
        raise APIError(400, _INVALID_INPUT)
    elif value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        items = [value]  # one token array
    else:
        items = value
    if not isinstance(items, list) or not items:
        raise APIError(400, _INVALID_INPUT)
    if len(items) > MAX_EMBEDDING_INPUTS:
        raise APIError(400, f"Invalid 'input': array length must be {MAX_EMBEDDING_INPUTS} or less.")
    for item in items:
        if isinstance(item, str):
            ok = bool(item)
        else:
            ok = isinstance(item, list) and bool(item) and all(
                isinstance(t, int) and not isinstance(t, bool) and t >= 0 for t in item)
        if not ok:
            raise APIError(400, _INVALID_INPUT)
    return items


def embedding_dimensions(body: dict[str, Any], model: Any) -> int:
    dims = body.get("dimensions")
    if dims is None:
        return model.embedding_size
    if "ada-002" in model.id:
        raise APIError(400, "This model does not support specifying dimensions.", param="dimensions")
    if dims > model.embedding_size:
        raise APIError(400, f"Invalid value for 'dimensions' = {dims}. Must be less than or equal to "
                            f"{model.embedding_size}.", param="dimensions")
    return dims


def embedding_token_limits(counts: tuple[int, ...], single: bool) -> None:
    for index, count in enumerate(counts):
        if count > MAX_TOKENS_PER_INPUT:
            where = "input" if single else f"input[{index}]"
            raise APIError(400, f"Invalid '{where}': maximum input length is {MAX_TOKENS_PER_INPUT} tokens.")
    total = sum(counts)
    if total > MAX_TOKENS_PER_REQUEST:
        raise APIError(400, f"Requested {total} tokens, max {MAX_TOKENS_PER_REQUEST} tokens per request",
                       type="max_tokens_per_request", code="max_tokens_per_request")
