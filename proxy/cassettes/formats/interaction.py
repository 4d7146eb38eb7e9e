"""The data: one recorded request/response pair, and the errors of reading one."""
from __future__ import annotations

import http
from dataclasses import dataclass, field
from typing import Any

Headers = dict[str, list[str]]


@dataclass
class Interaction:
    """One recorded request/response pair, normalised (see the package docstring)."""

    method: str
    uri: str
    request_headers: Headers
    request_body: bytes
    status: int
    reason: str
    response_headers: Headers
    response_body: bytes
    extra: dict[str, Any] = field(default_factory=dict)


class CassetteError(Exception):
    """A cassette file could not be read; str() is one line: '<path>: <reason>'."""


class Invalid(ValueError):
    """A structural problem inside a cassette; becomes a CassetteError naming the file."""


def mapping(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent[key]
    if not isinstance(value, dict):
        raise Invalid(f"'{key}' must be a mapping, got {type(value).__name__}")
    return value


def reason_phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


def checked_status(code: Any) -> int:
    """A recorded status as an int in 100-599: anything else would be sent as a broken status line."""
    status = int(code)
    if not 100 <= status <= 599:
        raise Invalid(f"status {status} is not an HTTP status (100-599)")
    return status
