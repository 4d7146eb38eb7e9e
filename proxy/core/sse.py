"""Server-Sent Events: encoding the API's `data:` lines, splitting recorded streams, pacing them."""
from __future__ import annotations

import asyncio
import re
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


_EVENT_END = re.compile(rb"\r?\n\r?\n")


class EventBuffer:
    """Cuts a stream arriving in arbitrary chunks into whole events, byte for byte with their blank line."""

    def __init__(self) -> None:
        self.pending = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        scan_from = max(0, len(self.pending) - 3)  # a blank line may straddle the chunks
        self.pending += chunk
        events, start = [], 0
        while (end := _EVENT_END.search(self.pending, max(scan_from, start))) is not None:
            events.append(self.pending[start:end.end()])
            start = end.end()
        self.pending = self.pending[start:]
        return events

    def rest(self) -> bytes:
        """What followed the last blank line: a final event that was not terminated."""
        rest, self.pending = self.pending, b""
        return rest


def malformed(event: bytes) -> bool:
    """An event no OpenAI stream sends: not UTF-8, or `data` that is neither JSON nor `[DONE]`."""
    try:
        lines = event.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return True
    data = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
    if not data or data == ["[DONE]"]:
        return False  # comments, `event:`/`id:`/`retry:` lines alone, the end marker
    try:
        orjson.loads("\n".join(data))
    except orjson.JSONDecodeError:
        return True
    return False


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
