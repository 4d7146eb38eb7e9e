"""The cassette store: load a directory of cassettes, index them by request key, serve, record.

All state is one dict per scope (every cassette together, and each cassette alone for `X-Cassette`) of
key -> `Queue` of recordings; identical requests recorded several times are served in recorded order, and
a used-up key repeats its last recording or misses, as configured. Keys are recomputed from the stored
requests at load time, never read from the files, so a change of key rules orphans nothing.
"""
from __future__ import annotations

import fcntl
import functools
import json
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from dummy_openai_api.proxy.core import keys, sse
from dummy_openai_api.proxy.cassettes import miss_report
from dummy_openai_api.proxy.cassettes.parse_cache import CassetteCache
from dummy_openai_api.proxy.cassettes.formats import CassetteError, Interaction, read_cassette, write_cassette
from dummy_openai_api.proxy.cassettes.formats.limits import DEFAULT_BODY_LIMIT
from dummy_openai_api.proxy.core.config import Exhausted, Matching
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.atomic import atomic_write
from dummy_openai_api.proxy.core.http import SSE_CONTENT_TYPE, Reply, Request
from dummy_openai_api.proxy.cassettes.refresh_log import RefreshLog

log = logging.getLogger("dummy_openai.cassettes")

SUFFIXES = (".yaml", ".yml", ".yaml.gz", ".yml.gz", ".har")
# Recorded response headers worth replaying; the rest (framing, cookies, CDN noise) is rebuilt or dropped.
REPLAYED_HEADER = re.compile(r"^(x-request-id|openai-.*|x-ratelimit-.*|retry-after(-ms)?|x-should-retry)$")
# What may go on a header line: an RFC 9110 token for the name; for the value, text that cannot end the line.
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\xa0-\xff]*")  # no C0 or C1 controls (\x85 ends a line for some)
# Statuses whose answers carry no content: a recorded body would be read as the start of the next answer.
NO_CONTENT = (204, 205, 304)
# A recorded page (HTML, SVG, ...) replayed on the server's origin must not run there: the browser neither
# guesses another type nor runs scripts, loads resources or keeps the origin for it.
INERT_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"}
# A relative path of ordinary characters: no control characters, backslashes, empty or dot-dot parts.
CASSETTE_NAME = re.compile(r"^[^\x00-\x1f\x7f\\/:*?\"<>|][^\x00-\x1f\x7f\\:*?\"<>|]*$")
# File systems allow 255 bytes per name; the file part also needs room for ".yaml" and the writer's temporary
# name beside it (proxy.files: "." + name + ".<12 hex>.tmp").
NAME_MAX = 255
FILE_PART_MAX = NAME_MAX - len(".yaml") - len("..123456789abc.tmp")
# Distinct counter rows kept; misses are counted under client-chosen paths and cassette names, so past this
# they are pooled under "(other)" rather than growing memory without bound.
MAX_COUNTER_ROWS = 10_000


@dataclass(slots=True)
class Recording:
    """One recorded interaction, ready to serve."""

    cassette: str
    index: int
    method: str
    path: str
    canonical: Any
    status: int
    headers: dict[str, str]
    body: bytes
    events: list[bytes] | None = None  # a stream, event by event
    delays: list[float] | None = None  # recorded seconds before each event
    served: int = 0

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(slots=True)
class Queue:
    """The recordings of one key, served first-in first-out."""

    items: list[Recording] = field(default_factory=list)
    cursor: int = 0

    def next(self, exhausted: Exhausted) -> Recording | None:
        if self.cursor < len(self.items):
            self.cursor += 1
            return self.items[self.cursor - 1]
        return self.items[-1] if exhausted is Exhausted.REPEAT and self.items else None


@dataclass(frozen=True)
class StoreOptions:
    rules: keys.KeyRules = keys.KeyRules()
    body_limit: int = DEFAULT_BODY_LIMIT  # bytes a recorded body may decompress to (proxy.cassette_format.limits)
    matching: Matching = Matching.BODY
    exhausted: Exhausted = Exhausted.REPEAT
    replay_speed: float = 0.0  # 0: as fast as possible; 1: the recorded timing
    zero_retry_after: bool = False
    miss_status: int = 404
    parse_cache: bool = True  # keep each cassette's parse beside it (proxy.cassette_cache)


class CassetteNameError(APIError):
    def __init__(self, name: str) -> None:
        shown = name if len(name) <= 100 else name[:100] + "..."
        super().__init__(400, f"Invalid cassette name {shown!r}: a relative path inside the cassette directory, "
                              "without control characters, backslashes, '..' or hidden ('.') parts, each part at "
                              f"most {NAME_MAX} bytes and the last at most {FILE_PART_MAX}.", param="X-Cassette",
                         code="invalid_cassette_name")


def check_name(name: str) -> str:
    parts = name.split("/")
    if not CASSETTE_NAME.match(name) or len(name) > 1000 or any(not p or p.startswith(".") for p in parts) or \
            any(len(os.fsencode(p)) > NAME_MAX for p in parts) or len(os.fsencode(parts[-1])) > FILE_PART_MAX:
        raise CassetteNameError(name)
    return name


def inside(directory: Path, path: Path) -> bool:
    """Whether `path` stays in `directory` once symbolic links are followed (a cassette from a pull request
    may be a link to any file of the machine)."""
    return path.resolve().is_relative_to(directory.resolve())


def outside_error(name: str) -> APIError:
    return APIError(400, f"Cassette {name!r} leads outside the cassette directory (through a symbolic link): "
                         "refused.", param="X-Cassette", code="cassette_outside_directory")


def unreadable_target(name: str, error: CassetteError) -> APIError:
    """Recording into a cassette that cannot be read would lose what it holds: refused, naming the file."""
    return APIError(409, f"Cannot record into cassette {name!r}: the file cannot be read ({error}). Fix or move "
                         "the file; it was left as it is.", param="X-Cassette", code="cassette_unreadable")


def cassette_files(directory: Path) -> Iterator[tuple[str, Path]]:
    """(name, path) of every cassette under `directory`, sorted; the name is the path without its suffix."""
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*")):
        suffix = next((s for s in SUFFIXES if path.name.endswith(s)), None)
        if suffix and path.is_file():
            yield path.relative_to(directory).as_posix()[: -len(suffix)], path


class CassetteStore:
    """Every loaded recording, indexed for O(1) lookup, plus the counters of what was served."""

    def __init__(self, directory: str | Path, options: StoreOptions = StoreOptions()) -> None:
        self.directory = Path(directory)
        self.options = options
        self.cache = CassetteCache(self.directory, options.parse_cache, options.body_limit)
        self.refreshes = RefreshLog()  # made before workers fork, so that they share it; kept across reloads
        self._reset()

    def _reset(self) -> None:
        self.index: dict[str, Queue] = {}
        self.by_cassette: dict[str, dict[str, Queue]] = {}
        self.by_endpoint: dict[str, list[Recording]] = {}
        self.paths: dict[str, Path] = {}
        self.errors: list[str] = []
        self.skipped = 0
        self.counters: Counter[tuple[str, str, str]] = Counter()  # (cassette, endpoint, hit|miss|record)
        # cassette -> refreshes of it (any process's) that its index reflects: a refresh deletes from the file
        self.refreshes.read()
        self.synced: dict[str, int] = dict(self.refreshes.per_cassette)
        self.written: dict[Path, tuple[tuple[int, int, int], list[Interaction]]] = {}  # what we last wrote
        self.seen: dict[str, tuple[tuple[int, int, int], int]] = {}  # cassette -> (file identity, interactions)

    # Loading ---------------------------------------------------------------------------------------------

    def load(self) -> "CassetteStore":
        self._reset()  # a reload starts from nothing
        for name, path in cassette_files(self.directory):
            if not inside(self.directory, path):
                self.errors.append(f"{path}: refused: a symbolic link leading outside the cassette directory")
                log.warning("skipped cassette %s", self.errors[-1])
                continue
            self.paths[name] = path
            try:
                interactions = self.cache.read(path)
            except CassetteError as error:
                self.errors.append(str(error))
                log.warning("skipped cassette %s", error)
                continue
            for index, interaction in enumerate(interactions):
                self.add(name, index, interaction)
            self.seen[name] = (_identity(path), len(interactions))
        return self

    def read_new_recordings(self, cassette: str) -> bool:
        """Index what other processes (workers) appended to `cassette` since this store last saw the file."""
        path = self.paths.get(cassette) or self.directory / f"{check_name(cassette)}.yaml"
        try:
            identity = _identity(path)
        except OSError:
            return False
        known_identity, known_count = self.seen.get(cassette, ((0, 0, 0), 0))
        if identity == known_identity or not inside(self.directory, path):
            return False
        try:
            interactions = read_cassette(path, self.options.body_limit)  # whole: writers replace files atomically
        except CassetteError:
            return False  # recording into it is refused with the reason (`target`)
        self.refreshes.read()
        self._sync(cassette, known_count, interactions)
        self.paths[cassette] = path
        self.seen[cassette] = (identity, len(interactions))
        return len(interactions) > known_count

    @property
    def size(self) -> int:
        return sum(len(q.items) for q in self.index.values())

    def add(self, cassette: str, index: int, interaction: Interaction) -> Recording | None:
        """Index one interaction; interactions with hosts that are not an OpenAI-style API are skipped, and so
        are interim (1xx) answers: sent as an answer, the client would wait on for the real one."""
        path = keys.api_path(interaction.uri, self.options.rules.path_map)
        if path is None or interaction.status < 200:
            self.skipped += 1
            return None
        query = interaction.uri.partition("?")[2]
        canonical = keys.canonical_body(interaction.request_body, self.options.rules)
        recording = _recording(cassette, index, interaction.method, path, canonical, interaction, self.options)
        key = self._key(interaction.method, path, query, canonical)
        self.index.setdefault(key, Queue()).items.append(recording)
        self.by_cassette.setdefault(cassette, {}).setdefault(key, Queue()).items.append(recording)
        self.by_endpoint.setdefault(recording.endpoint, []).append(recording)
        return recording

    def _key(self, method: str, path: str, query: str, canonical: Any) -> str:
        if self.options.matching is Matching.LOOSE:
            return keys.loose_key(method, path)
        return keys.request_key(method, path, query, canonical, self.options.rules)

    # Serving ---------------------------------------------------------------------------------------------

    def request_key(self, request: Request) -> tuple[str, str, Any]:
        """(key, API path, canonical body) of a live request."""
        path = keys.api_path(request.path, self.options.rules.path_map) or request.path
        canonical = keys.canonical_body(request.body, self.options.rules)
        return self._key(request.method, path, request.query, canonical), path, canonical

    def lookup(self, request: Request) -> Reply | None:
        key, path, _ = self.request_key(request)
        cassette = request.cassette
        scope = self.index if cassette is None else self.by_cassette.get(check_name(cassette), {})
        queue = scope.get(key)
        recording = queue.next(self.options.exhausted) if queue is not None else None
        if recording is None:
            self._count(cassette or "", f"{request.method} {path}", "miss")
            request.context["cassette_missed"] = True  # the journal's miss (proxy.journal.CASSETTE_MISSED)
            return None
        self._count(recording.cassette, recording.endpoint, "hit")
        recording.served += 1
        return self.reply(recording)

    def _count(self, cassette: str, endpoint: str, kind: str) -> None:
        row = (cassette, endpoint, kind)
        if row not in self.counters and len(self.counters) >= MAX_COUNTER_ROWS:
            row = ("(other)", "(other)", kind)
        self.counters[row] += 1

    def reply(self, recording: Recording) -> Reply:
        headers = dict(recording.headers)
        if self.options.zero_retry_after:
            headers.update({k: "0" for k in headers if k.startswith("retry-after")})
        source = f"cassette:{recording.cassette}"
        if recording.events is None:
            content_type = headers.pop("content-type", "application/json")
            if not api_content_type(content_type):
                headers.update(INERT_HEADERS)
            return Reply(recording.status, recording.body, headers, source=source, content_type=content_type)
        headers.pop("content-type", None)
        stream: Any = recording.events
        if self.options.replay_speed > 0 and recording.delays:
            stream = sse.timed(recording.events, [d * self.options.replay_speed for d in recording.delays])
        return Reply(recording.status, b"", headers, stream=stream, source=source, content_type=SSE_CONTENT_TYPE)

    def miss(self, request: Request) -> APIError:
        """The strict-mode error: the request's key, then the closest recording in the cassette the request
        named (or in all of them) and each differing field with its recorded and received values."""
        key, path, canonical = self.request_key(request)
        cassette = request.cassette
        return APIError(self.options.miss_status,
                        f"No cassette recording matches {request.method} {request.path} (key {key[:16]}"
                        f"{f', cassette {cassette}' if cassette is not None else ''}). "
                        f"{self._explained(cassette, f'{request.method} {path}', key, canonical)}",
                        code="cassette_miss")

    def closest(self, cassette: str | None, endpoint: str, canonical: Any
                ) -> tuple[Recording, list[miss_report.Difference]] | None:
        """The recording of `endpoint` nearest a canonical body, in `cassette` (None: in all), with the fields
        that differ: what a strict miss cites, for the error and for anyone showing it side by side."""
        candidates = [r for r in self.by_endpoint.get(endpoint, []) if cassette is None or r.cassette == cassette]
        return miss_report.closest(((r, r.canonical) for r in candidates[:500]), canonical)

    def _explained(self, cassette: str | None, endpoint: str, key: str, canonical: Any) -> str:
        if cassette is not None and cassette not in self.by_cassette:
            known = sorted(self.by_cassette)
            return (f"Cassette {cassette!r} has no recordings (loaded: {', '.join(known[:10]) or 'none'}"
                    f"{', ...' if len(known) > 10 else ''}).")
        found = self.closest(cassette, endpoint, canonical)
        if found is None:
            return f"No recording exists for {endpoint}" + (f" in cassette {cassette!r}." if cassette else ".")
        recording, differences = found
        where = f"Closest recording: {recording.cassette} #{recording.index} ({recording.endpoint})"
        if differences:
            return f"{where}, differing in: {miss_report.listed(differences)}."
        scope = self.index if cassette is None else self.by_cassette[cassette]
        if key in scope:
            return f"{where}, identical, was already served (--on-exhausted {self.options.exhausted.value})."
        return f"{where}, with the same body: the query string differs."

    # Recording -------------------------------------------------------------------------------------------

    def target(self, cassette: str) -> Path:
        """The file recordings into `cassette` go to; the API's 400 for a bad name or a link leading outside."""
        cassette = check_name(cassette)
        path = self.paths.get(cassette) or self.directory / f"{cassette}.yaml"
        if path.name.endswith((".gz", ".har")):
            path = self.directory / f"{cassette}.yaml"
        if not inside(self.directory, path):
            raise outside_error(cassette)
        if path.exists() and not path.is_file() or any(
                (self.directory / p).exists() and not (self.directory / p).is_dir()
                for p in path.relative_to(self.directory).parents):
            raise APIError(400, f"Cassette {cassette!r} cannot be written: a file or directory of the cassette "
                                "directory is in its way.", param="X-Cassette", code="invalid_cassette_name")
        return path

    def check_target(self, cassette: str) -> None:
        """Raise the error a recording into `cassette` would meet, before the upstream is paid for it."""
        path = self.target(cassette)
        try:
            self._on_disk(path)
        except CassetteError as error:
            raise unreadable_target(cassette, error) from None

    def record(self, cassette: str, interaction: Interaction, refresh: bool = False) -> Recording | None:
        """Append to the cassette file (atomically, under a lock shared with other workers), then index.

        With `refresh` (record-all), the first recording of a key in this run, by any worker, replaces that
        cassette's older recordings of the same key instead of queueing behind them. A file that cannot be read
        is never replaced (its recordings would be lost): the API's 409 names it.
        """
        path = self.target(cassette)
        key = self._interaction_key(interaction)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _directory_lock(self.directory):
            try:
                existing = self._on_disk(path)
            except CassetteError as error:
                raise unreadable_target(cassette, error) from None
            self.refreshes.read()
            if refresh and self.refreshes.claim(cassette, key):
                existing = [i for i in existing if self._interaction_key(i) != key]
            written = [*existing, interaction]
            write_cassette(path, written)
            self.written[path] = (_identity(path), written)
            self.cache.remember(path, written)
        self._sync(cassette, self.seen.get(cassette, ((0, 0, 0), 0))[1], existing)
        self.seen[cassette] = (self.written[path][0], len(written))
        self.paths[cassette] = path
        recording = self.add(cassette, len(existing), interaction)
        if recording is not None:
            self._count(cassette, recording.endpoint, "record")
        return recording

    def _sync(self, cassette: str, known: int, interactions: list[Interaction]) -> None:
        """Bring the cassette's index up to `interactions`, the file as it now is: append what other workers
        appended after the `known` first, or index it all again when a refresh deleted from it meanwhile."""
        refreshes = self.refreshes.per_cassette[cassette]
        if refreshes == self.synced.get(cassette, 0):
            for index in range(known, len(interactions)):
                self.add(cassette, index, interactions[index])
            return
        self._forget(cassette)
        for index, interaction in enumerate(interactions):
            self.add(cassette, index, interaction)
        self.synced[cassette] = refreshes

    def _on_disk(self, path: Path) -> list[Interaction]:
        """The cassette's interactions, read again only when the file is not the one this store last wrote
        (parsing a cassette on every recording made recording slow down as the cassette grew)."""
        if not path.exists():
            return []
        known = self.written.get(path)
        identity = _identity(path)
        if known is not None and known[0] == identity:
            return known[1]
        interactions = read_cassette(path, self.options.body_limit)
        self.written[path] = (identity, interactions)
        return interactions

    def _interaction_key(self, interaction: Interaction) -> str | None:
        if self.options.matching is Matching.LOOSE:
            path = keys.api_path(interaction.uri, self.options.rules.path_map)
            return keys.loose_key(interaction.method, path) if path is not None else None
        return keys.recorded_key(interaction.method, interaction.uri, interaction.request_body, self.options.rules)

    def _forget(self, cassette: str) -> None:
        """Drop a cassette's recordings from the indexes (a refresh deleted some from the file)."""
        queues = self.by_cassette.pop(cassette, {})
        for key in queues:
            if key in self.index:
                self.index[key].items = [r for r in self.index[key].items if r.cassette != cassette]
        for endpoint in {r.endpoint for queue in queues.values() for r in queue.items}:
            self.by_endpoint[endpoint] = [r for r in self.by_endpoint[endpoint] if r.cassette != cassette]

    def usage(self) -> dict[str, list[int]]:
        """{cassette: indices of its interactions served so far}, for every loaded cassette (for pruning)."""
        served: dict[str, set[int]] = {name: set() for name in self.paths}
        for recordings in self.by_endpoint.values():
            for recording in recordings:
                if recording.served:
                    served.setdefault(recording.cassette, set()).add(recording.index)
        return {name: sorted(indices) for name, indices in served.items()}

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """{cassette: {endpoint: {hit, miss, record}}} for the counters endpoint and the shutdown report."""
        report: dict[str, dict[str, dict[str, int]]] = {}
        for (cassette, endpoint, kind), count in sorted(self.counters.items()):
            report.setdefault(cassette or "(none)", {}).setdefault(endpoint, {"hit": 0, "miss": 0, "record": 0})[
                kind] += count
        return report


def _recording(cassette: str, index: int, method: str, path: str, canonical: Any, interaction: Interaction,
               options: StoreOptions) -> Recording:
    headers = {k: v[-1] for k, v in interaction.response_headers.items()
               if _replayed(k) and type(v) is list and v and replayable(v[-1])}
    content_type = interaction.response_headers.get("content-type")
    if type(content_type) is list and content_type and replayable(content_type[-1]):
        headers["content-type"] = content_type[-1]
    body = b"" if interaction.status in NO_CONTENT else interaction.response_body
    recording = Recording(cassette, index, method.upper(), path, canonical, interaction.status, headers, body)
    if sse.looks_like_sse(body):
        recording.events = sse.split_events(body)
        recording.delays = _delays(interaction.extra, len(recording.events))
    return recording


@functools.lru_cache(maxsize=4096)
def _replayed(name: str) -> bool:
    """A recorded header worth replaying, named by a token (recorded names repeat: one regex per name)."""
    return REPLAYED_HEADER.match(name) is not None and HEADER_NAME.fullmatch(name) is not None


def replayable(value: Any) -> bool:
    """A recorded header value a cassette may hand to the wire: nothing in it can end the line or the block."""
    if type(value) is not str:
        return False
    return (value.isascii() and value.isprintable()) or HEADER_VALUE.fullmatch(value) is not None


def api_content_type(content_type: str) -> bool:
    """JSON or an event stream: what the API answers, which a browser never runs as a page."""
    media = content_type.partition(";")[0].strip().lower()
    return media in ("application/json", "text/event-stream") or media.endswith("+json")


def _delays(extra: dict[str, Any], count: int) -> list[float] | None:
    """Seconds before each event, from the timing our recorder keeps (`ttfb_ms`, `chunk_ms`)."""
    timing = extra.get("timing") if isinstance(extra, dict) else None
    if not isinstance(timing, dict):
        return None
    try:
        gaps = [float(timing.get("ttfb_ms") or 0)] + [float(g) for g in (timing.get("chunk_ms") or [])[:count]]
    except (TypeError, ValueError):  # a cassette's own notes, in any shape: replay at full speed then
        return None
    return [min(max(g, 0.0), 60_000.0) / 1000 for g in (gaps + [0.0] * count)[:count]]


def _identity(path: Path) -> tuple[int, int, int]:
    """Changes whenever anyone rewrites the file: every write is a new file renamed into place."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class _directory_lock:
    """An exclusive flock on the cassette directory: recorders in several worker processes take turns."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __enter__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.directory, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def merge_usage_file(path: Path, usage: dict[str, list[int]]) -> None:
    """Add this process's served indices to the usage file (workers write the same file in turn)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _directory_lock(path.parent):
        merged = {name: set(indices) for name, indices in usage.items()}
        if path.exists():
            for name, indices in json.loads(path.read_text() or "{}").get("served", {}).items():
                merged.setdefault(name, set()).update(indices)
        atomic_write(path, json.dumps({"served": {k: sorted(v) for k, v in sorted(merged.items())}},
                                      indent=1).encode())
