"""Reading JSON Schemas: following `$ref`, folding `allOf` into one schema, listing the named properties."""
from __future__ import annotations

import math
from typing import Any

from dummy_openai_api.generators.limits import MAX_SCHEMA_STEPS, schema_limit


class Resolver:
    """Follows `$ref` (JSON pointers into the root schema) and folds `allOf` into one schema."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.steps = 0  # resolutions made: `allOf` lists of refs to `allOf` lists grow exponentially

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        self.steps += 1
        if self.steps > MAX_SCHEMA_STEPS:
            raise schema_limit(f"more than {MAX_SCHEMA_STEPS} $ref and allOf resolutions", MAX_SCHEMA_STEPS,
                               "resolutions")
        for _ in range(32):  # a chain of refs; cycles made only of refs are cut here
            ref = schema.get("$ref")
            if not isinstance(ref, str):
                break
            target = self.lookup(ref)
            siblings = {k: v for k, v in schema.items() if k not in ("$ref", "$defs", "definitions")}
            schema = merge(target, siblings) if siblings else target
        if isinstance(schema.get("allOf"), list):
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in schema["allOf"]:
                merged = merge(merged, self.resolve(part) if isinstance(part, dict) else {})
            schema = self.resolve(merged)
        return schema

    def lookup(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#"):
            return {}
        node: Any = self.root
        for part in filter(None, ref[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return {}
        return node if isinstance(node, dict) else {}


def properties(schema: dict[str, Any], limit: int = 200) -> list[tuple[str, dict[str, Any]]]:
    """Every named property in the schema, outermost first (through refs, unions and array items)."""
    refs = Resolver(schema)
    found: list[tuple[str, dict[str, Any]]] = []
    queue: list[Any] = [schema]
    seen: set[int] = set()
    while queue and len(found) < limit:
        node = queue.pop(0)
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        node = refs.resolve(node)
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                found.append((name, refs.resolve(sub)))
                queue.append(sub)
        items = node.get("items")
        queue.extend([items] if isinstance(items, dict) else items if isinstance(items, list) else [])
        queue.extend(node.get("prefixItems") or [])
        queue.extend(node.get("anyOf") or [])
        queue.extend(node.get("oneOf") or [])
    return found


# --- allOf: one schema that demands what all the parts demand ------------------------------------------------

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    merged = dict(first)
    for key, value in second.items():
        if key not in merged:
            merged[key] = value
        elif key == "properties" and isinstance(value, dict):
            merged[key] = {**merged[key], **{k: ({"allOf": [merged[key][k], v]} if k in merged[key] else v)
                                             for k, v in value.items()}}
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key == "type":
            both = _as_set(merged[key]) & _as_set(value)
            if "number" in _as_set(merged[key]) | _as_set(value) and "integer" in _as_set(merged[key]) | _as_set(value):
                both.add("integer")
            merged[key] = sorted(both) if both else merged[key]
        elif key == "enum":
            common = [m for m in merged[key] if m in value]
            merged[key] = common or merged[key]
        elif key in _LOWER_BOUNDS and _is_number(value) and _is_number(merged[key]):
            merged[key] = max(merged[key], value)
        elif key in _UPPER_BOUNDS and _is_number(value) and _is_number(merged[key]):
            merged[key] = min(merged[key], value)
        elif key in ("items", "additionalProperties", "contains") and isinstance(value, dict) \
                and isinstance(merged[key], dict):
            merged[key] = {"allOf": [merged[key], value]}
        elif key == "additionalProperties" and value is False:
            merged[key] = False
        elif key == "multipleOf" and _is_number(value):
            merged[key] = _common_multiple(merged[key], value)
    return merged


def _as_set(value: Any) -> set[str]:
    return {value} if isinstance(value, str) else set(value or [])


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _common_multiple(a: float, b: float) -> float:
    if isinstance(a, int) and isinstance(b, int):
        return a * b // math.gcd(a, b)
    return a * b

