"""Responses API tools: web search (simulated), and refusals for the built-in tools that are not."""
from __future__ import annotations

from tests.conftest import responses_body

QUESTION = "What was the price of bitcoin on January 1, 2026?"


def test_web_search_answers_with_a_search_call_and_citations(client) -> None:
    response = client.responses.create(**responses_body(model="gpt-4o", input=QUESTION,
                                                         tools=[{"type": "web_search"}]))
    search, message = response.output
    assert search.type == "web_search_call" and search.id.startswith("ws_") and search.status == "completed"
    assert search.action.type == "search" and search.action.query == QUESTION.rstrip("?")
    text = message.content[0]
    assert len(text.annotations) == 2
    for citation in text.annotations:
        assert citation.type == "url_citation" and citation.url.endswith("?utm_source=openai")
        domain = citation.url.split("/")[2].removeprefix("www.")
        assert text.text[citation.start_index:citation.end_index] == f"([{domain}]({citation.url}))"
    assert response.tool_usage.web_search.num_requests == 1
    assert response.tools[0].search_context_size == "medium" and response.tools[0].user_location.country == "US"


def test_web_search_sources_are_included_on_request(client) -> None:
    response = client.responses.create(**responses_body(input=QUESTION, tools=[{"type": "web_search_preview"}],
                                                         include=["web_search_call.action.sources"]))
    assert [source.url for source in response.output[0].action.sources] == \
        [citation.url for citation in response.output[1].content[0].annotations]


def test_small_talk_and_tool_choice_none_do_not_search(client) -> None:
    hello = client.responses.create(**responses_body(model="gpt-4.1", input="Hello world",
                                                      tools=[{"type": "web_search_preview"}]))
    assert [item.type for item in hello.output] == ["message"]
    assert hello.usage.input_tokens == 303  # recorded: DataDog response_stream, gpt-4.1
    off = client.responses.create(**responses_body(input=QUESTION, tools=[{"type": "web_search"}],
                                                    tool_choice="none"))
    assert [item.type for item in off.output] == ["message"]


def test_web_search_streams_its_progress_and_annotations(client) -> None:
    with client.responses.stream(**responses_body(input=QUESTION, tools=[{"type": "web_search_preview"}],
                                                  tool_choice={"type": "web_search_preview"})) as stream:
        kinds = [event.type for event in stream if not event.type.endswith(".delta")]
        final = stream.get_final_response()
    assert kinds[2:7] == ["response.output_item.added", "response.web_search_call.in_progress",
                          "response.web_search_call.searching", "response.web_search_call.completed",
                          "response.output_item.done"]
    assert kinds.count("response.output_text.annotation.added") == 2
    assert len(final.output[1].content[0].annotations) == 2
