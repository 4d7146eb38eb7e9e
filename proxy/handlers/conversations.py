"""The Conversations API: conversations (create, retrieve, update, delete) and their items (list, add,
retrieve, delete). The items are what the Responses API's `conversation` parameter reads and appends to."""
from __future__ import annotations

import time
from typing import Any

from dummy_openai_api.generators.responses.items import Ids, listed
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.state.conversation_store import ConversationStore, item_not_found
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation import conversations as checks
from dummy_openai_api.proxy.validation.stored import update_body


class ConversationHandler(Handler):
    """What the conversation handlers share: the store, the path's ids, items in their listed form."""

    @property
    def conversations(self) -> ConversationStore:
        return self.services.responder.conversations

    @property
    def conversation_id(self) -> str:
        return checks.conversation_id(self.request.path_args["conversation_id"])

    def listed_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Items as the conversation keeps them: with ids, item references resolved to what they name."""
        ids = Ids(int(time.time()))
        return [listed(self.services.responder.resolved(item, index, "items"), ids) for index, item in
                enumerate(items)]


class Conversations(ConversationHandler):
    """POST /v1/conversations."""

    @synthetic
    def post(self) -> Reply:
        meta, items = checks.create_body(self.body())
        return Reply.json(self.conversations.create(meta, self.listed_items(items)).object())


class ConversationEntry(ConversationHandler):
    """GET, POST (metadata) and DELETE /v1/conversations/{conversation_id}."""

    @synthetic
    def get(self) -> Reply:
        return Reply.json(self.conversations.get(self.conversation_id).object())

    @synthetic
    def post(self) -> Reply:
        self.conversations.get(self.conversation_id)  # an unknown conversation is a 404 before the body is read
        return Reply.json(self.conversations.set_metadata(self.conversation_id, update_body(self.body())).object())

    @synthetic
    def delete(self) -> Reply:
        conversation_id = self.conversation_id
        self.conversations.delete(conversation_id)
        return Reply.json({"id": conversation_id, "object": "conversation.deleted", "deleted": True})


class ConversationItems(ConversationHandler):
    """GET (a cursor page, newest first) and POST (add up to 20) /v1/conversations/{conversation_id}/items."""

    @synthetic
    def get(self) -> Reply:
        conversation = self.conversations.get(self.conversation_id)
        args = checks.items_query(self.request.query)
        return Reply.json(paged(list(conversation.items.values()), args, item_not_found))

    @synthetic
    def post(self) -> Reply:
        conversation_id = self.conversation_id
        self.conversations.get(conversation_id)  # an unknown conversation is a 404 before the body is read
        added = self.listed_items(checks.add_body(self.body()))
        self.conversations.append(conversation_id, added)
        return Reply.json({"object": "list", "data": added, "first_id": added[0]["id"], "last_id": added[-1]["id"],
                           "has_more": False})


class ConversationItem(ConversationHandler):
    """GET and DELETE /v1/conversations/{conversation_id}/items/{item_id}; delete answers the conversation."""

    @synthetic
    def get(self) -> Reply:
        return Reply.json(self.conversations.item(self.conversation_id, self.item_id))

    @synthetic
    def delete(self) -> Reply:
        return Reply.json(self.conversations.remove_item(self.conversation_id, self.item_id).object())

    @property
    def item_id(self) -> str:
        return self.request.path_args["item_id"]
