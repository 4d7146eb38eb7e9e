"""Synthetic answers that may take long are made on a worker thread, so the event loop keeps answering others.

Within the bounds (generators.limits, the API's own n/best_of/prompt limits) one answer can still take seconds:
128 chat choices, 2048 prompts, a schema instance of 5,000 values, tokenizing a body of megabytes. Made on the
loop, that would hold up `/health` and every other client for as long; made on a thread, the loop gets the GIL
back within the interpreter's switch interval (5 ms). Small requests, most of them, stay on the loop: a thread
hop costs more than they do.
"""
from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, TypeVar, cast

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Outcome, Reply, Request

Synthesize = Callable[[], Outcome]
T = TypeVar("T")

INLINE_BYTES = 16 * 1024  # bodies up to this size tokenize in well under a millisecond
# Fields whose presence means more than one plain answer: several choices, a schema instance, tool arguments.
_COSTLY_FIELDS = ("response_format", "text", "tools", "functions", "logprobs", "best_of")
# A body with none of these (a plain chat request) is cheap: one C call tells, before any field is looked at.
_WATCHED_FIELDS = frozenset(("n", "prompt", "input", *_COSTLY_FIELDS))
# Two threads: one long answer does not queue another behind it, and the loop competes with few for the GIL.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="generate")
# Threads that wait on the shared state store's round trips, apart from long answers: a read the request path
# waits for is never queued behind one.
_ROUND_TRIPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="round-trip")
# One thread for writes no answer waits on (the shared journal's batches): they stay in order.
_BEHIND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-behind")


def costly(request: Request) -> bool:
    """Whether making this answer may take long enough to be felt by other clients."""
    if len(request.body) > INLINE_BYTES:
        return True
    try:
        body = request.json()
    except APIError:
        return False  # answered with the 400 at once, on the loop
    if not isinstance(body, dict) or _WATCHED_FIELDS.isdisjoint(body):
        return False
    return _several(body.get("n")) or _several_prompts(body.get("prompt")) or _several_prompts(body.get("input")) or \
        any(body.get(name) not in (None, False) for name in _COSTLY_FIELDS)


def _several(value: Any) -> bool:
    return isinstance(value, int) and value > 1


def _several_prompts(prompts: Any) -> bool:
    return isinstance(prompts, list) and len(prompts) > 1 and not isinstance(prompts[0], int)


_SERVING_LOOP: contextvars.ContextVar[asyncio.AbstractEventLoop] = contextvars.ContextVar("serving_loop")
# Answering on the loop, in the synchronous extent of a chain (proxy.pipeline.chain): a thread-local flag, not a
# context variable, so that tasks started meanwhile (a batch's run, a background response) and threads never
# inherit it: they may wait, and a MustWait there would have no chain to catch it.
_ON_LOOP = threading.local()


class MustWait(BaseException):
    """A round trip asked for while an answer is made on the event loop: the answer moves to a worker thread
    from the step that asked (raised before the round trip, so nothing of that step has happened yet).
    A BaseException: no `except Exception` on the way swallows it."""


def round_trip() -> None:
    """Called before a blocking round trip to a remote store (proxy.state.shared.redis_backend)."""
    if getattr(_ON_LOOP, "answering", False):
        raise MustWait


def answering_on_loop() -> bool:
    """From here until `done_on_loop`, a round trip on this thread raises MustWait instead of holding the loop;
    returns the flag as it was (chains may nest: a batch line's inside its request's)."""
    was = getattr(_ON_LOOP, "answering", False)
    _ON_LOOP.answering = True
    return was


def done_on_loop(was: bool) -> None:
    _ON_LOOP.answering = was


async def result(value: T | Awaitable[T]) -> T:
    """`value`, awaited when it is an awaitable: what a step that may answer now or later gave."""
    return await value if inspect.isawaitable(value) else value  # type: ignore[return-value]


async def on_thread(work: Synthesize, pool: ThreadPoolExecutor = _POOL) -> Reply:
    """`work()` made on a worker thread (see `costly` for when that is worth it)."""
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    context.run(_SERVING_LOOP.set, loop)  # what the work schedules (a background response's run) goes to this loop
    return await result(await loop.run_in_executor(pool, context.run, work))


async def waited(work: Callable[[], T]) -> T:
    """`work()`, a blocking round trip, waited for on a thread: the loop answers others meanwhile."""
    return await asyncio.get_running_loop().run_in_executor(_ROUND_TRIPS, work)


def waiting(work: Synthesize) -> Awaitable[Reply]:
    """`work()`, an answer that waits on round trips, made on a thread apart from long answers (`on_thread`)."""
    return on_thread(work, _ROUND_TRIPS)


def until_round_trip(work: Callable[[], T]) -> T | Awaitable[T]:
    """`work()` on the loop, or, from its first round trip to a remote store (MustWait), all of it again on a
    round-trip thread: for calls outside an answer's chain (the admin API) that must not wait on the loop either.
    What `work` does before its first round trip must be safe to do twice."""
    was = answering_on_loop()
    try:
        return work()
    except MustWait:
        return cast(Awaitable[T], on_thread(cast(Synthesize, work), _ROUND_TRIPS))  # what `work` returns
    finally:
        done_on_loop(was)


def behind(work: Callable[[], Any]) -> None:
    """Run `work()` on the write-behind thread, in order with the earlier ones; the caller waits for nothing."""
    _BEHIND.submit(work)


def soon(start: Callable[[], Any]) -> None:
    """Call `start` on the serving event loop: now when on it, as soon as the loop can when on a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _SERVING_LOOP.get().call_soon_threadsafe(start)
        return
    start()

