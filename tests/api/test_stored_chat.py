"""Stored chat completions (`store: true`): list, retrieve, update, delete, messages; any source; persistence."""
from __future__ import annotations

import asyncio
import uuid

import httpx
import openai
import orjson
import pytest

from dummy_openai_api.proxy.state.chat_store import ChatStore
from dummy_openai_api.proxy.core.config import Mode
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.conftest import KEY, SHARED, chat_body, sdk_client


@pytest.fixture
def tag() -> dict[str, str]:
    """Metadata unique to the test: the session server's store is shared, a filter keeps each test to its own."""
    return {"test": uuid.uuid4().hex}


def create(client, tag: dict[str, str], count: int, **changes) -> list[str]:
    return [client.chat.completions.create(**chat_body(
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": f"Question {i}?"}],
        store=True, metadata={**tag, "i": str(i)}, **changes)).id for i in range(count)]


def test_a_stored_completion_can_be_retrieved(client, tag) -> None:
    created = client.chat.completions.create(**chat_body(store=True, metadata=tag, temperature=0.5, user="u-7"))
    stored = client.chat.completions.retrieve(created.id)
    assert stored.id == created.id and stored.choices == created.choices and stored.usage == created.usage
    assert stored.metadata == tag
    extra = stored.model_extra
    assert extra["temperature"] == 0.5 and extra["top_p"] == 1.0 and extra["input_user"] == "u-7"
    assert extra["request_id"].startswith("req_") and isinstance(extra["seed"], int)


def test_without_store_nothing_is_kept(client, tag) -> None:
    created = client.chat.completions.create(**chat_body(metadata=tag, messages=[{"role": "user", "content": "x"}]))
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.retrieve(created.id)
    assert caught.value.body["message"] == f"No chat completion found with id '{created.id}'."
    assert client.chat.completions.list(metadata=tag).data == []


def test_list_pages_in_creation_order(client, tag) -> None:
    ids = create(client, tag, 5)
    page = client.chat.completions.list(metadata=tag, limit=2)
    assert [c.id for c in page.data] == ids[:2] and page.has_more
    assert (page.model_extra["first_id"], page.model_extra["last_id"]) == (ids[0], ids[1])
    assert [c.id for c in client.chat.completions.list(metadata=tag, limit=2)] == ids  # the auto-paging iterator
    newest_first = client.chat.completions.list(metadata=tag, order="desc", limit=3)
    assert [c.id for c in newest_first.data] == ids[::-1][:3]
    after = client.chat.completions.list(metadata=tag, after=ids[2])
    assert [c.id for c in after.data] == ids[3:] and after.has_more is False


def test_filters_by_metadata_and_model(client, tag) -> None:
    ids = create(client, tag, 3)
    assert [c.id for c in client.chat.completions.list(metadata={**tag, "i": "1"})] == [ids[1]]
    other = create(client, tag, 1, model="gpt-4o")
    assert [c.id for c in client.chat.completions.list(metadata=tag, model="gpt-4o")] == other


def test_async_auto_paging(async_client, tag, client) -> None:
    ids = create(client, tag, 3)

    async def run() -> list[str]:
        return [c.id async for c in async_client.chat.completions.list(metadata=tag, limit=1)]
    assert asyncio.run(run()) == ids


def test_update_changes_only_metadata(client, tag) -> None:
    (completion_id,) = create(client, tag, 1)
    updated = client.chat.completions.update(completion_id, metadata={"stage": "reviewed"})
    assert updated.metadata == {"stage": "reviewed"}
    assert client.chat.completions.retrieve(completion_id).metadata == {"stage": "reviewed"}


def test_delete(client, tag) -> None:
    (completion_id,) = create(client, tag, 1)
    deleted = client.chat.completions.delete(completion_id)
    assert (deleted.id, deleted.object, deleted.deleted) == (completion_id, "chat.completion.deleted", True)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.delete(completion_id)


def test_messages_are_the_request_messages(server, http, client, tag) -> None:
    (completion_id,) = create(client, tag, 1)
    body = http.get(f"/v1/chat/completions/{completion_id}/messages").json()
    assert body["data"] == [
        {"id": f"{completion_id}-0", "role": "system", "content": "Be brief.", "name": None, "content_parts": None},
        {"id": f"{completion_id}-1", "role": "user", "content": "Question 0?", "name": None, "content_parts": None}]
    # The SDK types these as assistant messages, so strict validation rejects the API's own user/system items.
    with sdk_client(server, _strict_response_validation=False) as lenient:
        pages = lenient.chat.completions.messages.list(completion_id, limit=1)
        assert [m.content for m in pages] == ["Be brief.", "Question 0?"]
        assert [m.id for m in lenient.chat.completions.messages.list(completion_id, order="desc")] == [
            f"{completion_id}-1", f"{completion_id}-0"]


def test_content_parts_are_kept(http, client, tag) -> None:
    parts = [{"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]
    created = client.chat.completions.create(**chat_body(messages=[{"role": "user", "content": parts}], store=True,
                                                         metadata=tag))
    (message,) = http.get(f"/v1/chat/completions/{created.id}/messages").json()["data"]
    assert message["content"] == "What is this?" and message["content_parts"] == parts


def test_a_streamed_completion_is_stored_whole(client, tag) -> None:
    stream = client.chat.completions.create(**chat_body(store=True, metadata=tag), stream=True)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    (stored,) = client.chat.completions.list(metadata=tag).data
    plain = client.chat.completions.create(**chat_body(metadata=tag))  # the same answer, not streamed
    assert stored.choices[0].message.content == text == plain.choices[0].message.content
    assert stored.usage.total_tokens == plain.usage.total_tokens


@pytest.mark.parametrize("path", ["/v1/chat/completions/chatcmpl-nope", "/v1/chat/completions/chatcmpl-nope/messages"])
def test_unknown_ids_are_404(http, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == {"message": "No chat completion found with id 'chatcmpl-nope'.",
                                        "type": "invalid_request_error", "param": None, "code": None}


@pytest.mark.parametrize("method,path,body,param,code", [
    ("GET", "/v1/chat/completions?limit=0", None, "limit", "integer_below_min_value"),
    ("GET", "/v1/chat/completions?limit=101", None, "limit", "integer_above_max_value"),
    ("GET", "/v1/chat/completions?order=sideways", None, "order", "invalid_value"),
    ("POST", "/v1/chat/completions", chat_body(store=True, metadata={str(i): "v" for i in range(17)}), "metadata",
     "object_above_max_properties"),
    ("POST", "/v1/chat/completions", chat_body(store=True, metadata={"k": "v" * 513}), "metadata.k",
     "string_above_max_length"),
])
def test_invalid_list_and_metadata_requests(http, method: str, path: str, body, param: str, code: str) -> None:
    response = http.request(method, path, json=body)
    assert response.status_code == 400
    assert (response.json()["error"]["param"], response.json()["error"]["code"]) == (param, code)


def test_update_needs_metadata(http, client, tag) -> None:
    (completion_id,) = create(client, tag, 1)
    response = http.post(f"/v1/chat/completions/{completion_id}", json={"model": "gpt-4o"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "missing_required_parameter"


def test_answers_replayed_from_a_cassette_are_stored_too(make_server, tmp_path) -> None:
    plain = chat_body(store=True, messages=[{"role": "user", "content": "Recorded, stored"}])
    streamed = {**plain, "stream": True}
    write(tmp_path / "cassettes", "stored", [
        interaction(plain, completion_json("From the cassette", id="chatcmpl-fromcassette")),
        interaction(streamed, stream_body(["stre", "amed"], id="chatcmpl-streamedcassette"),
                    content_type="text/event-stream")])
    server = make_server(mode=Mode.REPLAY, cassettes=str(tmp_path / "cassettes"))
    with sdk_client(server) as client:
        client.chat.completions.create(**plain)
        assert "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(**streamed)) == \
            "streamed"
        assert client.chat.completions.retrieve("chatcmpl-fromcassette").choices[0].message.content == \
            "From the cassette"
        rebuilt = client.chat.completions.retrieve("chatcmpl-streamedcassette")
        assert rebuilt.choices[0].message.content == "streamed" and rebuilt.usage.completion_tokens == 2


TOOL_STREAM = SHARED / "openai-reference" / "sse-streams" / \
    "2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7.sse"


@pytest.mark.skipif(not TOOL_STREAM.exists(), reason="the shared recorded streams are absent")
def test_a_real_tool_call_stream_is_rebuilt(make_server, tmp_path) -> None:
    recorded = TOOL_STREAM.read_bytes()
    body = chat_body(store=True, stream=True, messages=[{"role": "user", "content": "What's the weather?"}])
    write(tmp_path / "cassettes", "tools", [interaction(body, recorded, content_type="text/event-stream")])
    server = make_server(mode=Mode.REPLAY, cassettes=str(tmp_path / "cassettes"))
    with sdk_client(server) as client:
        list(client.chat.completions.create(**body))
        stored = client.chat.completions.retrieve("chatcmpl-ABfwERreu9s99xXsVuOWtIB2UOx62")
    choice = stored.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    (call,) = choice.message.tool_calls
    assert call.id == "call_4XzlGBLtUe9dy3GVNV4jhq7h" and orjson.loads(call.function.arguments)
    assert stored.usage.total_tokens == 60  # the stream's own usage chunk


def test_answers_from_the_upstream_are_stored_too(make_server, tmp_path) -> None:
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream")
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "c"), upstream=upstream.base_url,
                           upstream_key="sk-upstream")
    body = chat_body(store=True, messages=[{"role": "user", "content": "Forwarded and stored"}])
    created = httpx.post(recorder.base_url + "/chat/completions", json=body,
                         headers={"Authorization": f"Bearer {KEY}"}, timeout=30).json()
    kept = recorder.call(lambda: recorder.app.services.chat_store.get(created["id"]).completion)
    assert kept["choices"] == created["choices"]


def test_the_oldest_are_evicted_beyond_the_limit(make_server) -> None:
    server = make_server(store_limit=2)
    with sdk_client(server) as client:
        ids = create(client, {}, 3)
        assert [c.id for c in client.chat.completions.list()] == ids[1:]


def test_stored_completions_survive_a_restart(make_server, tmp_path) -> None:
    path = tmp_path / "state" / "stored.jsonl"
    first = make_server(store_file=str(path))
    with sdk_client(first) as client:
        ids = create(client, {"run": "1"}, 2)
        client.chat.completions.update(ids[0], metadata={"kept": "yes"})
    first.stop()  # stopping writes the file
    lines = path.read_bytes().splitlines()
    assert [orjson.loads(line)["completion"]["id"] for line in lines] == ids
    assert list(path.parent.iterdir()) == [path]  # written via a temporary file, renamed: nothing left over
    path.write_bytes(b"".join(line + b"\n" for line in lines) + b"not json\n")
    second = make_server(store_file=str(path))
    with sdk_client(second) as client:
        assert [c.id for c in client.chat.completions.list()] == ids
        assert client.chat.completions.retrieve(ids[0]).metadata == {"kept": "yes"}


def test_changes_are_written_without_waiting_for_shutdown(make_server, tmp_path) -> None:
    path = tmp_path / "stored.jsonl"
    server = make_server(store_file=str(path))
    with sdk_client(server) as client:
        (completion_id,) = create(client, {}, 1)
    server.call(server.app.services.chat_store.flush)  # what the scheduled write does, run now
    assert orjson.loads(path.read_bytes())["completion"]["id"] == completion_id


def test_changes_close_together_are_written_once(tmp_path) -> None:
    scheduled = []
    path = tmp_path / "stored.jsonl"
    store = ChatStore(10, str(path), schedule=lambda delay, write: scheduled.append(write))
    store.put({"id": "chatcmpl-a", "created": 1}, [], "gpt-4o")
    store.update("chatcmpl-a", {"k": "v"})
    assert len(scheduled) == 1 and not path.exists()
    scheduled[0]()
    assert orjson.loads(path.read_bytes())["completion"]["metadata"] == {"k": "v"}
    store.delete("chatcmpl-a")
    assert len(scheduled) == 2
    scheduled[1]()
    assert path.read_bytes() == b""
