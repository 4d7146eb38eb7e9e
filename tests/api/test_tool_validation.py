"""Requests with malformed tools, tool_choice, functions, response_format or tool messages: the real API's 400s."""
from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import chat_body
from tests.unit.test_tool_planning import WEATHER

FN = {"name": "f", "parameters": {"type": "object", "properties": {}}}
TOOL = {"type": "function", "function": FN}
CALL = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
STRICT_BAD = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "object", "properties": {
    "c": {"type": "integer"}}, "required": ["c"]}}, "required": ["a", "b"], "additionalProperties": False}


def user(text: str = "hi") -> dict[str, Any]:
    return {"role": "user", "content": text}


CASES = [  # (body changes, param, code, message)
    ({"tools": "none"}, "tools", "invalid_type",
     "Invalid type for 'tools': expected an array of objects, but got a string instead."),
    ({"tools": []}, "tools", "empty_array",
     "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead."),
    ({"tools": [{"type": "function"}]}, "tools[0].function", "missing_required_parameter",
     "Missing required parameter: 'tools[0].function'."),
    ({"tools": [{"type": "function", "function": {"parameters": {}}}]}, "tools[0].function.name",
     "missing_required_parameter", "Missing required parameter: 'tools[0].function.name'."),
    ({"tools": [{"type": "function", "function": {"name": ""}}]}, "tools[0].function.name", "empty_string",
     "Invalid 'tools[0].function.name': empty string. Expected a string with minimum length 1, but got an empty "
     "string instead."),
    ({"tools": [{"type": "function", "function": {"name": "get.weather"}}]}, "tools[0].function.name",
     "invalid_value", "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that "
                      "matches the pattern '^[a-zA-Z0-9_-]+$'."),
    ({"tools": [{"type": "bogus"}]}, "tools[0].type", "invalid_value",
     "Invalid value: 'bogus'. Supported values are: 'function' and 'custom'."),
    ({"tool_choice": "auto"}, "tool_choice", None,
     "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."),
    ({"parallel_tool_calls": False}, "parallel_tool_calls", None,
     "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified."),
    ({"tools": [TOOL], "tool_choice": 7}, "tool_choice", "invalid_type",
     "Invalid type for 'tool_choice': expected one of one of 'none', 'auto', or 'required' or object, but got an "
     "integer instead."),
    ({"tools": [TOOL], "tool_choice": "bogus"}, "tool_choice", "invalid_value",
     "Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'."),
    ({"tools": [TOOL], "tool_choice": {"type": "bogus"}}, "tool_choice.function", "missing_required_parameter",
     "Missing required parameter: 'tool_choice.function'."),
    ({"tools": [TOOL], "tool_choice": {"type": "function", "function": {}}}, "tool_choice.function.name",
     "missing_required_parameter", "Missing required parameter: 'tool_choice.function.name'."),
    ({"tools": [TOOL], "tool_choice": {"type": "function", "function": {"name": "nope"}}}, "function_call", None,
     "Invalid value for 'function_call': no function named 'nope' was specified in the 'functions' parameter."),
    ({"functions": "x"}, "functions", "invalid_type",
     "Invalid type for 'functions': expected an array of function definitions, but got a string instead."),
    ({"functions": [{"parameters": {}}]}, "functions[0].name", "missing_required_parameter",
     "Missing required parameter: 'functions[0].name'."),
    ({"functions": [FN], "function_call": {}}, "function_call.name", "missing_required_parameter",
     "Missing required parameter: 'function_call.name'."),
    ({"function_call": "auto"}, "function_call", None,
     "Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified."),
    ({"response_format": {}}, "response_format.type", "missing_required_parameter",
     "Missing required parameter: 'response_format.type'."),
    ({"response_format": {"type": "object"}}, "response_format.type", "invalid_value",
     "Invalid value: 'object'. Supported values are: 'json_object', 'json_schema', and 'text'."),
    ({"response_format": {"type": "json_schema"}}, "response_format.json_schema", "missing_required_parameter",
     "Missing required parameter: 'response_format.json_schema'."),
    ({"response_format": {"type": "json_schema", "json_schema": {}}}, "response_format.json_schema.name",
     "missing_required_parameter", "Missing required parameter: 'response_format.json_schema.name'."),
    ({"response_format": {"type": "json_object"}}, "messages", None,
     "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."),
    ({"response_format": {"type": "json_schema", "json_schema": {"name": "x", "strict": True, "schema": {
        "type": "object", "properties": {"a": {"type": "string"}}}}}}, "response_format", None,
     "Invalid schema for response_format 'x': In context=(), 'additionalProperties' is required to be supplied "
     "and to be false."),
    ({"response_format": {"type": "json_schema", "json_schema": {"name": "x", "strict": True, "schema": STRICT_BAD}}},
     "response_format", None, "Invalid schema for response_format 'x': In context=('properties', 'b'), "
                              "'additionalProperties' is required to be supplied and to be false."),
    ({"tools": [{"type": "function", "function": {**FN, "strict": True, "parameters": {
        "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"],
        "additionalProperties": False}}}]}, "tools[0].function.parameters", "invalid_function_parameters",
     "Invalid schema for function 'f': In context=(), 'required' is required to be supplied and to be an array "
     "including every key in properties. Missing 'b'."),
    ({"messages": [user(), {"role": "tool", "tool_call_id": "call_1", "content": "x"}]}, "messages.[1].role", None,
     "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."),
    ({"messages": [user(), {"role": "assistant", "tool_calls": [CALL]}, user()]}, "messages.[1].role", None,
     "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
     "The following tool_call_ids did not have response messages: call_1"),
    ({"messages": [user(), {"role": "assistant", "tool_calls": [CALL]},
                   {"role": "tool", "tool_call_id": "call_9", "content": "x"}]}, "messages.[2].tool_call_id", None,
     "Invalid parameter: 'tool_call_id' of 'call_9' not found in 'tool_calls' of previous message."),
]


@pytest.mark.parametrize("changes, param, code, message", CASES, ids=[c[1] + ":" + str(c[2]) for c in CASES])
def test_malformed_features_are_400_in_the_real_words(http, changes: dict, param: str, code: str | None,
                                                      message: str) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(**changes))
    assert response.status_code == 400, response.text
    assert response.json()["error"] == {"message": message, "type": "invalid_request_error", "param": param,
                                        "code": code}


@pytest.mark.parametrize("changes", [
    {"tools": [WEATHER], "tool_choice": "none", "parallel_tool_calls": True},
    {"response_format": {"type": "json_object"}, "messages": [user("Answer in JSON please")]},
    {"response_format": {"type": "json_schema", "json_schema": {"name": "empty"}}},
    {"tools": [{"type": "function", "function": {"name": "no_params", "strict": True}}]},
    {"messages": [user(), {"role": "assistant", "content": None, "tool_calls": [CALL]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "done"}, user("thanks")]},
    {"tools": [{"type": "custom", "custom": {"name": "grammar"}}]},
])
def test_well_formed_features_are_accepted(http, changes: dict) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(**changes))
    assert response.status_code == 200, response.text
