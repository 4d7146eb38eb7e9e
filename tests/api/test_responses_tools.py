"""Responses API tools: function calls and their loop, structured outputs, web search (simulated)."""
from __future__ import annotations

import json

import jsonschema
from pydantic import BaseModel

from tests.conftest import responses_body

WEATHER = {"type": "function", "name": "get_weather", "description": "Get the current weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"},
                                                           "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                          "required": ["city", "unit"], "additionalProperties": False}, "strict": True}
STOCKS = {"type": "function", "name": "get_stock_price", "description": "Get the latest price of a stock ticker",
          "parameters": {"type": "object", "properties": {"ticker": {"type": "string"}}, "required": ["ticker"]}}


class City(BaseModel):
    name: str
    country: str
    population: int


def test_a_function_tool_loop_answers_from_the_function_output(client) -> None:
    first = client.responses.create(**responses_body(input="What's the weather in Paris?", tools=[WEATHER]))
    (call,) = first.output
    assert call.type == "function_call" and call.name == "get_weather" and call.status == "completed"
    assert call.id.startswith("fc_") and call.call_id.startswith("call_") and len(call.call_id) == 29
    arguments = json.loads(call.arguments)
    jsonschema.validate(arguments, WEATHER["parameters"])
    assert arguments["city"] == "Paris"
    result = {"type": "function_call_output", "call_id": call.call_id,
              "output": json.dumps({"temperature": 18, "condition": "sunny"})}
    second = client.responses.create(**responses_body(input=[result], previous_response_id=first.id,
                                                      tools=[WEATHER]))
    assert [item.type for item in second.output] == ["message"]
    assert "18" in second.output_text and "Paris" in second.output_text


def test_the_loop_works_without_stored_state_too(client) -> None:
    question = [{"role": "user", "content": "What's the weather in Paris?"}]
    first = client.responses.create(**responses_body(input=question, tools=[WEATHER], store=False))
    call = first.output[0]
    again = question + [item.model_dump(exclude_none=True) for item in first.output] + [
        {"type": "function_call_output", "call_id": call.call_id, "output": "22 degrees and raining"}]
    answer = client.responses.create(**responses_body(input=again, tools=[WEATHER], store=False))
    assert "22" in answer.output_text


def test_the_same_question_plans_the_same_calls(client) -> None:
    body = responses_body(input="What's the weather in Paris?", tools=[WEATHER])
    first, second = client.responses.create(**body), client.responses.create(**body)
    assert (first.output[0].call_id, first.output[0].arguments) == (second.output[0].call_id,
                                                                    second.output[0].arguments)


def test_parallel_calls_and_their_switch(client) -> None:
    ask = "What's the weather in Paris and the price of AAPL?"
    both = client.responses.create(**responses_body(input=ask, tools=[WEATHER, STOCKS]))
    assert sorted(item.name for item in both.output) == ["get_stock_price", "get_weather"]
    one = client.responses.create(**responses_body(input=ask, tools=[WEATHER, STOCKS], parallel_tool_calls=False))
    assert len(one.output) == 1


def test_tool_choice_forms(client) -> None:
    joke = "Tell me a joke"
    assert client.responses.create(**responses_body(input=joke, tools=[WEATHER])).output[0].type == "message"
    forced = client.responses.create(**responses_body(input=joke, tools=[WEATHER], tool_choice="required"))
    assert forced.output[0].type == "function_call"
    named = client.responses.create(**responses_body(input="What's the weather in Paris?", tools=[WEATHER, STOCKS],
                                                     tool_choice={"type": "function", "name": "get_stock_price"}))
    assert [item.name for item in named.output] == ["get_stock_price"]
    assert named.tool_choice.name == "get_stock_price"
    off = client.responses.create(**responses_body(input="What's the weather in Paris?", tools=[WEATHER],
                                                   tool_choice="none"))
    assert off.output[0].type == "message"


def test_function_tools_are_echoed_normalised(client) -> None:
    response = client.responses.create(**responses_body(input="Tell me a joke", tools=[STOCKS]))
    (tool,) = response.tools
    assert tool.strict is True and tool.parameters["additionalProperties"] is False  # as the API echoes them


def test_function_call_arguments_stream_in_pieces(client) -> None:
    with client.responses.stream(**responses_body(input="What's the weather in Paris?", tools=[WEATHER])) as stream:
        events = list(stream)
        final = stream.get_final_response()
    deltas = "".join(e.delta for e in events if e.type == "response.function_call_arguments.delta")
    done = next(e for e in events if e.type == "response.function_call_arguments.done")
    assert deltas == done.arguments == final.output[0].arguments
    assert final.output[0].parsed_arguments == json.loads(done.arguments)  # strict tools are parsed by the SDK


def test_parse_fills_the_pydantic_model(client) -> None:
    parsed = client.responses.parse(**responses_body(model="gpt-4o", input="Tell me about Lyon in France"),
                                    text_format=City)
    assert isinstance(parsed.output_parsed, City) and parsed.output_parsed.name == "Lyon"
    assert parsed.text.format.type == "json_schema" and parsed.text.format.strict is True
    with client.responses.stream(**responses_body(model="gpt-4o", input="Tell me about Lyon in France"),
                                 text_format=City) as stream:
        assert stream.get_final_response().output_parsed == parsed.output_parsed


def test_a_function_wins_over_web_search_for_its_own_question(client) -> None:
    response = client.responses.create(**responses_body(input="What's the weather in Paris?",
                                                         tools=[{"type": "web_search"}, WEATHER]))
    assert [item.type for item in response.output] == ["function_call"]

QUESTION = "What was the price of bitcoin on January 1, 2026?"


def test_web_search_answers_with_a_search_call_and_citations(client) -> None:
    response = client.responses.create(**responses_body(model="gpt-4o", input=QUESTION,
                                                         tools=[{"type": "web_search"}]))
    search, message = response.output
    assert search.type == "web_search_call" and search.id.startswith("ws_") and search.status == "completed"
    assert search.action.type == "search" and search.action.query == QUESTION.rstrip("?")
    text = message.content[0]
    assert len(text.annotations) == 2
    for citation in text.annotations:
        assert citation.type == "url_citation" and citation.url.endswith("?utm_source=openai")
        domain = citation.url.split("/")[2].removeprefix("www.")
        assert text.text[citation.start_index:citation.end_index] == f"([{domain}]({citation.url}))"
    assert response.tool_usage.web_search.num_requests == 1
    assert response.tools[0].search_context_size == "medium" and response.tools[0].user_location.country == "US"


def test_web_search_sources_are_included_on_request(client) -> None:
    response = client.responses.create(**responses_body(input=QUESTION, tools=[{"type": "web_search_preview"}],
                                                         include=["web_search_call.action.sources"]))
    assert [source.url for source in response.output[0].action.sources] == \
        [citation.url for citation in response.output[1].content[0].annotations]


def test_small_talk_and_tool_choice_none_do_not_search(client) -> None:
    hello = client.responses.create(**responses_body(model="gpt-4.1", input="Hello world",
                                                      tools=[{"type": "web_search_preview"}]))
    assert [item.type for item in hello.output] == ["message"]
    assert hello.usage.input_tokens == 303  # recorded: DataDog response_stream, gpt-4.1
    off = client.responses.create(**responses_body(input=QUESTION, tools=[{"type": "web_search"}],
                                                    tool_choice="none"))
    assert [item.type for item in off.output] == ["message"]


def test_web_search_streams_its_progress_and_annotations(client) -> None:
    with client.responses.stream(**responses_body(input=QUESTION, tools=[{"type": "web_search_preview"}],
                                                  tool_choice={"type": "web_search_preview"})) as stream:
        kinds = [event.type for event in stream if not event.type.endswith(".delta")]
        final = stream.get_final_response()
    assert kinds[2:7] == ["response.output_item.added", "response.web_search_call.in_progress",
                          "response.web_search_call.searching", "response.web_search_call.completed",
                          "response.output_item.done"]
    assert kinds.count("response.output_text.annotation.added") == 2
    assert len(final.output[1].content[0].annotations) == 2


def test_a_tool_choice_object_without_a_type_is_refused(http) -> None:
    response = http.post("/v1/responses", json={"model": "gpt-4o-mini", "input": "hi", "tool_choice": {"": None}})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "tool_choice.type"
