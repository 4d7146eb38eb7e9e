"""A simulated web search for the Responses API's `web_search` tools: when to search, the query, the citations.

Nothing is fetched. A search happens when the tool is offered and either forced by `tool_choice` or the latest
user message is a real question (three words or more; "Hello world" is answered without searching). The
answer then cites two sources the way the API does: a markdown link in parentheses after the text, and a
`url_citation` annotation whose indices cover it. Sources live under example.com/example.org so nobody
mistakes them for real pages.
"""
from __future__ import annotations

import re
from typing import Any

from dummy_openai_api.generators.responses.items import last_user_text
from dummy_openai_api.generators.responses.request import ResponseRequest

SEARCH_TOOLS = ("web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11")
_WORD = re.compile(r"\w+")


def wants_search(request: ResponseRequest, messages: list[dict[str, Any]]) -> bool:
    """Whether this turn searches: a search tool is offered, not ruled out, and the turn asks something."""
    tools = [tool for tool in request.prompt.tools if isinstance(tool, dict)]
    if not any(tool.get("type") in SEARCH_TOOLS for tool in tools):
        return False
    choice = request.tool_choice
    if isinstance(choice, dict):
        return choice.get("type") in SEARCH_TOOLS
    if choice == "none" or (messages and messages[-1].get("role") == "tool"):
        return False
    if choice == "required" and not any(tool.get("type") == "function" for tool in tools):
        return True
    return len(_WORD.findall(last_user_text(messages))) >= 3


def search_query(text: str) -> str:
    """The query a model would type: the question's first line, without its closing punctuation."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line[:120].rstrip(" ?.!") or "search"


def sources(query: str) -> list[tuple[str, str]]:
    """(url, title) of the two pages the answer cites."""
    slug = "-".join(_WORD.findall(query.lower()))[:60] or "search"
    topic = query[:1].upper() + query[1:]
    return [(f"https://www.example.com/reference/{slug}?utm_source=openai", f"{topic} - Example Reference"),
            (f"https://news.example.org/articles/{slug}?utm_source=openai", f"{topic}: what to know - Example News")]


def cited_answer(text: str, query: str) -> tuple[str, list[dict[str, Any]]]:
    """The answer with a citation per source (after its first paragraph, and at its end), and the `url_citation`
    annotations whose indices cover each citation."""
    head, gap, rest = text.partition("\n\n")
    parts = [head, rest] if rest else [head, ""]
    annotations = []
    for index, (url, title) in enumerate(sources(query)):
        done = len(parts[0]) + (len(gap) + len(parts[1]) if index else 0)
        domain = url.split("/")[2].removeprefix("www.")
        citation = f" ([{domain}]({url}))"
        parts[index if rest else 0] += citation
        annotations.append({"type": "url_citation", "end_index": done + len(citation), "start_index": done + 1,
                            "title": title, "url": url})
    return parts[0] + gap + parts[1], annotations
