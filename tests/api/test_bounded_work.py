"""Small requests that describe huge answers are refused at once with a 400 naming the limit, answers that stay
within the bounds leave the server free for other clients, and the stores are bounded by bytes."""
from __future__ import annotations

import json
import socket
import select
import time
from typing import Any

import httpx
import pytest

from tests.conftest import KEY, chat_body, responses_body
from tests.offloaded import hold_offloaded_answers

CHAT, COMPLETIONS, RESPONSES = "/v1/chat/completions", "/v1/completions", "/v1/responses"


def response_format(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}


def wrapped(sub: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"value": sub}, "required": ["value"]}


# (name, schema, words the message must hold): each a few hundred bytes that froze the server.
BOMBS = [
    ("minItems", {"type": "array", "minItems": 10_000_000, "items": {"type": "integer"}}, "minItems 10000000"),
    ("minLength", wrapped({"type": "string", "minLength": 100_000_000}), "minLength 100000000"),
    ("minProperties", {"type": "object", "minProperties": 1_000_000}, "minProperties 1000000"),
    ("nested-minItems", wrapped({"type": "array", "minItems": 3000, "items": {
        "type": "array", "minItems": 3000, "items": {"type": "integer"}}}), "more than 5000 values"),
    ("pattern", wrapped({"type": "string", "pattern": "^(a{1000}){1000}$"}), "pattern"),
    ("allOf-refs", {"$defs": {f"d{i}": {"allOf": [{"$ref": f"#/$defs/d{i + 1}"}] * 4} for i in range(30)},
                    "$ref": "#/$defs/d0"}, "$ref and allOf"),
]


def assert_limit(answer: httpx.Response, words: str) -> None:
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "generation_limit_exceeded"
    assert words in error["message"] and "at most" in error["message"]


@pytest.mark.parametrize("name, schema, words", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_schema_bomb_in_response_format_is_refused(http: httpx.Client, name: str, schema: dict, words: str) -> None:
    assert_limit(http.post(CHAT, json=chat_body(response_format=response_format(schema))), words)


def test_a_schema_bomb_in_tool_parameters_is_refused(http: httpx.Client) -> None:
    tool = {"type": "function", "function": {"name": "save", "parameters": BOMBS[0][1]}}
    answer = http.post(CHAT, json=chat_body(tools=[tool], tool_choice="required"))
    assert_limit(answer, "minItems 10000000")


def test_a_schema_bomb_in_responses_text_format_is_refused(http: httpx.Client) -> None:
    text = {"format": {"type": "json_schema", "name": "answer", "schema": BOMBS[1][1]}}
    assert_limit(http.post(RESPONSES, json=responses_body(text=text)), "minLength 100000000")


def test_a_schema_within_the_bounds_is_answered(http: httpx.Client) -> None:
    schema = wrapped({"type": "array", "minItems": 1000, "items": {"type": "string", "minLength": 20}})
    answer = http.post(CHAT, json=chat_body(response_format=response_format(schema)))
    assert answer.status_code == 200, answer.text
    value = json.loads(answer.json()["choices"][0]["message"]["content"])["value"]
    assert len(value) == 1000 and all(len(item) >= 20 for item in value)


def test_a_multiple_of_no_float_can_reach_is_not_a_server_error(http: httpx.Client) -> None:
    schema = wrapped({"type": "number", "multipleOf": 1e-300, "minimum": 1e300})
    assert http.post(CHAT, json=chat_body(response_format=response_format(schema))).status_code == 200


def completion(**changes: Any) -> dict[str, Any]:
    return {"model": "gpt-3.5-turbo-instruct", "prompt": "Say hi", **changes}


def test_legacy_prompts_times_n_is_bounded(http: httpx.Client) -> None:
    answer = http.post(COMPLETIONS, json=completion(prompt=["tell me a story"] * 256, n=128))
    assert answer.status_code == 400
    assert "32768 completions" in answer.json()["error"]["message"]
    assert "at most 2048 completions per request" in answer.json()["error"]["message"]


def test_legacy_completion_tokens_are_bounded(http: httpx.Client) -> None:
    answer = http.post(COMPLETIONS, json=completion(prompt=["a"] * 64, n=20, best_of=20, max_tokens=3000))
    assert answer.status_code == 400
    assert "at most 262144 completion tokens per request" in answer.json()["error"]["message"]
    assert answer.json()["error"]["param"] == "max_tokens"


def test_legacy_echoed_prompts_count_towards_the_bound(http: httpx.Client) -> None:
    body = completion(model="davinci-002", prompt=["word " * 3000] * 200, echo=True, logprobs=5, max_tokens=1)
    answer = http.post(COMPLETIONS, json=body)
    assert answer.status_code == 400
    assert "600200 echoed prompt tokens" in answer.json()["error"]["message"]  # 3001 tokens each
    assert answer.json()["error"]["param"] == "echo"


def test_legacy_batches_within_the_bounds_are_answered(http: httpx.Client) -> None:
    answer = http.post(COMPLETIONS, json=completion(prompt=["Say hi", "Say bye"] * 8, n=4, max_tokens=8))
    assert answer.status_code == 200
    assert len(answer.json()["choices"]) == 64


def raw_post(port: int, path: str, body: dict[str, Any]) -> socket.socket:
    """The whole request written on a socket, the answer left unread."""
    data = json.dumps(body).encode()
    conn = socket.create_connection(("127.0.0.1", port), timeout=60)
    conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
                 f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
    return conn


def test_health_is_answered_while_the_largest_answer_is_made(server, monkeypatch: pytest.MonkeyPatch) -> None:
    """2048 prompts, the most the bounds allow (about a second of work): /health does not wait for them."""
    release = hold_offloaded_answers(monkeypatch)  # else a busy machine may finish them before /health is asked
    prompts = [f"Tell me a story about the number {i}" for i in range(2048)]
    heavy = raw_post(server.port, COMPLETIONS, completion(prompt=prompts, max_tokens=128))
    with heavy, httpx.Client(base_url=server.root_url, timeout=60) as raw:
        assert raw.get("/health").status_code == 200
        pending, _, _ = select.select([heavy], [], [], 0)
        assert not pending, "/health waited for the 2048 completions"
        release.set()
        heavy.settimeout(60)
        assert heavy.recv(12).startswith(b"HTTP/1.1 200")


# --- stores bounded by bytes ----------------------------------------------------------------------------------

BIG = "word " * 60_000  # 300 KB of text in each stored request


def test_stored_chat_completions_are_bounded_by_bytes(make_server) -> None:
    small = make_server(store_mb=1.0)
    with httpx.Client(base_url=small.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as raw:
        ids = [raw.post("/chat/completions", json=chat_body(messages=[{"role": "user", "content": f"{i} {BIG}"}],
                                                            store=True)).json()["id"] for i in range(6)]
        assert raw.get(f"/chat/completions/{ids[-1]}").status_code == 200
        assert raw.get(f"/chat/completions/{ids[0]}").status_code == 404  # the oldest went first
        listed = raw.get("/chat/completions", params={"limit": 100}).json()["data"]
        assert 1 <= len(listed) <= 3


def test_stored_responses_are_bounded_by_bytes(make_server) -> None:
    small = make_server(store_mb=1.0)
    with httpx.Client(base_url=small.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as raw:
        ids = [raw.post("/responses", json=responses_body(input=f"{i} {BIG}")).json()["id"] for i in range(6)]
        assert raw.get(f"/responses/{ids[-1]}").status_code == 200
        assert raw.get(f"/responses/{ids[0]}").status_code == 404
        kept = sum(raw.get(f"/responses/{i}").status_code == 200 for i in ids)
        assert 1 <= kept <= 3


# --- inputs that scale the work: the API's limits where it has them, ours where it does not ---------------------

def tool(index: int) -> dict[str, Any]:
    return {"type": "function", "function": {"name": f"f{index}", "parameters": {"type": "object"}}}


def test_more_than_128_tools_is_the_api_400(http: httpx.Client) -> None:
    answer = http.post(CHAT, json=chat_body(tools=[tool(i) for i in range(500)], tool_choice="required"))
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "message": "Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array "
                   "with length 500 instead.", "type": "invalid_request_error", "param": "tools",
        "code": "array_above_max_length"}
    responses_tools = [{"type": "function", "name": f"f{i}", "parameters": {"type": "object"}} for i in range(500)]
    answer = http.post(RESPONSES, json=responses_body(tools=responses_tools))
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "array_above_max_length"


def test_128_tools_are_answered(http: httpx.Client) -> None:
    assert http.post(CHAT, json=chat_body(tools=[tool(i) for i in range(128)])).status_code == 200


def test_a_message_over_the_content_limit_is_the_api_400(http: httpx.Client) -> None:
    text = "a" * 10_485_761
    answer = http.post(CHAT, json=chat_body(messages=[{"role": "user", "content": text}]))
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "messages[0].content"
    assert answer.json()["error"]["code"] == "string_above_max_length"
    answer = http.post(RESPONSES, json=responses_body(input=text))
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "string_above_max_length"


def test_moderation_inputs_are_bounded(http: httpx.Client) -> None:
    many = http.post("/v1/moderations", json={"input": ["kill it"] * 3000})
    assert many.status_code == 400 and many.json()["error"]["code"] == "array_above_max_length"
    long = http.post("/v1/moderations", json={"input": "kill them all " * 100_000})
    assert long.status_code == 400
    assert "at most 262144 characters per request" in long.json()["error"]["message"]
    assert http.post("/v1/moderations", json={"input": ["kill it"] * 2048}).status_code == 200


def test_a_background_response_made_off_the_loop_still_runs_to_completion(http: httpx.Client) -> None:
    schema = wrapped({"type": "array", "minItems": 50, "items": {"type": "string"}})
    text = {"format": {"type": "json_schema", "name": "answer", "schema": schema}}
    created = http.post(RESPONSES, json=responses_body(text=text, background=True))
    assert created.status_code == 200 and created.json()["status"] in ("queued", "in_progress")
    deadline = time.monotonic() + 30  # against a hung run, not a timing check
    while (found := http.get(f"{RESPONSES}/{created.json()['id']}").json())["status"] != "completed":
        assert time.monotonic() < deadline, found["status"]
        time.sleep(0.05)
    assert len(json.loads(found["output"][-1]["content"][0]["text"])["value"]) >= 50
