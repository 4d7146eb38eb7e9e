"""A message's `name` counts in `prompt_tokens` as the cookbook's formula counts it: its tokens plus one."""
from __future__ import annotations

import pytest

from tests.conftest import sdk_client

# The cookbook's example ("How to count tokens with tiktoken"), whose counts it checked against the API.
JARGON = [
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate "
                                  "jargon into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch "
                                                          "base on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to "
                                                               "do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client "
                                "deliverable."},
]


@pytest.fixture
def client(server):
    with sdk_client(server) as sdk:
        yield sdk


@pytest.mark.parametrize("model,expected", [("gpt-3.5-turbo", 129), ("gpt-4", 129), ("gpt-4o", 124),
                                            ("gpt-4o-mini", 124)])
def test_the_cookbook_example_with_names(client, model: str, expected: int) -> None:
    assert client.chat.completions.create(model=model, messages=JARGON).usage.prompt_tokens == expected


def test_a_longer_name_costs_its_tokens(client) -> None:
    def prompt_tokens(name: str) -> int:
        messages = [{"role": "user", "name": name, "content": "Hello"}]
        return client.chat.completions.create(model="gpt-4o-mini", messages=messages).usage.prompt_tokens
    assert prompt_tokens("Alexander_the_Great_of_Macedon") - prompt_tokens("Al") >= 5
