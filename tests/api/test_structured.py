"""Structured outputs: `response_format` json_schema and json_object, and the SDK's `parse()` and `stream()`."""
from __future__ import annotations

import asyncio
import enum
import json
from typing import Optional

import jsonschema
import pydantic
import pytest
from hypothesis import given, settings, strategies as st

from dummy_openai_api.generators.structured.outputs import schema_reply
from tests.conftest import chat_body
from tests.unit.test_schema_instances import assert_valid, schemas
from tests.api.test_tools import ask


class Person(pydantic.BaseModel):
    name: str
    age: int
    city: str
    email: Optional[str]


class Mood(str, enum.Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class Address(pydantic.BaseModel):
    street: str
    city: str
    country: str


class Review(pydantic.BaseModel):
    mood: Mood
    summary: str
    stars: int = pydantic.Field(ge=1, le=5)
    tags: list[str]
    address: Optional[Address]


class Step(pydantic.BaseModel):
    explanation: str
    output: str


class MathResponse(pydantic.BaseModel):
    steps: list[Step]
    final_answer: str


def test_parse_extracts_what_the_prompt_says(client) -> None:
    completion = client.chat.completions.parse(model="gpt-4o-mini", response_format=Person,
                                               messages=ask("Extract: John is 32 and lives in Berlin"))
    message = completion.choices[0].message
    assert message.parsed == Person(name="John", age=32, city="Berlin", email=None)
    assert json.loads(message.content) == message.parsed.model_dump()
    assert completion.choices[0].finish_reason == "stop"


def test_parse_fills_nested_models_enums_lists_and_optionals(client) -> None:
    parsed = client.chat.completions.parse(model="gpt-4o-mini", response_format=Review, messages=ask(
        "Review: 'Lovely staff, terrible coffee.' Overall it is negative.")).choices[0].message.parsed
    assert parsed.mood is Mood.NEGATIVE and 1 <= parsed.stars <= 5 and parsed.tags and parsed.summary


def test_prose_fields_carry_the_answer(client) -> None:
    parsed = client.chat.completions.parse(model="gpt-4o-mini", response_format=MathResponse, messages=[
        {"role": "system", "content": "You are a helpful math tutor."},
        {"role": "user", "content": "What is 12 * 7?"}]).choices[0].message.parsed
    assert "84" in parsed.final_answer and parsed.steps


def test_stream_helper_parses_the_final_completion(client) -> None:
    prompt = ask("Extract: Maria Garcia, 41, from Madrid, maria@example.org")
    with client.chat.completions.stream(model="gpt-4o-mini", response_format=Person, messages=prompt) as stream:
        events = [event.type for event in stream]
        final = stream.get_final_completion()
    assert "content.delta" in events and "content.done" in events
    assert final.choices[0].message.parsed == Person(name="Maria Garcia", age=41, city="Madrid",
                                                     email="maria@example.org")


def test_async_parse(async_client) -> None:
    async def run() -> Person:
        completion = await async_client.chat.completions.parse(model="gpt-4o-mini", response_format=Person,
                                                               messages=ask("Extract: Bob, 28, Toronto"))
        return completion.choices[0].message.parsed
    assert asyncio.run(run()) == Person(name="Bob", age=28, city="Toronto", email=None)


SCHEMA = {"type": "object", "properties": {
    "title": {"type": "string", "maxLength": 40}, "year": {"type": "integer", "minimum": 1900, "maximum": 2030},
    "genres": {"type": "array", "items": {"enum": ["drama", "comedy", "horror"]}, "minItems": 1, "uniqueItems": True},
    "director": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    "imdb": {"type": "string", "pattern": r"^tt\d{7}$"}}, "required": ["title", "year", "genres"]}


@pytest.mark.parametrize("strict", [False, True])
def test_raw_json_schema_content_validates(client, strict: bool) -> None:
    schema = SCHEMA if not strict else {**SCHEMA, "required": list(SCHEMA["properties"]),
                                        "additionalProperties": False, "properties": {
                                            **SCHEMA["properties"], "director": {
                                                **SCHEMA["properties"]["director"], "additionalProperties": False}}}
    completion = client.chat.completions.create(**chat_body(
        messages=ask("Describe the film Alien (1979), a horror film"),
        response_format={"type": "json_schema", "json_schema": {"name": "film", "schema": schema, "strict": strict}}))
    value = json.loads(completion.choices[0].message.content)
    jsonschema.validate(value, schema)
    assert value["year"] == 1979 and value["genres"][0] == "horror"


def test_json_schema_streams_to_the_same_content(client) -> None:
    body = chat_body(messages=ask("Extract: Ann, 50, Oslo"), response_format={
        "type": "json_schema", "json_schema": {"name": "person", "schema": SCHEMA}})
    plain = client.chat.completions.create(**body).choices[0].message.content
    streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(**body, stream=True)
                       if c.choices)
    assert streamed == plain


def test_json_object_uses_the_fields_the_prompt_names(client) -> None:
    content = client.chat.completions.create(**chat_body(messages=[
        {"role": "system", "content": "Reply in JSON with keys name, capital and population."},
        {"role": "user", "content": "Tell me about France"}], response_format={"type": "json_object"})
    ).choices[0].message.content
    value = json.loads(content)
    assert list(value) == ["name", "capital", "population"] and value["name"] == "France"
    assert isinstance(value["population"], int)


def test_json_object_without_named_fields_is_still_an_object(client) -> None:
    content = client.chat.completions.create(**chat_body(messages=ask("Describe a fruit as JSON"),
                                                         response_format={"type": "json_object"})
                                             ).choices[0].message.content
    assert isinstance(json.loads(content), dict)


class CalendarEvent(pydantic.BaseModel):
    name: str
    date: str
    participants: list[str]


def test_the_documentation_example_extracts_the_event(client) -> None:
    # the first example of OpenAI's structured outputs guide
    parsed = client.chat.completions.parse(model="gpt-4o-2024-08-06", response_format=CalendarEvent, messages=[
        {"role": "system", "content": "Extract the event information."},
        {"role": "user", "content": "Alice and Bob are going to a science fair on Friday."}]).choices[0].message.parsed
    assert parsed == CalendarEvent(name="Science Fair", date="Friday", participants=["Alice", "Bob"])


@settings(max_examples=40, deadline=None)
@given(schemas(), st.sampled_from(["Extract: John is 32 and lives in Berlin", "Alice and Bob meet on Friday in Rome",
                                   "email ann@example.com about 3 tickets for 2025-05-01", "", "hello"]))
def test_structured_replies_always_validate(schema: dict, text: str) -> None:
    reply = schema_reply(schema, ask(text), b"seed", answer="The answer. It has two sentences.")
    assert_valid(json.loads(reply), schema)


def test_the_schema_counts_towards_the_prompt(client) -> None:
    plain = client.chat.completions.create(**chat_body()).usage.prompt_tokens
    shaped = client.chat.completions.create(**chat_body(response_format={
        "type": "json_schema", "json_schema": {"name": "film", "schema": SCHEMA}})).usage.prompt_tokens
    assert shaped > plain + 40
