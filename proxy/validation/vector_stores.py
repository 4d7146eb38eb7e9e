"""Vector store requests: ids, create/update bodies, attaching files and batches, search, filters, list queries.

Limits from the API reference: 500 `file_ids` per store create, 2000 per batch, static chunks of 100 to 4096
tokens overlapping by at most half, expiry after 1 to 365 days of inactivity, 1 to 50 search results, 16
attributes of at most 512 characters, and filters that compare with eq/ne/gt/gte/lt/lte/in/nin. The API
publishes no limit on search queries; ours (100 queries of 20,000 characters) keep a search's embedding work
small, well above what a search box sends.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    array_too_long, bounded, empty_array, invalid_type, missing, one_of, page_args, required, string_too_long, typed,
)
from dummy_openai_api.proxy.validation.stored import metadata, pairs

CREATE_FIELDS = ("file_ids", "name", "description", "expires_after", "chunking_strategy", "metadata")
UPDATE_FIELDS = ("name", "expires_after", "metadata")
FILE_FIELDS = ("file_id", "attributes", "chunking_strategy")
BATCH_FIELDS = ("file_ids", "files", "attributes", "chunking_strategy")
SEARCH_FIELDS = ("query", "max_num_results", "filters", "ranking_options", "rewrite_query")
MAX_STORE_FILES, MAX_BATCH_FILES = 500, 2000
COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")
RANKERS = ("none", "auto", "default-2024-11-15")
STATUSES = ("in_progress", "completed", "failed", "cancelled")
ID_PREFIXES = {"vector_store_id": "vs", "batch_id": "vsfb"}
MAX_QUERIES, MAX_QUERY_CHARS = 100, 20_000
MAX_FILTER_DEPTH = 32  # compound filters within compound filters: ours, so that matching never runs out of stack


def object_id(value: str, param: str) -> str:
    """A path id, refused as the API refuses an id of another kind ("Expected an ID that begins with 'vs'.")."""
    prefix = ID_PREFIXES[param]
    if not value.startswith(prefix + "_"):
        raise APIError(400, f"Invalid '{param}': '{value}'. Expected an ID that begins with '{prefix}'.",
                       param=param, code="invalid_value")
    return value


def known(body: dict[str, Any], fields: tuple[str, ...], prefix: str = "") -> None:
    """Every field is one the endpoint has (its bodies allow no others)."""
    unknown = next((name for name in body if name not in fields), None)
    if unknown is not None:
        raise APIError(400, f"Unknown parameter: '{prefix}{unknown}'.", param=prefix + unknown,
                       code="unknown_parameter")


def create_body(body: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/vector_stores."""
    known(body, CREATE_FIELDS)
    file_ids(typed(body, "file_ids", "array") or [], "file_ids", MAX_STORE_FILES)
    typed(body, "name", "string")
    typed(body, "description", "string")
    expires_after(body.get("expires_after"), "expires_after")
    chunking_strategy(body.get("chunking_strategy"), "chunking_strategy")
    metadata(body.get("metadata"))
    return body


def update_body(body: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/vector_stores/{id}: `name`, `expires_after` and `metadata`, each nullable."""
    known(body, UPDATE_FIELDS)
    typed(body, "name", "string")
    expires_after(body.get("expires_after"), "expires_after")
    metadata(body.get("metadata"))
    return body


def file_ids(values: list[Any], param: str, most: int) -> list[str]:
    if len(values) > most:
        raise array_too_long(param, most, len(values))
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise invalid_type(f"{param}[{index}]", value, "string")
    return values


def expires_after(value: Any, param: str) -> None:
    """`{"anchor": "last_active_at", "days": 1..365}`."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    required(value, "anchor", "string", param=f"{param}.anchor")
    one_of(value, "anchor", ("last_active_at",), param=f"{param}.anchor")
    required(value, "days", "integer", param=f"{param}.days")
    bounded(value, "days", "integer", 1, 365, param=f"{param}.days")


def chunking_strategy(value: Any, param: str) -> None:
    """`{"type": "auto"}` or `{"type": "static", "static": {max_chunk_size_tokens, chunk_overlap_tokens}}`."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    required(value, "type", "string", param=f"{param}.type")
    kind = one_of(value, "type", ("auto", "static"), param=f"{param}.type")
    if kind == "auto":
        return
    static = required(value, "static", "object", param=f"{param}.static")
    size = required(static, "max_chunk_size_tokens", "integer", param=f"{param}.static.max_chunk_size_tokens")
    bounded(static, "max_chunk_size_tokens", "integer", 100, 4096, param=f"{param}.static.max_chunk_size_tokens")
    overlap = required(static, "chunk_overlap_tokens", "integer", param=f"{param}.static.chunk_overlap_tokens")
    bounded(static, "chunk_overlap_tokens", "integer", 0, param=f"{param}.static.chunk_overlap_tokens")
    if overlap > size // 2:  # "the overlap must not exceed half of `max_chunk_size_tokens`"
        raise APIError(400, f"Invalid '{param}.static.chunk_overlap_tokens': the overlap must not exceed half of "
                            f"max_chunk_size_tokens ({size // 2}), but got {overlap} instead.",
                       param=f"{param}.static.chunk_overlap_tokens", code="invalid_value")


def attributes(value: Any, param: str = "attributes") -> dict[str, Any]:
    """At most 16 pairs; keys of at most 64 characters; strings of at most 512, numbers or booleans."""
    return pairs(value, param, ("string", "number", "boolean"))


def attach_body(body: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    """POST /v1/vector_stores/{id}/files: (file id, attributes, chunking strategy)."""
    known(body, FILE_FIELDS)
    return _file_entry(body, "")


def _file_entry(entry: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    file_id = required(entry, "file_id", "string", param=f"{prefix}file_id")
    chunking_strategy(entry.get("chunking_strategy"), f"{prefix}chunking_strategy")
    return file_id, attributes(entry.get("attributes"), f"{prefix}attributes"), entry.get("chunking_strategy")


def attributes_body(body: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/vector_stores/{id}/files/{file_id}: the new attributes (required, nullable)."""
    known(body, ("attributes",))
    if "attributes" not in body:
        raise missing("attributes")
    return attributes(body["attributes"])


def batch_body(body: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """POST /v1/vector_stores/{id}/file_batches: `file_ids` sharing `attributes` and `chunking_strategy`, or
    `files`, each with its own (the two are mutually exclusive)."""
    known(body, BATCH_FIELDS)
    if body.get("file_ids") is not None and body.get("files") is not None:
        raise APIError(400, "Only one of 'file_ids' or 'files' may be provided.", param="files")
    if body.get("files") is not None:
        files = _sized(body, "files")
        entries = []
        for index, entry in enumerate(files):
            if not isinstance(entry, dict):
                raise invalid_type(f"files[{index}]", entry, "object")
            known(entry, FILE_FIELDS, f"files[{index}].")
            entries.append(_file_entry(entry, f"files[{index}]."))
        return entries
    if body.get("file_ids") is None:
        raise missing("file_ids")
    ids = file_ids(_sized(body, "file_ids"), "file_ids", MAX_BATCH_FILES)
    shared = attributes(body.get("attributes"))
    chunking_strategy(body.get("chunking_strategy"), "chunking_strategy")
    return [(file_id, dict(shared), body.get("chunking_strategy")) for file_id in ids]


def _sized(body: dict[str, Any], name: str) -> list[Any]:
    values = required(body, name, "array")
    if not values:
        raise empty_array(name)
    if len(values) > MAX_BATCH_FILES:
        raise array_too_long(name, MAX_BATCH_FILES, len(values))
    return values


def search_body(body: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/vector_stores/{id}/search: the queries (a list), `max_num_results` (default 10), filters,
    ranking options and `rewrite_query`, with defaults filled in."""
    known(body, SEARCH_FIELDS)
    query = required(body, "query", "string", "array")
    queries = [query] if isinstance(query, str) else query
    if not queries:
        raise empty_array("query")
    if len(queries) > MAX_QUERIES:
        raise array_too_long("query", MAX_QUERIES, len(queries))
    for index, item in enumerate(queries):
        param = "query" if isinstance(query, str) else f"query[{index}]"
        if not isinstance(item, str):
            raise invalid_type(param, item, "string")
        if len(item) > MAX_QUERY_CHARS:
            raise string_too_long(param, MAX_QUERY_CHARS, len(item))
    most = bounded(body, "max_num_results", "integer", 1, 50)
    filters(body.get("filters"), "filters")
    ranking = ranking_options(body.get("ranking_options"), "ranking_options")
    rewrite = typed(body, "rewrite_query", "boolean")
    return {"queries": queries, "max_num_results": 10 if most is None else most, "filters": body.get("filters"),
            "ranking_options": ranking, "rewrite_query": bool(rewrite)}


def ranking_options(value: Any, param: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    one_of(value, "ranker", RANKERS, param=f"{param}.ranker")
    bounded(value, "score_threshold", "number", 0, 1, param=f"{param}.score_threshold")
    hybrid = typed(value, "hybrid_search", "object", param=f"{param}.hybrid_search")
    for name in ("embedding_weight", "text_weight") if hybrid is not None else ():
        required(hybrid, name, "number", param=f"{param}.hybrid_search.{name}")
        bounded(hybrid, name, "number", 0, param=f"{param}.hybrid_search.{name}")
    return value


def filters(value: Any, param: str, depth: int = 0) -> None:
    """A comparison filter (`type`, `key`, `value`) or a compound one (`and`/`or` over `filters`)."""
    if value is None:
        return
    if depth > MAX_FILTER_DEPTH:
        raise APIError(400, f"Invalid '{param}': compound filters nest at most {MAX_FILTER_DEPTH} levels deep on "
                            "this server.", param=param, code="invalid_value")
    if not isinstance(value, dict):
        raise invalid_type(param, value, "object")
    kind = required(value, "type", "string", param=f"{param}.type")
    if kind in ("and", "or"):
        for index, part in enumerate(required(value, "filters", "array", param=f"{param}.filters")):
            if part is None:
                raise invalid_type(f"{param}.filters[{index}]", part, "object")
            filters(part, f"{param}.filters[{index}]", depth + 1)
        return
    one_of(value, "type", (*COMPARISONS, "and", "or"), param=f"{param}.type")
    required(value, "key", "string", param=f"{param}.key")
    wanted = required(value, "value", "string", "number", "boolean", "array", param=f"{param}.value")
    if kind in ("in", "nin") and not isinstance(wanted, list):
        raise invalid_type(f"{param}.value", wanted, "array")
    if isinstance(wanted, list):
        if kind not in ("in", "nin"):
            raise invalid_type(f"{param}.value", wanted, "string", "number", "boolean")
        for index, item in enumerate(wanted):
            typed({"v": item}, "v", "string", "number", param=f"{param}.value[{index}]")


def file_search_tool(tool: dict[str, Any], param: str) -> None:
    """The Responses API's `file_search` tool: its store ids, result count, filters and ranking options."""
    ids = required(tool, "vector_store_ids", "array", param=f"{param}.vector_store_ids")
    for index, value in enumerate(ids):
        if not isinstance(value, str):
            raise invalid_type(f"{param}.vector_store_ids[{index}]", value, "string")
    bounded(tool, "max_num_results", "integer", 1, 50, param=f"{param}.max_num_results")
    filters(tool.get("filters"), f"{param}.filters")
    ranking_options(tool.get("ranking_options"), f"{param}.ranking_options")


def list_query(query: str) -> dict[str, Any]:
    """`after`, `before`, `limit` (1-100, default 20), `order` (default desc) and, for files, `filter`."""
    args = page_args(dict(parse_qsl(query, keep_blank_values=True)), 20, 100, "desc")
    one_of(args, "filter", STATUSES)
    return args
