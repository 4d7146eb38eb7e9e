"""The Responses API's `file_search` tool: when to search, the queries, the call item and the cited answer.

Searching itself is the vector store's (proxy.state.vector_stores); this module decides and writes. A search
happens as a web search does (generators.responses.web_search): the tool is offered and either forced by `tool_choice`
or the latest user message asks something. The answer is built from the best passages found: their sentences
closest to the question, each followed by a `file_citation` annotation whose `index` is where the sentence
ends, as the API's answers carry them (one per cited passage, at the end of the text it supports).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from dummy_openai_api.generators.responses.items import last_user_text
from dummy_openai_api.generators.responses.request import ResponseRequest
from dummy_openai_api.generators.vector_search import ranking

TOOL = "file_search"
DEFAULT_RESULTS = 20  # what the API echoes for a tool that does not set `max_num_results`
DEFAULT_RANKING = {"ranker": "auto", "score_threshold": 0.0}
CITED_PASSAGES = 3  # the passages the answer draws from
CITED_SENTENCES = 2
RELEVANT = 0.8  # another passage is cited too when it scores this close to the best one
NOTHING_FOUND = "I couldn't find anything about that in the files I can search."
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_WORD = re.compile(r"\w+")


@dataclass
class Hit:
    """One passage found: the chunk's text, its file and its score."""

    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)

    def result(self) -> dict[str, Any]:
        """The passage as `file_search_call.results` and vector store search show it."""
        return {"attributes": self.attributes, "file_id": self.file_id, "filename": self.filename,
                "score": self.score, "text": self.text}


def offered(tools: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The request's file_search tool, if it has one."""
    return next((t for t in tools if isinstance(t, dict) and t.get("type") == TOOL), None)


def wants_file_search(request: ResponseRequest, messages: list[dict[str, Any]]) -> bool:
    """Whether this turn searches the files: the tool is offered, not ruled out, and the turn asks something."""
    if offered(request.prompt.tools) is None:
        return False
    choice = request.tool_choice
    if isinstance(choice, dict):
        return choice.get("type") == TOOL
    if choice == "none" or (messages and messages[-1].get("role") == "tool"):
        return False
    if choice == "required" and not any(t.get("type") == "function" for t in request.prompt.tools):
        return True
    return len(_WORD.findall(last_user_text(messages))) >= 3


def queries(messages: list[dict[str, Any]]) -> list[str]:
    """The queries a model would search with: the question's first line, rewritten as search terms."""
    text = last_user_text(messages)
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return [ranking.rewrite(line[:300]) or "search"]


def call_item(item_id: str, asked: list[str], hits: list[Hit] | None) -> dict[str, Any]:
    """The `file_search_call` output item; `results` stays null unless `file_search_call.results` is included."""
    return {"id": item_id, "type": "file_search_call", "status": "completed", "queries": asked,
            "results": None if hits is None else [hit.result() for hit in hits]}


def cited_answer(asked: list[str], hits: list[Hit]) -> tuple[str, list[dict[str, Any]]]:
    """The answer's text from the best passages' closest sentences, and their `file_citation` annotations:
    up to CITED_SENTENCES sentences of the best passage, then one of each other passage nearly as good."""
    if not hits or hits[0].score <= 0:
        return NOTHING_FOUND, []
    best = hits[0]
    cited = [best, *(hit for hit in hits[1:CITED_PASSAGES]
                     if hit.score >= RELEVANT * best.score and hit.file_id != best.file_id)]
    text, annotations = "", []
    for number, hit in enumerate(cited):
        sentences = _closest_sentences(asked, hit.text, CITED_SENTENCES if number == 0 else 1)
        if not sentences:
            continue
        text += (" " if text else "") + " ".join(sentences)
        annotations.append({"type": "file_citation", "file_id": hit.file_id, "filename": hit.filename,
                            "index": len(text)})
    return (text, annotations) if text else (NOTHING_FOUND, [])


def _closest_sentences(asked: list[str], passage: str, most: int) -> list[str]:
    """The passage's `most` sentences closest to the queries, in the passage's own order."""
    sentences = _sentences(passage)
    if not sentences:
        return []
    closeness = ranking.scores(ranking.embed(asked), ranking.embed(sentences))
    chosen = sorted(sorted(range(len(sentences)), key=lambda i: -float(closeness[i]))[:most])
    return [sentences[i] for i in chosen]


def _sentences(text: str) -> list[str]:
    """Whole sentences of a passage (three words or more: a chunk's edges cut some short)."""
    found = (m.group().strip() for m in _SENTENCE.finditer(text))
    return [s for s in found if len(_WORD.findall(s)) >= 3]


def tool_echo(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool as the response echoes it, with its defaults."""
    return {"type": TOOL, "filters": tool.get("filters"), "max_num_results": tool.get("max_num_results")
            or DEFAULT_RESULTS, "ranking_options": {**DEFAULT_RANKING, **(tool.get("ranking_options") or {})},
            "vector_store_ids": tool.get("vector_store_ids")}
