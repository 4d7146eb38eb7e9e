"""The chat completions collection and its stored completions (`store: true`).

One stored completion (`GET`, `POST` to update its metadata, `DELETE`) and its messages (`GET .../messages`),
and the storing hook the collection's handler (proxy.handlers.chat) puts around every answer: it wraps
whatever the resolver gives, so a `store: true` completion is kept whether it came from a generator, a
cassette or the upstream; a stream is kept once it has run to its end, rebuilt from its chunks.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Awaitable, Callable, Iterable

import orjson

from dummy_openai_api.proxy.state.chat_store import ChatStore, paged
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.state.shared.cache import settled
from dummy_openai_api.proxy.state.stored_objects import assemble, chunks_of, stored_messages, stored_object
from dummy_openai_api.proxy.validation import stored


class StoredChatCompletion(Handler):
    """/v1/chat/completions/{completion_id}"""

    def get(self) -> Reply | Awaitable[Reply]:
        return self.resolve(lambda: Reply.json(self.store.get(self.completion_id).completion))

    def post(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self._update)

    def delete(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self._delete)

    @property
    def store(self) -> ChatStore:
        return self.services.chat_store

    @property
    def completion_id(self) -> str:
        return self.request.path_args["completion_id"]

    def _update(self) -> Reply | Awaitable[Reply]:
        metadata = stored.update_body(self.body())
        return self._settled(Reply.json(self.store.update(self.completion_id, metadata)))

    def _delete(self) -> Reply | Awaitable[Reply]:
        self.store.delete(self.completion_id)
        return self._settled(Reply.json({"object": "chat.completion.deleted", "id": self.completion_id,
                                         "deleted": True}))

    def _settled(self, reply: Reply) -> Reply | Awaitable[Reply]:
        return settled(reply) if self.store.settles else reply


class StoredChatMessages(StoredChatCompletion):
    """/v1/chat/completions/{completion_id}/messages"""

    post = delete = None  # type: ignore[assignment]

    def get(self) -> Reply | Awaitable[Reply]:
        return self.resolve(self._messages)

    def _messages(self) -> Reply:
        messages = self.store.get(self.completion_id).messages
        args = stored.list_query(self.request.query)
        return Reply.json(paged(messages, args, lambda after: APIError(404, f"No message found with id '{after}'.")))


# The storing hook ---------------------------------------------------------------------------------------

def keep(handler: Handler, reply: Reply | Awaitable[Reply]) -> Reply | Awaitable[Reply]:
    """`reply` itself, after storing what it carries when the request asked for `store: true`."""
    request = _request_body(handler)
    if request is None or request.get("store") is not True:
        return reply
    if isinstance(reply, Reply):
        return _kept(handler, request, reply)

    async def kept_later() -> Reply:
        return _kept(handler, request, await reply)
    return kept_later()


def _request_body(handler: Handler) -> dict[str, Any] | None:
    try:
        body = handler.request.json()
    except APIError:
        return None
    return body if isinstance(body, dict) else None


def _kept(handler: Handler, request: dict[str, Any], reply: Reply) -> Reply:
    if reply.status != 200:
        return reply
    request_id = reply.headers.get("x-request-id") or handler.request.context.get("request_id", "")

    def store(completion: dict[str, Any]) -> None:
        if isinstance(completion, dict) and completion.get("object") == "chat.completion" and completion.get("id"):
            handler.services.chat_store.put(stored_object(completion, request, request_id),
                                            stored_messages(completion["id"], request.get("messages")),
                                            str(request.get("model", "")))
    if reply.stream is None:
        try:
            store(orjson.loads(reply.body))
        except orjson.JSONDecodeError:
            pass
        return reply

    def finished(body: bytes) -> None:
        chunks = chunks_of(body)
        if chunks is not None:
            store(assemble(chunks, request))
    reply.stream = _tee(reply.stream, finished)
    return reply


def _tee(stream: AsyncIterator[bytes] | Iterable[bytes], finished: Callable[[bytes], None]) -> Any:
    """The same stream, and `finished(all of it)` once it has been sent to its end (not if it is cut short)."""
    if isinstance(stream, AsyncIterator):
        return _tee_async(stream, finished)
    return _tee_sync(stream, finished)


def _tee_sync(stream: Iterable[bytes], finished: Callable[[bytes], None]) -> Iterable[bytes]:
    seen = []
    for chunk in stream:
        seen.append(chunk)
        yield chunk
    finished(b"".join(seen))


async def _tee_async(stream: AsyncIterator[bytes], finished: Callable[[bytes], None]) -> AsyncIterator[bytes]:
    seen = []
    try:
        async for chunk in stream:
            seen.append(chunk)
            yield chunk
    finally:
        closer = getattr(stream, "aclose", None)
        if closer is not None:
            await closer()
    finished(b"".join(seen))
