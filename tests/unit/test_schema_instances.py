"""dummy_openai_api.generators.structured.schema.instance: every generated value validates against its schema (jsonschema, 2020-12)."""
from __future__ import annotations

import datetime
import enum
import json
import uuid
from typing import Any, Literal, Optional, Union

import jsonschema
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openai.lib._pydantic import to_strict_json_schema

from dummy_openai_api.generators.structured.schema import instance

FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER
PROPERTY_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid(value: Any, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER).iter_errors(value))
    assert not errors, f"{json.dumps(value)} fails {json.dumps(schema)}: {errors[0].message}"


# --- a strategy for schemas in the subset OpenAI schemas use -------------------------------------------------

NAMES = st.sampled_from(["name", "city", "email", "age", "price", "title", "summary", "id", "date", "tags", "items",
                         "url", "count", "status", "score", "first_name", "description", "location", "x"])
FORMATS = ["date", "date-time", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6", "duration"]
PATTERNS = [r"^[a-z]{3,8}$", r"^\d{4}-\d{2}$", r"^[A-Z][a-z]+$", r"^(foo|bar)-\d+$", r"^[a-f0-9]{8}$", "abc",
            r"^\w+@\w+\.com$", r"^[A-Z]{2}\d{2}[A-Z0-9]{4}$", r"^(?:\+1-)?\d{3}-\d{4}$", r"[^a-z]+"]


@st.composite
def strings(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    flavour = draw(st.sampled_from(["plain", "length", "format", "pattern"]))
    if flavour == "length":
        low = draw(st.integers(0, 30))
        schema.update(minLength=low, maxLength=low + draw(st.integers(0, 30)))
    elif flavour == "format":
        schema["format"] = draw(st.sampled_from(FORMATS))
    elif flavour == "pattern":
        schema["pattern"] = draw(st.sampled_from(PATTERNS))
    return schema


@st.composite
def numbers(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number"]))
    step = draw(st.sampled_from([None, 2, 3, 5, 10] + ([0.5, 0.25, 2.5] if kind == "number" else [])))
    schema: dict[str, Any] = {"type": kind}
    if step:
        schema["multipleOf"] = step
    low = draw(st.one_of(st.none(), st.integers(-1000, 1000)))
    high = None if draw(st.booleans()) else (low if low is not None else 0) + (step or 1) * draw(st.integers(3, 50))
    if low is not None:
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if high is not None:
        schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = high
    return schema


LEAVES = st.one_of(
    strings(), numbers(), st.just({"type": "boolean"}), st.just({"type": "null"}),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none()), min_size=1, max_size=5,
             unique_by=json.dumps).map(lambda members: {"enum": members}),
    st.sampled_from(["red", 3, None, True]).map(lambda value: {"const": value}),
    st.sampled_from(["string", "integer", "boolean"]).map(lambda kind: {"type": [kind, "null"]}),
    st.just({}),
)
UNIQUE_ITEMS = st.sampled_from([{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0},
                                {"type": "string", "format": "uuid"}])


def containers(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(objects(children), arrays(children), unions(children), all_of(children))


@st.composite
def objects(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    props = draw(st.dictionaries(NAMES, children, max_size=4))
    required = [k for k in props if draw(st.booleans())]
    schema: dict[str, Any] = {"type": "object", "properties": props, "required": required}
    closed = draw(st.sampled_from([False, True, {"type": "integer"}, None]))
    if closed is not None:
        schema["additionalProperties"] = closed
    if draw(st.booleans()):
        schema["minProperties"] = draw(st.integers(0, len(props) if closed is False else 5))
    return schema


@st.composite
def arrays(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    unique = draw(st.booleans())
    schema: dict[str, Any] = {"type": "array", "items": draw(UNIQUE_ITEMS if unique else children)}
    if unique:
        schema["uniqueItems"] = True
    low = draw(st.integers(0, 4))
    schema.update(minItems=low, **({"maxItems": low + draw(st.integers(0, 3))} if draw(st.booleans()) else {}))
    if not unique and draw(st.booleans()):
        schema["prefixItems"] = draw(st.lists(children, min_size=1, max_size=2))
    return schema


@st.composite
def unions(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"anyOf": draw(st.lists(children, min_size=1, max_size=3))}
    kinds = draw(st.lists(st.sampled_from(["string", "integer", "boolean", "null", "array"]), min_size=1,
                          max_size=3, unique=True))  # oneOf branches of distinct types never overlap
    return {"oneOf": [{"type": kind} for kind in kinds]}


@st.composite
def all_of(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    first, second = draw(children), draw(children)
    return {"allOf": [{"type": "object", "properties": {"a": first}, "required": ["a"]},
                      {"type": "object", "properties": {"b": second}}]}


BODIES = st.recursive(LEAVES, containers, max_leaves=12)


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A schema, sometimes with its parts moved to `$defs` and reached by `$ref`, or made recursive."""
    shape = draw(st.sampled_from(["plain", "refs", "recursive"]))
    if shape == "plain":
        return draw(BODIES)
    if shape == "refs":
        defs = draw(st.dictionaries(st.sampled_from(["A", "B", "Item"]), BODIES, min_size=1, max_size=3))
        return {"type": "object", "$defs": defs, "properties": {f"p{name}": {"$ref": f"#/$defs/{name}"}
                                                                   for name in defs}, "required": list(defs)[:1]}
    leaf = draw(LEAVES)
    return {"$defs": {"Node": {"type": "object", "properties": {"value": leaf, "children": {
        "type": "array", "items": {"$ref": "#/$defs/Node"}}, "next": {"anyOf": [{"$ref": "#/$defs/Node"},
                                                                            {"type": "null"}]}},
        "required": ["value", "children", "next"], "additionalProperties": False}}, "$ref": "#/$defs/Node"}


@PROPERTY_SETTINGS
@given(schemas(), st.binary(min_size=1, max_size=8))
def test_every_instance_validates(schema: dict[str, Any], seed: bytes) -> None:
    assert_valid(instance(schema, seed=seed), schema)


@PROPERTY_SETTINGS
@given(schemas(), st.dictionaries(NAMES, st.one_of(st.text(max_size=12), st.integers(), st.booleans()),
                                  max_size=4), st.binary(min_size=1, max_size=8))
def test_hints_never_break_validity(schema: dict[str, Any], hints: dict[str, Any], seed: bytes) -> None:
    assert_valid(instance(schema, seed=seed, hints=hints), schema)


def test_same_seed_same_value_and_seeds_differ() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}
    assert instance(schema, seed=b"1") == instance(schema, seed=b"1")
    assert len({json.dumps(instance(schema, seed=bytes([n]))) for n in range(10)}) > 5


# --- Pydantic models as client.chat.completions.parse() sends them ----------------------------------------

class Colour(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Address(pydantic.BaseModel):
    street: str
    city: str
    postcode: str = pydantic.Field(pattern=r"^\d{5}$")


class Tree(pydantic.BaseModel):
    label: str
    children: list[Tree] = []


class Person(pydantic.BaseModel):
    name: str
    age: int = pydantic.Field(ge=0, le=130)
    email: Optional[str] = None
    colour: Colour
    kind: Literal["customer", "supplier"]
    address: Address
    tags: list[str] = pydantic.Field(min_length=1, max_length=3)
    born: datetime.date
    seen_at: datetime.datetime
    wake_up: datetime.time
    ref: uuid.UUID
    balance: float = pydantic.Field(gt=0)
    tree: Tree
    either: Union[int, str]
    pair: tuple[int, str]
    nickname: str = pydantic.Field(max_length=5)


@pytest.mark.parametrize("seed", [b"a", b"b", b"c", b"d"])
def test_pydantic_strict_schemas_validate_and_parse(seed: bytes) -> None:
    schema = to_strict_json_schema(Person)
    value = instance(schema, seed=seed)
    assert_valid(value, schema)
    Person.model_validate_json(json.dumps(value))


def test_plausible_values_by_name_and_format() -> None:
    schema = to_strict_json_schema(Person)
    value = instance(schema, seed=b"x")
    assert " " in value["name"] and "@" in (value["email"] or "@")
    assert value["address"]["city"] in {"Paris", "London", "Berlin", "Tokyo", "New York", "Madrid", "Toronto",
                                        "Sydney", "Amsterdam", "Lisbon"}
    assert 18 <= value["age"] <= 70


def test_hints_fill_properties_where_they_fit() -> None:
    schema = to_strict_json_schema(Person)
    value = instance(schema, seed=b"x", hints={"name": "John", "age": "32", "city": "Berlin", "colour": "GREEN",
                                               "postcode": "not a postcode"})
    assert (value["name"], value["age"], value["address"]["city"], value["colour"]) == ("John", 32, "Berlin",
                                                                                           "green")
    assert value["tree"]["label"] != "John" and value["address"]["postcode"].isdigit()
    assert value["email"] is None  # nothing in the text said it: left empty, as a model extracting would


def test_recursive_schema_terminates() -> None:
    schema = {"$ref": "#/$defs/N", "$defs": {"N": {"type": "object", "required": ["kids"],
                                                    "properties": {"kids": {"type": "array", "minItems": 1,
                                                                            "items": {"$ref": "#/$defs/N"}}}}}}
    value = instance(schema, seed=b"r")  # unsatisfiable (infinitely deep): must still return
    assert isinstance(value, dict)
