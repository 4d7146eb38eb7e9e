"""Conversation requests: the create and update bodies, item batches, ids and the item list's query.

Limits from the API reference: at most 20 items per create or add, metadata as for stored chat completions.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import array_too_long, non_empty_array, page_args, typed
from dummy_openai_api.proxy.validation.responses import input_items
from dummy_openai_api.proxy.validation.stored import metadata

CREATE_FIELDS = ("items", "metadata", "safety_identifier")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_ITEMS = 20  # "You may add up to 20 items at a time."


def create_body(body: dict[str, Any]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """POST /v1/conversations: its metadata and initial items."""
    unknown = next((name for name in body if name not in CREATE_FIELDS), None)
    if unknown is not None:
        raise APIError(400, f"Unknown parameter: '{unknown}'.", param=unknown, code="unknown_parameter")
    typed(body, "safety_identifier", "string")
    items = typed(body, "items", "array") or []
    return metadata(body.get("metadata")), _batch(items)


def add_body(body: dict[str, Any]) -> list[dict[str, Any]]:
    """POST /v1/conversations/{id}/items: one to 20 items."""
    unknown = next((name for name in body if name != "items"), None)
    if unknown is not None:
        raise APIError(400, f"Unknown parameter: '{unknown}'.", param=unknown, code="unknown_parameter")
    return _batch(non_empty_array(body, "items"))


def _batch(items: list[Any]) -> list[dict[str, Any]]:
    if len(items) > MAX_ITEMS:
        raise array_too_long("items", MAX_ITEMS, len(items))
    input_items(items, "items")
    return items


def conversation_id(value: Any, param: str = "conversation_id") -> str:
    """An id the API can look up: it begins with `conv` (letters, digits, `_` and `-`)."""
    if not isinstance(value, str) or not value.startswith("conv") or not _ID.match(value):
        raise APIError(400, f"Invalid '{param}': '{value}'. Expected an ID that begins with 'conv'.", param=param,
                       code="invalid_value")
    return value


def items_query(query: str) -> dict[str, Any]:
    """`after`, `limit` (1-100, default 20), `order` (default `desc`, newest first) and `include`."""
    return page_args(dict(parse_qsl(query, keep_blank_values=True)), 20, 100, "desc")
