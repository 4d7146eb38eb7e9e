"""The stores of API objects on a shared backend: stored chat completions and conversations.

Each subclasses its memory store and keeps the same contract (the handlers cannot tell them apart); only the
place of the objects changes. Bounded by count like the memory stores (the oldest go first).
"""
from __future__ import annotations

import time
from typing import Any

import orjson

from dummy_openai_api.generators.responses.items import Ids
from dummy_openai_api.proxy.state.chat_store import ChatStore, Entry, not_found
from dummy_openai_api.proxy.state.conversation_store import (Conversation, ConversationStore,
                                                             conversation_not_found)
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import Generations, remember
from dummy_openai_api.proxy.state.shared.table import Table, TableMapping
from dummy_openai_api.proxy.state.voices import MOST_OBJECTS, VoiceStore


class SharedChatStore(ChatStore):
    """Stored chat completions (`store: true`) in the `chat` table: `{completion, messages, model}` by id."""

    settles = True

    def __init__(self, backend: Backend, limit: int, generations: Generations) -> None:
        super().__init__(limit)
        self.table = Table(backend, "chat", limit)
        self.generations = generations
        self.kept = generations.cache()  # id -> record, as last read or written here

    def __len__(self) -> int:
        return len(self.table.values())

    def reset(self) -> None:
        self.table.clear()
        self.generations.changed()

    def put(self, completion: dict[str, Any], messages: list[dict[str, Any]], model: str) -> None:
        record = {"completion": completion, "messages": messages, "model": model}
        self.table.put(completion["id"], record)
        remember(self.kept, completion["id"], record, self.limit)

    def get(self, completion_id: str) -> Entry:
        record = self.kept.get(completion_id)
        if record is None:
            record = self.table.get(completion_id)
            if record is None:
                raise not_found(completion_id)
            remember(self.kept, completion_id, record, self.limit)
        return _entry(record, 0)

    def delete(self, completion_id: str) -> None:
        if not self.table.delete(completion_id):
            raise not_found(completion_id)
        self.generations.changed()

    def update(self, completion_id: str, metadata: dict[str, str]) -> dict[str, Any]:
        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            if record is not None:
                record["completion"]["metadata"] = metadata
            return record
        record = self.table.update(completion_id, change)
        if record is None:
            raise not_found(completion_id)
        self.generations.changed()
        return record["completion"]  # type: ignore[no-any-return]

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        self.entries.clear()
        for seq, record in enumerate(self.table.values()):
            entry = _entry(record, seq)
            self.entries[entry.completion["id"]] = entry
        try:
            return super().page(args)
        finally:
            self.entries.clear()

    def load(self) -> None:
        """Nothing to read: the backend keeps the completions (a `--store-file` is for one process)."""

    def flush(self) -> None:
        """Nothing to write: every change is in the backend already."""


def _entry(record: dict[str, Any], seq: int) -> Entry:
    return Entry(record["completion"], record["messages"], seq, record["model"])


class SharedConversationStore(ConversationStore):
    """Conversations in the `conversations` table: `{id, created_at, metadata, items}` by id."""

    def __init__(self, backend: Backend, limit: int) -> None:
        super().__init__(limit)
        self.table = Table(backend, "conversations", limit)

    def __len__(self) -> int:
        return len(self.table.values())

    def reset(self) -> None:
        self.table.clear()

    def create(self, metadata: dict[str, str], items: list[dict[str, Any]]) -> Conversation:
        created_at = int(time.time())
        conversation = Conversation(Ids(created_at)("conv"), created_at, metadata)
        for item in items:
            conversation.items[item["id"]] = item
        self.table.put(conversation.id, _conversation_record(conversation))
        return conversation

    def get(self, conversation_id: str) -> Conversation:
        record = self.table.get(conversation_id)
        if record is None:
            raise conversation_not_found(conversation_id)
        return _conversation(record)

    def set_metadata(self, conversation_id: str, metadata: dict[str, str]) -> Conversation:
        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            if record is not None:
                record["metadata"] = metadata
            return record
        record = self.table.update(conversation_id, change)
        if record is None:
            raise conversation_not_found(conversation_id)
        return _conversation(record)

    def delete(self, conversation_id: str) -> None:
        if not self.table.delete(conversation_id):
            raise conversation_not_found(conversation_id)

    def append(self, conversation_id: str, items: list[dict[str, Any]]) -> None:
        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            if record is not None:
                ids = {item["id"] for item in items}
                record["items"] = [i for i in record["items"] if i["id"] not in ids] + items
            return record
        if self.table.update(conversation_id, change) is None:
            raise conversation_not_found(conversation_id)

    def find(self, item_id: str) -> dict[str, Any] | None:
        return next((i for record in self.table.values() for i in record["items"] if i["id"] == item_id), None)

    def remove_item(self, conversation_id: str, item_id: str) -> Conversation:
        self.item(conversation_id, item_id)  # 404s first

        def change(record: dict[str, Any] | None) -> dict[str, Any] | None:
            if record is not None:
                record["items"] = [i for i in record["items"] if i["id"] != item_id]
            return record
        record = self.table.update(conversation_id, change)
        if record is None:
            raise conversation_not_found(conversation_id)
        return _conversation(record)


def _conversation_record(conversation: Conversation) -> dict[str, Any]:
    return {**conversation.object(), "items": list(conversation.items.values())}


def _conversation(record: dict[str, Any]) -> Conversation:
    conversation = Conversation(record["id"], record["created_at"], record["metadata"])
    for item in record["items"]:
        conversation.items[item["id"]] = item
        conversation.sizes[item["id"]] = len(orjson.dumps(item))
    return conversation


class SharedVoiceStore(VoiceStore):
    """Voice consents and custom voices on the backend, known to every process; each table is bounded by count,
    the oldest going first, where one process's store answers 429 when full."""

    def __init__(self, backend: Backend, limit: int = MOST_OBJECTS) -> None:
        super().__init__(limit)
        self.consents = TableMapping(Table(backend, "voice_consents", limit))
        self.voices = TableMapping(Table(backend, "voices", limit))

    def _keep(self, kept: Any, item: dict[str, Any], what: str) -> dict[str, Any]:
        kept[item["id"]] = item
        return item
