"""Sampling parameters that reasoning models refuse, on chat and on the Responses API."""
from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.conftest import chat_body, responses_body

RECORDED_STOP = {"message": "Unsupported parameter: 'stop' is not supported with this model.",
                 "type": "invalid_request_error", "param": "stop", "code": "unsupported_parameter"}


def test_stop_on_a_reasoning_model_is_the_recorded_400(http) -> None:
    # Mirascope's recording: gpt-5-mini, max_completion_tokens 500, seed 42, stop ["4242"].
    answer = http.post("/v1/chat/completions", json=chat_body(model="gpt-5-mini", max_completion_tokens=500, seed=42,
                                                               stop=["4242"]))
    assert answer.status_code == 400 and answer.json() == {"error": RECORDED_STOP}


@pytest.mark.parametrize(("changes", "param", "code"), [
    ({"temperature": 0.5}, "temperature", "unsupported_value"),
    ({"top_p": 0.9}, "top_p", "unsupported_value"),
    ({"presence_penalty": 0.5}, "presence_penalty", "unsupported_value"),
    ({"frequency_penalty": -1}, "frequency_penalty", "unsupported_value"),
    ({"max_tokens": 100}, "max_tokens", "unsupported_parameter"),
    ({"logit_bias": {"1234": 5}}, "logit_bias", "unsupported_parameter"),
])
@pytest.mark.parametrize("model", ["gpt-5-mini", "o3-mini"])
def test_reasoning_models_refuse_sampling_settings_on_chat(client, model: str, changes: dict[str, Any], param: str,
                                                           code: str) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(**chat_body(model=model, **changes))
    assert (refused.value.param, refused.value.code) == (param, code)
    client.chat.completions.create(**chat_body(model="gpt-4o-mini", **changes))  # a chat model takes them


def test_the_value_refusal_names_the_value_and_the_default(client) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(**chat_body(model="o4-mini", temperature=0.2))
    assert refused.value.body["message"] == ("Unsupported value: 'temperature' does not support 0.2 with this model. "
                                     "Only the default (1) value is supported.")


@pytest.mark.parametrize("changes", [{"temperature": 1}, {"top_p": 1.0, "presence_penalty": 0}, {"stop": None}])
def test_defaults_pass_on_reasoning_models(client, changes: dict[str, Any]) -> None:
    assert client.chat.completions.create(**chat_body(model="gpt-5-mini", **changes)).choices


def test_no_reasoning_effort_samples_like_a_chat_model(client) -> None:
    answer = client.chat.completions.create(**chat_body(model="gpt-5.1", reasoning_effort="none", temperature=0.3,
                                                        stop=["\n\n"]))
    assert answer.choices
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(**chat_body(model="gpt-5.1", reasoning_effort="none", max_tokens=50))


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_reasoning_models_refuse_sampling_settings_on_responses(client, name: str) -> None:
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(**responses_body(model="gpt-5", **{name: 0.5}))
    assert refused.value.body["message"] == f"Unsupported parameter: '{name}' is not supported with this model."
    assert (refused.value.param, refused.value.code) == (name, "unsupported_parameter")
    assert client.responses.create(**responses_body(model="gpt-4.1", **{name: 0.5})).output_text
    assert client.responses.create(**responses_body(model="gpt-5.1", reasoning={"effort": "none"},
                                                    **{name: 0.5})).output_text
