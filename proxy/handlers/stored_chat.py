"""The chat completions collection and its stored completions (`store: true`).

One stored completion (`GET`, `POST` to update its metadata, `DELETE`) and its messages (`GET .../messages`),
and the storing step the collection's handler (proxy.handlers.chat) applies to every answer: whichever source
answers, a generator, a cassette or the upstream, a `store: true` completion is kept; a stream is kept once it
has run to its end, rebuilt from its chunks.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Iterable

import orjson

from dummy_openai_api.proxy.state.chat_store import ChatStore, paged
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.state.shared.cache import settled
from dummy_openai_api.proxy.state.stored_objects import assemble, chunks_of, stored_messages, stored_object
from dummy_openai_api.proxy.validation import stored


class StoredChatCompletion(Handler):
    """/v1/chat/completions/{completion_id}"""

    @synthetic
    def get(self) -> Reply:
        return Reply.json(self.store.get(self.completion_id).completion)

    @synthetic
    def post(self) -> Outcome:
        metadata = stored.update_body(self.body())
        return self._settled(Reply.json(self.store.update(self.completion_id, metadata)))

    @synthetic
    def delete(self) -> Outcome:
        self.store.delete(self.completion_id)
        return self._settled(Reply.json({"object": "chat.completion.deleted", "id": self.completion_id,
                                         "deleted": True}))

    @property
    def store(self) -> ChatStore:
        return self.services.chat_store

    @property
    def completion_id(self) -> str:
        return self.request.path_args["completion_id"]

    def _settled(self, reply: Reply) -> Outcome:
        """With shared state, a change answers once every process has dropped its copy (proxy.state.shared.cache)."""
        return settled(reply) if self.store.settles else reply


class StoredChatMessages(StoredChatCompletion):
    """/v1/chat/completions/{completion_id}/messages"""

    post = delete = None  # type: ignore[assignment]

    @synthetic
    def get(self) -> Reply:
        messages = self.store.get(self.completion_id).messages
        args = stored.list_query(self.request.query)
        return Reply.json(paged(messages, args, lambda after: APIError(404, f"No message found with id '{after}'.")))


# The storing step ---------------------------------------------------------------------------------------

def storing_step(handler: Handler) -> Callable[[Reply], Reply] | None:
    """For a request that asks for `store: true`: the step that stores what its answer carries."""
    request = _request_body(handler)
    if request is None or request.get("store") is not True:
        return None
    return lambda reply: _stored(handler, request, reply)


def _request_body(handler: Handler) -> dict[str, Any] | None:
    raw = handler.request.body
    if b"store" not in raw and b"\\u" not in raw:
        return None  # no `store` key, even escaped: a repeated request's answer is kept unparsed (proxy.pipeline.memo)
    try:
        body = handler.request.json()
    except APIError:
        return None
    return body if isinstance(body, dict) else None


def _stored(handler: Handler, request: dict[str, Any], reply: Reply) -> Reply:
    """`reply` itself, its completion stored (a stream's once it has been sent to its end)."""
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
