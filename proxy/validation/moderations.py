"""Moderations: the model and the inputs (strings, or content parts of text and image URLs)."""
from __future__ import annotations

from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import array_too_long, empty_array, invalid_type, invalid_value, required, typed

MODERATION_PART_TYPES = ("text", "image_url")
# Ours: the API documents no count, and each input costs the classifier about half a millisecond. The same
# bound as an embeddings or completions batch.
MAX_MODERATION_INPUTS = 2048
MAX_MODERATION_CHARS = 262_144  # ours too: the classifier reads about a million characters in four seconds


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
