"""Custom (free-form) tools in chat and the Responses API, through the official SDK and raw SSE."""
from __future__ import annotations

import json
import re
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import chat_body

# The request of a real recording (DataDog dd-trace-py, chat_completion_custom_tool_call.yaml, gpt-5, 2025):
# answered with a `custom` call of math_exp and 241 prompt tokens.
LARK = ('\nstart: expr\nexpr: term (SP ADD SP term)* -> add\n| term\nterm: factor (SP MUL SP factor)* -> mul\n'
        '| factor\nfactor: INT\nSP: " "\nADD: "+"\nMUL: "*"\n%import common.INT\n')
RECORDED = {"messages": [{"role": "user", "content": "Use the math_exp tool to add four plus four."}], "model": "gpt-5",
            "tools": [{"type": "custom", "custom": {"name": "math_exp",
                                                    "description": "Creates valid mathematical expressions",
                                                    "format": {"type": "grammar", "grammar": {
                                                        "syntax": "lark", "definition": LARK}}}}]}
ORDER = r"ORD-\d{6}"


def custom(name: str = "order_lookup", description: str = "Look up an order by its number",
           fmt: dict[str, Any] | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": name, "description": description}
    if fmt is not None:
        definition["format"] = fmt
    return {"type": "custom", "custom": definition}


def regex(definition: str) -> dict[str, Any]:
    return {"type": "grammar", "grammar": {"syntax": "regex", "definition": definition}}


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def test_the_recorded_request_gets_a_custom_call_and_its_prompt_tokens(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(**RECORDED)  # type: ignore[arg-type]
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    (call,) = choice.message.tool_calls or []
    assert call.type == "custom" and call.custom.name == "math_exp" and call.id.startswith("call_")
    assert call.custom.input == "add four plus four"
    assert answer.model == "gpt-5-2025-08-07" and answer.usage and answer.usage.prompt_tokens == 241  # as recorded


def test_a_regex_grammar_takes_the_users_value_or_a_built_one(client: openai.OpenAI) -> None:
    tools = [custom(fmt=regex(ORDER))]
    asked = client.chat.completions.create(model="gpt-4o", messages=user("Where is my order ORD-123456?"), tools=tools)
    assert asked.choices[0].message.tool_calls[0].custom.input == "ORD-123456"  # type: ignore[union-attr,index]
    forced = client.chat.completions.create(model="gpt-4o", messages=user("Hello there"), tools=tools,
                                            tool_choice="required")
    built = forced.choices[0].message.tool_calls[0].custom.input  # type: ignore[union-attr,index]
    assert re.fullmatch(ORDER, built)
    again = client.chat.completions.create(model="gpt-4o", messages=user("Hello there"), tools=tools,
                                           tool_choice="required")
    assert again.choices[0].message.tool_calls[0].custom.input == built  # type: ignore[union-attr,index]


def test_auto_answers_in_text_when_the_tool_is_not_asked_for(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(model="gpt-4o", messages=user("Tell me a joke"), tools=[custom()])
    assert answer.choices[0].finish_reason == "stop" and answer.choices[0].message.content
    assert answer.choices[0].message.tool_calls is None


@pytest.mark.parametrize("choice", [{"type": "custom", "custom": {"name": "order_lookup"}},
                                    {"type": "allowed_tools", "allowed_tools": {"mode": "required", "tools": [
                                        {"type": "custom", "custom": {"name": "order_lookup"}}]}}])
def test_tool_choice_forces_the_custom_tool(client: openai.OpenAI, choice: dict[str, Any]) -> None:
    weather = {"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
    answer = client.chat.completions.create(model="gpt-4o", messages=user("What's the weather in Paris?"),
                                            tools=[weather, custom()], tool_choice=choice)  # type: ignore[arg-type]
    (call,) = answer.choices[0].message.tool_calls or []
    assert call.type == "custom" and call.custom.name == "order_lookup"


def test_a_tool_result_gets_a_text_answer(client: openai.OpenAI) -> None:
    first = client.chat.completions.create(model="gpt-4o", messages=user("Look up order ORD-123456"), tools=[custom()])
    call = first.choices[0].message.tool_calls[0]  # type: ignore[index]
    follow = client.chat.completions.create(model="gpt-4o", tools=[custom()], messages=[
        *user("Look up order ORD-123456"),
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id, "content": "Shipped on Monday"}])
    assert follow.choices[0].finish_reason == "stop" and follow.choices[0].message.content


def test_the_tool_counts_in_the_prompt(client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(model="gpt-4o", messages=user("Tell me a joke"))
    offered = client.chat.completions.create(model="gpt-4o", messages=user("Tell me a joke"), tools=[custom()])
    assert plain.usage and offered.usage and offered.usage.prompt_tokens - plain.usage.prompt_tokens > 161


def test_a_streamed_call_carries_the_same_input(http: httpx.Client) -> None:
    body = chat_body(model="gpt-4o", messages=user("Where is ORD-654321?"), tools=[custom(fmt=regex(ORDER))])
    whole = http.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]["tool_calls"][0]
    deltas = []
    with http.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: {"):
                deltas.append(json.loads(line[6:])["choices"][0])
    calls = [call for d in deltas for call in d["delta"].get("tool_calls") or []]
    assert calls[0] == {"index": 0, "id": whole["id"], "type": "custom",
                        "custom": {"name": "order_lookup", "input": ""}}
    assert "".join(c["custom"]["input"] for c in calls) == whole["custom"]["input"] == "ORD-654321"
    assert deltas[-1]["finish_reason"] == "tool_calls"


@pytest.mark.parametrize("tool,param", [
    ({"type": "custom", "custom": {"name": "x", "format": {"type": "json"}}}, "tools[0].custom.format.type"),
    ({"type": "custom", "custom": {"name": "x", "format": {"type": "grammar"}}}, "tools[0].custom.format.grammar"),
    ({"type": "custom", "custom": {"name": "x", "format": {"type": "grammar", "grammar": {"syntax": "ebnf",
                                                                                         "definition": "a"}}}},
     "tools[0].custom.format.grammar.syntax"),
    ({"type": "custom", "custom": {"name": "bad name"}}, "tools[0].custom.name"),
])
def test_a_malformed_custom_tool_is_a_400(http: httpx.Client, tool: dict[str, Any], param: str) -> None:
    answer = http.post("/v1/chat/completions", json=chat_body(tools=[tool]))
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param


def test_a_choice_naming_an_undeclared_custom_tool_is_a_400(http: httpx.Client) -> None:
    answer = http.post("/v1/chat/completions", json=chat_body(
        tools=[custom()], tool_choice={"type": "custom", "custom": {"name": "other"}}))
    assert answer.status_code == 400


RESPONSES_TOOL = {"type": "custom", "name": "order_lookup", "description": "Look up an order by its number",
                  "format": {"type": "grammar", "syntax": "regex", "definition": ORDER}}  # flat, unlike chat's


def test_responses_answer_a_custom_tool_call_item(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4o", input="Where is my order ORD-123456?",
                                       tools=[RESPONSES_TOOL])  # type: ignore[list-item]
    (item,) = response.output
    assert item.type == "custom_tool_call" and item.name == "order_lookup" and item.input == "ORD-123456"
    assert item.id and item.id.startswith("ctc_") and item.call_id.startswith("call_")
    follow = client.responses.create(model="gpt-4o", previous_response_id=response.id, tools=[RESPONSES_TOOL],  # type: ignore[list-item]
                                     input=[{"type": "custom_tool_call_output", "call_id": item.call_id,
                                             "output": "Shipped on Monday"}])
    assert follow.output[0].type == "message" and follow.output_text


def test_responses_stream_the_custom_input(client: openai.OpenAI) -> None:
    events = list(client.responses.create(model="gpt-4o", input="Where is ORD-777777?", tools=[RESPONSES_TOOL],  # type: ignore[list-item]
                                          tool_choice={"type": "custom", "name": "order_lookup"}, stream=True))
    deltas = [e.delta for e in events if e.type == "response.custom_tool_call_input.delta"]
    (done,) = [e for e in events if e.type == "response.custom_tool_call_input.done"]
    assert "".join(deltas) == done.input == "ORD-777777"
    added = next(e for e in events if e.type == "response.output_item.added")
    assert added.item.type == "custom_tool_call" and added.item.input == ""


def test_responses_check_the_flat_grammar(http: httpx.Client) -> None:
    tool = {**RESPONSES_TOOL, "format": {"type": "grammar", "syntax": "ebnf", "definition": "a"}}
    answer = http.post("/v1/responses", json={"model": "gpt-4o", "input": "hi", "tools": [tool]})
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "tools[0].format.syntax"


def test_a_backtracking_grammar_is_answered_in_bounded_time(client: openai.OpenAI) -> None:
    """`(a|aa)+b` against sixty a's backtracks for hours in an unbounded search; the user's words are tried under
    a time budget, then a string is built from the pattern."""
    tools = [custom(fmt=regex("(a|aa)+b"))]
    answer = client.chat.completions.create(model="gpt-4o", messages=user("a" * 60), tools=tools,
                                            tool_choice="required")
    built = answer.choices[0].message.tool_calls[0].custom.input  # type: ignore[union-attr,index]
    assert re.fullmatch("(a|aa)+b", built)
