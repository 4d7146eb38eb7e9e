"""A chat request sent again with the same body: the same answer, the same errors, whatever changed around it
(proxy.pipeline.memo keeps answers for repeated requests; none of this may show)."""
from __future__ import annotations

import httpx
import openai
import pytest

from tests.api.test_fine_tuning import train
from tests.conftest import chat_body

CHAT = "/v1/chat/completions"


def test_the_same_body_gets_the_same_answer_and_each_request_is_journaled(http: httpx.Client,
                                                                          admin: httpx.Client) -> None:
    answers = [http.post(CHAT, json=chat_body()) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    first = answers[0].json()
    for again in answers[1:]:
        body = again.json()
        assert {k: v for k, v in body.items() if k != "created"} == {k: v for k, v in first.items() if k != "created"}
        assert again.headers["x-request-id"] != answers[0].headers["x-request-id"]
    entries = admin.get("/_mock/journal", params={"path": CHAT}).json()["data"]
    assert [e["request_id"] for e in entries] == [a.headers["x-request-id"] for a in answers]


def test_a_repeated_invalid_body_is_refused_every_time(http: httpx.Client) -> None:
    bad = chat_body(temperature=5)
    refusals = [http.post(CHAT, json=bad) for _ in range(3)]
    assert [r.status_code for r in refusals] == [400, 400, 400]
    assert all(r.json()["error"]["param"] == "temperature" for r in refusals)


def test_headers_a_step_added_do_not_stay_with_the_answer(http: httpx.Client, admin: httpx.Client) -> None:
    admin.post("/_mock/ratelimits", json={"rpm": 5}).raise_for_status()
    limited = http.post(CHAT, json=chat_body())
    assert limited.headers["x-ratelimit-limit-requests"] == "5"
    admin.post("/_mock/ratelimits", json={"rpm": 0}).raise_for_status()
    again = http.post(CHAT, json=chat_body())
    assert again.status_code == 200 and again.headers["x-ratelimit-limit-requests"] == "10000"
    assert again.json()["id"] == limited.json()["id"]


def test_a_deleted_fine_tune_is_gone_for_the_very_body_that_used_it(client: openai.OpenAI,
                                                                     http: httpx.Client) -> None:
    model = train(client).fine_tuned_model
    assert model
    body = chat_body(model=model)
    assert http.post(CHAT, json=body).status_code == 200
    client.models.delete(model)
    gone = http.post(CHAT, json=body)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "model_not_found"


def test_a_stream_and_its_plain_twin_each_get_their_own_shape(http: httpx.Client) -> None:
    plain = http.post(CHAT, json=chat_body())
    for _ in range(2):
        streamed = http.post(CHAT, json=chat_body(stream=True))
        assert streamed.headers["content-type"].startswith("text/event-stream")
        assert streamed.text.rstrip().endswith("data: [DONE]")
        assert plain.json()["id"] in streamed.text


@pytest.mark.parametrize("extra", [{"store": True}])
def test_a_stored_answer_is_stored_on_each_request(http: httpx.Client, extra: dict) -> None:
    first = http.post(CHAT, json=chat_body(**extra)).json()
    http.delete(f"{CHAT}/{first['id']}").raise_for_status()
    again = http.post(CHAT, json=chat_body(**extra)).json()
    assert again["id"] == first["id"]
    assert http.get(f"{CHAT}/{first['id']}").status_code == 200


def test_store_spelled_with_an_escape_is_still_stored(http: httpx.Client) -> None:
    raw = b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Escaped"}], "st\\u006fre": true}'
    for _ in range(2):
        answer = http.post(CHAT, content=raw, headers={"Content-Type": "application/json"})
        assert answer.status_code == 200
        assert http.get(f"{CHAT}/{answer.json()['id']}").status_code == 200
        http.delete(f"{CHAT}/{answer.json()['id']}").raise_for_status()
