"""Request checks with the real API's wording: each failure is a 400 whose `param` names the field."""
from __future__ import annotations

from typing import Any, Iterable

from proxy.errors import APIError, bad_json

# The API's names for JSON types, as its messages say them: "expected a decimal, but got a string instead",
# "expected an integer, but got a decimal number instead".
_ARTICLED = {
    "string": "a string", "integer": "an integer", "number": "a decimal", "boolean": "a boolean",
    "array": "an array", "object": "an object", "null": "null", "objects": "an array of objects",
    "functions": "an array of function definitions",
    "tool_choice": "one of 'none', 'auto', or 'required'", "bare_object": "object",  # sic: "... or object"
}
_ALIASES = {"objects": "array", "functions": "array", "tool_choice": "string", "bare_object": "object"}
_GOT = {**_ARTICLED, "number": "a decimal number"}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def is_type(value: Any, kind: str) -> bool:
    kind = _ALIASES.get(kind, kind)
    actual = json_type(value)
    return actual == kind or (kind == "number" and actual == "integer")


def _expected(kinds: tuple[str, ...]) -> str:
    named = [_ARTICLED[k] for k in kinds]
    return named[0] if len(named) == 1 else "one of " + " or ".join(named)


def invalid_type(param: str, value: Any, *kinds: str) -> APIError:
    return APIError(400, f"Invalid type for '{param}': expected {_expected(kinds)}, "
                         f"but got {_GOT[json_type(value)]} instead.", param=param, code="invalid_type")


def missing(param: str) -> APIError:
    return APIError(400, f"Missing required parameter: '{param}'.", param=param,
                    code="missing_required_parameter")


def invalid_value(param: str, value: Any, allowed: Iterable[str]) -> APIError:
    choices = [f"'{a}'" for a in allowed]
    listed = " and ".join(choices) if len(choices) <= 2 else ", ".join(choices[:-1]) + f", and {choices[-1]}"
    return APIError(400, f"Invalid value: '{value}'. Supported values are: {listed}.", param=param,
                    code="invalid_value")


def body_object(body: Any) -> dict[str, Any]:
    """The request body must be a JSON object; the API answers anything else as unparsable."""
    if not isinstance(body, dict):
        raise bad_json()
    return body


def model_name(body: dict[str, Any]) -> str:
    """`model`, checked as the API's gateway checks it before anything else in the body."""
    model = body.get("model")
    if model is None:
        raise APIError(400, "you must provide a model parameter")
    if not isinstance(model, str):
        raise bad_json()
    return model


def required(body: dict, name: str, *kinds: str, param: str | None = None) -> Any:
    param = param or name
    if name not in body or body[name] is None:
        raise missing(param)
    return typed(body, name, *kinds, param=param)


def typed(body: dict, name: str, *kinds: str, param: str | None = None) -> Any:
    """The field if present and of one of the kinds; None (absent or null) passes."""
    value = body.get(name)
    if value is not None and not any(is_type(value, k) for k in kinds):
        raise invalid_type(param or name, value, *kinds)
    return value


def bounded(body: dict, name: str, kind: str, minimum: float | None = None, maximum: float | None = None,
            param: str | None = None) -> Any:
    """A number within [minimum, maximum], as the API words its range errors."""
    param = param or name
    value = typed(body, name, kind, param=param)
    if value is None:
        return None
    word = "integer" if kind == "integer" else "decimal"
    if minimum is not None and value < minimum:
        raise APIError(400, f"Invalid '{param}': {word} below minimum value. Expected a value >= {_num(minimum)}, "
                            f"but got {_num(value)} instead.", param=param, code=f"{word}_below_min_value")
    if maximum is not None and value > maximum:
        raise APIError(400, f"Invalid '{param}': {word} above maximum value. Expected a value <= {_num(maximum)}, "
                            f"but got {_num(value)} instead.", param=param, code=f"{word}_above_max_value")
    return value


def non_empty_array(body: dict, name: str, param: str | None = None) -> list:
    param = param or name
    value = required(body, name, "array", param=param)
    if not value:
        raise APIError(400, f"Invalid '{param}': empty array. Expected an array with minimum length 1, "
                            "but got an empty array instead.", param=param, code="empty_array")
    return value


def one_of(body: dict, name: str, allowed: tuple[str, ...], param: str | None = None) -> Any:
    value = typed(body, name, "string", param=param)
    if value is not None and value not in allowed:
        raise invalid_value(param or name, value, allowed)
    return value


def _num(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else str(value)


# Chat completions ---------------------------------------------------------------------------------------

ROLES = ("system", "assistant", "user", "function", "tool", "developer")
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
    if isinstance(stop, list) and len(stop) > 4:
        raise APIError(400, f"Invalid 'stop': array too long. Expected an array with maximum length 4, but got an "
                            f"array with length {len(stop)} instead.", param="stop", code="array_above_max_length")
    for name, switch in (("stream_options", "stream"), ("top_logprobs", "logprobs")):
        if body.get(name) is not None and not body.get(switch):
            raise APIError(400, f"The '{name}' parameter is only allowed when '{switch}' is enabled.", param=name)
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
    if content is not None and not isinstance(content, (str, list)):
        raise APIError(400, f"Invalid type for '{param}.content': expected one of a string or array of objects, "
                            f"but got {_GOT[json_type(content)]} instead.", param=f"{param}.content",
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


# Embeddings ---------------------------------------------------------------------------------------------

MAX_EMBEDDING_INPUTS = 2048
MAX_TOKENS_PER_INPUT = 8192
MAX_TOKENS_PER_REQUEST = 300_000
_INVALID_INPUT = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."


def embeddings_request(body: dict[str, Any]) -> dict[str, Any]:
    model_name(body)
    if body.get("input") is None:
        raise APIError(400, "Please submit an `input`.")
    one_of(body, "encoding_format", ("float", "base64"))
    bounded(body, "dimensions", "integer", 1, None)
    typed(body, "user", "string")
    return body


def embedding_inputs(value: Any) -> list[str | list[int]]:
    """`input` as a list of texts or token arrays; empty or mixed inputs are the API's 400."""
    if isinstance(value, str):
        items: list[Any] = [value]
    elif not isinstance(value, list):
        raise APIError(400, _INVALID_INPUT)
    elif value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        items = [value]  # one token array
    else:
        items = value
    if not isinstance(items, list) or not items:
        raise APIError(400, _INVALID_INPUT)
    if len(items) > MAX_EMBEDDING_INPUTS:
        raise APIError(400, f"Invalid 'input': array length must be {MAX_EMBEDDING_INPUTS} or less.")
    for item in items:
        if isinstance(item, str):
            ok = bool(item)
        else:
            ok = isinstance(item, list) and bool(item) and all(
                isinstance(t, int) and not isinstance(t, bool) and t >= 0 for t in item)
        if not ok:
            raise APIError(400, _INVALID_INPUT)
    return items


def embedding_dimensions(body: dict[str, Any], model: Any) -> int:
    dims = body.get("dimensions")
    if dims is None:
        return model.embedding_size
    if "ada-002" in model.id:
        raise APIError(400, "This model does not support specifying dimensions.", param="dimensions")
    if dims > model.embedding_size:
        raise APIError(400, f"Invalid value for 'dimensions' = {dims}. Must be less than or equal to "
                            f"{model.embedding_size}.", param="dimensions")
    return dims


def embedding_token_limits(counts: list[int], single: bool) -> None:
    for index, count in enumerate(counts):
        if count > MAX_TOKENS_PER_INPUT:
            where = "input" if single else f"input[{index}]"
            raise APIError(400, f"Invalid '{where}': maximum input length is {MAX_TOKENS_PER_INPUT} tokens.")
    total = sum(counts)
    if total > MAX_TOKENS_PER_REQUEST:
        raise APIError(400, f"Requested {total} tokens, max {MAX_TOKENS_PER_REQUEST} tokens per request",
                       type="max_tokens_per_request", code="max_tokens_per_request")
