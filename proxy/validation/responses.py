"""Responses API request checks, in the API's words (the backend dialect: `param` names the field, `code` the
failure class). Measured wordings: `Unknown parameter: 'reasoning.bogus'.`, `Unknown parameter: 'input[0].bogus'.`,
top_logprobs above 20 (a published measurement of the live API, 2026); `max_output_tokens` has a minimum of 16
(the OpenAPI description).

`response_request` is the one entry point for create: it runs every check in the API's order, resolving the
model on the way, and returns the typed, frozen `ResponseRequest` the generators take; `input_tokens_request`
and `compact_request` do the same for their endpoints (a `PromptRequest`). `needs_json_word` and
`context_window` are the checks left for later, because they need the turn's whole conversation.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import orjson

from dummy_openai_api.generators import reasoning
from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.images import tool as image_tool
from dummy_openai_api.generators.responses.items import INPUT_ROLES, input_list, item_type
from dummy_openai_api.generators.responses.request import (
    CONTENT_FIELDS, NO_ECHO, Echo, Prompt, PromptRequest, ResponseRequest,
)
from dummy_openai_api.generators.responses.web_search import SEARCH_TOOLS
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    bounded, invalid_type, invalid_value, missing, one_of, only_when_enabled, required, string_too_long, typed,
)
from dummy_openai_api.proxy.validation import request_fields
from dummy_openai_api.proxy.validation.chat import MAX_CONTENT_LENGTH
from dummy_openai_api.proxy.validation.images import image_tool_settings
from dummy_openai_api.proxy.validation.reasoning import responses_parameters
from dummy_openai_api.proxy.validation.tools import custom_tool, function_definition, strict_schema, tool_count
from dummy_openai_api.proxy.validation.vector_stores import file_search_tool

# The fields of each body, from the SDK's types (proxy.validation.request_fields), plus `stream` (typed apart by
# the SDK) and the two penalties the API echoes on create.
CREATE_FIELDS = request_fields.RESPONSES | {"stream", "frequency_penalty", "presence_penalty"}
INPUT_TOKENS_FIELDS, COMPACT_FIELDS = request_fields.INPUT_TOKENS, request_fields.COMPACT
_TYPES = (  # (field, allowed kinds)
    ("instructions", ("string",)), ("stream", ("boolean",)), ("store", ("boolean",)), ("background", ("boolean",)),
    ("parallel_tool_calls", ("boolean",)), ("metadata", ("object",)), ("reasoning", ("object",)),
    ("text", ("object",)), ("tools", ("array",)), ("tool_choice", ("string", "object")), ("include", ("array",)),
    ("model", ("string",)),
    ("stream_options", ("object",)), ("user", ("string",)), ("previous_response_id", ("string",)),
    ("conversation", ("string", "object")), ("prompt_cache_key", ("string",)), ("safety_identifier", ("string",)),
)
_RANGES = (("temperature", "number", 0, 2), ("top_p", "number", 0, 1), ("max_output_tokens", "integer", 16, None),
           ("top_logprobs", "integer", 0, 20), ("max_tool_calls", "integer", 1, None),
           ("frequency_penalty", "number", -2, 2), ("presence_penalty", "number", -2, 2))  # as in chat
_CHOICES = (("truncation", ("auto", "disabled")), ("service_tier", ("auto", "default", "flex", "scale", "priority")),
            ("prompt_cache_retention", ("in_memory", "24h")))
EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
FORMATS = ("text", "json_schema", "json_object")
ITEM_TYPES = ("message", "function_call", "function_call_output", "reasoning", "item_reference", "web_search_call",
              "file_search_call", "computer_call", "computer_call_output", "image_generation_call",
              "code_interpreter_call", "local_shell_call", "local_shell_call_output", "mcp_list_tools",
              "mcp_approval_request", "mcp_approval_response", "mcp_call", "custom_tool_call",
              "custom_tool_call_output", "compaction")
# `tool_choice` objects: hosted tool types (SDK ToolChoiceTypes), then the other forms.
CHOICE_TYPES = ("file_search", "web_search_preview", "computer", "computer_use_preview", "computer_use",
                "web_search_preview_2025_03_11", "image_generation", "code_interpreter", "function", "allowed_tools",
                "mcp", "custom", "apply_patch", "shell", "programmatic_tool_calling")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def response_request(body: dict[str, Any], resolve: Callable[[str], Model],
                     known: frozenset[str] | None = CREATE_FIELDS) -> ResponseRequest:
    """A POST /v1/responses body, checked as the API checks it, as the `ResponseRequest` the generators take.

    `resolve` finds the model by name (refusing unknown ones) between the body's own checks and the model's;
    `known` is the set of fields accepted (None: any). This runs in the synthetic source only, after the cassette
    and upstream sources: a recording of a request this server would refuse still replays, and record mode
    forwards it to get the real API's error.
    """
    _body_checks(body, known)
    model = resolve(body["model"])
    responses_parameters(body, model)
    simulated_tools(body.get("tools") or [])
    return _typed(body, model)


def input_tokens_request(body: dict[str, Any], resolve: Callable[[str], Model],
                         known: frozenset[str] | None = INPUT_TOKENS_FIELDS) -> PromptRequest:
    """A POST /v1/responses/input_tokens body, checked; `model` is optional there."""
    common_checks(body, known)
    name = typed(body, "model", "string")
    return PromptRequest(resolve(name) if name else None, _prompt(body))


def compact_request(body: dict[str, Any], resolve: Callable[[str], Model],
                    known: frozenset[str] | None = COMPACT_FIELDS) -> PromptRequest:
    """A POST /v1/responses/compact body, checked."""
    required(body, "model", "string")
    common_checks(body, known)
    return PromptRequest(resolve(body["model"]), _prompt(body))


def _body_checks(body: dict[str, Any], known: frozenset[str] | None) -> None:
    """The create body field by field, in the API's order."""
    required(body, "model", "string")
    common_checks(body, known)
    for name, kind, low, high in _RANGES:
        if name in body:  # a body sets few of these: an absent field needs no call
            bounded(body, name, kind, low, high)
    for name, allowed in _CHOICES:
        if name in body:
            one_of(body, name, allowed)
    if isinstance(body.get("tool_choice"), dict):
        required(body["tool_choice"], "type", "string", param="tool_choice.type")
        one_of(body["tool_choice"], "type", CHOICE_TYPES, param="tool_choice.type")
    elif body.get("tool_choice") is not None:
        one_of(body, "tool_choice", ("none", "auto", "required"))
    _reasoning(body.get("reasoning"))
    _text(body.get("text"))
    _metadata(body.get("metadata"))
    only_when_enabled(body, "stream_options", "stream")
    if body.get("previous_response_id") is not None and body.get("conversation") is not None:
        raise APIError(400, "Mutually exclusive parameters: Ensure you are only providing one of: "
                            "'previous_response_id' or 'conversation'.", param=None,
                       code="mutually_exclusive_parameters")


def _prompt(body: dict[str, Any]) -> Prompt:
    """The checked body's conversation: its input as items, its instructions and tools, its earlier turns."""
    return Prompt(tuple(input_list(body.get("input"))), body.get("instructions"), tuple(body.get("tools") or ()),
                  body.get("previous_response_id"), _conversation_id(body.get("conversation")))


def _conversation_id(value: Any) -> str | None:
    """`conversation` is an id or `{"id": ...}`."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _typed(body: dict[str, Any], model: Model) -> ResponseRequest:
    """The checked create body as typed values; `settings` are the content fields as sent (they seed the answer)."""
    get = body.get
    text = get("text") or {}
    asked = get("reasoning") or {}
    return ResponseRequest(
        model, body["model"], _prompt(body), _settings(body), get("tool_choice"),
        get("parallel_tool_calls", True) is not False, text.get("format"), text.get("verbosity") or "medium",
        reasoning.effort(model, asked.get("effort")), asked.get("summary") or asked.get("generate_summary"),
        get("max_output_tokens"), get("top_logprobs") or 0, tuple(get("include") or ()),
        get("truncation") or "disabled", get("store") is not False, bool(get("background")), bool(get("stream")),
        (get("stream_options") or {}).get("include_obfuscation") is not False, _echo(body))


def _settings(body: dict[str, Any]) -> bytes:
    """The content fields as sent, as JSON: the writer's seed is made of them and the conversation."""
    return orjson.dumps({name: body.get(name) for name in CONTENT_FIELDS}, option=orjson.OPT_SORT_KEYS)


# The fields only echoed: a body with none of them takes the shared default (most bodies).
_ECHO_FIELDS = frozenset(("temperature", "top_p", "frequency_penalty", "presence_penalty", "max_tool_calls",
                          "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier", "user",
                          "metadata"))


def _echo(body: dict[str, Any]) -> Echo:
    if _ECHO_FIELDS.isdisjoint(body):
        return NO_ECHO
    get = body.get
    return Echo(float(_given(get("temperature"), 1.0)), float(_given(get("top_p"), 1.0)),
                float(get("frequency_penalty") or 0.0), float(get("presence_penalty") or 0.0), get("max_tool_calls"),
                get("service_tier") or "auto", get("prompt_cache_key"), get("prompt_cache_retention"),
                get("safety_identifier"), get("user"), get("metadata"))


def _given(value: Any, default: float) -> Any:
    return default if value is None else value


def common_checks(body: dict[str, Any], known: frozenset[str] | None) -> None:
    """What create, input_tokens and compact share: known fields (None: any), the input items, the tools, the
    chain id."""
    unknown = next((name for name in body if name not in known), None) if known is not None else None
    if unknown is not None:
        raise APIError(400, f"Unknown parameter: '{unknown}'.", param=unknown, code="unknown_parameter")
    for name, kinds in _TYPES:
        if name in body:
            typed(body, name, *kinds)
    value = body.get("input")
    if value is not None and not isinstance(value, (str, list)):
        raise invalid_type("input", value, "string", "objects")
    too_long(value, "input")
    input_items(value if isinstance(value, list) else [], "input")
    tool_count(body.get("tools") or [], "tools")
    for index, tool in enumerate(body.get("tools") or []):
        _tool(tool, f"tools[{index}]")
    if body.get("previous_response_id") is not None:
        response_id(body["previous_response_id"], "previous_response_id")
    if isinstance(body.get("conversation"), dict):
        required(body["conversation"], "id", "string", param="conversation.id")


def input_items(items: list[Any], param: str) -> None:
    """Each item of an input array (a conversation's items too), checked as the API checks `input`."""
    for index, item in enumerate(items):
        _item(item, f"{param}[{index}]")


def response_id(value: Any, param: str) -> str:
    """An id the API can look up: letters, digits, `_` and `-`, beginning with `resp`."""
    if not isinstance(value, str) or not _ID.match(value):
        raise APIError(400, f"Invalid '{param}': '{value}'. Expected an ID that contains letters, numbers, "
                            "underscores, or dashes, but this value contained additional characters.", param=param,
                       code="invalid_value")
    if not value.startswith("resp"):
        raise APIError(400, f"Invalid '{param}': '{value}'. Expected an ID that begins with 'resp'.", param=param,
                       code="invalid_value")
    return value


def too_long(text: Any, param: str) -> None:
    """The API's limit on one text of the input, as for chat messages."""
    if isinstance(text, str) and len(text) > MAX_CONTENT_LENGTH:
        raise string_too_long(param, MAX_CONTENT_LENGTH, len(text))


# The fields other input items must have, checked in this order, with the types each may take.
_STRING, _OUTPUT = ("string",), ("string", "array")
ITEM_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "function_call": {"call_id": _STRING, "name": _STRING, "arguments": _STRING},
    "function_call_output": {"call_id": _STRING, "output": _OUTPUT},
    "custom_tool_call": {"call_id": _STRING, "name": _STRING, "input": _STRING},
    "custom_tool_call_output": {"call_id": _STRING, "output": _OUTPUT},
    "item_reference": {"id": _STRING},
}


def _item(item: Any, param: str) -> None:
    if not isinstance(item, dict):
        raise invalid_type(param, item, "object")
    kind = one_of(item, "type", ITEM_TYPES, param=f"{param}.type") or item_type(item)
    if kind == "message":
        role = required(item, "role", "string", param=f"{param}.role")
        if role not in INPUT_ROLES:
            raise invalid_value(f"{param}.role", role, INPUT_ROLES)
        if item.get("content") is None:
            raise missing(f"{param}.content")
        typed(item, "content", "string", "array", param=f"{param}.content")
        too_long(item["content"], f"{param}.content")
    else:
        for name, types in ITEM_FIELDS.get(kind, {}).items():
            required(item, name, *types, param=f"{param}.{name}")


def _tool(tool: Any, param: str) -> None:
    if not isinstance(tool, dict):
        raise invalid_type(param, tool, "object")
    kind = required(tool, "type", "string", param=f"{param}.type")
    if kind == "function":
        function_definition(tool, param)  # flat, as chat's `function` object is
        schema_shape(tool.get("parameters"), f"function '{tool['name']}'", f"{param}.parameters",
                     "invalid_function_parameters")
    elif kind == "custom":
        custom_tool(tool, param, nested=False)  # flat, as chat's `custom` object is
    elif kind in SEARCH_TOOLS:
        typed(tool, "user_location", "object", param=f"{param}.user_location")
        typed(tool, "filters", "object", param=f"{param}.filters")
        one_of(tool, "search_context_size", ("low", "medium", "high"), param=f"{param}.search_context_size")
    elif kind == "file_search":
        file_search_tool(tool, param)
    elif kind == "code_interpreter":
        required(tool, "container", "string", "object", param=f"{param}.container")
    elif kind == "mcp":
        required(tool, "server_label", "string", param=f"{param}.server_label")
    elif kind == image_tool.TOOL_TYPE:
        image_tool_settings(tool, param)


def simulated_tools(tools: list[dict[str, Any]]) -> None:
    """Synthetic answers use functions, custom tools, web search, file search and image generation; any other
    tool is refused in this server's own words (a recording of it still replays: this runs in the synthetic
    source only)."""
    for index, tool in enumerate(tools):
        if tool.get("type") not in ("function", "custom", "file_search", image_tool.TOOL_TYPE, *SEARCH_TOOLS):
            raise APIError(400, f"The '{tool.get('type', '')}' tool is not simulated: synthetic answers support "
                                "function, custom, web_search, file_search and image_generation tools. Record a "
                                "session with it (--mode record) to replay it.",
                           param=f"tools[{index}].type", code="unsupported_value")


def _reasoning(reasoning: dict[str, Any] | None) -> None:
    if reasoning is None:
        return
    for name in reasoning:
        if name not in ("effort", "summary", "generate_summary", "context", "mode"):
            raise APIError(400, f"Unknown parameter: 'reasoning.{name}'.", param=f"reasoning.{name}",
                           code="unknown_parameter")
    one_of(reasoning, "effort", EFFORTS, param="reasoning.effort")
    one_of(reasoning, "summary", ("auto", "concise", "detailed"), param="reasoning.summary")


def _text(text: dict[str, Any] | None) -> None:
    if text is None:
        return
    one_of(text, "verbosity", ("low", "medium", "high"), param="text.verbosity")
    fmt = typed(text, "format", "object", param="text.format")
    if fmt is None:
        return
    kind = required(fmt, "type", "string", param="text.format.type")
    if kind not in FORMATS:
        raise invalid_value("text.format.type", kind, FORMATS)
    if kind == "json_schema":
        name = required(fmt, "name", "string", param="text.format.name")
        schema = required(fmt, "schema", "object", param="text.format.schema")
        schema_shape(schema, f"response_format '{name}'", "text.format.schema", None)
        if fmt.get("strict"):
            strict_schema(schema, f"response_format '{name}'", "text.format.schema", None)


# JSON Schema keywords whose values must be of one JSON type (the generators walk them).
_SHAPES = {"properties": dict, "$defs": dict, "definitions": dict, "required": list, "enum": list, "anyOf": list,
           "oneOf": list, "allOf": list, "prefixItems": list}
_SHAPE_NAMES = {dict: "object", list: "array"}


def schema_shape(schema: Any, label: str, param: str, code: str | None, context: tuple[str, ...] = ()) -> None:
    """A schema's keywords hold values of their type all the way down, as JSON Schema's meta-schema demands."""
    if not isinstance(schema, dict):
        return
    for keyword, kind in _SHAPES.items():
        value = schema.get(keyword)
        if value is not None and not isinstance(value, kind):
            raise APIError(400, f"Invalid schema for {label}: In context={context!r}, {orjson.dumps(value).decode()} "
                                f"is not of type '{_SHAPE_NAMES[kind]}'.", param=param, code=code)
    children: list[tuple[tuple[str, ...], Any]] = [
        ((group, name), sub) for group in ("properties", "$defs", "definitions")
        for name, sub in (schema.get(group) or {}).items()]
    children += [((group, str(i)), sub) for group in ("anyOf", "oneOf", "allOf", "prefixItems")
                 for i, sub in enumerate(schema.get(group) or [])]
    if isinstance(schema.get("items"), dict):
        children.append((("items",), schema["items"]))
    for path, sub in children:
        schema_shape(sub, label, param, code, context + path)


def _metadata(metadata: dict[str, Any] | None) -> None:
    """At most 16 pairs; keys up to 64 characters, values strings up to 512."""
    if metadata is None:
        return
    if len(metadata) > 16:
        raise APIError(400, "Invalid 'metadata': too many properties. Expected an object with at most 16 "
                            f"properties, but got an object with {len(metadata)} properties instead.",
                       param="metadata", code="object_above_max_properties")
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise invalid_type(f"metadata.{key}", value, "string")
        if len(key) > 64 or len(value) > 512:
            limit, what = (64, "key") if len(key) > 64 else (512, "value")
            raise APIError(400, f"Invalid 'metadata': {what} too long. Expected a {what} with at most {limit} "
                                "characters.", param="metadata", code="invalid_value")


def needs_json_word(request: ResponseRequest, texts: list[str]) -> None:
    """`text.format` json_object needs the word JSON somewhere in the input, as `response_format` does in chat."""
    fmt = request.text_format or {}
    if fmt.get("type") == "json_object" and not any("json" in text.lower() for text in texts):
        raise APIError(400, "Response input messages must contain the word 'json' in some form to use "
                            "'text.format' of type 'json_object'.", param="input")


def context_window(request: ResponseRequest, prompt_tokens: int) -> None:
    """Input beyond the model's context window is refused unless `truncation` is `auto` (then it is cut)."""
    if prompt_tokens > request.model.limits[0] and request.truncation != "auto":
        raise APIError(400, "Your input exceeds the context window of this model. Please adjust your input and "
                            "try again.", param="input", code="context_length_exceeded")
