"""`top_logprobs` are the head of a probability distribution: the chosen token first, the sum at most 1."""
from __future__ import annotations

import math

import pytest

from tests.conftest import chat_body, responses_body, sdk_client
from tests.api.test_completions import completion_body

PROMPTS = ["Write a long story about a lighthouse keeper.", "Explain how vaccines work in detail.",
           "List ten facts about the ocean."]


@pytest.fixture
def client(server):
    with sdk_client(server) as sdk:
        yield sdk


def assert_distribution(chosen: str, chosen_logprob: float, top: list[tuple[str, float]]) -> None:
    assert top[0] == (chosen, chosen_logprob)
    values = [lp for _, lp in top]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values)
    assert sum(math.exp(lp) for lp in values) <= 1.0


@pytest.mark.parametrize("prompt", PROMPTS)
def test_chat_top_logprobs_sum_to_at_most_one(client, prompt: str) -> None:
    body = chat_body(messages=[{"role": "user", "content": prompt}], logprobs=True, top_logprobs=20, max_tokens=150)
    entries = client.chat.completions.create(**body).choices[0].logprobs.content
    assert len(entries) > 20
    for entry in entries:
        assert_distribution(entry.token, entry.logprob, [(t.token, t.logprob) for t in entry.top_logprobs])


def test_responses_top_logprobs_sum_to_at_most_one(client) -> None:
    body = responses_body(input=PROMPTS[0], include=["message.output_text.logprobs"], top_logprobs=20)
    entries = client.responses.create(**body).output[0].content[0].logprobs
    assert entries
    for entry in entries:
        assert_distribution(entry.token, entry.logprob, [(t.token, t.logprob) for t in entry.top_logprobs])


@pytest.mark.parametrize("prompt", PROMPTS)
def test_legacy_top_logprobs_sum_to_at_most_one(client, prompt: str) -> None:
    choice = client.completions.create(**completion_body(prompt=prompt, logprobs=5, max_tokens=100)).choices[0]
    logprobs = choice.logprobs
    for token, logprob, top in zip(logprobs.tokens, logprobs.token_logprobs, logprobs.top_logprobs, strict=True):
        assert_distribution(token, logprob, list(top.items()))
