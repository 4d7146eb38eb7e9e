"""The writing side of the cassettes (proxy.cassettes.persister) and the counters, apart from the store that
reads: two stores on one directory stand for two worker processes."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.cassettes import counters
from dummy_openai_api.proxy.cassettes.formats import CassetteError, read_cassette
from dummy_openai_api.proxy.cassettes.persister import Persister
from dummy_openai_api.proxy.cassettes.parse_cache import CassetteCache
from dummy_openai_api.proxy.cassettes.store import CassetteStore
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Request
from tests.cassette_factory import completion_json, interaction
from tests.conftest import chat_body


def request(body: dict) -> Request:
    return Request("POST", "/v1/chat/completions", HTTPHeaders({"Content-Type": "application/json"}),
                   orjson.dumps(body))


def said(store: CassetteStore, body: dict) -> str | None:
    reply = store.lookup(request(body))
    return None if reply is None else orjson.loads(reply.body)["choices"][0]["message"]["content"]


def test_a_store_catches_up_with_what_another_recorded(tmp_path: Path) -> None:
    one, two = CassetteStore(tmp_path).load(), CassetteStore(tmp_path).load()
    first, second = chat_body(seed=1), chat_body(seed=2)
    one.record("shared", interaction(first, completion_json("one")))
    two.record("shared", interaction(second, completion_json("two")))  # appends after what one wrote
    assert said(two, first) == "one"  # caught up under the lock before appending
    assert said(one, second) is None and one.catch_up("shared") and said(one, second) == "two"
    assert not one.catch_up("shared")  # nothing new: the file was not read again
    assert [i.response_body for i in read_cassette(tmp_path / "shared.yaml")] == [
        interaction(b, completion_json(t)).response_body for b, t in ((first, "one"), (second, "two"))]


def test_an_unreadable_cassette_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("interactions: [unclosed")
    persister = Persister(tmp_path, 2**20, CassetteCache(tmp_path, False, 2**20), lambda i: None)
    with pytest.raises(CassetteError):
        persister.append("broken", tmp_path / "broken.yaml", interaction(chat_body(), completion_json("x")))
    assert (tmp_path / "broken.yaml").read_text() == "interactions: [unclosed"
    store = CassetteStore(tmp_path).load()
    with pytest.raises(APIError) as refused:
        store.record("broken", interaction(chat_body(), completion_json("x")))
    assert refused.value.status == 409 and refused.value.code == "cassette_unreadable"


def test_rewind_serves_recordings_from_the_first_again(tmp_path: Path) -> None:
    store = CassetteStore(tmp_path).load()
    for text in ("first", "second"):
        store.record("queue", interaction(chat_body(), completion_json(text)))
    assert [said(store, chat_body()) for _ in range(3)] == ["first", "second", "second"]
    store.rewind()
    assert said(store, chat_body()) == "first"
    assert store.counters.totals()["queue"] == {"hit": 4, "miss": 0, "record": 2}


def test_counter_rows_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counters, "MAX_ROWS", 2)
    counted = counters.Counters()
    for path in ("/a", "/b", "/c", "/d"):
        counted.count("", f"POST {path}", "miss")
    assert counted.summary() == {"(none)": {"POST /a": {"hit": 0, "miss": 1, "record": 0},
                                            "POST /b": {"hit": 0, "miss": 1, "record": 0}},
                                 "(other)": {"(other)": {"hit": 0, "miss": 2, "record": 0}}}
