"""A JSON value valid against a JSON Schema: what structured outputs and tool arguments are made of.

`instance(schema, seed=..., hints=...)` walks the schema the way a model fills it in: objects get their
properties (all of them near the top, only the required ones deep down), arrays two or three items (unique
when asked), strings and numbers a plausible value for their format or name that meets their bounds, length,
`pattern` and `multipleOf` (`generators.structured.scalars`). `hints` maps property names to values taken from the
conversation ("city": "Paris"); a hint fills the first property of that name whose schema it fits (a dict
hint fills the properties of an object). `$ref` (with `$defs`/`definitions`) and `allOf` are read by
`generators.structured.refs`; `anyOf`/`oneOf` take one branch; `const`, `enum`, type lists and nullable types are
supported; when values came from the text, a nullable property nobody mentioned is null. Recursive schemas terminate: past `DEEP` levels objects carry only
required properties, arrays their minimum length and unions prefer a branch that does not nest further.
Every choice is drawn from SHA-256 of the seed and the value's path, so the same seed gives the same value.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Mapping

from dummy_openai_api.generators.structured import fakes, scalars
from dummy_openai_api.generators.limits import MAX_SCHEMA_CHARS, MAX_SCHEMA_VALUES, check_count, schema_limit
from dummy_openai_api.generators.structured.json_types import json_type
from dummy_openai_api.generators.structured.refs import Resolver, merge

DEEP = 4          # nesting level from which only required content is produced
HARD_LIMIT = 24   # nesting level at which generation stops whatever the schema requires
NODE_BUDGET = 3000
_TYPE_KEYWORDS = (
    ("object", ("properties", "required", "additionalProperties", "minProperties", "maxProperties",
                "patternProperties")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")),
    ("string", ("minLength", "maxLength", "pattern", "format")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)


def instance(schema: dict[str, Any], *, seed: bytes, hints: Mapping[str, Any] | None = None) -> Any:
    """A JSON value valid against `schema`, deterministic per seed; `hints` fill properties by name."""
    return _Generator(schema, seed, hints or {}).value(schema, (), "", _scope(hints or {}), None, 0)


def hint_key(name: str) -> str:
    """How property names are compared with hint names: case, `_` and `-` do not matter."""
    return "".join(ch for ch in name.lower() if ch not in "_- ")


def _scope(hints: Mapping[str, Any]) -> dict[str, Any]:
    return {hint_key(str(k)): v for k, v in hints.items()}


class Draw:
    """Deterministic numbers from a SHA-256 chain: `draw(n)` is in range(n)."""

    def __init__(self, seed: bytes) -> None:
        self.pool = hashlib.sha256(seed).digest()
        self.used = 0

    def __call__(self, size: int) -> int:
        if size <= 1:
            return 0
        if self.used + 4 > len(self.pool):
            self.pool, self.used = hashlib.sha256(self.pool).digest(), 0
        self.used += 4
        return int.from_bytes(self.pool[self.used - 4:self.used], "big") % size


class _Generator:
    def __init__(self, root: Any, seed: bytes, hints: Mapping[str, Any]) -> None:
        self.refs = Resolver(root)
        self.seed = seed
        self.extracting = bool(hints)  # values came from the text: a nullable field nobody mentioned stays null
        self.used: set[str] = set()    # a hint fills one property: "name" is the person's, not every nested name
        self.nodes = 0
        self.chars = 0  # characters of strings made so far, against MAX_SCHEMA_CHARS

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        return self.refs.resolve(schema)

    def draw(self, path: tuple[Any, ...], salt: str = "") -> Draw:
        return Draw(self.seed + repr(path).encode() + salt.encode())

    # --- dispatch --------------------------------------------------------------------------------------

    def value(self, schema: Any, path: tuple, name: str, hints: dict[str, Any], prefer: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_SCHEMA_VALUES:  # products of small minimums (minItems inside minItems) end here
            raise schema_limit(f"more than {MAX_SCHEMA_VALUES} values", MAX_SCHEMA_VALUES, "values")
        if schema is True or schema is None:
            schema = {}
        if schema is False or not isinstance(schema, dict):
            return None
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.member(schema, path, prefer)
        union = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(union, list) and union:
            branch = self.branch(schema, union, path, name, prefer, depth)
            return self.value(branch, path, name, hints, prefer, depth)
        kind = self.kind(schema, path, prefer, depth)
        if depth >= HARD_LIMIT and kind in ("object", "array"):
            return {} if kind == "object" else []  # a schema that demands infinite nesting gets cut here
        maker: Callable[..., Any] = getattr(self, f"make_{kind}", self.make_string)
        return maker(schema, path, name, hints, prefer, depth)

    def deep(self, depth: int) -> bool:
        return depth >= DEEP or self.nodes > NODE_BUDGET

    # --- choosing --------------------------------------------------------------------------------------------

    def member(self, schema: dict[str, Any], path: tuple, prefer: Any) -> Any:
        members = schema["enum"]
        kinds = _types(schema)
        if kinds:
            members = [m for m in members if json_type(m) in kinds or (json_type(m) == "integer" and
                                                                        "number" in kinds)] or members
        if prefer is not None:
            wanted = str(prefer).strip().lower()
            for option in members:
                if str(option).lower() == wanted:
                    return option
        return members[self.draw(path, "enum")(len(members))]

    def branch(self, schema: dict[str, Any], union: list[Any], path: tuple, name: str, prefer: Any,
               depth: int) -> dict[str, Any]:
        base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
        options = [self.resolve(b) if isinstance(b, dict) else {} for b in union if b is not False]
        if not options:
            return base
        chosen = self.prefer_option(options, path, prefer, depth)
        return merge(base, chosen) if base else chosen

    def prefer_option(self, options: list[dict[str, Any]], path: tuple, prefer: Any, depth: int) -> dict:
        nulls = [o for o in options if _types(o) == {"null"}]
        others = [o for o in options if o not in nulls]
        if nulls and (not others or self.deep(depth) or (prefer is None and self.extracting and depth > 0)):
            return nulls[0]
        if prefer is not None:
            fitting = [o for o in others if _accepts(o, prefer)]
            if fitting:
                return fitting[0]
        if self.deep(depth):
            leaves = [o for o in others if not _nests(o)]
            others = leaves or others
        return others[self.draw(path, "branch")(len(others))]

    def kind(self, schema: dict[str, Any], path: tuple, prefer: Any, depth: int) -> str:
        declared = schema.get("type")
        kinds = [declared] if isinstance(declared, str) else list(declared or [])
        if not kinds:
            kinds = [k for k, words in _TYPE_KEYWORDS if any(w in schema for w in words)][:1]
            if not kinds:
                return json_type(prefer) if prefer is not None else "string"
        if len(kinds) == 1:
            return kinds[0]
        options = [{"type": k} for k in kinds]
        return self.prefer_option(options, path, prefer, depth)["type"]

    # --- the types ---------------------------------------------------------------------------------------

    def make_null(self, *_: Any) -> None:
        return None

    def make_boolean(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> bool:
        if isinstance(prefer, bool):
            return prefer
        return fakes.boolean_for(name, self.draw(path))

    def make_integer(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> int:
        return int(scalars.fit_number(schema, prefer, name, True, self.draw(path)))

    def make_number(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> float:
        return scalars.fit_number(schema, prefer, name, False, self.draw(path))

    def make_string(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> str:
        low = schema.get("minLength")
        check_count("minLength", low if isinstance(low, int) else 0, MAX_SCHEMA_CHARS, "characters")
        text = scalars.fit_string(schema, prefer, name, self.draw(path), MAX_SCHEMA_CHARS - self.chars)
        self.chars += len(text)
        if self.chars > MAX_SCHEMA_CHARS:
            raise schema_limit(f"more than {MAX_SCHEMA_CHARS} characters", MAX_SCHEMA_CHARS, "characters")
        return text

    def make_array(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> list:
        prefix = given if isinstance(given := schema.get("prefixItems"), list) else []
        items = schema.get("items", True)
        if isinstance(items, list):  # draft 4-7 tuple form
            prefix, items = items, schema.get("additionalItems", True)
        preferred = prefer if isinstance(prefer, list) else [prefer] if prefer is not None else []
        count = self.item_count(schema, len(prefix), items is False, len(preferred), path, depth)
        result: list[Any] = []
        seen: list[str] = []
        for index in range(count):
            sub = prefix[index] if index < len(prefix) else items
            if index == 0 and "contains" in schema:
                sub = {"allOf": [sub if isinstance(sub, dict) else {}, schema["contains"]]}
            value = self.unique_item(sub, path + (index,), name, hints if index == 0 else {},
                                     preferred[index] if index < len(preferred) else None, depth, seen,
                                     bool(schema.get("uniqueItems")))
            if value is _SKIP:
                break
            result.append(value)
        return result

    def item_count(self, schema: dict, prefixed: int, closed: bool, preferred: int, path: tuple, depth: int) -> int:
        low = max(int(schema.get("minItems", 0) or 0), 1 if "contains" in schema else 0)
        check_count("minItems", low, MAX_SCHEMA_VALUES, "values")
        high = schema.get("maxItems")
        if closed:
            high = prefixed if high is None else min(high, prefixed)
        if depth >= HARD_LIMIT or self.deep(depth):
            wanted = low
        elif preferred:
            wanted = preferred
        else:
            wanted = max(prefixed, 2 + self.draw(path, "count")(2))
        return max(low, min(wanted, high)) if high is not None else max(low, wanted)

    def unique_item(self, sub: Any, path: tuple, name: str, hints: dict, prefer: Any, depth: int,
                    seen: list[str], unique: bool) -> Any:
        for attempt in range(12 if unique else 1):
            item_path = path if attempt == 0 else path + (f"retry{attempt}",)
            value = self.value(sub, item_path, _singular(name), hints, prefer if attempt == 0 else None, depth + 1)
            if not unique:
                return value
            key = _canonical(value)
            if key not in seen:
                seen.append(key)
                return value
        return _SKIP

    def make_object(self, schema: dict, path: tuple, name: str, hints: dict, prefer: Any, depth: int) -> dict:
        props = given if isinstance(given := schema.get("properties"), dict) else {}
        extra = schema.get("additionalProperties", schema.get("unevaluatedProperties", True))
        result: dict[str, Any] = {}
        own = _scope(prefer) if isinstance(prefer, dict) else {}  # one array item's values: its entity's own
        for key in self.object_keys(schema, props, extra, depth):
            sub = props.get(key, extra if isinstance(extra, dict) else {})
            hint = own.get(hint_key(key)) if hint_key(key) in own else \
                None if hint_key(key) in self.used else hints.get(hint_key(key))
            if hint is not None and not isinstance(hint, dict):
                self.used.add(hint_key(key))
            scope = {**hints, **_scope(hint)} if isinstance(hint, dict) else hints
            result[key] = self.value(sub, path + (key,), key, scope, None if isinstance(hint, dict) else hint,
                                     depth + 1)
        return result

    def object_keys(self, schema: dict, props: dict, extra: Any, depth: int) -> list[str]:
        required = [k for k in schema.get("required") or [] if isinstance(k, str)]
        if extra is False:
            required = [k for k in required if k in props]
        keys = list(dict.fromkeys([k for k in props if k in required] + required))
        if not self.deep(depth) and depth < HARD_LIMIT:
            keys += [k for k in props if k not in keys]
        for key in list(keys):  # dependentRequired: a present key brings its companions
            keys += [k for k in (schema.get("dependentRequired") or {}).get(key, []) if k not in keys]
        most = schema.get("maxProperties")
        if isinstance(most, int):
            keys = keys[:max(most, len(required))]
        least = int(schema.get("minProperties", 0) or 0)
        check_count("minProperties", least, MAX_SCHEMA_VALUES, "values")
        spare = (k for k in props if k not in keys)
        while len(keys) < least:
            key = next(spare, None)
            if key is None and extra is False:
                break
            keys.append(key or f"field_{len(keys) + 1}")
        return keys


_SKIP = object()


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    return {declared} if isinstance(declared, str) else set(declared or [])


def _accepts(schema: dict[str, Any], value: Any) -> bool:
    """Whether a hint could fill this branch (by JSON type; the leaf checks the finer constraints)."""
    kinds = _types(schema)
    if isinstance(schema.get("enum"), list):
        return str(value).lower() in {str(m).lower() for m in schema["enum"]}
    if not kinds:
        return True
    kind = json_type(value)
    if kind == "string" and kinds & {"integer", "number"}:
        return scalars.as_number(value) is not None
    return kind in kinds or (kind == "integer" and "number" in kinds)


def _nests(schema: dict[str, Any]) -> bool:
    return "$ref" in schema or bool(_types(schema) & {"object", "array"}) or "properties" in schema
