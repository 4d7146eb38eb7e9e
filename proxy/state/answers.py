"""What the server answered a journaled request, kept for the dashboard's detail view.

Cheap on the hot path: the reply's body is referenced (or cut at the journal's body limit), and a stream is
passed through a wrapper that copies its first bytes; rendering, with secrets removed, waits for a reader.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Iterable, Iterator

from dummy_openai_api.proxy.core.http import Reply


class Answer:
    """The status, header block and body (or a stream's first bytes) of one answer."""

    __slots__ = ("status", "head", "stream", "chunks", "size", "limit", "truncated")

    def __init__(self, reply: Reply, head: str, limit: int) -> None:
        self.status, self.head, self.limit = reply.status, head, limit
        self.stream = reply.stream is not None
        self.truncated = False
        self.chunks: list[bytes]
        if reply.stream is None:  # the common case, on every answer: a reference, or one cut copy
            body = reply.body
            if len(body) > limit:
                self.truncated, body = True, body[:limit]
            self.chunks, self.size = [body], len(body)
            return
        self.chunks = []
        self.size = 0
        if isinstance(reply.stream, (list, tuple)):  # recorded events, already in memory
            for chunk in reply.stream:
                self.keep(chunk)
        elif isinstance(reply.stream, AsyncIterator):
            reply.stream = _AsyncCopy(reply.stream, self)
        else:
            reply.stream = _copied(reply.stream, self)

    def keep(self, chunk: bytes) -> None:
        room = self.limit - self.size
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[:room]
        if chunk:
            self.chunks.append(chunk)
            self.size += len(chunk)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def headers(self) -> list[tuple[str, str]]:
        """The header lines as sent, in order."""
        lines = (line.partition(":") for line in self.head.split("\r\n") if line)
        return [(name.strip(), value.strip()) for name, _, value in lines]


def _copied(stream: Iterable[bytes], answer: Answer) -> Iterator[bytes]:
    for chunk in stream:
        answer.keep(chunk)
        yield chunk


class _AsyncCopy:
    """Passes a stream through, keeping its first bytes; closing it closes the producer, started or not."""

    def __init__(self, stream: AsyncIterator[bytes], answer: Answer) -> None:
        self.stream, self.answer = stream, answer

    def __aiter__(self) -> "_AsyncCopy":
        return self

    async def __anext__(self) -> bytes:
        chunk = await self.stream.__anext__()
        self.answer.keep(chunk)
        return chunk

    async def aclose(self) -> None:
        closer: Any = getattr(self.stream, "aclose", None)
        if closer is not None:
            await closer()
