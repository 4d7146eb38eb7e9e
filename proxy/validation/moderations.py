"""Moderations: the model and the inputs (strings, or content parts of text and image URLs).

`moderation_request` is the one entry point: it runs every check in the API's order and returns the typed,
frozen `ModerationRequest` the generator takes.
"""
from __future__ import annotations

from typing import Any, Callable

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.chat.completion import request_digest
from dummy_openai_api.generators.moderation import Input, ModerationRequest
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import array_too_long, empty_array, invalid_type, invalid_value, required, typed

MODERATION_PART_TYPES = ("text", "image_url")
# Ours: the API documents no count, and each input costs the classifier about half a millisecond. The same
# bound as an embeddings or completions batch.
MAX_MODERATION_INPUTS = 2048
MAX_MODERATION_CHARS = 262_144  # ours too: the classifier reads about a million characters in four seconds


def moderation_request(body: dict[str, Any], resolve: Callable[[str], Model]) -> ModerationRequest:
    """A moderations body, checked as the API checks it, as the `ModerationRequest` the generator takes.

    `resolve` finds the model by name (refusing unknown ones) before the inputs are read. This runs in the
    synthetic source only, after the cassette and upstream sources: a recording of a request this server would
    refuse still replays, and record mode forwards it to get the real API's error.
    """
    model = resolve(moderation_model(body))
    inputs = tuple(Input(tuple(texts), tuple(images)) for texts, images in moderation_inputs(body))
    if model.id.startswith("text-moderation") and any(item.images for item in inputs):
        raise invalid_value("input", "image_url", ("text",))  # the legacy models read text only
    return ModerationRequest(model.id, inputs, request_digest(body))


def moderation_model(body: dict[str, Any]) -> str:
    model = typed(body, "model", "string")
    return model or "omni-moderation-latest"


def moderation_inputs(body: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    """Each input to classify as (texts, image URLs): one per string, or one for a list of content parts."""
    inputs = _inputs(body)
    total = sum(len(text) for texts, _ in inputs for text in texts)
    if total > MAX_MODERATION_CHARS:
        raise APIError(400, f"This request has {total} characters of text to classify; this server classifies at "
                            f"most {MAX_MODERATION_CHARS} characters per request. Split the input across requests.",
                       param="input", code="generation_limit_exceeded")
    return inputs


def _inputs(body: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    value = required(body, "input", "string", "array")
    if isinstance(value, str):
        return [([value], [])]
    if not value:
        raise empty_array("input")
    if len(value) > MAX_MODERATION_INPUTS:
        raise array_too_long("input", MAX_MODERATION_INPUTS, len(value))
    if isinstance(value[0], dict):
        return [_parts(value)]
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise invalid_type(f"input[{index}]", item, "string")
    return [([text], []) for text in value]


def _parts(parts: list[Any]) -> tuple[list[str], list[str]]:
    texts, images = [], []
    for index, part in enumerate(parts):
        where = f"input[{index}]"
        if not isinstance(part, dict):
            raise invalid_type(where, part, "object")
        kind = required(part, "type", "string", param=f"{where}.type")
        if kind not in MODERATION_PART_TYPES:
            raise invalid_value(f"{where}.type", kind, MODERATION_PART_TYPES)
        if kind == "text":
            texts.append(required(part, "text", "string", param=f"{where}.text"))
        else:
            image = required(part, "image_url", "object", param=f"{where}.image_url")
            images.append(required(image, "url", "string", param=f"{where}.image_url.url"))
    return texts, images
