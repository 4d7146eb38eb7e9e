"""Chat completions with tools and legacy functions, through the official SDK (strict validation) and raw HTTP."""
from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import jsonschema
import openai
import orjson
import pydantic
import pytest

from tests.conftest import chat_body
from tests.unit.test_tool_planning import STOCK, WEATHER

TOOLS = [WEATHER, STOCK]


def ask(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def sse_chunks(http, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = http.post("/v1/chat/completions", json={**body, "stream": True})
    assert response.status_code == 200, response.text
    return [orjson.loads(line[6:]) for line in response.text.splitlines()
            if line.startswith("data: {")]


def test_a_weather_question_calls_get_weather(client) -> None:
    completion = client.chat.completions.create(**chat_body(messages=ask("What's the weather in Paris?"),
                                                            tools=TOOLS))
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None and choice.message.refusal is None
    call, = choice.message.tool_calls
    assert call.type == "function" and call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"location": "Paris"}
    assert re.fullmatch(r"call_[A-Za-z0-9]{24}", call.id)
    assert completion.usage.completion_tokens > 5


def test_an_unrelated_message_gets_text(client) -> None:
    choice = client.chat.completions.create(**chat_body(messages=ask("tell me a joke"), tools=TOOLS)).choices[0]
    assert choice.finish_reason == "stop" and choice.message.tool_calls is None and choice.message.content


def test_the_same_request_makes_the_same_calls(client) -> None:
    body = chat_body(messages=ask("weather in Paris and London"), tools=TOOLS)
    first, second = (client.chat.completions.create(**body).choices[0].message for _ in range(2))
    assert first.tool_calls == second.tool_calls and len(first.tool_calls) == 2


def test_parallel_calls_have_spaced_arguments_as_recorded(client) -> None:
    calls = client.chat.completions.create(**chat_body(messages=ask("weather in Paris and London"),
                                                       tools=TOOLS)).choices[0].message.tool_calls
    assert [c.function.arguments for c in calls] == ['{"location": "Paris"}', '{"location": "London"}']


def test_parallel_tool_calls_false_makes_one_call(client) -> None:
    calls = client.chat.completions.create(**chat_body(messages=ask("weather in Paris and London"), tools=TOOLS,
                                                       parallel_tool_calls=False)).choices[0].message.tool_calls
    assert len(calls) == 1


@pytest.mark.parametrize("choice, finish", [("required", "tool_calls"),
                                            ({"type": "function", "function": {"name": "get_stock_price"}}, "stop")])
def test_forced_calls_and_their_finish_reasons(client, choice: Any, finish: str) -> None:
    # measured on the real API: a named function finishes with "stop", `required` with "tool_calls"
    result = client.chat.completions.create(**chat_body(messages=ask("tell me a joke"), tools=TOOLS,
                                                        tool_choice=choice)).choices[0]
    assert result.finish_reason == finish and len(result.message.tool_calls) == 1


def test_tool_choice_none_answers_in_text(client) -> None:
    choice = client.chat.completions.create(**chat_body(messages=ask("What's the weather in Paris?"), tools=TOOLS,
                                                        tool_choice="none")).choices[0]
    assert choice.finish_reason == "stop" and choice.message.content and not choice.message.tool_calls


def test_strict_arguments_validate_against_the_parameters(client) -> None:
    call, = client.chat.completions.create(**chat_body(messages=ask("How is MSFT doing?"), tools=TOOLS, tool_choice={
        "type": "function", "function": {"name": "get_stock_price"}})).choices[0].message.tool_calls
    jsonschema.validate(json.loads(call.function.arguments), STOCK["function"]["parameters"])


def run_tool(name: str, arguments: str) -> str:
    place = json.loads(arguments).get("location", "?")
    return json.dumps({"location": place, "temperature": 18, "unit": "celsius", "condition": "sunny"})


def test_tool_loop_call_result_then_answer(client) -> None:
    messages = ask("What's the weather in Paris and in Rome?")
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=TOOLS).choices[0].message
    messages.append(first.model_dump(exclude_none=True))
    for call in first.tool_calls:
        messages.append({"role": "tool", "tool_call_id": call.id, "content": run_tool(call.function.name,
                                                                                       call.function.arguments)})
    final = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=TOOLS).choices[0]
    assert final.finish_reason == "stop" and not final.message.tool_calls
    assert "Paris" in final.message.content and "Rome" in final.message.content and "18°C" in final.message.content


def test_a_tool_result_without_a_place_takes_it_from_the_call(client) -> None:
    messages = [*ask("What's the weather in Oslo?"), {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"location":"Oslo"}'}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": '{"temperature": -3, "condition": "snow"}'}]
    content = client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content
    assert "Oslo" in content and "-3°" in content and "snow" in content


def test_legacy_functions_answer_with_function_call(client) -> None:
    completion = client.chat.completions.create(model="gpt-3.5-turbo", messages=ask("What's the weather in Paris?"),
                                                functions=[WEATHER["function"]])
    choice = completion.choices[0]
    assert choice.finish_reason == "function_call" and choice.message.tool_calls is None
    assert choice.message.function_call.name == "get_weather"
    assert json.loads(choice.message.function_call.arguments) == {"location": "Paris"}


def test_legacy_function_call_by_name(client) -> None:
    choice = client.chat.completions.create(model="gpt-3.5-turbo", messages=ask("hi"),
                                            functions=[WEATHER["function"]],
                                            function_call={"name": "get_weather"}).choices[0]
    assert choice.message.function_call.name == "get_weather" and choice.finish_reason == "stop"


def test_max_tokens_cuts_the_arguments(client) -> None:
    choice = client.chat.completions.create(**chat_body(messages=ask("What's the weather in Paris?"), tools=TOOLS,
                                                        max_tokens=6)).choices[0]
    assert choice.finish_reason == "length" and not choice.message.tool_calls[0].function.arguments.endswith("}")


# --- streaming ---------------------------------------------------------------------------------------------

def test_stream_shape_matches_the_recorded_tool_call_streams(http) -> None:
    chunks = sse_chunks(http, chat_body(messages=ask("weather in Paris and London"), tools=TOOLS))
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert deltas[0] == {"role": "assistant", "content": None}
    assert deltas[1]["tool_calls"][0].keys() == {"index", "id", "type", "function"}
    assert deltas[1]["tool_calls"][0]["function"]["arguments"] == ""
    assert all(set(d["tool_calls"][0]) == {"index", "function"} for d in deltas[2:] if "id" not in d.get(
        "tool_calls", [{}])[0] and d)
    assert [d["tool_calls"][0]["index"] for d in deltas if "tool_calls" in d and "id" in d["tool_calls"][0]] == [0, 1]
    assert deltas[-1] == {} and chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    arguments = "".join(d["tool_calls"][0]["function"]["arguments"] for d in deltas if d.get("tool_calls")
                        and d["tool_calls"][0]["index"] == 1)
    assert json.loads(arguments) == {"location": "London"}


def test_streamed_calls_equal_the_plain_ones(client) -> None:
    body = chat_body(messages=ask("weather in Paris and London"), tools=TOOLS)
    plain = client.chat.completions.create(**body).choices[0].message.tool_calls
    with client.chat.completions.stream(**body) as stream:
        final = stream.get_final_completion().choices[0]
    assert final.finish_reason == "tool_calls"
    assert [(c.id, c.function.name, c.function.arguments) for c in final.message.tool_calls] == [
        (c.id, c.function.name, c.function.arguments) for c in plain]


def test_legacy_function_call_streams_in_function_call_deltas(http) -> None:
    chunks = sse_chunks(http, {"model": "gpt-3.5-turbo", "messages": ask("What's the weather in Paris?"),
                               "functions": [WEATHER["function"]]})
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert deltas[0] == {"role": "assistant", "content": None, "function_call": {"name": "get_weather",
                                                                                 "arguments": ""}}
    assert json.loads("".join(d["function_call"]["arguments"] for d in deltas[1:-1])) == {"location": "Paris"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "function_call"


def test_async_client_streams_tool_calls(async_client) -> None:
    async def run() -> list[str]:
        stream = await async_client.chat.completions.create(**chat_body(
            messages=ask("What's the weather in Paris?"), tools=TOOLS, stream=True))
        names = []
        async for chunk in stream:
            for call in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
                names += [call.function.name] if call.function.name else []
        return names
    assert asyncio.run(run()) == ["get_weather"]


# --- the SDK's helpers: pydantic tools, parsed arguments ------------------------------------------------------

class GetWeather(pydantic.BaseModel):
    city: str
    country: str
    units: str = pydantic.Field(description="c or f")


def test_pydantic_function_tool_is_parsed(client) -> None:
    completion = client.chat.completions.parse(model="gpt-4o-2024-08-06",
                                               messages=ask("What's the weather like in Edinburgh?"),
                                               tools=[openai.pydantic_function_tool(GetWeather)])
    call, = completion.choices[0].message.tool_calls
    assert isinstance(call.function.parsed_arguments, GetWeather)
    assert call.function.parsed_arguments.city == "Edinburgh"


def test_async_parse_with_tools(async_client) -> None:
    async def run() -> Any:
        completion = await async_client.chat.completions.parse(
            model="gpt-4o-mini", messages=ask("weather in Lisbon?"), tools=[openai.pydantic_function_tool(GetWeather)])
        return completion.choices[0].message.tool_calls[0].function.parsed_arguments
    assert asyncio.run(run()).city == "Lisbon"


def test_stream_helper_emits_tool_argument_events(client) -> None:
    with client.chat.completions.stream(model="gpt-4o-mini", messages=ask("weather in Lisbon?"),
                                        tools=[openai.pydantic_function_tool(GetWeather)]) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_completion()
    assert "tool_calls.function.arguments.delta" in kinds and "tool_calls.function.arguments.done" in kinds
    assert final.choices[0].message.tool_calls[0].function.parsed_arguments.city == "Lisbon"
