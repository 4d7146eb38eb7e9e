"""pydantic-ai's output modes against the server, unchanged: the values it parses come from the prompt."""
from __future__ import annotations

from typing import Optional

import pydantic
import pytest

from tests.conftest import KEY

pydantic_ai = pytest.importorskip("pydantic_ai")
from pydantic_ai import Agent, NativeOutput, PromptedOutput, ToolOutput  # noqa: E402
from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel  # noqa: E402
from pydantic_ai.providers.openai import OpenAIProvider  # noqa: E402


class City(pydantic.BaseModel):
    city: str
    country: str


class Person(pydantic.BaseModel):
    name: str
    age: int
    email: Optional[str] = None


@pytest.fixture(params=["chat", "responses"])
def model(request: pytest.FixtureRequest, server) -> OpenAIChatModel | OpenAIResponsesModel:
    provider = OpenAIProvider(base_url=server.base_url, api_key=KEY)
    kind = OpenAIChatModel if request.param == "chat" else OpenAIResponsesModel
    return kind("gpt-4o-mini", provider=provider)


@pytest.mark.parametrize("mode", [PromptedOutput, NativeOutput, ToolOutput])
def test_output_modes_give_the_values_in_the_prompt(model, mode) -> None:
    agent = Agent(model, output_type=mode(City))
    result = agent.run_sync("The windy city in the USA is Chicago.")
    assert result.output == City(city="Chicago", country="USA")


@pytest.mark.parametrize("mode", [PromptedOutput, NativeOutput, ToolOutput])
def test_optional_fields_are_filled_when_the_prompt_has_them(model, mode) -> None:
    agent = Agent(model, output_type=mode(Person))
    result = agent.run_sync("Extract: Dana is 37 and her email is dana@example.org")
    assert result.output == Person(name="Dana", age=37, email="dana@example.org")
