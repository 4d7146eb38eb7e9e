"""Chat completions: the body field by field, each message, and the model's token limits."""
from __future__ import annotations

from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    array_too_long, bounded, invalid_type, invalid_value, missing, model_name, non_empty_array, only_when_enabled, request_fields, required, string_too_long, type_phrase, typed,
)

ROLES = ("system", "assistant", "user", "function", "tool", "developer")
MAX_STOPS = 4  # stop sequences, here and in legacy completions
MAX_CONTENT_LENGTH = 10_485_760  # characters in one message's content (the API's limit, in its own words)
_CHAT_RANGES = (  # (field, kind, minimum, maximum)
    ("temperature", "number", 0, 2), ("top_p", "number", 0, 1), ("n", "integer", 1, 128),
    ("presence_penalty", "number", -2, 2), ("frequency_penalty", "number", -2, 2),
    ("max_tokens", "integer", 1, None), ("max_completion_tokens", "integer", 1, None),
    ("top_logprobs", "integer", 0, 20), ("seed", "integer", None, None),
)
_CHAT_TYPES = (  # (field, allowed kinds)
    ("stream", ("boolean",)), ("logprobs", ("boolean",)), ("stop", ("string", "array")),
    ("tools", ("objects",)), ("tool_choice", ("tool_choice", "bare_object")), ("response_format", ("object",)),
    ("stream_options", ("object",)), ("metadata", ("object",)), ("store", ("boolean",)),
    ("user", ("string",)), ("logit_bias", ("object",)), ("parallel_tool_calls", ("boolean",)),
    ("functions", ("functions",)), ("function_call", ("string", "object")), ("modalities", ("array",)),
    ("reasoning_effort", ("string",)), ("service_tier", ("string",)),
)


# The SDK's fields (proxy.validation.request_fields) and `stream`, which the SDK types apart; Azure OpenAI's
# "on your data" adds `data_sources` to its deployments' chat.
CHAT_FIELDS = request_fields.CHAT | {"stream"}
AZURE_FIELDS = CHAT_FIELDS | {"data_sources"}


def known_fields(body: dict[str, Any], known: frozenset[str]) -> None:
    """A field the API does not know is refused, in the API's (older, unstructured) wording."""
    if known.issuperset(body):  # one C call for the common body; the search below only names the culprit
        return
    unknown = next((name for name in body if name not in known), None)
    if unknown is not None:
        raise APIError(400, f"Unrecognized request argument supplied: {unknown}")


def chat_request(body: dict[str, Any]) -> dict[str, Any]:
    """A chat completions body, checked field by field as the API does; returned unchanged."""
    model_name(body)
    if "messages" in body and body["messages"] is not None and not isinstance(body["messages"], list):
        raise invalid_type("messages", body["messages"], "objects")
    for index, message in enumerate(non_empty_array(body, "messages")):
        _chat_message(message, f"messages[{index}]")
    for name, kinds in _CHAT_TYPES:
        typed(body, name, *kinds)
    for name, kind, low, high in _CHAT_RANGES:
        bounded(body, name, kind, low, high)
    stop = body.get("stop")
    if isinstance(stop, list) and len(stop) > MAX_STOPS:
        raise array_too_long("stop", MAX_STOPS, len(stop))
    only_when_enabled(body, "stream_options", "stream")
    only_when_enabled(body, "top_logprobs", "logprobs")
    return body


def _chat_message(message: Any, param: str) -> None:
    if not isinstance(message, dict):
        raise invalid_type(param, message, "object")
    role = required(message, "role", "string", param=f"{param}.role")
    if role not in ROLES:
        raise invalid_value(f"{param}.role", role, ROLES)
    content = message.get("content")
    if content is None and role in ("system", "user", "tool"):
        # sic: the API's own wording and param for this case
        raise APIError(400, "Invalid value for 'content': expected a string, got null.",
                       param=param.replace("[", ".[") + ".content")
    if content is None and role == "developer":
        raise missing(f"{param}.content")
    if isinstance(content, str) and len(content) > MAX_CONTENT_LENGTH:
        raise string_too_long(f"{param}.content", MAX_CONTENT_LENGTH, len(content))
    if content is not None and not isinstance(content, (str, list)):
        raise APIError(400, f"Invalid type for '{param}.content': expected one of a string or array of objects, "
                            f"but got {type_phrase(content)} instead.", param=f"{param}.content",
                       code="invalid_type")


def chat_limits(body: dict[str, Any], model: Any, prompt_tokens: int) -> None:
    """The model's completion and context limits, in the API's words for each family."""
    window, most = model.limits
    for name in ("max_completion_tokens", "max_tokens"):
        asked = body.get(name)
        if asked is not None and asked > most:
            raise APIError(400, f"{name} is too large: {asked}. This model supports at most {most} completion "
                                f"tokens, whereas you provided {asked}.", param=name, code="invalid_value")
    completion = body.get("max_completion_tokens") or body.get("max_tokens") or 0
    if model.input_limited and prompt_tokens > window:
        raise APIError(400, f"Input tokens exceed the configured limit of {window} tokens. Your messages resulted "
                            f"in {prompt_tokens} tokens. Please reduce the length of the messages.",
                       param="messages", code="context_length_exceeded")
    if not model.input_limited and prompt_tokens + completion > window:
        detail = (f"However, your messages resulted in {prompt_tokens} tokens. Please reduce the length of the "
                  "messages." if not completion else
                  f"However, you requested {prompt_tokens + completion} tokens ({prompt_tokens} in the messages, "
                  f"{completion} in the completion). Please reduce the length of the messages or completion.")
        raise APIError(400, f"This model's maximum context length is {window} tokens. {detail}", param="messages",
                       code="context_length_exceeded")
