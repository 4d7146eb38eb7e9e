"""Request keys: one pure function of (method, API path, sorted query, canonical body minus ignored fields).

The API path has the host and the base prefix stripped, so recordings made against api.openai.com, a
provider's OpenAI-compatible endpoint or this server on localhost are interchangeable. Headers never enter
the key (`x-stainless-retry-count` changes on retries); `stream` stays in it (a stream is another answer).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import orjson

# Fields ignored by default: none, because every field can change the answer.
DEFAULT_IGNORED: tuple[str, ...] = ()

# The first segment(s) of every OpenAI API resource; a path is an API path if it contains one of these.
API_ROOTS = (
    "chat/completions", "completions", "embeddings", "models", "responses", "moderations", "audio", "images",
    "files", "uploads", "batches", "fine_tuning", "fine-tunes", "assistants", "threads", "vector_stores",
    "conversations", "realtime", "containers", "evals", "videos", "organization", "chatkit",
)
_ROOT_PATTERN = re.compile(r"/(?:" + "|".join(re.escape(r) for r in API_ROOTS) + r")(?:/|$)")

NAMED_VOLATILE = {  # text that changes run to run; replaced before hashing when configured
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "timestamp": r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
}


@dataclass(frozen=True)
class KeyRules:
    """What the key ignores: dotted field paths (`user`, `stream_options.include_obfuscation`), volatile
    text patterns, and provider path prefixes mapped onto `/v1` (`/openai/deployments/x=/v1`)."""

    ignored: tuple[str, ...] = DEFAULT_IGNORED
    volatile: tuple[str, ...] = ()
    path_map: tuple[tuple[str, str], ...] = ()
    _compiled: tuple[re.Pattern, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        patterns = tuple(re.compile(NAMED_VOLATILE.get(v, v)) for v in self.volatile)
        object.__setattr__(self, "_compiled", patterns)


def api_path(url_or_path: str, path_map: tuple[tuple[str, str], ...] = ()) -> str | None:
    """`https://api.openai.com/v1/chat/completions?x=1` -> `/chat/completions`; None if not an API path."""
    path = urlsplit(url_or_path).path if "://" in url_or_path else url_or_path.split("?", 1)[0]
    for prefix, replacement in path_map:
        if path.startswith(prefix):
            path = replacement + path[len(prefix):]
            break
    marker = path.find("/v1/")
    if marker >= 0:
        return path[marker + 3:]
    found = _ROOT_PATTERN.search(path)
    return path[found.start():] if found else None


# orjson reads JSON nested up to 1024 levels deep but writes only 254; a deeper value cannot be written back.
MAX_JSON_DEPTH = 254


def writable(body: bytes, value: Any) -> bool:
    """Whether `value`, parsed from `body`, nests shallowly enough to be serialized again."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return True  # it cannot nest deeper than it has brackets: no need to try
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return False
    return True


def canonical_query(query: str) -> str:
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def canonical_body(body: bytes, rules: KeyRules) -> Any:
    """The body as JSON minus the ignored fields, or the raw bytes when it is not JSON (or nests too deep)."""
    if not body:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    if not writable(body, data):
        return body
    for dotted in rules.ignored:
        _drop(data, dotted.split("."))
    return data


def _drop(data: Any, parts: list[str]) -> None:
    if not isinstance(data, dict) or not parts:
        return
    if len(parts) == 1:
        data.pop(parts[0], None)
    else:
        _drop(data.get(parts[0]), parts[1:])


def body_bytes(canonical: Any, rules: KeyRules) -> bytes:
    if isinstance(canonical, bytes):
        return canonical
    text = orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)
    for pattern in rules._compiled:
        text = pattern.sub("<volatile>", text.decode()).encode()
    return text


def request_key(method: str, path: str, query: str, canonical: Any, rules: KeyRules) -> str:
    """The sha256 that identifies a request for replay."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical_query(query).encode()):
        digest.update(part + b"\n")
    digest.update(body_bytes(canonical, rules))
    return digest.hexdigest()


def recorded_key(method: str, uri: str, body: bytes, rules: KeyRules) -> str | None:
    """The key of a recorded request (a full URL and its body); None for hosts that are not an API."""
    path = api_path(uri, rules.path_map)
    if path is None:
        return None
    return request_key(method, path, uri.partition("?")[2], canonical_body(body, rules), rules)


def loose_key(method: str, path: str) -> str:
    """The looser policy's key: method and path only (recordings are served in recorded order)."""
    return f"{method.upper()} {path}"

