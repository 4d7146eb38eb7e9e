"""Chat completions: the body field by field, each message, the model's features and token limits.

`chat_request` is the one entry point: it runs every check in the API's order and returns the typed, frozen
`ChatRequest` the generator takes. `chat_limits` is the one check left for after generation, because the
prompt's token count comes from the generator.
"""
from __future__ import annotations

from typing import Any, Callable

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.chat.completion import request_digest
from dummy_openai_api.generators.chat.request import (
    DEFAULT_SAMPLING, DEFAULT_STREAMING, NO_EXTRAS, NO_TOOLS, ChatRequest, Extras, Sampling, Streaming, ToolUse,
)
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    array_too_long, bounded, invalid_type, invalid_value, missing, model_name, modalities, non_empty_array, only_when_enabled, request_fields, required, stored, string_too_long, type_phrase, typed,
)
from dummy_openai_api.proxy.validation.reasoning import chat_parameters
from dummy_openai_api.proxy.validation.tools import chat_features

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


def chat_request(body: dict[str, Any], resolve: Callable[[str], Model],
                 known: frozenset[str] | None = None) -> ChatRequest:
    """A chat completions body, checked as the API checks it, as the `ChatRequest` the generator takes.

    `resolve` finds the model by name (refusing unknown ones) between the body's own checks and the model's;
    `known`, when given, is the set of fields accepted. This runs in the synthetic source only, after the
    cassette and upstream sources: a recording of a request this server would refuse still replays, and record
    mode forwards it to get the real API's error.
    """
    if known is not None:
        known_fields(body, known)
    _body_fields(body)
    model = resolve(body["model"])
    if modalities.needs_check(body):  # most requests never touch audio
        modalities.check(body, body["model"])
    stored.metadata(body.get("metadata"))
    chat_features(body, model)
    chat_parameters(body, model)
    return _typed(body, model)


def _typed(body: dict[str, Any], model: Model) -> ChatRequest:
    """The checked body as typed values; the digest is of the body as sent, so an answer's id never changes."""
    return ChatRequest(model, body["model"], tuple(body["messages"]), request_digest(body), _sampling(body),
                       _tool_use(body), body.get("response_format"), _streaming(body), _extras(body))


# Each group's body fields: a body with none of them takes the group's shared default (most bodies, hot path).
_SAMPLING_FIELDS = frozenset(("n", "stop", "max_tokens", "max_completion_tokens", "temperature", "top_p", "seed",
                              "reasoning_effort", "logprobs", "top_logprobs"))
_TOOL_FIELDS = frozenset(("tools", "tool_choice", "parallel_tool_calls", "functions", "function_call"))
_EXTRA_FIELDS = frozenset(("store", "metadata", "user", "modalities", "audio"))


def _sampling(body: dict[str, Any]) -> Sampling:
    if _SAMPLING_FIELDS.isdisjoint(body):
        return DEFAULT_SAMPLING
    get = body.get
    return Sampling(get("n") or 1, _stop_sequences(get("stop")), get("max_tokens"), get("max_completion_tokens"),
                    get("temperature"), get("top_p"), get("seed"), get("reasoning_effort"), bool(get("logprobs")),
                    get("top_logprobs") or 0)


def _tool_use(body: dict[str, Any]) -> ToolUse:
    if _TOOL_FIELDS.isdisjoint(body):
        return NO_TOOLS
    get = body.get
    return ToolUse(tuple(get("tools") or ()), get("tool_choice"), get("parallel_tool_calls") is not False,
                   tuple(get("functions") or ()), get("function_call"))


def _streaming(body: dict[str, Any]) -> Streaming | None:
    if not body.get("stream"):
        return None
    options = body.get("stream_options")
    if not options:
        return DEFAULT_STREAMING
    return Streaming(bool(options.get("include_usage")), options.get("include_obfuscation") is not False)


def _extras(body: dict[str, Any]) -> Extras:
    if _EXTRA_FIELDS.isdisjoint(body):
        return NO_EXTRAS
    get = body.get
    return Extras(bool(get("store")), get("metadata"), get("user"), tuple(get("modalities") or ()), get("audio"))


def _stop_sequences(stop: str | list[Any] | None) -> tuple[str, ...]:
    """The stop sequences that can match: an empty one, or an item that is not a string, never does."""
    if isinstance(stop, str):
        return (stop,) if stop else ()
    return tuple(s for s in stop or () if isinstance(s, str) and s)


def _body_fields(body: dict[str, Any]) -> None:
    """The body field by field, each message, in the API's order."""
    model_name(body)
    if "messages" in body and body["messages"] is not None and not isinstance(body["messages"], list):
        raise invalid_type("messages", body["messages"], "objects")
    for index, message in enumerate(non_empty_array(body, "messages")):
        _chat_message(message, f"messages[{index}]")
    for name, kinds in _CHAT_TYPES:
        if name in body:  # a body sets few of these: an absent field needs no call (hot path)
            typed(body, name, *kinds)
    for name, kind, low, high in _CHAT_RANGES:
        if name in body:
            bounded(body, name, kind, low, high)
    stop = body.get("stop")
    if isinstance(stop, list) and len(stop) > MAX_STOPS:
        raise array_too_long("stop", MAX_STOPS, len(stop))
    only_when_enabled(body, "stream_options", "stream")
    only_when_enabled(body, "top_logprobs", "logprobs")


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


def chat_limits(request: ChatRequest, prompt_tokens: int) -> None:
    """The model's completion and context limits, in the API's words for each family."""
    model = request.model
    window, most = model.limits
    sampling = request.sampling
    for name, asked in (("max_completion_tokens", sampling.max_completion_tokens), ("max_tokens", sampling.max_tokens)):
        if asked is not None and asked > most:
            raise APIError(400, f"{name} is too large: {asked}. This model supports at most {most} completion "
                                f"tokens, whereas you provided {asked}.", param=name, code="invalid_value")
    completion = sampling.limit or 0  # both are at least 1 when given
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
