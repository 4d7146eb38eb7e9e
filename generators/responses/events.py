"""The Responses API's stream: typed events, in the API's order, numbered by `sequence_number`.

`stream_events` derives the whole sequence from a finished response: `response.created` (and
`response.queued` for background responses), `response.in_progress`, then per output item `output_item.added`,
its content events (text, function-call argument, reasoning-summary and web-search events), `output_item.done`,
and finally `response.completed` or `response.incomplete`. Deltas fall on token boundaries of the model's
encoding and carry `obfuscation` padding as the API's do. Every event has `type` first and its other keys in
alphabetical order, as recorded streams have them (simonw/llm and crewAI cassettes, 2026).
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterator

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.chat.completion import base62
from dummy_openai_api.generators.images import tool as image_tool


def stream_events(final: dict[str, Any], pending: dict[str, Any], model_id: str, *, background: bool = False,
                  obfuscate: bool = True) -> list[dict[str, Any]]:
    """Every event of a response's stream; `pending` is its snapshot while in progress, `final` when done."""
    pending, final = _snapshot(pending), _snapshot(final)
    raw: list[dict[str, Any]] = [{"type": "response.created",
                                  "response": {**pending, "status": "queued" if background else "in_progress"}}]
    if background:
        raw.append({"type": "response.queued", "response": {**pending, "status": "queued"}})
    raw.append({"type": "response.in_progress", "response": {**pending, "status": "in_progress"}})
    for index, item in enumerate(final["output"]):
        raw.extend(item_events(item, index, model_id, final.get("tools") or []))
    raw.append({"type": f"response.{final['status']}", "response": final})
    return [_numbered(event, number, obfuscate) for number, event in enumerate(raw)]


def _snapshot(response: dict[str, Any]) -> dict[str, Any]:
    """A response as stream events carry it: without `billing` (plain JSON answers have it)."""
    return {key: value for key, value in response.items() if key != "billing"}


def _numbered(event: dict[str, Any], number: int, obfuscate: bool) -> dict[str, Any]:
    fields = {**event, "sequence_number": number}
    del fields["type"]
    if "delta" in fields and obfuscate:
        fields["obfuscation"] = padding(fields["delta"], number)
    return {"type": event["type"], **dict(sorted(fields.items()))}


def padding(delta: str, number: int) -> str:
    """Random-looking characters that round a delta up to about 16 characters, so sizes reveal little."""
    length = max(0, 16 - len(delta))
    return base62(hashlib.sha256(f"{number}\x1f{delta}".encode()).digest(), length) if length else ""


def item_events(item: dict[str, Any], index: int, model_id: str, tools: list[dict[str, Any]] | None = None
                ) -> Iterator[dict[str, Any]]:
    kind = item["type"]
    where = {"item_id": item["id"], "output_index": index}
    yield {"type": "response.output_item.added", "item": _opening(item), "output_index": index}
    if kind == "message":
        yield from _message_events(item, where, model_id)
    elif kind == "function_call":
        for piece in tokens.text_pieces(item["arguments"], model_id):
            yield {"type": "response.function_call_arguments.delta", "delta": piece, **where}
        yield {"type": "response.function_call_arguments.done", "arguments": item["arguments"], **where}
    elif kind == "reasoning":
        yield from _summary_events(item, where, model_id)
    elif kind in ("web_search_call", "file_search_call"):
        for stage in ("in_progress", "searching", "completed"):
            yield {"type": f"response.{kind}.{stage}", **where}
    elif kind == "image_generation_call":
        yield from image_tool.call_events(item, where, tools or [])
    yield {"type": "response.output_item.done", "item": item, "output_index": index}


def _opening(item: dict[str, Any]) -> dict[str, Any]:
    """An item as `output_item.added` announces it: in progress, before any of its content."""
    kind = item["type"]
    if kind == "message":
        return {**item, "status": "in_progress", "content": []}
    if kind == "function_call":
        return {**item, "status": "in_progress", "arguments": ""}
    if kind == "reasoning":
        return {"id": item["id"], "type": "reasoning", "summary": []}
    if kind == "web_search_call":
        return {**item, "status": "in_progress", "action": {"type": "search"}}
    if kind == "file_search_call":
        return {**item, "status": "in_progress", "queries": [], "results": None}
    if kind == "image_generation_call":
        return {**item, "status": "in_progress", "result": None}
    return item


def _message_events(item: dict[str, Any], where: dict[str, Any], model_id: str) -> Iterator[dict[str, Any]]:
    for content_index, part in enumerate(item["content"]):
        at = {**where, "content_index": content_index}
        if part["type"] != "output_text":
            yield {"type": "response.content_part.added", "part": part, **at}
            yield {"type": "response.content_part.done", "part": part, **at}
            continue
        yield {"type": "response.content_part.added",
               "part": {**part, "annotations": [], "logprobs": [], "text": ""}, **at}
        entries = part.get("logprobs") or []
        ids = tokens.encoding_for(model_id).encode_ordinary(part["text"])
        for piece, start, end in tokens.pieces(ids, model_id):
            yield {"type": "response.output_text.delta", "delta": piece, "logprobs": entries[start:end], **at}
        for number, annotation in enumerate(part["annotations"]):
            yield {"type": "response.output_text.annotation.added", "annotation": annotation,
                   "annotation_index": number, **at}
        yield {"type": "response.output_text.done", "logprobs": entries, "text": part["text"], **at}
        yield {"type": "response.content_part.done", "part": part, **at}


def _summary_events(item: dict[str, Any], where: dict[str, Any], model_id: str) -> Iterator[dict[str, Any]]:
    for summary_index, part in enumerate(item.get("summary") or []):
        at = {**where, "summary_index": summary_index}
        yield {"type": "response.reasoning_summary_part.added", "part": {"type": "summary_text", "text": ""}, **at}
        for piece in tokens.text_pieces(part["text"], model_id):
            yield {"type": "response.reasoning_summary_text.delta", "delta": piece, **at}
        yield {"type": "response.reasoning_summary_text.done", "text": part["text"], **at}
        yield {"type": "response.reasoning_summary_part.done", "part": part, **at}


def replay_from(events: list[dict[str, Any]], starting_after: int | None) -> list[dict[str, Any]]:
    """The events after `starting_after` (a sequence number), as `GET /responses/{id}?stream=true` resumes."""
    if starting_after is None:
        return events
    return [event for event in events if event["sequence_number"] > starting_after]
