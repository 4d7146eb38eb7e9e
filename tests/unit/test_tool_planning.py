"""dummy_openai_api.generators.tools.calls and generators.structured.hints: when functions are called, with which arguments (no server)."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, strategies as st

from dummy_openai_api.generators.structured.facts import lists_in
from dummy_openai_api.generators.structured.hints import hints_for
from dummy_openai_api.generators.tools.calls import FunctionSpec, function_specs, plan_tool_calls
from tests.unit.test_schema_instances import BODIES, PROPERTY_SETTINGS, assert_valid, objects

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "City and country, e.g. Paris, France"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}}
STOCK = {"type": "function", "function": {
    "name": "get_stock_price", "description": "Get the latest stock price", "strict": True,
    "parameters": {"type": "object", "properties": {"ticker": {"type": "string"},
                                                    "exchange": {"type": "string", "enum": ["NASDAQ", "NYSE"]}},
                   "required": ["ticker", "exchange"], "additionalProperties": False}}}
SECRET = {"type": "function", "function": {
    "name": "secret_retrieval_tool", "description": "A tool that requires a password to retrieve a secret.",
    "parameters": {"type": "object", "properties": {"password": {"type": "string"}}, "required": ["password"]}}}
SPECS = function_specs([WEATHER, STOCK, SECRET])


def plan(text: str, choice: Any = "auto", parallel: bool = True, specs: list[FunctionSpec] = SPECS,
         messages: list[dict] | None = None) -> list[tuple[str, dict]]:
    calls = plan_tool_calls(messages or [{"role": "user", "content": text}], specs, choice, parallel, b"seed")
    return [(call.name, json.loads(call.arguments)) for call in calls]


@pytest.mark.parametrize("text, expected", [
    ("What's the weather in Paris?", [("get_weather", {"location": "Paris"})]),
    ("Is it cold in New York City? Answer in fahrenheit", [("get_weather", {"location": "New York City",
                                                                             "unit": "fahrenheit"})]),
    ("weather in Paris and London please", [("get_weather", {"location": "Paris"}),
                                            ("get_weather", {"location": "London"})]),
    ("What's the weather in Edinburgh and the stock price of AAPL?",
     [("get_weather", {"location": "Edinburgh"}), ("get_stock_price", {"ticker": "AAPL", "exchange": "NYSE"})]),
    ("Retrieve the secrets for these passwords: mellon,radiance",
     [("secret_retrieval_tool", {"password": "mellon"}), ("secret_retrieval_tool", {"password": "radiance"})]),
    ("tell me a joke", []),
    ("Hello there!", []),
])
def test_auto_calls_what_the_user_asks_for(text: str, expected: list) -> None:
    assert plan(text) == expected


def test_without_parallel_calls_at_most_one() -> None:
    assert plan("weather in Paris and London please", parallel=False) == [("get_weather", {"location": "Paris"})]


def test_none_never_calls_and_required_always_does() -> None:
    assert plan("What's the weather in Paris?", "none") == []
    (name, arguments), = plan("tell me a joke", "required")
    assert name in {"get_weather", "get_stock_price", "secret_retrieval_tool"} and arguments


def test_a_named_function_is_called_even_if_unrelated() -> None:
    (name, arguments), = plan("tell me a joke", {"type": "function", "function": {"name": "get_stock_price"}})
    assert name == "get_stock_price" and set(arguments) == {"ticker", "exchange"}


def test_allowed_tools_limit_the_choice() -> None:
    choice = {"type": "allowed_tools", "allowed_tools": {"mode": "required", "tools": [
        {"type": "function", "function": {"name": "secret_retrieval_tool"}}]}}
    assert [name for name, _ in plan("What's the weather in Paris?", choice)] == ["secret_retrieval_tool"]


def test_after_a_tool_result_auto_answers_in_text() -> None:
    messages = [{"role": "user", "content": "What's the weather in Paris?"},
                {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "18C"}]
    assert plan("", messages=messages) == []


def test_call_ids_are_deterministic_and_shaped_like_the_real_ones() -> None:
    first = plan_tool_calls([{"role": "user", "content": "weather in Paris and Rome"}], SPECS, "auto", True, b"s")
    again = plan_tool_calls([{"role": "user", "content": "weather in Paris and Rome"}], SPECS, "auto", True, b"s")
    assert first == again and len({c.id for c in first}) == 2
    assert all(re.fullmatch(r"call_[A-Za-z0-9]{24}", c.id) for c in first)


def test_function_specs_read_chat_responses_and_legacy_shapes() -> None:
    flat = {"type": "function", "name": "lookup", "parameters": {"type": "object", "properties": {}}}
    specs = function_specs([WEATHER, flat, {"type": "web_search"}], [{"name": "legacy"}])
    assert [(s.name, s.strict) for s in specs] == [("get_weather", False), ("lookup", True), ("legacy", False)]
    assert specs[2].parameters == {"type": "object", "properties": {}}


def test_optional_parameters_are_left_out_unless_mentioned() -> None:
    assert plan("What's the weather in Paris?") == [("get_weather", {"location": "Paris"})]
    (_, strict), = plan("price of MSFT", {"type": "function", "function": {"name": "get_stock_price"}})
    assert set(strict) == {"ticker", "exchange"}  # strict: every property is required


# --- hints ----------------------------------------------------------------------------------------------

PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                                            "city": {"type": "string"},
                                            "email": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}


@pytest.mark.parametrize("text, expected", [
    ("Extract: John is 32 and lives in Berlin", {"name": "John", "age": 32, "city": "Berlin"}),
    ("Maria Garcia (maria@example.org), aged 41, from Madrid",
     {"name": "Maria Garcia", "age": 41, "city": "Madrid", "email": "maria@example.org"}),
    ("Bob, 28, Toronto", {"name": "Bob", "age": 28, "city": "Toronto"}),
])
def test_hints_extract_what_the_text_says(text: str, expected: dict) -> None:
    assert hints_for(PERSON, [text]) == expected


def test_hints_find_enum_members_dates_and_search_subjects() -> None:
    schema = {"type": "object", "properties": {"priority": {"enum": ["low", "medium", "high"]},
                                               "due": {"type": "string", "format": "date"},
                                               "query": {"type": "string"}}}
    assert hints_for(schema, ["Search for flights to Rome, high priority, due 2025-03-14"]) == {
        "priority": "high", "due": "2025-03-14", "query": "flights to Rome, high priority, due 2025-03-14"}


def test_lists_are_found_for_fan_out() -> None:
    assert lists_in("Compare Paris, Berlin and Rome") == [["Paris", "Berlin", "Rome"]]
    assert lists_in("passwords: mellon, radiance") == [["mellon", "radiance"]]


# --- property: arguments are always valid ----------------------------------------------------------------

PROMPTS = st.sampled_from(["What's the weather in Paris?", "Extract: John is 32 and lives in Berlin", "hi",
                           "search for cats and dogs", "book 3 tickets to Rome on 2025-05-01 for ann@example.com",
                           "values: alpha, beta and gamma", ""])


@PROPERTY_SETTINGS
@given(objects(BODIES), PROMPTS, st.sampled_from(["auto", "required"]), st.booleans(), st.booleans())
def test_arguments_always_validate_against_the_parameters(parameters: dict, text: str, choice: str,
                                                          parallel: bool, strict: bool) -> None:
    spec = FunctionSpec("do_thing", "Does the thing", parameters, strict)
    for call in plan_tool_calls([{"role": "user", "content": text}], [spec], choice, parallel, b"p"):
        assert_valid(json.loads(call.arguments), parameters)


EMAIL = {"type": "function", "function": {"name": "send_email", "description": "Send an email", "parameters": {
    "type": "object", "properties": {"to": {"type": "string"}, "subject": {"type": "string"},
                                     "body": {"type": "string"}}, "required": ["to", "subject", "body"]}}}
CLOCK = {"type": "function", "function": {"name": "get_current_time", "description": "Current time in a timezone",
                                          "parameters": {"type": "object", "properties": {
                                              "timezone": {"type": "string"}}, "required": ["timezone"]}}}


@pytest.mark.parametrize("text, expected", [
    ("Send an email to bob@example.com saying the meeting is moved to 3pm",
     [("send_email", {"to": "bob@example.com", "subject": "The meeting is moved to 3pm",
                      "body": "The meeting is moved to 3pm."})]),
    ("What time is it in Tokyo?", [("get_current_time", {"timezone": "Asia/Tokyo"})]),
])
def test_messages_and_timezones_come_from_the_request(text: str, expected: list) -> None:
    assert plan(text, specs=function_specs([EMAIL, CLOCK])) == expected
