"""Replaying cassettes: keys, modes, ordering, streams, headers, misses that explain themselves."""
from __future__ import annotations

import httpx
import openai
import pytest

from dummy_openai_api.proxy.core.config import Exhausted, Matching, Mode
from tests.cassette_factory import completion_json, interaction, stream_body, write
from tests.conftest import KEY, chat_body, sdk_client

HELLO = chat_body(messages=[{"role": "user", "content": "Hello recorded world"}])


@pytest.fixture
def cassettes(tmp_path):
    directory = tmp_path / "cassettes"
    directory.mkdir()
    return directory


def post(server, body: dict, **headers: str) -> httpx.Response:
    return httpx.post(server.base_url + "/chat/completions", json=body,
                      headers={"Authorization": f"Bearer {KEY}", **headers}, timeout=30)


def test_a_recorded_answer_is_replayed_through_the_sdk(make_server, cassettes) -> None:
    write(cassettes, "hello", [interaction(HELLO, completion_json("Recorded hello!"))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    with sdk_client(server) as client:
        completion = client.chat.completions.create(**HELLO)
    assert completion.choices[0].message.content == "Recorded hello!"
    assert completion.id == "chatcmpl-recorded"


def test_replay_falls_back_to_synthetic_on_a_miss(make_server, cassettes) -> None:
    write(cassettes, "hello", [interaction(HELLO, completion_json("Recorded hello!"))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    other = post(server, chat_body(messages=[{"role": "user", "content": "Something new"}]))
    assert other.status_code == 200
    assert other.json()["choices"][0]["message"]["content"] != "Recorded hello!"


def test_synthetic_mode_ignores_cassettes(make_server, cassettes) -> None:
    write(cassettes, "hello", [interaction(HELLO, completion_json("Recorded hello!"))])
    server = make_server(mode=Mode.SYNTHETIC, cassettes=str(cassettes))
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] != "Recorded hello!"


def test_strict_miss_names_the_key_the_closest_recording_and_the_differences(make_server, cassettes) -> None:
    recorded = chat_body(model="gpt-4o", temperature=0, messages=[
        {"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"},
        {"role": "user", "content": "What is 2+2?"}])
    write(cassettes, "math", [interaction(recorded, completion_json("4"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    changed = {**recorded, "model": "gpt-4o-mini", "temperature": 0.5,
               "messages": [*recorded["messages"][:2], {"role": "user", "content": "What is 3+3?"}]}
    response = post(server, changed)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "cassette_miss"
    assert "key " in error["message"] and "math #0" in error["message"]
    for field in ("model", "temperature", "messages[2].content"):
        assert field in error["message"]
    assert "messages[0]" not in error["message"]
    assert post(server, recorded).status_code == 200


def test_strict_miss_status_is_a_setting(make_server, cassettes) -> None:
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), miss_status=418)
    assert post(server, HELLO).status_code == 418


def test_strict_miss_through_the_sdk_raises(make_server, cassettes) -> None:
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client, pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(**HELLO)
    assert caught.value.code == "cassette_miss"


def test_identical_requests_are_served_in_recorded_order_then_repeat(make_server, cassettes) -> None:
    answers = [completion_json(text) for text in ("first", "second", "third")]
    write(cassettes, "retries", [interaction(HELLO, a) for a in answers])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    served = [post(server, HELLO).json()["choices"][0]["message"]["content"] for _ in range(5)]
    assert served == ["first", "second", "third", "third", "third"]


def test_used_up_recordings_can_miss(make_server, cassettes) -> None:
    write(cassettes, "once", [interaction(HELLO, completion_json("only once"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), on_exhausted=Exhausted.MISS)
    assert post(server, HELLO).status_code == 200
    assert post(server, HELLO).json()["error"]["code"] == "cassette_miss"


def test_recordings_are_ordered_per_key_not_per_file(make_server, cassettes) -> None:
    other = chat_body(messages=[{"role": "user", "content": "other"}])
    write(cassettes, "mixed", [interaction(HELLO, completion_json("h1")), interaction(other, completion_json("o1")),
                               interaction(HELLO, completion_json("h2"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, other).json()["choices"][0]["message"]["content"] == "o1"
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "h1"
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "h2"


def test_x_cassette_restricts_lookup(make_server, cassettes) -> None:
    write(cassettes, "a", [interaction(HELLO, completion_json("from a"))])
    write(cassettes, "nested/b", [interaction(HELLO, completion_json("from b"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, HELLO, **{"X-Cassette": "nested/b"}).json()["choices"][0]["message"]["content"] == "from b"
    assert post(server, HELLO, **{"X-Cassette": "a"}).json()["choices"][0]["message"]["content"] == "from a"
    assert post(server, HELLO, **{"X-Cassette": "missing"}).status_code == 404


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs", "a/../../b", "..", "a\\b"])
def test_cassette_names_cannot_escape_the_directory(make_server, cassettes, name: str) -> None:
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    response = post(server, HELLO, **{"X-Cassette": name})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cassette_name"


def test_loose_matching_serves_by_method_and_path_in_order(make_server, cassettes) -> None:
    write(cassettes, "loose", [interaction(HELLO, completion_json("one")), interaction(HELLO, completion_json("two"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), matching=Matching.LOOSE)
    different = chat_body(messages=[{"role": "user", "content": "anything at all"}])
    assert post(server, different).json()["choices"][0]["message"]["content"] == "one"
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "two"


def test_ignored_fields_leave_the_key(make_server, cassettes) -> None:
    write(cassettes, "user", [interaction({**HELLO, "user": "alice", "metadata": {"run": "1"}},
                                          completion_json("ignored fields"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), ignore_fields=("user", "metadata"))
    response = post(server, {**HELLO, "user": "bob", "metadata": {"run": "2"}})
    assert response.json()["choices"][0]["message"]["content"] == "ignored fields"


def test_volatile_text_is_rewritten_before_hashing(make_server, cassettes) -> None:
    recorded = chat_body(messages=[{"role": "user", "content": "run 123e4567-e89b-12d3-a456-426614174000 at "
                                                              "2024-01-01T10:00:00Z"}])
    write(cassettes, "volatile", [interaction(recorded, completion_json("volatile matched"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), volatile=("uuid", "timestamp"))
    live = chat_body(messages=[{"role": "user", "content": "run 00000000-1111-2222-3333-444444444444 at "
                                                          "2026-11-25T22:00:00.123+01:00"}])
    assert post(server, live).json()["choices"][0]["message"]["content"] == "volatile matched"


def test_key_ignores_host_prefix_and_headers(make_server, cassettes) -> None:
    recorded = interaction(HELLO, completion_json("prefix"))
    recorded.uri = "http://localhost:9999/proxy/v1/chat/completions"
    write(cassettes, "local", [recorded])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    response = post(server, HELLO, **{"x-stainless-retry-count": "2", "user-agent": "other"})
    assert response.json()["choices"][0]["message"]["content"] == "prefix"


def test_stream_stays_in_the_key(make_server, cassettes) -> None:
    write(cassettes, "plain", [interaction(HELLO, completion_json("plain only"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, {**HELLO, "stream": True}).status_code == 404


def test_streams_replay_event_by_event(make_server, cassettes) -> None:
    body = {**HELLO, "stream": True}
    write(cassettes, "stream", [interaction(body, stream_body(["Re", "cord", "ed!"]),
                                            content_type="text/event-stream")])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client:
        chunks = list(client.chat.completions.create(**body))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Recorded!"
    raw = post(server, body)
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.content == stream_body(["Re", "cord", "ed!"])


def test_a_stream_labelled_json_is_still_a_stream(make_server, cassettes) -> None:
    body = {**HELLO, "stream": True}
    write(cassettes, "mislabelled", [interaction(body, stream_body(["ok"]), content_type="application/json")])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client:
        chunks = list(client.chat.completions.create(**body))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "ok"


def test_a_streamed_request_recorded_with_a_json_error_replays_the_error(make_server, cassettes) -> None:
    body = {**HELLO, "stream": True}
    error = {"error": {"message": "The model `x` does not exist or you do not have access to it.",
                       "type": "invalid_request_error", "param": None, "code": "model_not_found"}}
    write(cassettes, "error", [interaction(body, error, status=404)])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    with sdk_client(server) as client, pytest.raises(openai.NotFoundError) as caught:
        list(client.chat.completions.create(**body))
    assert caught.value.code == "model_not_found"


def test_useful_headers_are_replayed_and_framing_is_rebuilt(make_server, cassettes) -> None:
    headers = {"retry-after": ["7"], "openai-processing-ms": ["321"], "content-encoding": ["gzip"],
               "transfer-encoding": ["chunked"], "set-cookie": ["a=b"], "x-ratelimit-remaining-requests": ["42"]}
    write(cassettes, "headers", [interaction(HELLO, completion_json("hdr"), headers=headers, status=429)])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    response = post(server, HELLO)
    assert response.status_code == 429
    assert response.headers["x-request-id"] == "req_recorded0000000000000000000001"
    assert response.headers["retry-after"] == "7"
    assert response.headers["openai-processing-ms"] == "321"
    assert response.headers["x-ratelimit-remaining-requests"] == "42"
    assert "content-encoding" not in response.headers and "set-cookie" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)


def test_retry_after_can_be_zeroed(make_server, cassettes) -> None:
    write(cassettes, "h", [interaction(HELLO, completion_json("x"), headers={"retry-after": ["30"]}, status=429)])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), zero_retry_after=True)
    assert post(server, HELLO).headers["retry-after"] == "0"


def test_unreadable_files_are_reported_and_skipped(make_server, cassettes) -> None:
    write(cassettes, "good", [interaction(HELLO, completion_json("still served"))])
    (cassettes / "broken.yaml").write_text("interactions: [unclosed")
    (cassettes / "evil.yaml").write_text("!!python/object/apply:os.system ['echo pwned']")
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    errors = server.app.services.store.errors
    assert len(errors) == 2 and any("broken.yaml" in e for e in errors) and any("evil.yaml" in e for e in errors)
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "still served"


def test_other_hosts_are_skipped(make_server, cassettes) -> None:
    telemetry = interaction({"event": "x"}, {"ok": True}, path="/events")
    telemetry.uri = "https://telemetry.example.com/v2/events"
    write(cassettes, "mixed", [telemetry, interaction(HELLO, completion_json("kept"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert server.app.services.store.size == 1 and server.app.services.store.skipped == 1


def test_provider_prefixes_map_by_setting(make_server, cassettes) -> None:
    recorded = interaction(HELLO, completion_json("azure"))
    recorded.uri = "https://x.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-06-01"
    write(cassettes, "azure", [recorded])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), path_map=(("/openai/deployments/gpt4", "/v1"),))
    response = httpx.post(server.base_url + "/chat/completions?api-version=2024-06-01", json=HELLO,
                          headers={"Authorization": f"Bearer {KEY}"})
    assert response.json()["choices"][0]["message"]["content"] == "azure"


def test_models_list_replays_from_a_cassette(make_server, cassettes) -> None:
    listing = {"object": "list", "data": [{"id": "recorded-model", "object": "model", "created": 1,
                                           "owned_by": "me"}]}
    write(cassettes, "models", [interaction(None, listing, path="/models", method="GET")])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    with sdk_client(server) as client:
        assert [m.id for m in client.models.list()] == ["recorded-model"]


def test_counters(make_server, cassettes) -> None:
    write(cassettes, "count", [interaction(HELLO, completion_json("c"))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    post(server, HELLO)
    post(server, chat_body(messages=[{"role": "user", "content": "nope"}]))
    summary = server.app.services.store.summary()
    assert summary["count"]["POST /chat/completions"]["hit"] == 1
    assert summary["(none)"]["POST /chat/completions"]["miss"] == 1


def test_counters_over_http_need_the_key(make_server, cassettes) -> None:
    write(cassettes, "count", [interaction(HELLO, completion_json("c"))])
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    post(server, HELLO)
    assert httpx.get(server.root_url + "/_mock/counters").status_code == 401
    report = httpx.get(server.root_url + "/_mock/counters", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert report["recordings"] == 1 and report["counters"]["count"]["POST /chat/completions"]["hit"] == 1


def test_the_parse_cache_is_used_while_a_cassette_is_unchanged(make_server, cassettes) -> None:
    from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
    path = write(cassettes, "cached", [interaction(HELLO, completion_json("first parse"))])
    make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    cache = cassettes / CACHE_DIRECTORY
    entries = list(cache.glob("*.json"))
    assert len(entries) == 1 and (cache / ".gitignore").read_text().strip().endswith("*")
    import orjson
    tampered = orjson.loads(entries[0].read_bytes())  # what a later start reads instead of the YAML
    tampered["interactions"][0]["response_body"] = {"text": orjson.dumps(completion_json("from the cache")).decode()}
    entries[0].write_bytes(orjson.dumps(tampered))
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "from the cache"
    write(cassettes, "cached", [interaction(HELLO, completion_json("changed on disk"))])  # new mtime/size
    assert path.exists()
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "changed on disk"


def test_a_damaged_cache_entry_is_ignored(make_server, cassettes) -> None:
    from dummy_openai_api.proxy.cassettes.parse_cache import CACHE_DIRECTORY
    write(cassettes, "damaged", [interaction(HELLO, completion_json("parsed again"))])
    make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    for entry in (cassettes / CACHE_DIRECTORY).glob("*.json"):
        entry.write_text('{"stamp": "not the stamp"')
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    assert post(server, HELLO).json()["choices"][0]["message"]["content"] == "parsed again"


def test_strict_miss_shows_the_recorded_and_received_values(make_server, cassettes) -> None:
    recorded = chat_body(model="gpt-4o", temperature=0, messages=[{"role": "user", "content": "What is 2+2?"}])
    write(cassettes, "math", [interaction(recorded, completion_json("4"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    changed = {**recorded, "model": "gpt-4o-mini", "messages": [{"role": "user", "content": "What is 3+3?"}],
               "seed": 7}
    changed.pop("temperature")
    message = post(server, changed).json()["error"]["message"]
    assert 'model (recorded "gpt-4o", received "gpt-4o-mini")' in message
    assert 'messages[0].content (recorded "What is 2+2?", received "What is 3+3?")' in message
    assert "temperature (recorded 0, received nothing)" in message
    assert "seed (recorded nothing, received 7)" in message


def test_strict_miss_under_x_cassette_searches_that_cassette(make_server, cassettes) -> None:
    mine = chat_body(model="gpt-4o", messages=[{"role": "user", "content": "Mine"}])
    write(cassettes, "elsewhere", [interaction(HELLO, completion_json("not this one"))])
    write(cassettes, "mine", [interaction(mine, completion_json("mine"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    message = post(server, HELLO, **{"X-Cassette": "mine"}).json()["error"]["message"]
    assert "cassette mine" in message and "Closest recording: mine #0" in message
    assert "elsewhere" not in message and "used up" not in message
    assert 'messages[0].content (recorded "Mine", received "Hello recorded world")' in message
    server.app.services.interceptor.cassette = "mine"  # the admin API's current cassette counts the same
    assert "Closest recording: mine #0" in post(server, HELLO).json()["error"]["message"]


def test_strict_miss_in_an_unknown_cassette_lists_the_loaded_ones(make_server, cassettes) -> None:
    write(cassettes, "a", [interaction(HELLO, completion_json("a"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes))
    message = post(server, HELLO, **{"X-Cassette": "typo"}).json()["error"]["message"]
    assert "Cassette 'typo' has no recordings (loaded: a)" in message


def test_strict_miss_of_a_used_up_recording_says_so(make_server, cassettes) -> None:
    write(cassettes, "once", [interaction(HELLO, completion_json("only once"))])
    server = make_server(mode=Mode.STRICT, cassettes=str(cassettes), on_exhausted=Exhausted.MISS)
    post(server, HELLO, **{"X-Cassette": "once"})
    message = post(server, HELLO, **{"X-Cassette": "once"}).json()["error"]["message"]
    assert "Closest recording: once #0 (POST /chat/completions), identical, was already served" in message


def test_closest_recording_is_a_value_with_each_difference(cassettes) -> None:
    from dummy_openai_api.proxy.cassettes.store import CassetteStore
    from dummy_openai_api.proxy.cassettes.miss_report import ABSENT, Difference
    write(cassettes, "a", [interaction(HELLO, completion_json("a"))])
    write(cassettes, "b", [interaction({**HELLO, "model": "gpt-4o"}, completion_json("b"))])
    store = CassetteStore(cassettes).load()
    received = {**HELLO, "model": "gpt-4o", "n": 2}
    recording, differences = store.closest(None, "POST /chat/completions", received)
    assert (recording.cassette, differences) == ("b", [Difference("n", ABSENT, 2)])
    recording, differences = store.closest("a", "POST /chat/completions", received)
    assert recording.cassette == "a" and [d.field for d in differences] == ["model", "n"]
    assert store.closest("a", "POST /embeddings", received) is None
