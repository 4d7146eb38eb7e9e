"""Trace uploads from the OpenAI Agents SDK: `{"data": [trace or span objects]}`, as its exporter sends them."""
from __future__ import annotations

from typing import Any

from dummy_openai_api.proxy.validation import array_too_long, invalid_type, required

MAX_ITEMS = 10_000  # the exporter sends at most its whole queue (8,192 items) in one upload


def ingest_body(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = required(body, "data", "array")
    if len(items) > MAX_ITEMS:
        raise array_too_long("data", MAX_ITEMS, len(items))
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid_type(f"data[{n}]", item, "object")
    return items
