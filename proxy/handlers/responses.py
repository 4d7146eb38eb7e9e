"""The Responses API: create, retrieve (also as a stream), delete, cancel, input items, input tokens, compact."""
from __future__ import annotations

from typing import Any, AsyncIterator, Iterable

from dummy_openai_api.generators.catalog.models import CHAT, RESPONSES_ONLY, Model
from dummy_openai_api.generators.responses.events import replay_from
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy import validation
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import SSE_CONTENT_TYPE, Outcome, Reply
from dummy_openai_api.proxy.state.responder import Responder, response_not_found
from dummy_openai_api.proxy.state.shared.cache import settled
from dummy_openai_api.proxy.state.response_store import Record
from dummy_openai_api.proxy.validation import responses as checks

# The recordings (Dec 2025, Jan 2026) answer an unknown model on /v1/responses with 400, unlike chat's 404.
UNKNOWN_MODEL_STATUS = 400
LIST_LIMIT = (1, 100, 20)  # input_items `limit`: minimum, maximum, default


class ResponsesHandler(Handler):
    """What the Responses handlers share: the responder, model lookup, stored responses, event streams."""

    @property
    def responder(self) -> Responder:
        return self.services.responder

    def responses_model(self, model_id: str) -> Model:
        try:
            return self.model(model_id, CHAT, RESPONSES_ONLY)
        except APIError as error:
            if error.code != "model_not_found":
                raise
            raise APIError(UNKNOWN_MODEL_STATUS, f"The requested model '{model_id}' does not exist.", param="model",
                           code="model_not_found") from None

    def known(self, fields: frozenset[str]) -> frozenset[str] | None:
        """The body fields to accept: the endpoint's, or any with `accept_unknown_fields`."""
        return None if self.settings.accept_unknown_fields else fields

    def stored(self) -> Record:
        response_id = checks.response_id(self.request.path_args["response_id"], "response_id")
        record = self.responder.store.get(response_id)
        if record is None:
            raise response_not_found(response_id)
        return record

    def events_reply(self, events: Iterable[dict[str, Any]] | AsyncIterator[dict[str, Any]], key: str) -> Reply:
        if isinstance(events, AsyncIterator):
            return Reply(stream=_encoded(events), content_type=SSE_CONTENT_TYPE)
        return self.event_stream([sse.named_event(e["type"], e) for e in events], key)


async def _encoded(events: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    async for event in events:
        yield sse.named_event(event["type"], event)


class Responses(ResponsesHandler):
    """POST /v1/responses."""

    @synthetic(offload=True)
    def post(self) -> Outcome:
        request = checks.response_request(self.body(), self.responses_model, self.known(checks.CREATE_FIELDS))
        record = self.responder.create(request)
        if request.stream:
            return self.events_reply(record.run.follow() if record.run else record.events(), record.id)
        delay = 0.0 if record.run else self.services.pace.whole_answer(record.id)
        return self.delayed(Reply.json(record.current()), delay)


class ResponseEntry(ResponsesHandler):
    """GET and DELETE /v1/responses/{response_id}; `?stream=true` replays the events (after `starting_after`)."""

    @synthetic
    def get(self) -> Reply:
        record = self.stored()
        query = self.request.query_args()
        if query.get("stream", "").lower() != "true":
            return Reply.json(record.current())
        after = _integer(query, "starting_after")
        events = record.run.follow(after) if record.run else replay_from(record.events(), after)
        if query.get("include_obfuscation", "").lower() == "false":
            events = _without_obfuscation(events)
        return self.events_reply(events, record.id)

    @synthetic
    def delete(self) -> Outcome:
        record = self.stored()
        self.responder.store.delete(record.id)
        reply = Reply.json({"id": record.id, "object": "response.deleted", "deleted": True})
        return settled(reply) if self.responder.store.settles else reply


def _without_obfuscation(events: Any) -> Any:
    if not isinstance(events, AsyncIterator):
        return [{k: v for k, v in e.items() if k != "obfuscation"} for e in events]

    async def stripped() -> AsyncIterator[dict[str, Any]]:
        async for event in events:
            yield {k: v for k, v in event.items() if k != "obfuscation"}
    return stripped()


class ResponseCancel(ResponsesHandler):
    """POST /v1/responses/{response_id}/cancel: background responses only; cancelling twice is harmless."""

    @synthetic
    def post(self) -> Outcome:
        record = self.stored()
        if record.run is None:
            raise APIError(400, "Cannot cancel a synchronous response.")
        if record.run.done and not record.run.cancelled:
            raise APIError(400, f"Cannot cancel a {record.final['status']} response.")
        record.run.cancel()
        reply = Reply.json(record.current())
        return settled(reply) if self.responder.store.settles else reply


class ResponseInputItems(ResponsesHandler):
    """GET /v1/responses/{response_id}/input_items: a cursor page (`after`, `limit`, `order`, newest first)."""

    @synthetic
    def get(self) -> Reply:
        record = self.stored()
        query = self.request.query_args()
        low, high, default = LIST_LIMIT
        limit = validation.bounded({"limit": _integer(query, "limit")}, "limit", "integer", low, high) or default
        order = validation.one_of(query, "order", ("asc", "desc")) or "desc"
        items = record.input_items if order == "asc" else record.input_items[::-1]
        after = query.get("after")
        if after:
            position = next((i for i, item in enumerate(items) if item["id"] == after), len(items))
            items = items[position + 1:]
        page = items[:limit]
        return Reply.json({"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
                           "last_id": page[-1]["id"] if page else None, "has_more": len(items) > limit})


def _integer(query: dict[str, str], name: str) -> int | None:
    text = query.get(name)
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise APIError(400, f"Invalid type for '{name}': expected an integer, but got a string instead.",
                       param=name, code="invalid_type") from None


class ResponseInputTokens(ResponsesHandler):
    """POST /v1/responses/input_tokens."""

    @synthetic(offload=True)
    def post(self) -> Reply:
        request = checks.input_tokens_request(self.body(), self.responses_model, self.known(checks.INPUT_TOKENS_FIELDS))
        return Reply.json({"object": "response.input_tokens", "input_tokens": self.responder.count(request)})


class ResponseCompact(ResponsesHandler):
    """POST /v1/responses/compact."""

    @synthetic(offload=True)
    def post(self) -> Reply:
        request = checks.compact_request(self.body(), self.responses_model, self.known(checks.COMPACT_FIELDS))
        return Reply.json(self.responder.compact(request))
