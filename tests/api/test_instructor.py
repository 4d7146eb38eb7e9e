"""instructor's modes against the server, unchanged: the values it parses come from the prompt.

instructor pins an older `openai` than the project's tests use, so it runs in a virtualenv of its own
(`.ci/run` builds it); elsewhere these tests are skipped."""
from __future__ import annotations

from typing import Iterable, Optional, Union

import openai
import pydantic
import pytest

from tests.conftest import sdk_client

instructor = pytest.importorskip("instructor")


class User(pydantic.BaseModel):
    name: str
    age: int


class Company(pydantic.BaseModel):
    name: str
    employees: Optional[list[User]] = None


class Weather(pydantic.BaseModel):
    city: str


class Search(pydantic.BaseModel):
    query: str


@pytest.fixture
def raw(server) -> openai.OpenAI:
    return sdk_client(server)


@pytest.mark.parametrize("mode", ["JSON", "MD_JSON", "TOOLS", "JSON_SCHEMA"])
def test_modes_extract_the_values(raw: openai.OpenAI, mode: str) -> None:
    client = instructor.from_openai(raw, mode=instructor.Mode[mode])
    user = client.chat.completions.create(model="gpt-4o-mini", response_model=User, max_retries=0,
                                          messages=[{"role": "user", "content": "Extract: Jason is 25 years old"}])
    assert user.model_dump() == {"name": "Jason", "age": 25}


@pytest.mark.parametrize("mode", ["JSON", "MD_JSON", "TOOLS"])
def test_an_optional_list_of_objects_is_filled(raw: openai.OpenAI, mode: str) -> None:
    client = instructor.from_openai(raw, mode=instructor.Mode[mode])
    company = client.chat.completions.create(
        model="gpt-4o-mini", response_model=Company, max_retries=0,
        messages=[{"role": "user", "content": "Globex: Alice is 30 and Bob is 41."}])
    assert [u.model_dump() for u in company.employees or []] == [{"name": "Alice", "age": 30},
                                                                 {"name": "Bob", "age": 41}]


@pytest.mark.parametrize("mode", ["TOOLS", "JSON", "MD_JSON"])
def test_create_iterable_gives_one_object_per_person(raw: openai.OpenAI, mode: str) -> None:
    client = instructor.from_openai(raw, mode=instructor.Mode[mode])
    users = client.chat.completions.create_iterable(
        model="gpt-4o-mini", response_model=User, max_retries=0,
        messages=[{"role": "user", "content": "Extract the users: Ann is 22, Ben is 33."}])
    assert [u.model_dump() for u in users] == [{"name": "Ann", "age": 22}, {"name": "Ben", "age": 33}]


def test_parallel_tools_call_each_fitting_tool(raw: openai.OpenAI) -> None:
    client = instructor.from_openai(raw, mode=instructor.Mode.PARALLEL_TOOLS)
    calls = client.chat.completions.create(
        model="gpt-4o-mini", response_model=Iterable[Union[Weather, Search]], max_retries=0,
        messages=[{"role": "user", "content": "What is the weather in Toronto and in Dallas?"}])
    assert [(type(c).__name__, c.model_dump()) for c in calls] == [("Weather", {"city": "Toronto"}),
                                                                    ("Weather", {"city": "Dallas"})]
