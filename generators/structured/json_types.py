"""The JSON Schema type of a value: its own module, so request validation reads it without loading the schema
generator (its fakes and regular expressions) at start-up."""
from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    """The JSON Schema type of a parsed JSON value (request validation names types with it too)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
