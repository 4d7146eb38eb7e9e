"""Conversations (`/v1/conversations`): their items in order, bounded by count and by bytes.

A conversation is an ordered list of items in the shape `GET /v1/conversations/{id}/items` lists them (the
form `generators.responses.items.listed` gives input items; output items are stored as the response gave them).
Beyond `limit` conversations, or `max_bytes` of items in all, the least recently used conversation goes
first; a single conversation larger than the whole budget loses its oldest items.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson

from dummy_openai_api.generators.responses.items import Ids
from dummy_openai_api.proxy.core.errors import APIError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def conversation_not_found(conversation_id: str) -> APIError:
    return APIError(404, f"Conversation with id '{conversation_id}' not found.")


def item_not_found(item_id: str) -> APIError:
    return APIError(404, f"Item with id '{item_id}' not found.")


@dataclass
class Conversation:
    id: str
    created_at: int
    metadata: dict[str, str]
    items: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)
    sizes: dict[str, int] = field(default_factory=dict)  # item id -> its JSON size in bytes

    def object(self) -> dict[str, Any]:
        """The conversation as the API shows it (without its items)."""
        return {"id": self.id, "object": "conversation", "created_at": self.created_at, "metadata": self.metadata}

    @property
    def size(self) -> int:
        return sum(self.sizes.values())


class ConversationStore:
    """Conversations by id, least recently used first."""

    def __init__(self, limit: int = 1000, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self.conversations: OrderedDict[str, Conversation] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self.conversations)

    def reset(self) -> None:
        """Forget every conversation (the admin API's reset, between tests)."""
        self.conversations.clear()
        self.bytes = 0

    def create(self, metadata: dict[str, str], items: list[dict[str, Any]]) -> Conversation:
        created_at = int(time.time())
        conversation = Conversation(Ids(created_at)("conv"), created_at, metadata)
        self.conversations[conversation.id] = conversation
        self.append(conversation.id, items)
        return conversation

    def get(self, conversation_id: str) -> Conversation:
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            raise conversation_not_found(conversation_id)
        self.conversations.move_to_end(conversation_id)
        return conversation

    def set_metadata(self, conversation_id: str, metadata: dict[str, str]) -> Conversation:
        conversation = self.get(conversation_id)
        conversation.metadata = metadata
        return conversation

    def delete(self, conversation_id: str) -> None:
        self.bytes -= self.get(conversation_id).size
        del self.conversations[conversation_id]

    def append(self, conversation_id: str, items: list[dict[str, Any]]) -> None:
        """Add items at the end of the conversation, then evict what no longer fits."""
        conversation = self.get(conversation_id)
        for item in items:
            self._drop(conversation, item["id"])
            conversation.items[item["id"]] = item
            conversation.sizes[item["id"]] = size = len(orjson.dumps(item))
            self.bytes += size
        self._evict(conversation)

    def item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        found = self.get(conversation_id).items.get(item_id)
        if found is None:
            raise item_not_found(item_id)
        return found

    def find(self, item_id: str) -> dict[str, Any] | None:
        """An item of any conversation (what an `item_reference` may name)."""
        return next((c.items[item_id] for c in self.conversations.values() if item_id in c.items), None)

    def remove_item(self, conversation_id: str, item_id: str) -> Conversation:
        conversation = self.get(conversation_id)
        if item_id not in conversation.items:
            raise item_not_found(item_id)
        self._drop(conversation, item_id)
        return conversation

    def _drop(self, conversation: Conversation, item_id: str) -> None:
        if conversation.items.pop(item_id, None) is not None:
            self.bytes -= conversation.sizes.pop(item_id)

    def _evict(self, keep: Conversation) -> None:
        """The least recently used conversations go first; `keep` (just changed) loses its oldest items last."""
        while len(self.conversations) > 1 and (len(self.conversations) > self.limit or self.bytes > self.max_bytes):
            oldest = next(iter(self.conversations.values()))
            if oldest is keep:
                break
            self.bytes -= oldest.size
            del self.conversations[oldest.id]
        while self.bytes > self.max_bytes and keep.items:
            self._drop(keep, next(iter(keep.items)))
