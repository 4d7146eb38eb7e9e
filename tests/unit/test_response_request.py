"""proxy.validation.responses: every check in the API's order, then one typed, frozen ResponseRequest."""
from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import pytest

from dummy_openai_api.generators.catalog.models import CHAT, RESPONSES_ONLY, Catalogue, Model
from dummy_openai_api.generators.responses.request import (
    CONTENT_FIELDS, COUNTING_MODEL, NO_ECHO, Prompt, ResponseRequest,
)
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.services import ModelRegistry
from dummy_openai_api.proxy.validation.responses import (
    CREATE_FIELDS, compact_request, input_tokens_request, response_request,
)

WEATHER = {"type": "function", "name": "get_weather", "parameters": {"type": "object"}}
MODELS = ModelRegistry(Catalogue.default(), any_model=False)  # the server's own lookup


def model(name: str) -> Model:
    return MODELS.require(name, (CHAT, RESPONSES_ONLY), "/v1/responses")


def request(**fields: Any) -> ResponseRequest:
    return response_request({"model": "gpt-4o-mini", "input": "Hello", **fields}, model, CREATE_FIELDS)


def refusal(body: dict[str, Any], known: frozenset[str] | None = CREATE_FIELDS) -> APIError:
    with pytest.raises(APIError) as caught:
        response_request(body, model, known)
    return caught.value


def test_a_plain_body_takes_every_default() -> None:
    built = request()
    assert built.model.id == "gpt-4o-mini" and built.model_name == "gpt-4o-mini"
    assert built.prompt == Prompt(({"role": "user", "content": "Hello"},))  # a string is one user message
    assert built.echo is NO_ECHO and built.tool_choice is None and built.parallel_tool_calls
    assert (built.store, built.background, built.stream, built.obfuscate) == (True, False, False, True)
    assert (built.truncation, built.verbosity, built.top_logprobs, built.include) == ("disabled", "medium", 0, ())
    assert built.effort is None and built.summary is None and built.text_format is None
    assert built.writes  # stored by default


def test_fields_arrive_settled_and_as_tuples() -> None:
    built = request(input=[{"role": "user", "content": "Hi"}], instructions="Be brief", tools=[WEATHER],
                    tool_choice="required", parallel_tool_calls=False, store=False, stream=True,
                    stream_options={"include_obfuscation": False}, include=["message.output_text.logprobs"],
                    text={"format": {"type": "json_object"}, "verbosity": "low"}, temperature=0,
                    top_p=1, frequency_penalty=1, metadata={"run": "1"}, service_tier="flex",
                    conversation={"id": "conv_1"}, truncation="auto", top_logprobs=2)
    assert built.prompt == Prompt(({"role": "user", "content": "Hi"},), "Be brief", (WEATHER,), None, "conv_1")
    assert built.tool_choice == "required" and built.parallel_tool_calls is False
    assert (built.store, built.stream, built.obfuscate, built.truncation) == (False, True, False, "auto")
    assert built.include == ("message.output_text.logprobs",) and built.top_logprobs == 2
    assert built.text_format == {"type": "json_object"} and built.verbosity == "low"
    echo = built.echo
    assert (echo.temperature, echo.top_p, echo.frequency_penalty, echo.presence_penalty) == (0.0, 1.0, 1.0, 0.0)
    assert isinstance(echo.temperature, float) and echo.metadata == {"run": "1"} and echo.service_tier == "flex"
    assert built.writes  # joins a conversation, though not stored


def test_reasoning_settles_to_the_models_effort() -> None:
    assert request(model="gpt-5-mini").effort == "medium"  # the model's default
    asked = request(model="gpt-5-mini", reasoning={"effort": "low", "generate_summary": "concise"})
    assert (asked.effort, asked.summary) == ("low", "concise")
    assert request(reasoning={"effort": "high"}).effort is None  # a chat model does not reason


def test_the_request_is_frozen() -> None:
    built = request(temperature=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.store = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.echo.temperature = 1.0  # type: ignore[misc]


def test_settings_are_the_content_fields_as_sent() -> None:
    built = request(temperature=1, tools=[WEATHER], store=False, stream=True)
    sent = {"model": "gpt-4o-mini", "temperature": 1, "tools": [WEATHER]}
    assert orjson.loads(built.settings) == {name: sent.get(name) for name in CONTENT_FIELDS}
    assert request(store=False, stream=True, user="u").settings == request().settings  # storage, transport, labels
    assert request(temperature=1).settings != request(temperature=1.0).settings != request().settings


def test_checks_keep_the_api_order() -> None:
    # an unknown field first, then the body's own checks, then the model, then what the model allows, then
    # the tools this server simulates
    assert refusal({"model": "nope", "input": "x", "temperature": 5, "extra": 1}).param == "extra"
    assert refusal({"model": "nope", "input": "x", "temperature": 5}).param == "temperature"
    assert refusal({"model": "nope", "input": "x",
                    "tools": [{"type": "code_interpreter", "container": "a"}]}).code == "model_not_found"
    assert refusal({"model": "o3-mini", "input": "x", "temperature": 0.5,
                    "tools": [{"type": "code_interpreter", "container": "a"}]}).code == "unsupported_parameter"
    assert refusal({"model": "o3-mini", "input": "x",
                    "tools": [{"type": "code_interpreter", "container": "a"}]}).code == "unsupported_value"
    built = response_request({"model": "gpt-4o-mini", "input": "x", "extra": 1}, model, None)
    assert built.model_name == "gpt-4o-mini"  # no known set: any field is accepted


def test_input_tokens_and_compact_take_the_prompt() -> None:
    counted = input_tokens_request({"input": "x", "tools": [WEATHER], "previous_response_id": "resp_1"}, model)
    assert counted.model is None and counted.model_id == COUNTING_MODEL
    assert counted.prompt == Prompt(({"role": "user", "content": "x"},), None, (WEATHER,), "resp_1")
    assert input_tokens_request({"model": "gpt-5-mini", "input": "x"}, model).model_id == "gpt-5-mini"
    with pytest.raises(APIError) as caught:
        input_tokens_request({"input": "x", "store": True}, model)
    assert caught.value.param == "store"  # input_tokens knows fewer fields than create
    compact = compact_request({"model": "gpt-5-mini", "input": [{"role": "user", "content": "a"}]}, model)
    assert compact.model is not None and compact.model.reasoning
    with pytest.raises(APIError) as caught:
        compact_request({"input": "x"}, model)
    assert caught.value.param == "model"


def test_penalties_are_numbers_within_range() -> None:
    # the response echoes them as floats: anything else was a 500 when the echo converted it
    wrong = refusal({"model": "gpt-4o-mini", "input": "x", "frequency_penalty": "abc"})
    assert (wrong.status, wrong.param, wrong.code) == (400, "frequency_penalty", "invalid_type")
    high = refusal({"model": "gpt-4o-mini", "input": "x", "presence_penalty": 3})
    assert (high.param, high.code) == ("presence_penalty", "decimal_above_max_value")
    assert request(frequency_penalty=-2, presence_penalty=0.5).echo.presence_penalty == 0.5
