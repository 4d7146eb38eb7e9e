"""Values in tool arguments and structured outputs come from the prompt (through the real SDK): places in the
order written, IDs that match the schema's pattern, names cut at punctuation, one array item per entity, and
the function that fits the request called under `tool_choice: auto`, follow-ups included."""
from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, Optional

import openai
import pydantic
import pytest

from tests.unit.test_schema_instances import assert_valid

MODEL = "gpt-4o-mini"


def function(name: str, properties: dict[str, Any], required: list[str] | None = None,
             description: str = "") -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": properties, "required": list(properties) if required is None else required}}}


FLIGHT = function("book_flight", {"origin": {"type": "string"}, "destination": {"type": "string"},
                                  "date": {"type": "string", "format": "date"}}, description="Book a flight")
ORDER = function("lookup_order", {"order_id": {"type": "string", "pattern": "^ORD-\\d{6}$"}},
                 description="Look up an order")
WEATHER = function("get_weather", {"city": {"type": "string"}}, description="Get the current weather for a city")


def calls(client: openai.OpenAI, messages: list[dict[str, Any]] | str, tools: list[dict[str, Any]],
          **extra: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    reply = client.chat.completions.create(model=MODEL, messages=messages, tools=tools, **extra)
    found = reply.choices[0].message.tool_calls or []
    for call, tool in ((c, t) for c in found for t in tools if t["function"]["name"] == c.function.name):
        assert_valid(json.loads(call.function.arguments), tool["function"]["parameters"])
    return [(c.function.name, json.loads(c.function.arguments)) for c in found]


@pytest.mark.parametrize("text, origin, destination", [
    ("Book a flight from London to New York on 2025-03-14", "London", "New York"),
    ("I need a flight to Rome from Madrid on 2025-05-02", "Madrid", "Rome"),
    ("Fly me from San Francisco to Tokyo on 2025-07-01 please", "San Francisco", "Tokyo"),
])
def test_from_x_to_y_keeps_the_order(client: openai.OpenAI, text: str, origin: str, destination: str) -> None:
    [(name, arguments)] = calls(client, text, [FLIGHT])
    assert (name, arguments["origin"], arguments["destination"]) == ("book_flight", origin, destination)


@pytest.mark.parametrize("text", ["Where is my order ORD-123456?", "Order ORD-000042 has not arrived.",
                                  "status of ord ORD-987654."])
def test_an_id_matching_the_pattern_is_copied(client: openai.OpenAI, text: str) -> None:
    expected = next(word.strip("?.") for word in text.split() if word.startswith("ORD-"))
    assert calls(client, text, [ORDER]) == [("lookup_order", {"order_id": expected})]


class Person(pydantic.BaseModel):
    name: str
    age: int
    city: str


@pytest.mark.parametrize("text, expected", [
    ("John lives in Berlin. He is 32.", Person(name="John", age=32, city="Berlin")),
    ("Meet Ana. She is 27 and lives in Porto.", Person(name="Ana", age=27, city="Porto")),
])
def test_names_end_at_punctuation(client: openai.OpenAI, text: str, expected: Person) -> None:
    parsed = client.chat.completions.parse(model=MODEL, messages=[{"role": "user", "content": text}],
                                           response_format=Person)
    assert parsed.choices[0].message.parsed == expected


class Member(pydantic.BaseModel):
    name: str
    age: int


class Team(pydantic.BaseModel):
    members: list[Member]


class Contacts(pydantic.BaseModel):
    company: str
    people: Optional[list[Member]] = None


@pytest.mark.parametrize("text, expected", [
    ("Extract: Alice is 30 years old.", [Member(name="Alice", age=30)]),
    ("Alice is 30 and Bob is 25.", [Member(name="Alice", age=30), Member(name="Bob", age=25)]),
    ("Carol (41), Dan (35) and Erin (29) joined.", [Member(name="Carol", age=41), Member(name="Dan", age=35),
                                                    Member(name="Erin", age=29)]),
])
def test_one_array_item_per_person_named(client: openai.OpenAI, text: str, expected: list[Member]) -> None:
    parsed = client.chat.completions.parse(model=MODEL, messages=[{"role": "user", "content": text}],
                                           response_format=Team)
    assert parsed.choices[0].message.parsed.members == expected


def test_an_optional_array_of_objects_is_filled_when_the_prompt_has_them(client: openai.OpenAI) -> None:
    text = "Acme Corp: Jane is 44 and Raj is 38."
    tool = function("Contacts", Contacts.model_json_schema()["properties"], ["company"],
                    description="Correctly extracted `Contacts` with all the required parameters")
    tool["function"]["parameters"]["$defs"] = Contacts.model_json_schema()["$defs"]
    [(name, arguments)] = calls(client, text, [tool], tool_choice={"type": "function", "function": {"name": "Contacts"}})
    assert arguments["people"] == [{"name": "Jane", "age": 44}, {"name": "Raj", "age": 38}]


def test_an_extraction_tool_is_called_under_auto(client: openai.OpenAI) -> None:
    user = function("UserDetail", {"name": {"type": "string"}, "age": {"type": "integer"}},
                    description="Correctly extracted `UserDetail` with all the required parameters with correct types")
    assert calls(client, "Extract the user: Jason is 25 years old.", [user, WEATHER]) == [
        ("UserDetail", {"name": "Jason", "age": 25})]
    assert calls(client, "Tell me a joke.", [user, WEATHER]) == []


def test_a_taxi_from_x_to_y(client: openai.OpenAI) -> None:
    taxi = function("book_taxi", {"pickup": {"type": "string"}, "dropoff": {"type": "string"}}, description="Book a taxi")
    assert calls(client, "Get me a cab from Heathrow to Soho", [taxi, WEATHER]) == [
        ("book_taxi", {"pickup": "Heathrow", "dropoff": "Soho"})]


def test_one_contact_is_one_call(client: openai.OpenAI) -> None:
    contact = function("Contact", {"name": {"type": "string"}, "email": {"type": "string"}},
                       description="Extracted contact details")
    assert calls(client, "Please extract the contact: Nina Patel, nina@example.com", [contact]) == [
        ("Contact", {"name": "Nina Patel", "email": "nina@example.com"})]


def test_a_follow_up_repeats_the_call_with_the_new_value(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": "What's the weather in Paris?"},
                {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
                    "name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny"},
                {"role": "assistant", "content": "It is 18C and sunny in Paris."}]
    for follow_up, city in (("And in Madrid?", "Madrid"), ("what about Buenos Aires?", "Buenos Aires")):
        asked = [*messages, {"role": "user", "content": follow_up}]
        assert calls(client, asked, [FLIGHT, WEATHER]) == [("get_weather", {"city": city})]
    thanks = [*messages, {"role": "user", "content": "And thank you so much for your help"}]
    assert calls(client, thanks, [WEATHER]) == []


@pytest.mark.parametrize("module", ["dummy_openai_api.generators.tools.calls", "dummy_openai_api.generators.structured.hints", "dummy_openai_api.generators.structured.facts", "dummy_openai_api.generators.structured.outputs"])
def test_each_generator_module_imports_first(module: str) -> None:
    """A fresh interpreter importing this module before any other finds no import cycle."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
