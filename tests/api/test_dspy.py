"""DSPy's modules against the server, unchanged: ChatAdapter's `[[ ## field ## ]]` sections and the JSONAdapter's
object parse into the values the question holds."""
from __future__ import annotations

import os
from typing import Iterator, Literal

import pytest

from tests.conftest import KEY
from tests.offline import loopback_only

# litellm (under dspy.LM) fetches a model price map when imported unless told to use the copy it ships.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
dspy = pytest.importorskip("dspy", reason="dspy is not installed")


@pytest.fixture(autouse=True)
def lm(server, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Every call reaches the server: no answer comes from DSPy's caches (nor is written to the home directory)."""
    loopback_only(monkeypatch)
    dspy.configure_cache(enable_disk_cache=False, enable_memory_cache=False)
    model = dspy.LM("openai/gpt-4o-mini", api_base=server.base_url, api_key=KEY, cache=False, num_retries=0)
    with dspy.context(lm=model, adapter=dspy.ChatAdapter()):
        yield model


def test_predict_answers_the_question() -> None:
    prediction = dspy.Predict("question -> answer")(question="What is 2 + 3?")
    assert "5" in prediction.answer


def test_chain_of_thought_reasons_then_gives_a_typed_answer() -> None:
    prediction = dspy.ChainOfThought("question -> answer: int")(question="What is 7 times 6?")
    assert prediction.answer == 42
    assert "7 times 6" in prediction.reasoning


class Facts(dspy.Signature):
    """Answer from the question."""
    question: str = dspy.InputField()
    is_capital: bool = dspy.OutputField()
    cities: list[str] = dspy.OutputField()
    count: int = dspy.OutputField()


def test_typed_output_fields_parse_to_the_values_asked_for() -> None:
    prediction = dspy.Predict(Facts)(question="Is Paris the capital of France? The cities: Paris, Lyon and Nice.")
    assert prediction.is_capital is True
    assert prediction.cities == ["Paris", "Lyon", "Nice"]
    assert isinstance(prediction.count, int)


class Sentiment(dspy.Signature):
    """Classify the sentiment of the review."""
    review: str = dspy.InputField()
    sentiment: Literal["positive", "negative"] = dspy.OutputField()


@pytest.mark.parametrize(("review", "label"), [("I love this phone, it is wonderful.", "positive"),
                                               ("Terrible battery, I hate it.", "negative")])
def test_a_literal_field_is_picked_by_the_words_used(review: str, label: str) -> None:
    assert dspy.Predict(Sentiment)(review=review).sentiment == label


def test_react_calls_the_tool_then_finishes_with_its_observation() -> None:
    calls: list[str] = []

    def get_weather(city: str) -> str:
        """The current weather in a city."""
        calls.append(city)
        return f"It is sunny and 24 degrees in {city}."

    def get_time(timezone: str) -> str:
        """The current time in a timezone."""
        calls.append(timezone)
        return "It is noon."

    agent = dspy.ReAct("question -> answer", tools=[get_time, get_weather], max_iters=4)
    prediction = agent(question="What's the weather in Paris?")
    assert calls == ["Paris"]
    assert [prediction.trajectory[f"tool_name_{i}"] for i in range(2)] == ["get_weather", "finish"]
    assert "24 degrees" in prediction.answer


def test_json_adapter_fills_the_object_from_the_text() -> None:
    with dspy.context(adapter=dspy.JSONAdapter()):
        person = dspy.Predict("text -> name: str, city: str")(text="John lives in Berlin.")
        total = dspy.Predict("question -> answer: int")(question="What is 12 + 30?")
    assert (person.name, person.city) == ("John", "Berlin")
    assert total.answer == 42
