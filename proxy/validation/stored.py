"""Stored chat completions: metadata, the list query and the update body."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import invalid_type, missing, page_args, string_too_long, typed

MAX_METADATA_PAIRS, MAX_KEY, MAX_VALUE = 16, 64, 512


def metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    """A metadata object: at most 16 string pairs, keys of at most 64 characters, values of at most 512."""
    return pairs(value, param, ("string",), nullable=False)


def pairs(value: Any, param: str, kinds: tuple[str, ...], nullable: bool = True) -> dict[str, Any]:
    """At most 16 pairs, keys of at most 64 characters, values of the given JSON `kinds` (null too when
    `nullable`) with strings of at most 512: metadata (strings), a vector store file's attributes."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    if len(value) > MAX_METADATA_PAIRS:
        raise APIError(400, f"Invalid '{param}': too many properties. Expected an object with at most "
                            f"{MAX_METADATA_PAIRS} properties, but got an object with {len(value)} properties "
                            "instead.", param=param, code="object_above_max_properties")
    for key, item in value.items():
        if len(key) > MAX_KEY:
            raise APIError(400, f"Invalid property name in '{param}': '{key}' is too long. Expected a string with "
                                f"maximum length {MAX_KEY}, but got a string with length {len(key)} instead.",
                           param=f"{param}.{key}", code="property_name_above_max_length")
        if item is None and not nullable:
            raise invalid_type(f"{param}.{key}", item, *kinds)
        typed(value, key, *kinds, param=f"{param}.{key}")
        if isinstance(item, str) and len(item) > MAX_VALUE:
            raise string_too_long(f"{param}.{key}", MAX_VALUE, len(item))
    return value


def list_query(query: str) -> dict[str, Any]:
    """`after`, `limit` (1-100, default 20), `order` (asc, desc) and `metadata[key]=value` of a list request."""
    pairs = parse_qsl(query, keep_blank_values=True)
    args = page_args({k: v for k, v in pairs if not k.startswith("metadata[")}, 20, 100, "asc")
    args["metadata"] = {k[len("metadata["):-1]: v for k, v in pairs if k.startswith("metadata[") and k.endswith("]")}
    return args


def update_body(body: dict[str, Any]) -> dict[str, str]:
    if "metadata" not in body:
        raise missing("metadata")
    return metadata(body["metadata"])
