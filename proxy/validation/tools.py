"""Checks of the chat features that shape an answer, with the real API's wording: tools and legacy functions,
`tool_choice`/`function_call`, `response_format` (strict schemas included), `logprobs` on reasoning models,
and the pairing of assistant tool calls with tool messages.

Sources: a published measurement of the live API (2026) gives the missing-member, empty and pattern errors,
`no function named ... was specified in the 'functions' parameter` (the chat API names a tool choice as a
function call) and `Unsupported parameter: 'logprobs'` on reasoning models; the
`is only allowed when 'tools' are specified`, json_object `'messages' must contain the word 'json'`,
`Invalid schema for response_format/function` and tool-message sentences are quoted from real responses
in many GitHub issues (param and code as quoted there).
"""
from __future__ import annotations

import re
from typing import Any

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    array_too_long, empty_array, invalid_type, invalid_value, missing, string_too_long, typed,
)

NAME_PATTERN = "^[a-zA-Z0-9_-]+$"
_NAME = re.compile(NAME_PATTERN)
MAX_NAME_LENGTH = 64
MAX_TOOLS = 128  # tools (and legacy functions) per request, in chat completions and Responses alike
TOOL_TYPES = ("function", "custom")
TOOL_CHOICES = ("none", "auto", "required")
RESPONSE_FORMATS = ("json_object", "json_schema", "text")
CUSTOM_FORMATS = ("text", "grammar")
GRAMMAR_SYNTAXES = ("lark", "regex")


# The body fields chat_features looks at besides the messages.
_FEATURE_FIELDS = frozenset(("functions", "tools", "tool_choice", "parallel_tool_calls", "function_call",
                             "response_format", "logprobs"))


def chat_features(body: dict[str, Any], model: Model) -> None:
    """Everything about tools, functions, response formats and logprobs that the type checks let through."""
    if _FEATURE_FIELDS.isdisjoint(body):  # most bodies set none of them: only the messages need a look (hot path)
        tool_messages(body["messages"])
        return
    tool_count(body.get("functions") or [], "functions")
    for index, definition in enumerate(body.get("functions") or []):
        function_definition(definition, f"functions[{index}]")
    _tools(body.get("tools"))
    _tool_choice(body)
    _function_call(body)
    _response_format(body)
    _logprobs(body, model)
    tool_messages(body["messages"])


def _name(value: Any, param: str) -> None:
    """A function or schema name: present, non-empty, at most 64 of `a-zA-Z0-9_-`."""
    if not isinstance(value, str):
        raise invalid_type(param, value, "string")
    if not value:
        raise APIError(400, f"Invalid '{param}': empty string. Expected a string with minimum length 1, but got an "
                            "empty string instead.", param=param, code="empty_string")
    if len(value) > MAX_NAME_LENGTH:
        raise string_too_long(param, MAX_NAME_LENGTH, len(value))
    if not _NAME.match(value):
        raise APIError(400, f"Invalid '{param}': string does not match pattern. Expected a string that matches the "
                            f"pattern '{NAME_PATTERN}'.", param=param, code="invalid_value")


def _named_object(value: Any, param: str, fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """A function definition or a json_schema: an object with a valid `name`, then its fields in the given order."""
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    if value.get("name") is None:
        raise missing(f"{param}.name")
    _name(value["name"], f"{param}.name")
    for name, kind in fields:
        typed(value, name, kind, param=f"{param}.{name}")
    return value


def function_definition(definition: Any, param: str) -> None:
    _named_object(definition, param, (("description", "string"), ("parameters", "object"), ("strict", "boolean")))
    if definition.get("strict") and definition.get("parameters"):  # no parameters: a function without any
        strict_schema(definition["parameters"], f"function '{definition['name']}'", f"{param}.parameters",
                      "invalid_function_parameters")


def tool_count(tools: list[Any], param: str) -> None:
    """The API's limit on tools; each one also costs the generator a look at the conversation."""
    if len(tools) > MAX_TOOLS:
        raise array_too_long(param, MAX_TOOLS, len(tools))


def _tools(tools: Any) -> None:
    if tools is None:
        return
    if not tools:
        raise empty_array("tools")
    tool_count(tools, "tools")
    for index, tool in enumerate(tools):
        param = f"tools[{index}]"
        if not isinstance(tool, dict):
            raise invalid_type(param, tool, "object")
        kind = tool.get("type")
        if kind is None:
            raise missing(f"{param}.type")
        if kind not in TOOL_TYPES:
            raise invalid_value(f"{param}.type", kind, TOOL_TYPES)
        if tool.get(kind) is None:
            raise missing(f"{param}.{kind}")
        if kind == "function":
            function_definition(tool["function"], f"{param}.function")
        else:
            custom_tool(tool["custom"], f"{param}.custom")


def custom_tool(definition: Any, param: str, nested: bool = True) -> None:
    """A custom tool: a `name`, maybe a `description`, and a `format` of free text or a lark/regex grammar
    (chat nests the grammar's `syntax` and `definition` under `format.grammar`, Responses puts them in `format`)."""
    _named_object(definition, param, (("description", "string"), ("format", "object")))
    fmt = definition.get("format")
    if fmt is None:
        return
    kind = fmt.get("type")
    if kind is None:
        raise missing(f"{param}.format.type")
    if kind not in CUSTOM_FORMATS:
        raise invalid_value(f"{param}.format.type", kind, CUSTOM_FORMATS)
    if kind != "grammar":
        return
    where = f"{param}.format.grammar" if nested else f"{param}.format"
    grammar = fmt.get("grammar") if nested else fmt
    if grammar is None:
        raise missing(where)
    if not isinstance(grammar, dict):
        raise invalid_type(where, grammar, "object")
    for name, allowed in (("syntax", GRAMMAR_SYNTAXES), ("definition", None)):
        if grammar.get(name) is None:
            raise missing(f"{where}.{name}")
        typed(grammar, name, "string", param=f"{where}.{name}")
        if allowed and grammar[name] not in allowed:
            raise invalid_value(f"{where}.{name}", grammar[name], allowed)


def _only_with(body: dict[str, Any], name: str, offer: str) -> None:
    if body.get(name) is not None and not body.get(offer):
        raise APIError(400, f"Invalid value for '{name}': '{name}' is only allowed when '{offer}' are specified.",
                       param=name)


def _undeclared(name: Any) -> APIError:
    # sic: the chat API reports an unknown tool_choice function in the words of the legacy parameter
    return APIError(400, f"Invalid value for 'function_call': no function named '{name}' was specified in the "
                         "'functions' parameter.", param="function_call")


def _tool_choice(body: dict[str, Any]) -> None:
    choice = body.get("tool_choice")
    _only_with(body, "tool_choice", "tools")
    _only_with(body, "parallel_tool_calls", "tools")
    if isinstance(choice, str) and choice not in TOOL_CHOICES:
        raise invalid_value("tool_choice", choice, TOOL_CHOICES)
    if not isinstance(choice, dict):
        return
    kind = choice.get("type")
    if kind is None:
        raise missing("tool_choice.type")
    if kind == "allowed_tools":
        _allowed_tools(choice)
        return
    member = "custom" if kind == "custom" else "function"
    if not isinstance(choice.get(member), dict):
        raise missing(f"tool_choice.{member}")
    name = choice[member].get("name")
    if name is None:
        raise missing(f"tool_choice.{member}.name")
    declared = {(t.get(member) or {}).get("name") for t in body["tools"] if isinstance(t, dict)}
    if name not in declared:
        raise _undeclared(name)


def _allowed_tools(choice: dict[str, Any]) -> None:
    allowed = choice.get("allowed_tools")
    if not isinstance(allowed, dict):
        raise missing("tool_choice.allowed_tools")
    mode = allowed.get("mode")
    if mode is None:
        raise missing("tool_choice.allowed_tools.mode")
    if mode not in ("auto", "required"):
        raise invalid_value("tool_choice.allowed_tools.mode", mode, ("auto", "required"))
    if allowed.get("tools") is None:
        raise missing("tool_choice.allowed_tools.tools")


def _function_call(body: dict[str, Any]) -> None:
    choice = body.get("function_call")
    _only_with(body, "function_call", "functions")
    if isinstance(choice, str) and choice not in ("none", "auto"):
        raise invalid_value("function_call", choice, ("none", "auto"))
    if isinstance(choice, dict):
        if choice.get("name") is None:
            raise missing("function_call.name")
        if choice["name"] not in {f.get("name") for f in body["functions"] if isinstance(f, dict)}:
            raise _undeclared(choice["name"])


def _response_format(body: dict[str, Any]) -> None:
    response_format = body.get("response_format")
    if response_format is None:
        return
    kind = response_format.get("type")
    if kind is None:
        raise missing("response_format.type")
    if kind not in RESPONSE_FORMATS:
        raise invalid_value("response_format.type", kind, RESPONSE_FORMATS)
    if kind == "json_object" and not any("json" in text.lower() for text in _texts(body["messages"])):
        raise APIError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type "
                            "'json_object'.", param="messages")
    if kind == "json_schema":
        _json_schema(response_format.get("json_schema"))


def _json_schema(spec: Any) -> None:
    param = "response_format.json_schema"
    if spec is None:
        raise missing(param)
    _named_object(spec, param, (("schema", "object"), ("strict", "boolean"), ("description", "string")))
    if spec.get("strict"):
        strict_schema(spec.get("schema") or {}, f"response_format '{spec['name']}'", "response_format", None)


def _texts(messages: list[Any]) -> list[str]:
    texts: list[str] = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        parts = content if isinstance(content, list) else [content]
        texts += [p if isinstance(p, str) else p["text"] for p in parts
                  if isinstance(p, str) or isinstance(p, dict) and isinstance(p.get("text"), str)]
    return texts


def _logprobs(body: dict[str, Any], model: Model) -> None:
    if body.get("logprobs") and model.reasoning and body.get("reasoning_effort") != "none":
        raise APIError(400, "Unsupported parameter: 'logprobs' is not supported with this model.", param="logprobs",
                       code="unsupported_parameter")


# --- strict schemas ---------------------------------------------------------------------------------------

def strict_schema(schema: dict[str, Any], label: str, param: str, code: str | None) -> None:
    """Structured Outputs' rules: an object root, and every object closed with all its properties required."""
    root_type = schema.get("type")
    if root_type != "object" and not {"$ref", "anyOf", "properties"} & set(schema):
        raise APIError(400, f"Invalid schema for {label}: schema must be a JSON Schema of 'type: \"object\"', got "
                            f"'type: \"{root_type}\"'.", param=param, code=code)
    for context, node in _objects(schema, ()):
        problem = _strict_problem(node)
        if problem:
            raise APIError(400, f"Invalid schema for {label}: In context={context!r}, {problem}", param=param,
                           code=code)


def _strict_problem(node: dict[str, Any]) -> str | None:
    props = node.get("properties")
    if not isinstance(props, dict):
        return "object schema missing properties." if "$ref" not in node and "anyOf" not in node else None
    if node.get("additionalProperties") is not False:
        return "'additionalProperties' is required to be supplied and to be false."
    required = given if isinstance(given := node.get("required"), list) else []
    absent = [k for k in props if k not in required]
    extra = [k for k in required if k not in props]
    every = "'required' is required to be supplied and to be an array including every key in properties."
    if absent:
        return f"{every} Missing '{absent[0]}'."
    return f"{every} Extra required key '{extra[0]}' supplied." if extra else None


def _objects(node: Any, context: tuple[str, ...]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every object schema inside `node` with its path, the way the API names it in `context=(...)`."""
    if not isinstance(node, dict):
        return []
    found = [(context, node)] if node.get("type") == "object" or "properties" in node else []
    for key in ("$defs", "definitions", "properties"):
        for name, sub in (node.get(key) or {}).items() if isinstance(node.get(key), dict) else ():
            found += _objects(sub, (*context, key, name))
    if isinstance(node.get("items"), dict):
        found += _objects(node["items"], (*context, "items"))
    for key in ("anyOf", "allOf", "prefixItems"):
        for index, sub in enumerate(node.get(key) or []):
            found += _objects(sub, (*context, key, str(index)))
    return found


# --- tool messages ----------------------------------------------------------------------------------------

def tool_messages(messages: list[dict[str, Any]]) -> None:
    """Each tool message answers a call of the assistant message before it; every call gets its answer."""
    waiting: list[object] = []  # tool call ids as the request gave them
    asked_at: int | None = None
    for index, message in enumerate(messages):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if asked_at is None:
                raise APIError(400, "Invalid parameter: messages with role 'tool' must be a response to a preceeding "
                                    "message with 'tool_calls'.", param=f"messages.[{index}].role")
            if call_id not in waiting and call_id is not None:
                raise APIError(400, f"Invalid parameter: 'tool_call_id' of '{call_id}' not found in 'tool_calls' of "
                                    "previous message.", param=f"messages.[{index}].tool_call_id")
            waiting = [c for c in waiting if c != call_id]
            continue
        _all_answered(waiting, asked_at)
        calls = message.get("tool_calls") if role == "assistant" else None
        waiting = [c.get("id") for c in calls if isinstance(c, dict)] if isinstance(calls, list) and calls else []
        asked_at = index if waiting else None
    _all_answered(waiting, asked_at)


def _all_answered(waiting: list[object], asked_at: int | None) -> None:
    if waiting:
        raise APIError(400, "An assistant message with 'tool_calls' must be followed by tool messages responding to "
                            "each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                            f"{', '.join(str(c) for c in waiting)}", param=f"messages.[{asked_at}].role")
