"""Synthetic Responses API answers: the output items a model would write, and what they cost in tokens.

`ResponseWriter.write` reads a validated request and the whole conversation (earlier turns first, as chat
messages) and returns a `Draft`: a reasoning item for reasoning models, then function calls, or a web search
and its cited answer, or a picture (`generators.images.tool`) and a line about it, or a plain message. The
generators chat completions use do the work: `generators.tools.calls`
plans function calls (it reads the Responses spellings of tools and `tool_choice`), `generators.replies`
writes text, `generators.structured.outputs` fills `text.format` json_schema / json_object. Tokens are counted with
the model's tokenizer. The content is a pure function of the request's conversation and settings, so the
same request gives the same answer; ids are fresh.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from dummy_openai_api.generators.chat import logprobs
from dummy_openai_api.generators import reasoning, replies, tokens
from dummy_openai_api.generators.structured import outputs as structured
from dummy_openai_api.generators.tools import calls as tools
from dummy_openai_api.generators.chat.completion import cut
from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.responses.items import Ids, last_user_text
from dummy_openai_api.generators.responses.request import ResponseRequest
from dummy_openai_api.generators.tools.calls import ToolCall
from dummy_openai_api.generators.responses.web_search import cited_answer, search_query, sources, wants_search
from dummy_openai_api.generators.vector_search import file_search
from dummy_openai_api.generators.vector_search.file_search import Hit
from dummy_openai_api.generators.images import tool as image_tool

# The vector stores' search: (store ids, queries, filters, most results, ranking options) -> passages, best first.
Search = Callable[[list[str], list[str], "dict[str, Any] | None", int, "dict[str, Any] | None"], list[Hit]]

@dataclass(frozen=True)
class Ask:
    """What the writer reads: the validated request and the conversation so far as chat messages."""

    request: ResponseRequest
    messages: list[dict[str, Any]]
    ids: Ids

    @property
    def model(self) -> Model:
        return self.request.model


@dataclass
class Draft:
    """The output items of one response and their token counts."""

    output: list[dict[str, Any]] = field(default_factory=list)
    output_tokens: int = 0
    reasoning_tokens: int = 0
    incomplete: bool = False
    web_searches: int = 0
    retrieved_tokens: int = 0  # the passages file search put before the model: input tokens
    image_usage: dict[str, Any] | None = None  # what an image_generation call cost (tool_usage.image_gen)


IMAGE_REPLY = "Here is the image you asked for."


def digest(ask: Ask) -> bytes:
    """What identifies an answer: the conversation and the content settings, not ids, storage or transport.
    The JSON of `[messages, settings]`, with the settings' JSON made once by validation."""
    messages = orjson.dumps(ask.messages, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(b"[" + messages + b"," + ask.request.settings + b"]").digest()


def phased(model: Model) -> bool:
    """gpt-5.x and newer label their answer's phase (`"phase": "final_answer"`)."""
    return model.id.removeprefix("ft:").startswith(("gpt-5.", "gpt-6"))


def plan_calls(messages: list[dict[str, Any]], request: ResponseRequest, seed: bytes) -> list[ToolCall]:
    """The function and custom tool calls of this turn; none when neither is offered or a hosted tool is forced."""
    tool_choice = request.tool_choice
    if isinstance(tool_choice, dict) and tool_choice.get("type") not in ("function", "custom", "allowed_tools"):
        return []
    specs = tools.function_specs([tool for tool in request.prompt.tools if tool.get("type") in ("function", "custom")])
    return tools.plan_tool_calls(messages, specs, tool_choice, request.parallel_tool_calls, seed) if specs else []


class ResponseWriter:
    """Writes output items; `planner` decides function calls."""

    def __init__(self, rules: replies.ReplyRules | None = None,
                 planner: Callable[..., list[ToolCall]] = plan_calls, search: Search | None = None) -> None:
        self.rules = rules
        self.planner = planner
        self.search = search

    def write(self, ask: Ask) -> Draft:
        seed = digest(ask)
        request = ask.request
        draft = Draft()
        effort = request.effort
        wanted = reasoning.wanted_tokens(effort, seed)
        calls = self.planner(ask.messages, request, seed)
        if calls:
            draft.reasoning_tokens, left = reasoning.share(wanted, request.max_output_tokens)
            draft.incomplete = left == 0  # the thinking took the whole budget: no call made
            items = [] if draft.incomplete else [self._call_item(ask, call) for call in calls]
            draft.output_tokens = sum(_call_tokens(call, ask.model.id) for call in calls) if items else 0
        elif self.search is not None and file_search.wants_file_search(request, ask.messages):
            items = self._file_search(ask, draft, wanted, seed)
        elif (drawing := image_tool.wanted(request, last_user_text(ask.messages))) is not None:
            call, draft.image_usage = image_tool.call_item(ask.ids("ig"), drawing, last_user_text(ask.messages))
            items = [call, *self._message(ask, draft, IMAGE_REPLY, [], wanted, seed)]
        elif wants_search(request, ask.messages):
            draft.web_searches = 1
            query = search_query(last_user_text(ask.messages))
            text, annotations = cited_answer(self._text(ask, seed), query)
            items = [self._search_item(ask, query), *self._message(ask, draft, text, annotations, wanted, seed)]
        else:
            items = self._message(ask, draft, self._text(ask, seed), [], wanted, seed)
        if effort is not None and effort != "none":
            items.insert(0, self._reasoning_item(ask, seed))
        draft.output = items
        draft.output_tokens += draft.reasoning_tokens
        return draft

    def _text(self, ask: Ask, seed: bytes) -> str:
        """The answer's text in the requested format: plain, a JSON object, or an instance of a JSON schema."""
        fmt = ask.request.text_format or {}
        answer = replies.compose(ask.messages, rules=self.rules)
        if fmt.get("type") == "json_schema":
            return structured.schema_reply(fmt["schema"], ask.messages, seed, answer)
        if fmt.get("type") == "json_object":
            return structured.json_object_reply(ask.messages, seed, answer)
        return structured.prompted_reply(ask.messages, seed, answer) or answer

    def _message(self, ask: Ask, draft: Draft, text: str, annotations: list[dict[str, Any]],
                 wanted_reasoning: int, seed: bytes) -> list[dict[str, Any]]:
        """The answer message, cut at `max_output_tokens` (reasoning and text share the budget)."""
        draft.reasoning_tokens, limit = reasoning.share(wanted_reasoning, ask.request.max_output_tokens)
        if limit == 0:  # the thinking took the whole budget: no message at all, as the API answers
            draft.incomplete = True
            return []
        whole = cut(text, ask.model.id, [], limit)
        if whole.finish_reason == "length":
            draft.incomplete = True
            kept = len(whole.text or "")  # url citations end at `end_index`, file citations sit at `index`
            annotations = [a for a in annotations if a.get("end_index", a.get("index", 0)) <= kept]
        draft.output_tokens = len(whole.token_ids)
        entries = []
        if "message.output_text.logprobs" in ask.request.include:
            entries = logprobs.token_logprobs(whole.token_ids, ask.model.id, ask.request.top_logprobs,
                                              seed + b"logprobs")
        item: dict[str, Any] = {
            "id": ask.ids("msg"), "type": "message", "status": "incomplete" if draft.incomplete else "completed",
            "content": [{"type": "output_text", "annotations": annotations, "logprobs": entries, "text": whole.text}]}
        if phased(ask.model):
            item["phase"] = "final_answer"
        item["role"] = "assistant"
        return [item]

    def _call_item(self, ask: Ask, call: ToolCall) -> dict[str, Any]:
        if call.custom:
            return {"id": ask.ids("ctc"), "type": "custom_tool_call", "status": "completed", "call_id": call.id,
                    "input": call.arguments, "name": call.name}
        return {"id": ask.ids("fc"), "type": "function_call", "status": "completed", "arguments": call.arguments,
                "call_id": call.id, "name": call.name}

    def _search_item(self, ask: Ask, query: str) -> dict[str, Any]:
        action: dict[str, Any] = {"type": "search", "queries": [query], "query": query}
        if "web_search_call.action.sources" in ask.request.include:
            action["sources"] = [{"type": "url", "url": url} for url in _source_urls(query)]
        return {"id": ask.ids("ws"), "type": "web_search_call", "status": "completed", "action": action}

    def _file_search(self, ask: Ask, draft: Draft, wanted: int, seed: bytes) -> list[dict[str, Any]]:
        """A `file_search_call` item, then the answer drawn from (and citing) the passages it found."""
        tool = file_search.offered(ask.request.prompt.tools) or {}
        asked = file_search.queries(ask.messages)
        hits = self.search(tool["vector_store_ids"], asked, tool.get("filters"),  # type: ignore[misc]
                           tool.get("max_num_results") or file_search.DEFAULT_RESULTS, tool.get("ranking_options"))
        draft.retrieved_tokens = sum(tokens.count(hit.text, ask.model.id) for hit in hits)
        included = "file_search_call.results" in ask.request.include
        call = file_search.call_item(ask.ids("fs"), asked, hits if included else None)
        text, annotations = file_search.cited_answer(asked, hits)
        return [call, *self._message(ask, draft, text, annotations, wanted, seed)]

    def _reasoning_item(self, ask: Ask, seed: bytes) -> dict[str, Any]:
        """A reasoning item: its summary only when one is asked for, its encrypted content when included."""
        item: dict[str, Any] = {"id": ask.ids("rs"), "type": "reasoning"}
        if "reasoning.encrypted_content" in ask.request.include:
            item["content"] = []
            item["encrypted_content"] = _encrypted(seed)
        item["summary"] = [{"type": "summary_text", "text": text} for text in _summary(ask.messages, ask.request.summary)]
        return item


def _summary(messages: list[dict[str, Any]], kind: str | None) -> list[str]:
    """Summary parts in the API's style (a bold heading, then a paragraph); none unless asked for."""
    if not kind:
        return []
    question = " ".join(last_user_text(messages).split())
    excerpt = question if len(question) <= 80 else question[:77].rstrip() + "..."
    tool_turn = bool(messages) and messages[-1].get("role") == "tool"
    parts = [f"**{'Using the tool result' if tool_turn else 'Working out the answer'}**\n\n"
             f"The request is: \"{excerpt}\". I should answer it directly and keep the reply clear."]
    if kind == "detailed":
        parts.append("**Checking the reply**\n\nI'll make sure the answer addresses every part of the request "
                     "before sending it.")
    return parts


def _call_tokens(call: ToolCall, model: str) -> int:
    """A function call costs its arguments and name plus a few framing tokens."""
    return tokens.count(call.arguments, model) + tokens.count(call.name, model) + 5


def _encrypted(seed: bytes) -> str:
    """An opaque token in the shape of the API's (Fernet-like, `gAAAAAB...`)."""
    blob = b"".join(hashlib.sha256(seed + bytes([i])).digest() for i in range(6))
    return "gAAAAAB" + base64.urlsafe_b64encode(blob).decode().rstrip("=")


def _source_urls(query: str) -> list[str]:
    return [url for url, _ in sources(query)]
