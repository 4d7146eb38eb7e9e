"""proxy.validation.chat.chat_request: every check in the API's order, then one typed, frozen ChatRequest."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from dummy_openai_api.generators.catalog.models import CHAT, Catalogue, Model
from dummy_openai_api.generators.chat.request import DEFAULT_SAMPLING, NO_EXTRAS, NO_TOOLS, ChatRequest
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.pipeline.services import ModelRegistry
from dummy_openai_api.proxy.validation.chat import CHAT_FIELDS, chat_request

MESSAGES = [{"role": "user", "content": "What's the weather in Paris?"}]
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}


MODELS = ModelRegistry(Catalogue.default(), any_model=False)  # the server's own lookup


def model(name: str) -> Model:
    return MODELS.require(name, (CHAT,), "/v1/chat/completions")


def request(**fields: Any) -> ChatRequest:
    return chat_request({"model": "gpt-4o-mini", "messages": MESSAGES, **fields}, model, CHAT_FIELDS)


def refusal(body: dict[str, Any], known: frozenset[str] | None = CHAT_FIELDS) -> APIError:
    with pytest.raises(APIError) as caught:
        chat_request(body, model, known)
    return caught.value


def test_a_plain_body_takes_every_default() -> None:
    built = request()
    assert built.model.id == "gpt-4o-mini" and built.model_name == "gpt-4o-mini"
    assert built.messages == tuple(MESSAGES)
    assert (built.sampling, built.tool_use, built.extras, built.stream) == (DEFAULT_SAMPLING, NO_TOOLS, NO_EXTRAS,
                                                                           None)
    assert built.response_format is None


def test_fields_arrive_typed_and_as_tuples() -> None:
    built = request(n=2, stop=["END", "", 3], max_tokens=40, seed=7, logprobs=True, top_logprobs=2, tools=[WEATHER],
                    tool_choice="required", parallel_tool_calls=False, stream=True,
                    stream_options={"include_usage": True}, metadata={"run": "1"}, store=True, user="u-1")
    assert built.sampling.n == 2 and built.sampling.stop == ("END",)  # empty and non-string stops never match
    assert built.sampling.limit == 40 and built.sampling.seed == 7
    assert built.sampling.logprobs and built.sampling.top_logprobs == 2
    assert built.tool_use.tools == (WEATHER,) and built.tool_use.tool_choice == "required"
    assert built.tool_use.parallel_tool_calls is False
    assert built.stream is not None and built.stream.include_usage and built.stream.include_obfuscation
    assert built.extras.store and built.extras.metadata == {"run": "1"} and built.extras.user == "u-1"
    assert request(stop="").sampling.stop == () and request(stop="\n").sampling.stop == ("\n",)
    assert request(max_tokens=10, max_completion_tokens=20).sampling.limit == 20


def test_the_request_is_frozen() -> None:
    built = request(n=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.model_name = "gpt-4o"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.sampling.n = 3  # type: ignore[misc]


def test_the_digest_is_the_body_minus_how_it_travels() -> None:
    assert request(stream=True).digest == request().digest  # a stream and its plain twin share their answer
    assert request(temperature=0.5).digest != request().digest
    assert request(user="a").digest != request(user="b").digest  # as before: any other field makes a new answer


def test_checks_keep_the_api_order() -> None:
    # an unknown field first, then the body's own checks, then the model, then what the model allows
    assert refusal({"model": "nope", "messages": MESSAGES, "n": 0, "extra": 1}).message == \
        "Unrecognized request argument supplied: extra"
    assert refusal({"model": "nope", "messages": MESSAGES, "n": 0}).param == "n"
    assert refusal({"model": "nope", "messages": MESSAGES, "modalities": ["audio"]}).code == "model_not_found"
    assert refusal({"model": "o3-mini", "messages": MESSAGES, "max_tokens": 5}).code == "unsupported_parameter"
    assert refusal({"model": "gpt-4o-mini", "messages": MESSAGES, "tool_choice": "auto"}).param == "tool_choice"
    built = chat_request({"model": "gpt-4o-mini", "messages": MESSAGES, "extra": 1}, model, None)
    assert built.model_name == "gpt-4o-mini"  # no known set: any field is accepted
