"""The Responses API's `file_search` tool over this server's vector stores, through the official SDK."""
from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import responses_body

DOCS = {
    "returns.md": "Customers may send back any unworn item within 30 days of delivery for a full refund. "
                  "Refunds reach the original card within five business days.",
    "canteen.txt": "The office cafeteria serves lunch from noon to 2pm. Vegetarian meals are available every day.",
    "rocket.txt": "The first stage engine burns liquid oxygen and kerosene and produces 7,600 kN of thrust.",
}


@pytest.fixture(autouse=True)
def clean(admin: httpx.Client) -> None:
    """No files or stores left from other tests."""


@pytest.fixture
def store(client: openai.OpenAI) -> tuple[str, dict[str, str]]:
    ids = {name: client.files.create(file=(name, text.encode()), purpose="assistants").id
           for name, text in DOCS.items()}
    created = client.vector_stores.create(name="handbook")
    client.vector_stores.file_batches.create_and_poll(created.id, files=[
        {"file_id": file_id, "attributes": {"name": name}} for name, file_id in ids.items()])
    return created.id, ids


def tool(store_id: str, **options: object) -> dict:
    return {"type": "file_search", "vector_store_ids": [store_id], **options}


def test_the_answer_cites_the_file_that_holds_it(client: openai.OpenAI, store: tuple[str, dict[str, str]]) -> None:
    store_id, ids = store
    response = client.responses.create(model="gpt-4o-mini", input="When can I get something to eat at work?",
                                       tools=[tool(store_id)])
    call, message = response.output
    assert call.type == "file_search_call" and call.status == "completed" and call.id.startswith("fs_")
    assert call.queries == ["get something to eat at work"] and call.results is None
    assert "lunch from noon to 2pm" in response.output_text
    citations = message.content[0].annotations
    assert citations and {(c.type, c.file_id, c.filename) for c in citations} == {
        ("file_citation", ids["canteen.txt"], "canteen.txt")}
    assert all(0 < c.index <= len(response.output_text) for c in citations)
    assert response.tools[0].max_num_results == 20 and response.tools[0].ranking_options.ranker == "auto"


def test_results_are_included_on_request_and_count_as_input(client: openai.OpenAI,
                                                            store: tuple[str, dict[str, str]]) -> None:
    store_id, ids = store
    question = "How many days do I have to return my purchase?"
    searched = client.responses.create(model="gpt-4o-mini", input=question, tools=[tool(store_id)],
                                       include=["file_search_call.results"])
    results = searched.output[0].results
    assert results[0].file_id == ids["returns.md"] and results[0].text == DOCS["returns.md"]
    assert results[0].attributes == {"name": "returns.md"} and 0 < results[0].score <= 1
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    plain = client.responses.create(model="gpt-4o-mini", input=question)
    assert searched.usage.input_tokens > plain.usage.input_tokens + 20  # the passages the model read


def test_the_tool_honours_filters_and_result_counts(client: openai.OpenAI, store: tuple[str, dict[str, str]]) -> None:
    store_id, ids = store
    response = client.responses.create(
        model="gpt-4o-mini", input="How long do refunds take?", include=["file_search_call.results"],
        tools=[tool(store_id, max_num_results=1, filters={"type": "ne", "key": "name", "value": "returns.md"})])
    results = response.output[0].results
    assert len(results) == 1 and results[0].file_id != ids["returns.md"]


def test_the_search_streams_its_progress_and_citations(client: openai.OpenAI,
                                                       store: tuple[str, dict[str, str]]) -> None:
    store_id, ids = store
    with client.responses.stream(model="gpt-4o-mini", input="What fuel does the engine use?",
                                 tools=[tool(store_id)]) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    stages = [k for k in kinds if k.startswith("response.file_search_call.")]
    assert stages == ["response.file_search_call.in_progress", "response.file_search_call.searching",
                      "response.file_search_call.completed"]
    assert "response.output_text.annotation.added" in kinds
    assert final.output[1].content[0].annotations[0].file_id == ids["rocket.txt"]
    assert "liquid oxygen and kerosene" in final.output_text


def test_small_talk_does_not_search(client: openai.OpenAI, store: tuple[str, dict[str, str]]) -> None:
    store_id, _ = store
    response = client.responses.create(model="gpt-4o-mini", input="Hello!", tools=[tool(store_id)])
    assert [item.type for item in response.output] == ["message"]
    forced = client.responses.create(model="gpt-4o-mini", input="Hello!", tools=[tool(store_id)],
                                     tool_choice={"type": "file_search"})
    assert forced.output[0].type == "file_search_call"


def test_an_empty_store_answers_that_nothing_was_found(client: openai.OpenAI) -> None:
    empty = client.vector_stores.create(name="empty")
    response = client.responses.create(model="gpt-4o-mini", input="What is the refund policy here?",
                                       tools=[tool(empty.id)])
    assert response.output[0].type == "file_search_call"
    assert response.output[1].content[0].annotations == []
    assert "couldn't find" in response.output_text


@pytest.mark.parametrize("change,status,param", [
    ({"tools": [tool("vs_nope")]}, 404, None),
    ({"tools": [{"type": "file_search"}]}, 400, "tools[0].vector_store_ids"),
    ({"tools": [tool("vs_x", max_num_results=51)]}, 400, "tools[0].max_num_results"),
    ({"tools": [tool("vs_x", filters={"type": "eq", "key": "a"})]}, 400, "tools[0].filters.value"),
])
def test_bad_file_search_tools_are_refused(http: httpx.Client, change: dict, status: int, param: str | None) -> None:
    answer = http.post("/v1/responses", json=responses_body(input="What does the handbook say about refunds?",
                                                            **change))
    assert answer.status_code == status
    assert answer.json()["error"]["param"] == param
