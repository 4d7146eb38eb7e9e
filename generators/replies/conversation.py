"""Reading a chat `messages` list: the last user message, the system prompt, tool results, a fingerprint."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

_ATTACHMENT_KINDS = {"image_url": "image", "input_image": "image", "image": "image", "input_audio": "audio",
                     "audio": "audio", "file": "file", "input_file": "file"}
_ROLES = {"user": "user", "system": "system", "developer": "system", "assistant": "assistant", "tool": "tool",
          "function": "tool"}


@dataclass(frozen=True)
class Conversation:
    user_text: str = ""
    previous_user_text: str = ""
    system_text: str = ""
    earlier_texts: tuple[str, ...] = ()       # non-system messages before the last user message, oldest first
    tool_text: str | None = None              # content of a trailing tool/function message
    tool_name: str = ""
    attachments: tuple[str, ...] = ()
    fingerprint: bytes = b""
    tool_results: tuple[tuple[str, str, dict[str, Any]], ...] = ()  # all trailing ones: (name, text, arguments)
    examples: tuple[tuple[str, str], ...] = ()  # earlier (user, assistant reply) pairs: few-shot demonstrations


def _content_text(content: Any) -> tuple[str, tuple[str, ...]]:
    """The text of a message's content and the kinds of its non-text parts; junk reads as empty."""
    if isinstance(content, str):
        return content, ()
    if isinstance(content, (int, float)) and not isinstance(content, bool):
        return str(content), ()
    parts = [content] if isinstance(content, dict) else content if isinstance(content, (list, tuple)) else ()
    texts: list[str] = []
    kinds: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            kind = part.get("type")
            value = part.get("refusal") if kind == "refusal" else part.get("text")
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(kind, str) and kind in _ATTACHMENT_KINDS:
                kinds.append(_ATTACHMENT_KINDS[kind])
    return "\n".join(texts), tuple(kinds)


def read_conversation(messages: Any) -> Conversation:
    if isinstance(messages, (str, dict)):
        messages = [messages]
    if not isinstance(messages, (list, tuple)):
        messages = []
    entries: list[tuple[str, str, tuple[str, ...], dict[str, Any]]] = []
    digest = hashlib.sha256()
    for message in messages:
        if isinstance(message, str):
            message = {"role": "user", "content": message}
        if not isinstance(message, dict):
            continue
        role = message.get("role")
        role = _ROLES.get(role.lower(), "other") if isinstance(role, str) else "other"
        text, kinds = _content_text(message.get("content"))
        entries.append((role, text, kinds, message))
        digest.update(f"{role}\x1f{text}\x1f{','.join(kinds)}\x1e".encode("utf-8", "replace"))
    system = "\n".join(text for role, text, _, _ in entries if role == "system" and text.strip())
    user_positions = [i for i, entry in enumerate(entries) if entry[0] == "user"]
    if not user_positions:  # unknown roles stand in for a user when there is none
        user_positions = [i for i, entry in enumerate(entries) if entry[0] == "other"]
    last = user_positions[-1] if user_positions else len(entries)
    user_text, attachments = (entries[last][1], entries[last][2]) if user_positions else ("", ())
    previous = entries[user_positions[-2]][1] if len(user_positions) > 1 else ""
    earlier = tuple(text for role, text, _, _ in entries[:last] if role != "system" and text.strip())
    results: list[tuple[str, str, dict[str, Any]]] = []
    for entry in reversed(entries):  # parallel calls end the conversation with several tool messages
        if entry[0] != "tool":
            break
        name, arguments = _tool_call(entry[3], [e[3] for e in entries])
        results.insert(0, (name, entry[1], arguments))
    tool_name, tool_text = (results[-1][0], results[-1][1]) if results else ("", None)
    examples = tuple((entries[i][1].strip(), entries[i + 1][1].strip()) for i in range(last - 1)
                     if entries[i][0] == "user" and entries[i + 1][0] == "assistant" and entries[i + 1][1].strip())
    return Conversation(user_text.strip(), previous.strip(), system, earlier, tool_text, tool_name,
                         attachments, digest.digest(), tuple(results), examples)


def _tool_call(message: dict[str, Any], all_messages: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The function's name and the arguments it was called with: from the assistant call with this
    tool_call_id, or for a legacy `function` message its name and the last `function_call` by that name."""
    call_id, legacy = message.get("tool_call_id"), message.get("name")
    found: tuple[str, Any] = (legacy if isinstance(legacy, str) else "", None)
    for earlier in all_messages:
        calls = earlier.get("tool_calls")
        calls = calls if isinstance(calls, list) else [{"function": earlier.get("function_call")}]
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict) or not isinstance(function.get("name"), str):
                continue
            by_id = call_id is not None and call.get("id") == call_id
            if by_id or (call_id is None and found[0] and function["name"] == found[0]):
                found = (function["name"], function.get("arguments"))
    try:
        arguments = json.loads(found[1]) if isinstance(found[1], str) else {}
    except ValueError:
        arguments = {}
    return found[0], arguments if isinstance(arguments, dict) else {}
