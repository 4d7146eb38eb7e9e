"""The request journal: every API request, where its answer came from, how it ended and how long it took.

Cheap on the hot path: an entry keeps references to what the request already holds (its headers object and
body) and is rendered, with credentials dropped and keys scrubbed, only when someone reads the journal.
"""
from __future__ import annotations

import hashlib
import itertools
import time
from collections import deque
from typing import Any, Callable, Iterable, Mapping

import orjson

from dummy_openai_api.proxy.state.answers import Answer
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.core.redact import redact, redact_query
from dummy_openai_api.proxy.core import multipart
from dummy_openai_api.proxy.cassettes.scrub import REQUEST_SECRETS, scrub_bytes

CASSETTE_MISSED = "cassette_missed"  # request.context flag: a cassette lookup found nothing
KeptParts = tuple[int, str, bytes]  # an answer's status, header block and whole body
KeyOf = Callable[[Any], str]  # the cassette request key of an entry (method, path, query, body)


class Entry:
    """One request as received, and (once answered) its status, source and duration."""

    __slots__ = ("id", "time", "method", "path", "query", "headers", "body", "truncated", "request_id",
                 "started", "status", "source", "duration_ms", "_answer", "missed")

    def __init__(self, id: int, request: Request, body_limit: int) -> None:
        self.id = id
        self.time = time.time()
        self.method, self.path, self.query, self.headers = request.method, request.path, request.query, request.headers
        self.truncated = len(request.body) > body_limit
        self.body = request.body[:body_limit] if self.truncated else request.body
        self.request_id = request.context.get("request_id", "")
        self.started = request.started
        self.status: int | None = None  # None while the answer is still going out
        self.source = ""
        self.duration_ms: float | None = None
        # What went back, kept for the dashboard's detail view: an `Answer`, or (a whole body within the limit,
        # on every request) the parts it is made of when read.
        self._answer: Answer | KeptParts | None = None
        self.missed = False  # the cassettes were asked and had no recording

    @property
    def answer(self) -> Answer | None:
        kept = self._answer
        if isinstance(kept, tuple):
            status, head, body = kept
            kept = self._answer = Answer(Reply(status=status, body=body), head, len(body))
        return kept

    @answer.setter
    def answer(self, answer: Answer | None) -> None:
        self._answer = answer


class Journal:
    """The last `size` requests, oldest first; ids keep counting across clears."""

    def __init__(self, size: int = 1000, body_limit: int = 65536, secrets: Iterable[str] = ()) -> None:
        self.size = size
        self.body_limit = body_limit
        self.secrets = tuple(s for s in secrets if s)
        self.entries: deque[Entry] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self.started = time.time()  # when the server (which made this journal) started

    def open(self, request: Request) -> None:
        """Note a request as it arrives (arrival order is what tests assert on)."""
        if self.size:
            entry = Entry(next(self._ids), request, self.body_limit)
            request.context["journal"] = entry
            self.entries.append(entry)

    def close(self, request: Request, status: int, source: str) -> None:
        """Note how the request was answered; a request refused before it was routed is noted here."""
        entry = request.context.get("journal")
        if entry is None:
            if (not self.size or request.method == "OPTIONS"
                    or not request.context.get("api", request.path.startswith("/v1/"))):
                return  # CORS preflights and the service endpoints are not API requests
            self.open(request)
            entry = request.context["journal"]
            entry.answer = request.context.get("answer")  # kept by answered() before the entry existed
        entry.status, entry.source = status, source
        entry.missed = CASSETTE_MISSED in request.context
        entry.duration_ms = (time.perf_counter() - entry.started) * 1000

    def answered(self, request: Request, reply: Reply, head: str) -> None:
        """Keep what goes back for a journaled request: the header block, the body (cut at the body limit)
        and, for a stream, its first events as they are written."""
        entry = request.context.get("journal")
        if entry is not None:
            if reply.stream is None and len(reply.body) <= self.body_limit:
                entry._answer = (reply.status, head, reply.body)  # a tuple now, an `Answer` when read
            else:
                entry.answer = Answer(reply, head, self.body_limit)
        elif self.size and request.path.startswith("/v1/"):  # refused before routing (a foreign Host): close() notes it
            request.context["answer"] = Answer(reply, head, self.body_limit)

    def clear(self) -> None:
        self.entries.clear()

    reset = clear

    def get(self, entry_id: int) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def select(self, filters: Mapping[str, str]) -> list[Entry]:
        """Entries matching every given filter, oldest first; `limit` keeps the newest N."""
        tests = [_FILTERS[name](value) for name, value in filters.items() if name in _FILTERS and value != ""]
        chosen = [e for e in self.entries if all(test(e) for test in tests)]
        limit = whole_number(filters.get("limit", ""), "limit")
        return chosen[-limit:] if limit else chosen

    def render(self, entry: Entry, key_of: KeyOf | None = None, full: bool = True) -> dict[str, Any]:
        """The entry as JSON, secrets removed; `full=False` leaves out headers and body (the dashboard's view)."""
        body = scrub_bytes(entry.body, self.secrets) if entry.body else b""
        parsed = parsed_body(body)
        shown: dict[str, Any] = {
            "id": entry.id, "time": entry.time, "method": entry.method, "path": redact(entry.path, self.secrets),
            "query": redact_query(entry.query, self.secrets),
            "status": entry.status, "source": entry.source,
            "duration_ms": None if entry.duration_ms is None else round(entry.duration_ms, 3),
            "request_id": entry.request_id, "model": parsed.get("model") if isinstance(parsed, dict) else None,
            "cassette": entry.headers.get("X-Cassette"), "stream": isinstance(parsed, dict)
                                                                  and parsed.get("stream") in (True, "true"),
        }
        if full:
            shown.update(headers=self.headers(entry), body=parsed, body_truncated=entry.truncated,
                         key_id=key_id(entry.headers), request_key=_request_key(entry, key_of))
        return shown

    def headers(self, entry: Entry) -> dict[str, str]:
        return {name.lower(): scrub_bytes(value.encode(), self.secrets).decode()
                for name, value in entry.headers.get_all() if name.lower() not in REQUEST_SECRETS}


def key_id(headers: Any) -> str | None:
    """Which API key a request used, as a fingerprint (`sha256:` + 12 hex) that reveals nothing of the key."""
    authorization = headers.get("Authorization") or ""
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else headers.get("api-key", "")
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[:12] if key else None


def whole_number(text: str, name: str) -> int:
    """A filter's count or id: ASCII digits that fit 64 bits (0 when empty); anything else is the API's 400."""
    if text == "":
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise APIError(400, f"Invalid {name}: expected a whole number below 10^18, got {text[:40]!r}.", param=name)
    return int(text)


def parsed_body(body: bytes) -> Any:
    """A body as JSON when it is JSON, an upload as its form (proxy.core.multipart: files by name, type and
    digest), else as text."""
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        form = multipart.parse(body, None)  # the boundary is the body's first line
        return dict(form) if form is not None else body.decode("utf-8", errors="replace")


def _request_key(entry: Entry, key_of: KeyOf | None) -> str | None:
    if key_of is None or entry.truncated:
        return None  # a cut body would give a wrong key
    return key_of(entry)


def _prefix_or_exact(value: str) -> Callable[[str], bool]:
    if value.endswith("*"):
        return lambda text: text.startswith(value[:-1])
    return lambda text: text == value


def _path(value: str) -> Callable[[Entry], bool]:
    match = _prefix_or_exact(value)
    return lambda e: match(e.path)


def _since(value: str) -> Callable[[Entry], bool]:
    since = whole_number(value, "since")
    return lambda e: e.id > since


def _source(value: str) -> Callable[[Entry], bool]:
    """`cassette` matches every `cassette:<name>`, `fault` every `fault:<kind>`; a trailing `*` is a prefix."""
    if value.endswith("*"):
        return lambda e: e.source.startswith(value[:-1])
    return lambda e: e.source == value or e.source.startswith(value + ":")


def _model(value: str) -> Callable[[Entry], bool]:
    needle, raw = orjson.dumps(value), value.encode()  # raw: as a form field carries it

    def test(entry: Entry) -> bool:
        found = needle in entry.body or raw in entry.body  # the cheap test first
        parsed = parsed_body(entry.body) if found else None
        return isinstance(parsed, dict) and parsed.get("model") == value
    return test


_FILTERS: dict[str, Callable[[str], Callable[[Entry], bool]]] = {
    "method": lambda v: lambda e: e.method == v.upper(),
    "path": _path,
    "status": lambda v: lambda e: str(e.status) == v,
    "source": _source,
    "model": _model,
    "since": _since,
    "cassette": lambda v: lambda e: e.headers.get("X-Cassette") == v,
}
