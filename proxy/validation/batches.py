"""Batches: the create body, the list query, and the input file's lines as the Batch API checks them.

A file that fails these checks makes the batch `failed`, its `errors` listing each problem with its line
(1-based). What is wrong inside a request's `body` is not checked here: the endpoint answers that line with
its own 4xx, which lands in the batch's error file, as the real API does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from dummy_openai_api.proxy.validation import bounded, missing, one_of, required, stored, typed

# The endpoints `POST /v1/batches` accepts (the SDK's BatchCreateParams, without the retired /v1/videos).
ENDPOINTS = ("/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations",
             "/v1/images/generations", "/v1/images/edits")
MAX_REQUESTS = 50_000  # "The file can contain up to 50,000 requests"


def create_body(body: dict[str, Any]) -> dict[str, Any]:
    required(body, "input_file_id", "string")
    required(body, "endpoint", "string")
    one_of(body, "endpoint", ENDPOINTS)
    required(body, "completion_window", "string")
    one_of(body, "completion_window", ("24h",))
    stored.metadata(body.get("metadata"))
    expiry = typed(body, "output_expires_after", "object")
    if expiry is not None:
        required(expiry, "anchor", "string", param="output_expires_after.anchor")
        one_of(expiry, "anchor", ("created_at",), param="output_expires_after.anchor")
        required(expiry, "seconds", "integer", param="output_expires_after.seconds")
        bounded(expiry, "seconds", "integer", 3600, 2592000, param="output_expires_after.seconds")
    return body


def list_query(query: str) -> dict[str, Any]:
    """`after` and `limit` (1-100, default 20); batches are listed newest first."""
    args = stored.list_query(query)
    args["order"] = "desc"
    return args


@dataclass
class Line:
    number: int  # 1-based, as the errors name it
    custom_id: str
    url: str
    body: dict[str, Any]


def line_error(code: str, message: str, line: int | None, param: str | None = None) -> dict[str, Any]:
    return {"code": code, "line": line, "message": message, "param": param}


def input_lines(content: bytes, endpoint: str) -> tuple[list[Line], list[dict[str, Any]]]:
    """The requests of a batch input file, and the errors that fail the batch (none when it is valid)."""
    texts = [(n, t) for n, t in enumerate(content.decode("utf-8", "replace").splitlines(), 1) if t.strip()]
    if not texts:
        return [], [line_error("empty_file", "The batch input file is empty. Please ensure that the batch "
                                             "contains at least one request.", None)]
    if len(texts) > MAX_REQUESTS:
        return [], [line_error("too_many_tasks", f"The batch input file contains {len(texts)} requests; a batch "
                                                 f"can contain at most {MAX_REQUESTS:,}.", None)]
    lines: list[Line] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    models: set[Any] = set()
    for number, text in texts:
        problem = _line_problem(number, text, endpoint, seen)
        if isinstance(problem, Line):
            lines.append(problem)
            seen.add(problem.custom_id)
            models.add(problem.body.get("model"))
        else:
            errors.append(problem)
    if len(models - {None}) > 1 and not errors:
        errors.append(line_error("mismatched_model", "The requests in the batch input file use more than one "
                                                     "model. All requests in a batch must use the same model.",
                                 None, "body.model"))
    return lines, errors


def _line_problem(number: int, text: str, endpoint: str, seen: set[str]) -> Line | dict[str, Any]:
    try:
        request = orjson.loads(text)
    except orjson.JSONDecodeError:
        return line_error("invalid_json_line", "This line is not parseable as valid JSON.", number)
    if not isinstance(request, dict):
        return line_error("invalid_json_line", "This line is not parseable as valid JSON.", number)
    for field, kind in (("custom_id", str), ("method", str), ("url", str), ("body", dict)):
        if not isinstance(request.get(field), kind):
            error = missing(field)
            return line_error("missing_required_parameter" if field not in request else "invalid_request",
                              error.message if field not in request else f"Invalid type for '{field}'.",
                              number, field)
    if request["method"].upper() != "POST":
        return line_error("invalid_method", "The method for this request is not supported. Only POST is "
                                            "supported.", number, "method")
    if request["url"] != endpoint:
        return line_error("invalid_url", f"The URL provided for this request does not match the batch endpoint "
                                         f"{endpoint}.", number, "url")
    if request["custom_id"] in seen:
        return line_error("duplicate_custom_id", "The custom_id for this request is a duplicate of another "
                                                 "request. The custom_id parameter must be unique for each "
                                                 "request in a batch.", number, "custom_id")
    return Line(number, request["custom_id"], request["url"], request["body"])
