"""Responses API items: ids as the API makes them, input items in their listed form, and chat messages.

A request's `input` (a string or a list of items) is stored in the form `GET /v1/responses/{id}/input_items`
lists it: every item has an id, a type and a status, message content is a list of typed parts. The reply
composer and the token counter read chat-style `messages`, so `chat_messages` turns listed items (and the
output items of earlier responses) into them: function calls become an assistant message's `tool_calls`,
their outputs `tool` messages named after the function.
"""
from __future__ import annotations

import os
from typing import Any, Iterable

INPUT_ROLES = ("user", "assistant", "system", "developer")
# Item types whose ids the API prefixes this way (message `msg_`, function call `fc_`, reasoning `rs_`, ...).
ID_PREFIXES = {"message": "msg", "function_call": "fc", "function_call_output": "fco", "reasoning": "rs",
               "web_search_call": "ws", "compaction": "cmp", "file_search_call": "fs"}


class Ids:
    """Ids shaped like the API's: `<prefix>_` + 16 hex shared by one response's items + `00` + the creation
    time in 8 hex + 24 random hex (`resp_0a7994baf3e38d320069793af587988196b821b9acbd91c4b7`)."""

    def __init__(self, created_at: int) -> None:
        self.group = os.urandom(8).hex()
        self.stamp = f"00{created_at & 0xFFFFFFFF:08x}"

    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{self.group}{self.stamp}{os.urandom(12).hex()}"


def input_list(value: Any) -> list[dict[str, Any]]:
    """`input` as a list of items: a string is one user message."""
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    return [item for item in value or [] if isinstance(item, dict)]


def item_type(item: dict[str, Any]) -> str:
    """An item's type; the easy form `{"role": ..., "content": ...}` is a message."""
    kind = item.get("type")
    return kind if isinstance(kind, str) else "message"


def listed(item: dict[str, Any], ids: Ids) -> dict[str, Any]:
    """One input item as the API lists it: with an id, a status and typed content parts."""
    kind = item_type(item)
    item_id = item.get("id") or ids(ID_PREFIXES.get(kind, "item"))
    if kind == "message":
        return _listed_message(item, item_id)
    if kind == "function_call":
        return {"id": item_id, "type": kind, "status": item.get("status") or "completed",
                "arguments": item.get("arguments", ""), "call_id": item.get("call_id", ""),
                "name": item.get("name", "")}
    if kind == "function_call_output":
        return {"id": item_id, "type": kind, "status": item.get("status") or "completed",
                "call_id": item.get("call_id", ""), "output": item.get("output", "")}
    if kind == "reasoning":
        return {**item, "id": item_id, "summary": item.get("summary") or []}
    return {**item, "id": item_id}


def _listed_message(item: dict[str, Any], item_id: str) -> dict[str, Any]:
    role = item.get("role", "user")
    parts = _parts(item.get("content"), "output_text" if role == "assistant" else "input_text")
    if role == "assistant":
        parts = [_output_part(part) for part in parts]
    else:
        parts = [{**part, "detail": part.get("detail") or "auto"} if part.get("type") == "input_image" else part
                 for part in parts]
    return {"id": item_id, "type": "message", "status": item.get("status") or "completed", "content": parts,
            "role": role}


def _parts(content: Any, text_type: str) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"type": text_type, "text": content}]
    return [part for part in content or [] if isinstance(part, dict)]


def _output_part(part: dict[str, Any]) -> dict[str, Any]:
    """An assistant message's part in the shape of an output: text with its annotations and logprobs."""
    if part.get("type") == "refusal":
        return {"type": "refusal", "refusal": part.get("refusal", "")}
    return {"type": "output_text", "annotations": part.get("annotations") or [], "logprobs": part.get("logprobs") or [],
            "text": part.get("text", "")}


# Chat messages for the composer and the token counter ------------------------------------------------------

def chat_messages(items: Iterable[dict[str, Any]], instructions: str | None = None) -> list[dict[str, Any]]:
    """Listed items (input and earlier output) as a chat `messages` list; instructions lead as a system message."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": instructions}] if instructions else []
    names: dict[str, str] = {}
    for item in items:
        kind = item_type(item)
        if kind == "message":
            messages.append({"role": item.get("role", "user"), "content": _chat_content(item.get("content"))})
        elif kind == "function_call":
            names[item.get("call_id", "")] = item.get("name", "")
            _add_call(messages, item)
        elif kind == "function_call_output":
            call_id = item.get("call_id", "")
            messages.append({"role": "tool", "tool_call_id": call_id, "name": names.get(call_id, ""),
                             "content": output_text(item.get("output"))})
    return messages


def _add_call(messages: list[dict[str, Any]], item: dict[str, Any]) -> None:
    """Consecutive function calls are one assistant turn, as parallel tool calls are in chat."""
    call = {"id": item.get("call_id", ""), "type": "function",
            "function": {"name": item.get("name", ""), "arguments": item.get("arguments", "")}}
    last = messages[-1] if messages else None
    if last is not None and last.get("role") == "assistant" and last.get("tool_calls"):
        last["tool_calls"].append(call)
    else:
        messages.append({"role": "assistant", "content": None, "tool_calls": [call]})


def _chat_content(content: Any) -> str | list[dict[str, Any]]:
    if isinstance(content, str):
        return content
    return [_chat_part(part) for part in content or [] if isinstance(part, dict)]


def _chat_part(part: dict[str, Any]) -> dict[str, Any]:
    """Responses content parts in their chat form, so images and files count as the chat endpoint counts them."""
    kind = part.get("type")
    if kind == "input_image":
        return {"type": "image_url", "image_url": {"url": part.get("image_url") or part.get("file_id") or "",
                                                   "detail": part.get("detail") or "auto"}}
    if kind == "input_file":
        return {"type": "file", "file": {"filename": part.get("filename") or part.get("file_id") or "file"}}
    if kind == "refusal":
        return {"type": "refusal", "refusal": part.get("refusal", "")}
    return {"type": "text", "text": part.get("text", "") if isinstance(part.get("text"), str) else ""}


def output_text(output: Any) -> str:
    """A function call's output: a string, or the text of its content parts."""
    if isinstance(output, str):
        return output
    if isinstance(output, list):
        return "\n".join(part.get("text", "") for part in output
                         if isinstance(part, dict) and isinstance(part.get("text"), str))
    return ""


def last_user_text(messages: list[dict[str, Any]]) -> str:
    """The text of the latest user message ("" when there is none)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "\n".join(part.get("text", "") for part in content or [] if part.get("type") == "text")
    return ""
