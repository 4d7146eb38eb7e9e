"""Request checks with the real API's wording: each failure is a 400 whose `param` names the field.

This package is the one place for request validation. Here: the typed primitives every check is built from
(`required`, `typed`, `bounded`, `one_of`, `non_empty_array`, `invalid_type`, `missing`, `invalid_value`, ...).
Then one module per endpoint group, each reading top to bottom in the order the API checks: `chat`,
`embeddings`, `completions` (legacy), `moderations`, `stored` (stored chat completions), `tools` (tools,
functions, response formats, strict schemas), `responses`, `conversations` and `reasoning` (the sampling
settings reasoning models refuse). `chat`, `embeddings`, `completions` and `moderations` each have one
entry point that runs all their checks and returns the typed, frozen request object their generator takes.
`request_fields` is the generated table of each body's known fields (`generate_fields` writes it). Wording
that no real answer has shown us yet follows the API's own templates and says so.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Iterable

from dummy_openai_api.generators.structured.json_types import json_type
from dummy_openai_api.proxy.core.errors import APIError, bad_json

if TYPE_CHECKING:
    from dummy_openai_api.proxy.core.http import Request

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


@functools.cache
def _accepted(kinds: tuple[str, ...]) -> frozenset[str]:
    """The JSON types a field of these kinds takes (a number takes an integer too): one set lookup per check,
    on the path of every request."""
    types = {_ALIASES.get(kind, kind) for kind in kinds}
    return frozenset(types | {"integer"} if "number" in types else types)


def _expected(kinds: tuple[str, ...]) -> str:
    named = [_ARTICLED[k] for k in kinds]
    return named[0] if len(named) == 1 else "one of " + " or ".join(named)


def type_phrase(value: Any) -> str:
    """The value's type as the API's messages name it after "but got": "a string", "a decimal number", "null"."""
    return _GOT[json_type(value)]


def invalid_type(param: str, value: Any, *kinds: str) -> APIError:
    return APIError(400, f"Invalid type for '{param}': expected {_expected(kinds)}, "
                         f"but got {type_phrase(value)} instead.", param=param, code="invalid_type")


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


def peek_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object, or {} when it is empty, malformed or not an object: for the layers that look
    at a request before its handler does (reply rules, rate limits) and leave the errors to the handler."""
    try:
        body = request.json()
    except APIError:
        return {}
    return body if isinstance(body, dict) else {}


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
    if value is not None and json_type(value) not in _accepted(kinds):
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
        raise empty_array(param)
    return value


def empty_array(param: str) -> APIError:
    return APIError(400, f"Invalid '{param}': empty array. Expected an array with minimum length 1, but got an "
                         "empty array instead.", param=param, code="empty_array")


def array_too_long(param: str, limit: int, length: int) -> APIError:
    return APIError(400, f"Invalid '{param}': array too long. Expected an array with maximum length {limit}, but got "
                         f"an array with length {length} instead.", param=param, code="array_above_max_length")


def string_too_long(param: str, limit: int, length: int) -> APIError:
    return APIError(400, f"Invalid '{param}': string too long. Expected a string with maximum length {limit}, but "
                         f"got a string with length {length} instead.", param=param, code="string_above_max_length")


def only_when_enabled(body: dict, name: str, switch: str) -> None:
    """`stream_options` without `stream`, `top_logprobs` without `logprobs`: the API refuses the pair."""
    if body.get(name) is not None and not body.get(switch):
        raise APIError(400, f"The '{name}' parameter is only allowed when '{switch}' is enabled.", param=name)


def one_of(body: dict, name: str, allowed: tuple[str, ...], param: str | None = None) -> Any:
    value = typed(body, name, "string", param=param)
    if value is not None and value not in allowed:
        raise invalid_value(param or name, value, allowed)
    return value


def _num(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else str(value)


def page_args(args: dict[str, Any], default_limit: int, most: int, order: str) -> dict[str, Any]:
    """A list request's `limit` (1 to `most`, an integer) and `order` (asc or desc), with their defaults."""
    limit = args.get("limit", str(default_limit))
    try:
        args["limit"] = int(limit)
    except ValueError:
        raise invalid_type("limit", limit, "integer") from None
    bounded(args, "limit", "integer", 1, most)
    args["order"] = one_of({"order": args.get("order", order)}, "order", ("asc", "desc"))
    return args
