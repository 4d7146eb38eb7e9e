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
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Reply, Request

Synthesize = Callable[[], Reply | Awaitable[Reply]]

INLINE_BYTES = 16 * 1024  # bodies up to this size tokenize in well under a millisecond
# Fields whose presence means more than one plain answer: several choices, a schema instance, tool arguments.
_COSTLY_FIELDS = ("response_format", "text", "tools", "functions", "logprobs", "best_of")
# A body with none of these (a plain chat request) is cheap: one C call tells, before any field is looked at.
_WATCHED_FIELDS = frozenset(("n", "prompt", "input", *_COSTLY_FIELDS))
# Two threads: one long answer does not queue another behind it, and the loop competes with few for the GIL.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="generate")


def off_loop(request: Request, work: Synthesize) -> Synthesize:
    """`work`, made on a worker thread when the request may be costly, on the loop otherwise."""
    def run() -> Reply | Awaitable[Reply]:
        return _threaded(work) if costly(request) else work()
    return run


def on_worker(work: Synthesize) -> Callable[[], Awaitable[Reply]]:
    """`work`, always made on a worker thread: for answers that are costly whatever the body says (pictures,
    audio codecs, embedding a file)."""
    return lambda: _threaded(work)


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


async def _threaded(work: Synthesize) -> Reply:
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    context.run(_SERVING_LOOP.set, loop)  # what the work schedules (a background response's run) goes to this loop
    reply = await loop.run_in_executor(_POOL, context.run, work)
    return await reply if inspect.isawaitable(reply) else reply


def soon(start: Callable[[], Any]) -> None:
    """Call `start` on the serving event loop: now when on it, as soon as the loop can when on a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _SERVING_LOOP.get().call_soon_threadsafe(start)
        return
    start()

