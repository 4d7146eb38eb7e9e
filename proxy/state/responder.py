"""Synthetic Responses API answers with their state: what create, input_tokens and compact do between the
handlers (HTTP) and the generators (content).

A turn's conversation is the chain behind `previous_response_id`, or the items of its `conversation` (which the
turn's input and output items then join), then this request's input with `item_reference`s resolved; instructions are the request's own, never inherited
(as the API documents). The answer is written by `generators.responses.output`, wrapped in the response object, and
kept in the `ResponseStore` when `store` is true or when it is a background response.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from dummy_openai_api.generators.responses.tokens import prompt_tokens
from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.responses.body import conversation_id, response_object, usage
from dummy_openai_api.generators.responses.events import stream_events
from dummy_openai_api.generators.responses.items import Ids, chat_messages, input_list, listed, output_text
from dummy_openai_api.generators.responses.output import Ask, ResponseWriter, reasoning_effort
from dummy_openai_api.proxy.state.conversation_store import ConversationStore
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.response_store import BackgroundRun, Record, ResponseStore
from dummy_openai_api.proxy.validation.responses import needs_json_word

CACHE_MINIMUM, CACHE_STEP = 1024, 128  # prompt caching: prefixes of 1024+ tokens, in 128-token steps


@dataclass
class Turn:
    """One request's conversation: the earlier items, its own input items, and both as chat messages."""

    history: list[dict[str, Any]]
    items: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    parent: str | None


def response_not_found(response_id: str) -> APIError:
    return APIError(404, f"Response with id '{response_id}' not found.")


class Responder:
    def __init__(self, store: ResponseStore, writer: ResponseWriter, background_seconds: float = 0.5,
                 conversations: ConversationStore | None = None) -> None:
        self.store = store
        self.writer = writer
        self.background_seconds = background_seconds
        self.conversations = conversations if conversations is not None else ConversationStore(store.limit)

    def turn(self, body: dict[str, Any], ids: Ids) -> Turn:
        parent = self._parent(body)
        conversation = conversation_id(body.get("conversation"))
        if conversation:  # an unknown one is a 404
            history = list(self.conversations.get(conversation).items.values())
        else:
            history = self.store.history(parent)
        items = [listed(self.resolved(item, index), ids) for index, item in enumerate(input_list(body.get("input")))]
        return Turn(history, items, chat_messages([*history, *items], body.get("instructions")), parent)

    def _parent(self, body: dict[str, Any]) -> str | None:
        previous = body.get("previous_response_id")
        if previous is not None:
            if self.store.get(previous) is None:
                raise APIError(400, f"Previous response with id '{previous}' not found.",
                               param="previous_response_id", code="previous_response_not_found")
            return previous
        return None

    def resolved(self, item: dict[str, Any], index: int, param: str = "input") -> dict[str, Any]:
        """The item, or the stored item an `item_reference` names."""
        if item.get("type") != "item_reference":
            return item
        found = self.store.item(item["id"]) or self.conversations.find(item["id"])
        if found is None:
            raise APIError(404, f"Item with id '{item['id']}' not found.", param=f"{param}[{index}]")
        return found

    def create(self, body: dict[str, Any], model: Model) -> Record:
        if body.get("store") is not False or body.get("background") or body.get("conversation"):
            self.store.before_writing()
        created_at = int(time.time())
        ids = Ids(created_at)
        turn = self.turn(body, ids)
        needs_json_word(body, [body.get("instructions") or "", *map(_text_of, turn.messages)])
        spent_input = self._prompt_tokens(body, model, turn)
        draft = self.writer.write(Ask(model, body, turn.messages, ids))
        common: dict[str, Any] = {"request": body, "model": model, "response_id": ids("resp"), "created_at": created_at,
                  "effort": reasoning_effort(model, body)}
        spent = usage(spent_input + draft.retrieved_tokens, self._cached(body, model, turn), draft.output_tokens,
                      draft.reasoning_tokens)
        background = bool(body.get("background"))
        final = response_object(**common, status="incomplete" if draft.incomplete else "completed",
                                output=draft.output, usage=spent, web_searches=draft.web_searches,
                                image_usage=draft.image_usage,
                                completed_at=created_at + (round(self.background_seconds) if background else 0))
        pending = response_object(**common, status="in_progress")
        obfuscate = (body.get("stream_options") or {}).get("include_obfuscation") is not False
        record = Record(final, pending, model.id, turn.items, parent=turn.parent,
                        visible=body.get("store") is not False or background, obfuscate=obfuscate)
        if background:
            events = stream_events(final, pending, model.id, background=True, obfuscate=obfuscate)
            record.run = BackgroundRun(events, self.background_seconds)
        if record.visible:
            self.store.add(record)
        conversation = conversation_id(body.get("conversation"))
        if conversation:  # the turn's input and output join the conversation, whatever `store` says
            self.conversations.append(conversation, [*turn.items, *final["output"]])
        return record

    def _prompt_tokens(self, body: dict[str, Any], model: Model, turn: Turn) -> int:
        """Input tokens as the API counts them; beyond the context window only `truncation: auto` goes on."""
        count = prompt_tokens(turn.messages, model.id, body.get("tools"))
        window = model.limits[0]
        if count > window and body.get("truncation") != "auto":
            raise APIError(400, "Your input exceeds the context window of this model. Please adjust your input and "
                                "try again.", param="input", code="context_length_exceeded")
        return min(count, window)

    def _cached(self, body: dict[str, Any], model: Model, turn: Turn) -> int:
        """A continued conversation's earlier turns are a cached prefix once they reach 1024 tokens."""
        if not turn.history:
            return 0
        prefix = prompt_tokens(chat_messages(turn.history, body.get("instructions")), model.id, body.get("tools"))
        return prefix // CACHE_STEP * CACHE_STEP if prefix >= CACHE_MINIMUM else 0

    def count(self, body: dict[str, Any], model_id: str) -> int:
        """POST /v1/responses/input_tokens: what the input would cost, tools and earlier turns included."""
        turn = self.turn(body, Ids(int(time.time())))
        return prompt_tokens(turn.messages, model_id, body.get("tools"))

    def compact(self, body: dict[str, Any], model: Model) -> dict[str, Any]:
        """POST /v1/responses/compact: the user messages kept as they are, the rest folded into one item."""
        created_at = int(time.time())
        ids = Ids(created_at)
        turn = self.turn(body, ids)
        kept = [{**item, "id": ids("msg")} for item in [*turn.history, *turn.items]
                if item.get("type") == "message" and item.get("role") == "user"]
        spent = prompt_tokens(turn.messages, model.id)
        folded = max(16, spent // 4)
        reasoning = 64 if model.reasoning else 0
        compaction = {"id": ids("cmp"), "type": "compaction",
                      "encrypted_content": "gAAAAAB" + ids("x").removeprefix("x_") * 4}
        return {"id": ids("resp"), "object": "response.compaction", "created_at": created_at,
                "output": [*kept, compaction], "usage": usage(spent, 0, folded + reasoning, reasoning)}


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    return content if isinstance(content, str) else output_text(content)
