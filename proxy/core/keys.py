"""Request keys: one pure function of (method, API path, sorted query, canonical body minus ignored fields).

`request_key` is the only place a key is made: for live requests, recorded interactions, loose matching and the
command line. The API path has the host and the base prefix stripped, so recordings made against
api.openai.com, a provider's OpenAI-compatible endpoint or this server on localhost are interchangeable.
Headers never enter the key (`x-stainless-retry-count` changes on retries), except that the content type says
how to read the body: a multipart form is keyed on its parts, not on its random boundary (`multipart`).
`stream` stays in the key (a stream is another answer).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

import orjson

from dummy_openai_api.proxy.core import multipart

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
    text patterns, and provider path prefixes mapped onto `/v1` (`/openai/deployments/x=/v1`); `loose` keys on
    the method and path alone (`--matching loose`)."""

    ignored: tuple[str, ...] = DEFAULT_IGNORED
    volatile: tuple[str, ...] = ()
    path_map: tuple[tuple[str, str], ...] = ()
    loose: bool = False
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
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True))) if query else ""  # most API calls have none


def canonical_body(body: bytes, rules: KeyRules, content_type: str | None = None) -> Any:
    """The body as JSON or as a multipart form (`multipart.Form`) minus the ignored fields, or the raw bytes when
    it is neither (or nests too deep)."""
    if not body:
        return None
    data = _parsed(body, content_type)
    if data is _RAW:
        return body
    for dotted in rules.ignored:
        _drop(data, dotted.split("."))
    return data


_RAW = object()


def _parsed(body: bytes, content_type: str | None) -> Any:
    """A form, else JSON, else `_RAW`. A body that opens with two dashes is not tried as JSON: no JSON text
    opens so, and refusing it would cost a pass over the whole body."""
    dashes = body.startswith(b"--")
    if dashes or (content_type or "").lower().startswith("multipart/"):
        form = multipart.parse(body, content_type)
        if form is not None or dashes:
            return _RAW if form is None else form
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _RAW
    return data if writable(body, data) else _RAW


def _drop(data: Any, parts: list[str]) -> None:
    if not isinstance(data, dict) or not parts:
        return
    if len(parts) == 1:
        data.pop(parts[0], None)
    else:
        _drop(data.get(parts[0]), parts[1:])


FORM_MARK = b"multipart/form-data\n"  # a form never shares a key with a JSON body of the same shape


def body_bytes(canonical: Any, rules: KeyRules) -> bytes:
    if isinstance(canonical, bytes):
        return canonical
    text = orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)
    for pattern in rules._compiled:
        text = pattern.sub("<volatile>", text.decode()).encode()
    return FORM_MARK + text if isinstance(canonical, multipart.Form) else text


@dataclass(frozen=True, slots=True)
class RequestKey:
    key: str  # a sha256, or `METHOD /path` under loose matching
    path: str  # the API path; a path that is not an API's, as it came
    canonical: Any  # what the key read of the body, for miss reports
    api: bool  # False for a path that is not an API's (a recorded call to another host is not served)


def request_key(method: str, path: str, query: str, body: bytes, content_type: str | None,
                rules: KeyRules) -> RequestKey:
    """The key that identifies a request for replay. `path` is a live request's path or a recorded full URL,
    `query` its query string; `content_type` (None when not recorded) says whether the body is a form."""
    found = api_path(path, rules.path_map)
    keyed = found if found is not None else (urlsplit(path).path if "://" in path else path.split("?", 1)[0])
    canonical = canonical_body(body, rules, content_type)
    key = loose_key(method, keyed) if rules.loose else _digest(method, keyed, query, canonical, rules)
    return RequestKey(key, keyed, canonical, found is not None)


def _digest(method: str, path: str, query: str, canonical: Any, rules: KeyRules) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical_query(query).encode()):
        digest.update(part + b"\n")
    digest.update(body_bytes(canonical, rules))
    return digest.hexdigest()


def loose_key(method: str, path: str) -> str:
    """The looser policy's key: method and path only (recordings are served in recorded order)."""
    return f"{method.upper()} {path}"


class Recorded(Protocol):
    """A recorded request (`proxy.cassettes.formats.Interaction`): header names lower-cased, values listed."""

    @property
    def method(self) -> str: ...

    @property
    def uri(self) -> str: ...

    @property
    def request_headers(self) -> Mapping[str, list[str]]: ...

    @property
    def request_body(self) -> bytes: ...


def recorded_key(recorded: Recorded, rules: KeyRules) -> RequestKey:
    """The key of a recorded request: from its full URL, its body and the content type it was sent with."""
    content_type = recorded.request_headers.get("content-type")
    return request_key(recorded.method, recorded.uri, recorded.uri.partition("?")[2], recorded.request_body,
                       content_type[-1] if content_type else None, rules)
