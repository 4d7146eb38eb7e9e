"""Answers kept for repeated requests: the same body sent again to a route marked `repeatable` gets the answer made
for it earlier in the same wall-clock second, without checking and composing it again.

Load tests send one request over and over, and validating and composing a chat answer is most of what it costs
(about half of a synthetic chat answer's CPU, measured). A route may be marked only when its answer depends on
nothing but the path, the query, the body and the wall-clock second (the `created` field), for models of the
catalogue: an answer for a fine-tuned model (which a delete makes a 404) is not kept, and no shared store is read
to tell. A kept answer is used only while the second has not changed, so it is the answer the route would make
again. Only answers given at once are kept (not a delayed one, an offloaded one or a paced stream), and never an
error: an invalid body is checked, and refused, every time.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from dummy_openai_api.proxy.core.http import Outcome, Reply, Request

REPEATABLE = "repeatable"  # attribute of a route's synthetic answer (proxy.pipeline.chain.synthetic)
VARYING = "varying_model"  # in a request's context: it named a model that may be gone tomorrow (a fine-tune)
MAX_BODY = 16 * 1024  # larger requests are rare in load tests, and each kept one holds its body
MAX_ANSWER = 64 * 1024
SIZE = 256  # requests kept, the oldest forgotten first
Key = tuple[Any, str, str, bytes]


class Kept:
    """An answer's parts, copied out of the `Reply` (which the chain's steps and the server may change)."""

    __slots__ = ("second", "status", "body", "headers", "stream", "source", "content_type")

    def __init__(self, second: int, reply: Reply) -> None:
        self.second = second
        self.status, self.body, self.source, self.content_type = reply.status, reply.body, reply.source, \
            reply.content_type
        self.headers = tuple(reply.headers.items())
        self.stream = tuple(reply.stream) if isinstance(reply.stream, (list, tuple)) else None

    def reply(self) -> Reply:
        return Reply(self.status, self.body, dict(self.headers), None if self.stream is None else list(self.stream),
                     self.source, self.content_type)


class Memo:
    """The answers of the last `size` repeatable requests."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.kept: dict[Key, Kept] = {}

    def key(self, request: Request, make: Callable[[], Outcome]) -> Key | None:
        """What identifies the request's answer, or None when it may not be kept."""
        if not getattr(make, REPEATABLE, False) or len(request.body) > MAX_BODY or "azure" in request.context:
            return None  # an Azure request's body is changed by its deployment, which the bytes do not show
        return getattr(make, "__func__", make), request.path, request.query, request.body

    def get(self, key: Key) -> Reply | None:
        kept = self.kept.get(key)
        if kept is None or kept.second != int(time.time()):
            return None
        return kept.reply()

    def make(self, key: Key, make: Callable[[], Outcome], request: Request) -> Outcome:
        """`make()`, kept when it is a whole answer made within one second (its `created` is that second) for a
        model that stays (`VARYING` not in the request's context)."""
        second = int(time.time())
        outcome = make()
        if isinstance(outcome, Reply) and keepable(outcome) and int(time.time()) == second \
                and VARYING not in request.context:
            self.kept.pop(key, None)  # a stale entry goes to the back of the line
            self.kept[key] = Kept(second, outcome)
            if len(self.kept) > self.size:
                del self.kept[next(iter(self.kept))]
        return outcome

    def clear(self) -> None:
        self.kept.clear()


def keepable(reply: Reply) -> bool:
    if reply.status != 200 or len(reply.body) > MAX_ANSWER:
        return False
    if reply.stream is None:
        return True
    return isinstance(reply.stream, (list, tuple)) and sum(map(len, reply.stream)) <= MAX_ANSWER
