"""Conversations and their items through the SDK (strict validation), and the Responses API's `conversation`."""
from __future__ import annotations

import openai
import pytest

from dummy_openai_api.proxy.state.conversation_store import ConversationStore
from tests.conftest import responses_body

FACT = "My cat is called Biscuit."


def user(text: str) -> dict:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def texts(items) -> list[str]:
    return [part.text for item in items if item.type == "message" for part in item.content]


def test_create_retrieve_update_delete(client) -> None:
    created = client.conversations.create(items=[user(FACT)], metadata={"topic": "pets"})
    assert created.id.startswith("conv_") and created.object == "conversation" and created.metadata == {"topic": "pets"}
    assert client.conversations.retrieve(created.id) == created
    updated = client.conversations.update(created.id, metadata={"topic": "cats"})
    assert updated.metadata == {"topic": "cats"} and client.conversations.retrieve(created.id).metadata == {"topic": "cats"}
    deleted = client.conversations.delete(created.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (created.id, "conversation.deleted", True)
    with pytest.raises(openai.NotFoundError):
        client.conversations.retrieve(created.id)
    with pytest.raises(openai.NotFoundError):
        client.conversations.items.list(created.id)


def test_items_are_listed_newest_first_and_paginate(client) -> None:
    conversation = client.conversations.create(items=[user(f"Message {n}") for n in range(7)])
    page = client.conversations.items.list(conversation.id, limit=3)
    assert texts(page.data) == ["Message 6", "Message 5", "Message 4"] and page.has_more
    everything = list(client.conversations.items.list(conversation.id, limit=3, order="asc"))
    assert texts(everything) == [f"Message {n}" for n in range(7)]
    assert all(item.id.startswith("msg_") and item.status == "completed" for item in everything)
    after = client.conversations.items.list(conversation.id, after=everything[4].id, order="asc")
    assert texts(after.data) == ["Message 5", "Message 6"] and not after.has_more


def test_items_are_added_retrieved_and_deleted(client) -> None:
    conversation = client.conversations.create()
    assert client.conversations.items.list(conversation.id).data == []
    added = client.conversations.items.create(conversation.id, items=[user("One"), {"role": "user", "content": "Two"}])
    assert texts(added.data) == ["One", "Two"] and added.first_id == added.data[0].id and not added.has_more
    first = client.conversations.items.retrieve(added.first_id, conversation_id=conversation.id)
    assert first == added.data[0]
    after_delete = client.conversations.items.delete(added.first_id, conversation_id=conversation.id)
    assert after_delete == conversation
    assert texts(client.conversations.items.list(conversation.id)) == ["Two"]
    with pytest.raises(openai.NotFoundError):
        client.conversations.items.retrieve(added.first_id, conversation_id=conversation.id)


def test_responses_read_and_extend_their_conversation(client) -> None:
    conversation = client.conversations.create(metadata={"user": "ada"})
    first = client.responses.create(**responses_body(input=FACT, conversation=conversation.id))
    second = client.responses.create(**responses_body(input="What is my cat called?",
                                                      conversation={"id": conversation.id}))
    assert first.conversation.id == second.conversation.id == conversation.id
    assert second.usage.input_tokens > first.usage.total_tokens  # the first turn is the second's context
    items = list(client.conversations.items.list(conversation.id, order="asc"))
    assert [item.id for item in items[1:2]] == [first.output[0].id]
    assert items[-1].id == second.output[0].id and items[-1].role == "assistant"
    assert texts(items)[0] == FACT and texts(items)[2] == "What is my cat called?"


def test_initial_items_are_the_first_turns_context(client) -> None:
    empty = client.conversations.create()
    seeded = client.conversations.create(items=[user(FACT * 20)])
    plain = client.responses.create(**responses_body(conversation=empty.id))
    primed = client.responses.create(**responses_body(conversation=seeded.id))
    assert primed.usage.input_tokens > plain.usage.input_tokens + 100


def test_item_references_reach_conversation_items(client) -> None:
    conversation = client.conversations.create(items=[user(FACT)])
    fact = client.conversations.items.list(conversation.id).data[0]
    answer = client.responses.create(**responses_body(input=[{"type": "item_reference", "id": fact.id},
                                                             user("What is my cat called?")]))
    assert client.responses.input_items.list(answer.id, order="asc").data[0].id == fact.id


def test_an_unknown_conversation_is_404(http, client) -> None:
    answer = http.post("/v1/responses", json=responses_body(conversation="conv_missing"))
    assert answer.status_code == 404
    assert answer.json() == {"error": {"message": "Conversation with id 'conv_missing' not found.",
                                       "type": "invalid_request_error", "param": None, "code": None}}
    with pytest.raises(openai.NotFoundError):
        client.conversations.items.create("conv_missing", items=[user("Hi")])


def test_conversation_and_previous_response_id_together_are_400(client) -> None:
    conversation = client.conversations.create()
    first = client.responses.create(**responses_body())
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(**responses_body(conversation=conversation.id, previous_response_id=first.id))
    assert refused.value.code == "mutually_exclusive_parameters"


@pytest.mark.parametrize(("path", "body", "param", "code"), [
    ("/v1/conversations", {"items": [{"role": "user", "content": "x"}] * 21}, "items", "array_above_max_length"),
    ("/v1/conversations", {"bogus": 1}, "bogus", "unknown_parameter"),
    ("/v1/conversations", {"items": [{"role": "wizard", "content": "x"}]}, "items[0].role", "invalid_value"),
    ("/v1/conversations", {"metadata": {"k": 1}}, "metadata.k", "invalid_type"),
    ("/v1/conversations/{id}/items", {"items": []}, "items", "empty_array"),
    ("/v1/conversations/{id}", {}, "metadata", "missing_required_parameter"),
    ("/v1/conversations/not-a-conv/items", {"items": [{"role": "user", "content": "x"}]}, "conversation_id",
     "invalid_value"),
])
def test_bad_requests_are_400_in_the_api_shape(http, client, path, body, param, code) -> None:
    conversation = client.conversations.create()
    answer = http.post(path.format(id=conversation.id), json=body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["param"], error["code"], error["type"]) == (param, code, "invalid_request_error")


def test_the_admin_reset_forgets_conversations(client, admin) -> None:
    conversation = client.conversations.create(items=[user(FACT)])
    admin.post("/_mock/reset").raise_for_status()
    with pytest.raises(openai.NotFoundError):
        client.conversations.retrieve(conversation.id)


def item(item_id: str, text: str) -> dict:
    return {"id": item_id, "type": "message", "role": "user", "status": "completed",
            "content": [{"type": "input_text", "text": text}]}


def test_the_store_evicts_the_least_recently_used_conversation_beyond_its_count() -> None:
    store = ConversationStore(limit=2)
    first, second = store.create({}, []), store.create({}, [])
    store.get(first.id)  # used: the second is now the oldest
    third = store.create({}, [])
    assert set(store.conversations) == {first.id, third.id}
    assert second.id not in store.conversations


def test_the_store_keeps_within_its_bytes() -> None:
    store = ConversationStore(limit=100, max_bytes=2200)
    old = store.create({}, [item("msg_a", "x" * 900)])
    new = store.create({}, [item("msg_b", "y" * 900)])
    store.append(new.id, [item("msg_c", "z" * 900)])
    assert old.id not in store.conversations and store.bytes <= 2200
    store.append(new.id, [item("msg_d", "w" * 900), item("msg_e", "v" * 900)])
    assert list(store.get(new.id).items) == ["msg_d", "msg_e"] and store.bytes <= 2200
    store.remove_item(new.id, "msg_d")
    store.delete(new.id)
    assert store.bytes == 0 and len(store) == 0
