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
from dummy_openai_api.generators.responses.body import response_object, usage
from dummy_openai_api.generators.responses.events import stream_events
from dummy_openai_api.generators.responses.items import Ids, chat_messages, listed, output_text
from dummy_openai_api.generators.responses.output import Ask, ResponseWriter
from dummy_openai_api.generators.responses.request import Prompt, PromptRequest, ResponseRequest
from dummy_openai_api.proxy.state.conversation_store import ConversationStore
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.response_store import BackgroundRun, Record, ResponseStore
from dummy_openai_api.proxy.validation.responses import context_window, needs_json_word

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

    def turn(self, prompt: Prompt, ids: Ids) -> Turn:
        parent = self._parent(prompt.previous_response_id)
        if prompt.conversation:  # an unknown one is a 404
            history = list(self.conversations.get(prompt.conversation).items.values())
        else:
            history = self.store.history(parent)
        items = [listed(self.resolved(item, index), ids) for index, item in enumerate(prompt.input)]
        return Turn(history, items, chat_messages([*history, *items], prompt.instructions), parent)

    def _parent(self, previous: str | None) -> str | None:
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

    def create(self, request: ResponseRequest) -> Record:
        if request.writes:
            self.store.before_writing()
        model = request.model
        created_at = int(time.time())
        ids = Ids(created_at)
        turn = self.turn(request.prompt, ids)
        needs_json_word(request, [request.prompt.instructions or "", *map(_text_of, turn.messages)])
        spent_input = self._prompt_tokens(request, turn)
        draft = self.writer.write(Ask(request, turn.messages, ids))
        common: dict[str, Any] = {"request": request, "response_id": ids("resp"), "created_at": created_at}
        spent = usage(spent_input + draft.retrieved_tokens, self._cached(request, turn), draft.output_tokens,
                      draft.reasoning_tokens)
        background = request.background
        final = response_object(**common, status="incomplete" if draft.incomplete else "completed",
                                output=draft.output, usage=spent, web_searches=draft.web_searches,
                                image_usage=draft.image_usage,
                                completed_at=created_at + (round(self.background_seconds) if background else 0))
        pending = response_object(**common, status="in_progress")
        obfuscate = request.obfuscate
        record = Record(final, pending, model.id, turn.items, parent=turn.parent,
                        visible=request.store or background, obfuscate=obfuscate)
        if background:
            events = stream_events(final, pending, model.id, background=True, obfuscate=obfuscate)
            record.run = BackgroundRun(events, self.background_seconds)
        if record.visible:
            self.store.add(record)
        conversation = request.prompt.conversation
        if conversation:  # the turn's input and output join the conversation, whatever `store` says
            self.conversations.append(conversation, [*turn.items, *final["output"]])
        return record

    def _prompt_tokens(self, request: ResponseRequest, turn: Turn) -> int:
        """Input tokens as the API counts them, cut to the context window (`truncation: auto`)."""
        count = prompt_tokens(turn.messages, request.model.id, request.prompt.tools)
        context_window(request, count)
        return min(count, request.model.limits[0])

    def _cached(self, request: ResponseRequest, turn: Turn) -> int:
        """A continued conversation's earlier turns are a cached prefix once they reach 1024 tokens."""
        if not turn.history:
            return 0
        prompt = request.prompt
        prefix = prompt_tokens(chat_messages(turn.history, prompt.instructions), request.model.id, prompt.tools)
        return prefix // CACHE_STEP * CACHE_STEP if prefix >= CACHE_MINIMUM else 0

    def count(self, request: PromptRequest) -> int:
        """POST /v1/responses/input_tokens: what the input would cost, tools and earlier turns included."""
        turn = self.turn(request.prompt, Ids(int(time.time())))
        return prompt_tokens(turn.messages, request.model_id, request.prompt.tools)

    def compact(self, request: PromptRequest) -> dict[str, Any]:
        """POST /v1/responses/compact: the user messages kept as they are, the rest folded into one item."""
        created_at = int(time.time())
        ids = Ids(created_at)
        turn = self.turn(request.prompt, ids)
        kept = [{**item, "id": ids("msg")} for item in [*turn.history, *turn.items]
                if item.get("type") == "message" and item.get("role") == "user"]
        spent = prompt_tokens(turn.messages, request.model_id)
        folded = max(16, spent // 4)
        reasoning = 64 if request.model is not None and request.model.reasoning else 0
        compaction = {"id": ids("cmp"), "type": "compaction",
                      "encrypted_content": "gAAAAAB" + ids("x").removeprefix("x_") * 4}
        return {"id": ids("resp"), "object": "response.compaction", "created_at": created_at,
                "output": [*kept, compaction], "usage": usage(spent, 0, folded + reasoning, reasoning)}


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    return content if isinstance(content, str) else output_text(content)
