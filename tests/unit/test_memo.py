"""proxy.pipeline.memo: which answers are kept for repeated requests, and for how long."""
from __future__ import annotations

from typing import Any

import pytest
from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.pipeline import memo as memo_module
from dummy_openai_api.proxy.pipeline.memo import REPEATABLE, VARYING, Memo


class Route:
    """A route's synthetic answer that counts how often it was made."""

    def __init__(self, answer: Any = None, repeatable: bool = True) -> None:
        self.made = 0
        self.answer = answer
        setattr(self, REPEATABLE, repeatable)

    def __call__(self) -> Any:
        self.made += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer if self.answer is not None else Reply(body=b'{"n": %d}' % self.made)


def request(body: bytes = b'{"model": "gpt-4o-mini"}', path: str = "/v1/chat/completions") -> Request:
    return Request("POST", path, HTTPHeaders(), body)


def answer(memo: Memo, route: Route, sent: Request) -> Any:
    key = memo.key(sent, route)
    assert key is not None
    return memo.get(key) or memo.make(key, route, sent)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.2]
    monkeypatch.setattr(memo_module.time, "time", lambda: now[0])
    return now


def test_the_same_body_in_the_same_second_is_made_once(clock: list[float]) -> None:
    memo, route = Memo(), Route()
    first, second = answer(memo, route, request()), answer(memo, route, request())
    assert route.made == 1 and first.body == second.body and first is not second
    first.headers["x-ratelimit-limit-requests"] = "5"  # what a step does to the answer it is given
    assert answer(memo, route, request()).headers == {}


def test_a_new_second_or_another_body_or_path_is_made_again(clock: list[float]) -> None:
    memo, route = Memo(), Route()
    answer(memo, route, request())
    answer(memo, route, request(b'{"model": "gpt-4o"}'))
    answer(memo, route, request(path="/v1/other"))
    assert route.made == 3
    clock[0] += 1
    assert answer(memo, route, request()).body == b'{"n": 4}'


def test_an_answer_whose_second_ended_while_it_was_made_is_not_kept(clock: list[float]) -> None:
    memo = Memo()
    route = Route()

    def slow() -> Reply:
        clock[0] += 1
        return route()
    setattr(slow, REPEATABLE, True)
    answer(memo, slow, request())  # type: ignore[arg-type]
    answer(memo, slow, request())  # type: ignore[arg-type]
    assert route.made == 2


def test_errors_and_answers_that_come_later_are_not_kept(clock: list[float]) -> None:
    memo = Memo()
    failing = Route(ValueError("invalid"))
    for _ in range(2):
        with pytest.raises(ValueError):
            answer(memo, failing, request())
    assert failing.made == 2
    for later in (Route(Reply(status=400)), Route(Reply(stream=iter([b"data: 1\n\n"])))):
        answer(memo, later, request())
        answer(memo, later, request())
        assert later.made == 2


def test_nothing_is_kept_for_unmarked_routes_azure_requests_or_large_bodies(clock: list[float]) -> None:
    memo = Memo()
    assert memo.key(request(), Route(repeatable=False)) is None
    azure = request()
    azure.context["azure"] = True
    assert memo.key(azure, Route()) is None
    assert memo.key(request(b"x" * (memo_module.MAX_BODY + 1)), Route()) is None


def test_an_answer_for_a_model_that_may_go_is_not_kept(clock: list[float]) -> None:
    """A fine-tune deleted in the same second must give its 404; no shared store is read to know it."""
    memo, route = Memo(), Route()
    for _ in range(2):
        sent = request(b'{"model": "ft:gpt-4o-mini:org::abc"}')
        sent.context[VARYING] = True  # what the handler marks when the model is not the catalogue's
        answer(memo, route, sent)
    assert route.made == 2


def test_a_ready_made_stream_is_kept_as_a_copy_and_the_oldest_request_goes_first(clock: list[float]) -> None:
    memo = Memo(size=2)
    route = Route(Reply(stream=[b"data: 1\n\n", b"data: [DONE]\n\n"]))
    kept = answer(memo, route, request())
    again = answer(memo, route, request())
    assert route.made == 1 and again.stream == kept.stream and again.stream is not kept.stream
    answer(memo, route, request(b"2"))
    answer(memo, route, request(b"3"))
    assert route.made == 3
    answer(memo, route, request())
    assert route.made == 4
