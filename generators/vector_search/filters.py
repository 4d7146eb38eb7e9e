"""Attribute filters of vector store search and the `file_search` tool: comparison and compound filters.

A comparison (`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `nin`) reads one attribute of a file; a compound
filter joins filters with `and` / `or`. A file without the attribute matches only `ne` and `nin`, and an
ordering between a number and a string matches nothing (the API compares like with like).
"""
from __future__ import annotations

import operator
from typing import Any, Callable

_ORDER: dict[str, Callable[[Any, Any], bool]] = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt,
                                                 "lte": operator.le}


def matches(rule: dict[str, Any] | None, attributes: dict[str, Any]) -> bool:
    """Whether a (validated) filter keeps a file with these attributes; no filter keeps every file."""
    if not rule:
        return True
    if rule["type"] in ("and", "or"):
        results = (matches(part, attributes) for part in rule["filters"])
        return all(results) if rule["type"] == "and" else any(results)
    return _compare(rule["type"], attributes.get(rule["key"]), rule["value"], rule["key"] in attributes)


def _compare(kind: str, actual: Any, wanted: Any, present: bool) -> bool:
    if kind == "eq":
        return present and _same(actual, wanted)
    if kind == "ne":
        return not (present and _same(actual, wanted))
    if kind == "in":
        return present and any(_same(actual, item) for item in wanted)
    if kind == "nin":
        return not (present and any(_same(actual, item) for item in wanted))
    if not present or _kind(actual) != _kind(wanted):
        return False
    return _ORDER[kind](actual, wanted)


def _same(actual: Any, wanted: Any) -> bool:
    return _kind(actual) == _kind(wanted) and actual == wanted


def _kind(value: Any) -> str:
    """Booleans are not numbers here: `True == 1` must not match."""
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, (int, float)) else "string"
