"""A strict miss under `X-Cassette` (or the admin API's current cassette) explains itself from that cassette
alone: in the error and in the dashboard's flow."""
from __future__ import annotations

import httpx
import pytest

from dummy_openai_api.proxy.core.config import Exhausted, Mode
from tests.cassette_factory import completion_json, interaction, write
from tests.conftest import KEY, chat_body

HELLO = chat_body(messages=[{"role": "user", "content": "Hello"}])
ADMIN = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def strict(make_server, tmp_path):
    """`mine` recorded HELLO once; `elsewhere` recorded it too, and something closer to later requests."""
    cassettes = tmp_path / "cassettes"
    write(cassettes, "elsewhere", [interaction(HELLO, completion_json("elsewhere")),
                                   interaction({**HELLO, "seed": 1}, completion_json("elsewhere, seeded"))])
    write(cassettes, "mine", [interaction(HELLO, completion_json("mine"))])
    return make_server(mode=Mode.STRICT, cassettes=str(cassettes), on_exhausted=Exhausted.MISS)


def post(server, body: dict, cassette: str | None = "mine") -> httpx.Response:
    headers = {**ADMIN, **({"X-Cassette": cassette} if cassette else {})}
    return httpx.post(server.base_url + "/chat/completions", json=body, headers=headers, timeout=30)


def test_a_used_up_recording_is_cited_from_the_named_cassette(strict) -> None:
    assert post(strict, HELLO).json()["choices"][0]["message"]["content"] == "mine"
    message = post(strict, HELLO).json()["error"]["message"]
    assert "cassette mine)" in message
    assert "Closest recording: mine #0 (POST /chat/completions), identical, was already served" in message
    assert "elsewhere" not in message


def test_a_closer_recording_in_another_cassette_is_not_cited(strict) -> None:
    message = post(strict, {**HELLO, "seed": 1}).json()["error"]["message"]
    assert "Closest recording: mine #0" in message and "seed (recorded nothing, received 1)" in message
    assert "elsewhere" not in message
    httpx.put(strict.root_url + "/_mock/cassettes/current", json={"cassette": "mine"}, headers=ADMIN)
    assert "Closest recording: mine #0" in post(strict, {**HELLO, "seed": 1}, cassette=None).json()["error"][
        "message"]


def test_the_flow_of_a_miss_cites_the_named_cassette(strict) -> None:
    post(strict, {**HELLO, "seed": 1})
    entry = httpx.get(strict.root_url + "/_mock/journal", headers=ADMIN).json()["data"][0]
    flow = httpx.get(strict.root_url + f"/_mock/journal/{entry['id']}/flow", headers=ADMIN).json()
    assert flow["kind"] == "miss" and (flow["closest"]["cassette"], flow["closest"]["index"]) == ("mine", 0)
    assert [d["field"] for d in flow["closest"]["differences"]] == ["seed"]
