"""Server-Sent Events: encoding the API's `data:` lines, splitting recorded streams, pacing them."""
from __future__ import annotations

import asyncio
import itertools
from typing import Any, AsyncIterator, Iterable

import orjson

DONE = b"data: [DONE]\n\n"


def event(payload: Any) -> bytes:
    """One `data: <compact JSON>` event, as the chat and completions streams send them."""
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def named_event(name: str, payload: Any) -> bytes:
    """An `event: <name>` + `data:` pair, as the Responses API streams them."""
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(payload) + b"\n\n"


def split_events(body: bytes) -> list[bytes]:
    """A recorded stream cut into its events, each with its terminating blank line, byte for byte."""
    text = body.replace(b"\r\n", b"\n")
    events = [part + b"\n\n" for part in text.split(b"\n\n") if part.strip()]
    return events


def looks_like_sse(body: bytes) -> bool:
    start = body.lstrip()[:16]
    return start.startswith((b"data:", b"event:", b"id:", b":", b"retry:"))


async def timed(chunks: Iterable[bytes], delays: Iterable[float]) -> AsyncIterator[bytes]:
    """Yield each chunk after its delay in seconds (a chunk with no delay left goes at once)."""
    pending = iter(delays)
    for chunk in chunks:
        delay = next(pending, 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        yield chunk


def paced(chunks: Iterable[bytes], first_delay: float, gap: float) -> AsyncIterator[bytes]:
    """Yield chunks after `first_delay` seconds, then one every `gap` seconds."""
    return timed(chunks, itertools.chain([first_delay], itertools.repeat(gap)))
