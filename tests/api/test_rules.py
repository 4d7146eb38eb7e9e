"""Rules registered at run time: faults for the next N matching requests, canned answers by message text."""
from __future__ import annotations

import pytest

from tests.conftest import chat_body, journal

CHAT = "/v1/chat/completions"


def add(admin, **rule) -> dict:
    answer = admin.post("/_mock/rules", json=rule)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_next_two_requests_to_a_path_get_429(admin, http) -> None:
    rule = add(admin, fault="429", path=CHAT, times=2)
    assert rule["id"].startswith("rule_") and rule["fault"]["kind"] == "429"
    statuses = [http.post(CHAT, json=chat_body()).status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    assert http.get("/v1/models").status_code == 200 and admin.get("/_mock/rules").json()["data"] == []


def test_match_by_method_model_and_text_with_skip(admin, http) -> None:
    add(admin, fault="500", method="post", model="gpt-4o", contains="boom", skip=1)
    assert http.post(CHAT, json=chat_body(model="gpt-4o", messages=[{"role": "user", "content": "boom"}])
                     ).status_code == 200  # skipped once
    assert http.post(CHAT, json=chat_body(model="gpt-4o-mini", messages=[{"role": "user", "content": "boom"}])
                     ).status_code == 200
    assert http.post(CHAT, json=chat_body(model="gpt-4o")).status_code == 200
    assert http.post(CHAT, json=chat_body(model="gpt-4o", messages=[
        {"role": "user", "content": [{"type": "text", "text": "a boom here"}]}])).status_code == 500


def test_canned_reply_plain_and_streamed(admin, client) -> None:
    add(admin, contains="weather", reply="Sunny and 21 degrees.")
    ask = [{"role": "user", "content": "What is the weather in Paris?"}]
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=ask)
    assert completion.choices[0].message.content == "Sunny and 21 degrees."
    assert completion.usage.completion_tokens > 0 and completion.usage.prompt_tokens > 0
    streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="gpt-4o-mini", messages=ask, stream=True, stream_options={"include_usage": True}) if c.choices)
    assert streamed == "Sunny and 21 degrees."
    other = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
    assert other.choices[0].message.content != "Sunny and 21 degrees."
    assert [e["source"] for e in journal(admin)] == ["rule:rule_1", "rule:rule_1", "synthetic"]


def test_given_response(admin, http) -> None:
    add(admin, path="/v1/embeddings", response={"status": 400, "body": {"error": {"message": "nope"}},
                                                "headers": {"x-custom": "1"}})
    answer = http.post("/v1/embeddings", json={"model": "text-embedding-3-small", "input": "x"})
    assert answer.status_code == 400 and answer.json() == {"error": {"message": "nope"}}
    assert answer.headers["x-custom"] == "1"


def test_list_delete_and_clear(admin) -> None:
    first = add(admin, fault="503")
    add(admin, reply="hello")
    assert [r["id"] for r in admin.get("/_mock/rules").json()["data"]] == [first["id"], "rule_2"]
    assert admin.delete(f"/_mock/rules/{first['id']}").json()["deleted"]
    assert admin.delete(f"/_mock/rules/{first['id']}").status_code == 404
    admin.delete("/_mock/rules")
    assert admin.get("/_mock/rules").json()["data"] == []


@pytest.mark.parametrize("rule,param", [
    ({}, "fault"), ({"fault": "429", "reply": "x"}, "fault"), ({"fault": "999"}, "fault"),
    ({"fault": "429", "times": 0}, "times"), ({"fault": "429", "path": 5}, "path"),
    ({"fault": "429", "colour": "red"}, "colour"), ({"response": {"status": 42}}, "response.status"),
    ({"reply": ["x"]}, "reply"),
])
def test_bad_rules_are_400s(admin, rule: dict, param: str) -> None:
    answer = admin.post("/_mock/rules", json=rule)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param
