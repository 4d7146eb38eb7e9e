"""The cassette store: load a directory of cassettes, index them by request key, serve, record.

All state is one dict per scope (every cassette together, and each cassette alone for `X-Cassette`) of
key -> `Queue` of recordings; identical requests recorded several times are served in recorded order, and
a used-up key repeats its last recording or misses, as configured. Keys are recomputed from the stored
requests at load time, never read from the files, so a change of key rules orphans nothing. Recordings are
written by the `persister`, which also says what other workers wrote; what was served is in `counters`.
"""
from __future__ import annotations

import functools
import logging
import os
import re
from sys import intern
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Protocol

from dummy_openai_api.proxy.core import keys, sse
from dummy_openai_api.proxy.cassettes import loading, miss_report
from dummy_openai_api.proxy.cassettes.parse_cache import CassetteCache
from dummy_openai_api.proxy.cassettes.counters import Counters
from dummy_openai_api.proxy.cassettes.formats import CassetteError, Interaction
from dummy_openai_api.proxy.cassettes.persister import Change, Persister
from dummy_openai_api.proxy.cassettes.formats.limits import DEFAULT_BODY_LIMIT
from dummy_openai_api.proxy.core.config import Exhausted, Matching
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import SSE_CONTENT_TYPE, Reply, Request

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
# name beside it (proxy.core.atomic: "." + name + ".<12 hex>.tmp").
NAME_MAX = 255
FILE_PART_MAX = NAME_MAX - len(".yaml") - len("..123456789abc.tmp")


@dataclass(slots=True)
class Recording:
    """One recorded interaction, ready to serve."""

    cassette: str
    index: int
    method: str
    path: str
    request_body: bytes  # kept as bytes: parsed, a request body takes about ten times the memory
    content_type: str | None  # the request's, which says how to read its body
    rules: keys.KeyRules
    status: int
    headers: dict[str, str]
    body: bytes
    events: list[bytes] | None = None  # a stream, event by event
    delays: list[float] | None = None  # recorded seconds before each event
    served: int = 0

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def canonical(self) -> Any:
        """The recorded request body as the key reads it (parsed again when a miss report or a flow shows it)."""
        return keys.canonical_body(self.request_body, self.rules, self.content_type)


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

    def at(self, position: int, exhausted: Exhausted) -> Recording | None:
        """The recording served `position`-th (1 the first), as `next` would give it then."""
        if position <= len(self.items):
            return self.items[position - 1]
        return self.items[-1] if exhausted is Exhausted.REPEAT and self.items else None


class Positions(Protocol):
    """Replay positions counted by every process of a server (`--state`), so that a key recorded several times
    is served in recorded order whichever process each request reaches."""

    def next(self, queue: str) -> int:
        """How many times the queue has been served, this time included."""
    def clear(self) -> None: ...


@dataclass(frozen=True)
class StoreOptions:
    rules: keys.KeyRules = keys.KeyRules()
    body_limit: int = DEFAULT_BODY_LIMIT  # bytes a recorded body may decompress to (proxy.cassettes.formats.limits)
    matching: Matching = Matching.BODY
    exhausted: Exhausted = Exhausted.REPEAT
    replay_speed: float = 0.0  # 0: as fast as possible; 1: the recorded timing
    zero_retry_after: bool = False
    miss_status: int = 404
    parse_cache: bool = True  # keep each cassette's parse beside it (proxy.cassettes.parse_cache)


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
        self.rules = replace(options.rules, loose=options.matching is Matching.LOOSE)  # what every key obeys
        self.cache = CassetteCache(self.directory, options.parse_cache, options.body_limit)
        self.persister = Persister(self.directory, options.body_limit, self.cache, self._interaction_key)
        self.positions: Positions | None = None  # shared positions; None: each queue's own cursor
        self._reset()

    def _reset(self) -> None:
        self.index: dict[str, Queue] = {}
        self.by_cassette: dict[str, dict[str, Queue]] = {}
        self.by_endpoint: dict[str, list[Recording]] = {}
        self.paths: dict[str, Path] = {}
        self.errors: list[str] = []
        self.skipped = 0
        self.counters = Counters()
        self.persister.forget()

    # Loading ---------------------------------------------------------------------------------------------

    def load(self) -> "CassetteStore":
        self._reset()  # a reload starts from nothing
        files = []
        for name, path in cassette_files(self.directory):
            if not inside(self.directory, path):
                self.errors.append(f"{path}: refused: a symbolic link leading outside the cassette directory")
                log.warning("skipped cassette %s", self.errors[-1])
                continue
            self.paths[name] = path
            files.append((name, path))
        prepare = functools.partial(prepare_file, self.cache, self.rules, self.options)
        # The index holds no cycles: collections scanning it as it grew took a third of this process's load time.
        with loading.collector_paused():
            for loaded in loading.load_files(files, prepare):
                self._index_file(loaded)
        return self

    def _index_file(self, loaded: loading.Loaded) -> None:
        if loaded.error is not None:
            self.errors.append(loaded.error)
            log.warning("skipped cassette %s", loaded.error)
            return
        for key, recording in loaded.rows:
            self._insert(key, recording)
        self.skipped += loaded.skipped
        self.persister.loaded(loaded.name, self.paths[loaded.name], loaded.count)

    def read_new_recordings(self, cassette: str) -> bool:
        """Index what other processes (workers) appended to `cassette` since this store last saw the file."""
        path = self.paths.get(cassette) or self.directory / f"{check_name(cassette)}.yaml"
        if not self.persister.changed(cassette, path) or not inside(self.directory, path):
            return False
        change = self.persister.reread(cassette, path)
        if change is None:
            return False
        self._apply(cassette, change)
        self.paths[cassette] = path
        return len(change.interactions) > change.known

    @property
    def size(self) -> int:
        return sum(len(q.items) for q in self.index.values())

    def add(self, cassette: str, index: int, interaction: Interaction) -> Recording | None:
        """Index one interaction (None when `prepare` skips it)."""
        prepared = prepare(cassette, index, interaction, self.rules, self.options)
        if prepared is None:
            self.skipped += 1
            return None
        self._insert(*prepared)
        return prepared[1]

    def _insert(self, key: str, recording: Recording) -> None:
        self.index.setdefault(key, Queue()).items.append(recording)
        self.by_cassette.setdefault(recording.cassette, {}).setdefault(key, Queue()).items.append(recording)
        self.by_endpoint.setdefault(recording.endpoint, []).append(recording)

    # Serving ---------------------------------------------------------------------------------------------

    def request_key(self, request: Request) -> keys.RequestKey:
        """The key of a live request (or of a journal entry, which keeps the same fields)."""
        return keys.request_key(request.method, request.path, request.query, request.body,
                                request.headers.get("Content-Type"), self.rules)

    def lookup(self, request: Request) -> Reply | None:
        keyed = self.request_key(request)
        cassette = request.cassette
        scope = self.index if cassette is None else self.by_cassette.get(check_name(cassette), {})
        queue = scope.get(keyed.key)
        recording = self._next(cassette or "", keyed.key, queue) if queue is not None else None
        if recording is None:
            self.counters.count(cassette or "", f"{request.method} {keyed.path}", "miss")
            request.context["cassette_missed"] = True  # the journal's miss (proxy.state.journal.CASSETTE_MISSED)
            return None
        self.counters.count(recording.cassette, recording.endpoint, "hit")
        recording.served += 1
        if recording.served == 1:  # for `--state`, where every process's are told (proxy.pipeline.sharing)
            self.counters.first_uses.append((recording.cassette, recording.index))
        return self.reply(recording)

    def _next(self, scope: str, key: str, queue: Queue) -> Recording | None:
        exhausted = self.options.exhausted
        if self.positions is None or (len(queue.items) == 1 and exhausted is Exhausted.REPEAT):
            return queue.next(exhausted)  # where the position cannot change the answer, no shared count
        return queue.at(self.positions.next(f"{scope}\x1f{key}"), exhausted)

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
        keyed = self.request_key(request)
        cassette = request.cassette
        return APIError(self.options.miss_status,
                        f"No cassette recording matches {request.method} {request.path} (key {keyed.key[:16]}"
                        f"{f', cassette {cassette}' if cassette is not None else ''}). "
                        f"{self._explained(cassette, f'{request.method} {keyed.path}', keyed.key, keyed.canonical)}",
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
            self.persister.on_disk(path)
        except CassetteError as error:
            raise unreadable_target(cassette, error) from None

    def record(self, cassette: str, interaction: Interaction, refresh: bool = False) -> Recording | None:
        """Append to the cassette file (atomically, under a lock shared with other workers), then index.

        With `refresh` (record-all), the first recording of a key in this run, by any worker, replaces that
        cassette's older recordings of the same key instead of queueing behind them. A file that cannot be read
        is never replaced (its recordings would be lost): the API's 409 names it.
        """
        path = self.target(cassette)
        try:
            change = self.persister.append(cassette, path, interaction, refresh)
        except CassetteError as error:
            raise unreadable_target(cassette, error) from None
        self._apply(cassette, change)
        self.paths[cassette] = path
        recording = self.add(cassette, len(change.interactions), interaction)
        if recording is not None:
            self.counters.count(cassette, recording.endpoint, "record")
        return recording

    def _apply(self, cassette: str, change: Change) -> None:
        """Bring the cassette's index up to the file: add what other workers appended, or index it all again
        when a refresh deleted from it meanwhile."""
        if change.rewritten:
            self._forget(cassette)
        for index in range(0 if change.rewritten else change.known, len(change.interactions)):
            self.add(cassette, index, change.interactions[index])

    def _interaction_key(self, interaction: Interaction) -> str | None:
        keyed = keys.recorded_key(interaction, self.rules)
        return keyed.key if keyed.api else None

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
        return self.counters.summary()

    def rewind(self, shared: bool = True) -> None:
        """Serve every key's recordings from the first again (`POST /_mock/reset`). `shared`: the positions
        every process counts too (by the process that takes the reset, not by those that learn of it later)."""
        for scope in (self.index, *self.by_cassette.values()):
            for queue in scope.values():
                queue.cursor = 0
        if shared and self.positions is not None:
            self.positions.clear()


def prepare_file(cache: CassetteCache, rules: keys.KeyRules, options: StoreOptions, name: str, path: Path
                 ) -> loading.Loaded:
    """One cassette file read (through the parse cache) and made ready to index: run in a worker process for
    large directories, so it takes and returns only values."""
    try:
        interactions = cache.read(path)
    except (CassetteError, OSError) as error:  # OSError: the file went away since the directory was listed
        return loading.Loaded(name, error=str(error))
    rows = [row for index, interaction in enumerate(interactions)
            if (row := prepare(name, index, interaction, rules, options)) is not None]
    return loading.Loaded(name, len(interactions), rows, len(interactions) - len(rows))


def prepare(cassette: str, index: int, interaction: Interaction, rules: keys.KeyRules, options: StoreOptions
            ) -> tuple[str, Recording] | None:
    """(key, recording) of an interaction; None for hosts that are not an OpenAI-style API and for interim (1xx)
    answers: sent as an answer, the client would wait on for the real one."""
    keyed = keys.recorded_key(interaction, rules) if interaction.status >= 200 else None
    if keyed is None or not keyed.api:
        return None
    return keyed.key, _recording(cassette, index, interaction.method, keyed.path, interaction, rules, options)


def _recording(cassette: str, index: int, method: str, path: str, interaction: Interaction, rules: keys.KeyRules,
               options: StoreOptions) -> Recording:
    # Names and values interned: most repeat from one recording to the next (a tenth of the index's memory).
    headers = {intern(k): intern(v[-1]) for k, v in interaction.response_headers.items()
               if _replayed(k) and type(v) is list and v and replayable(v[-1])}
    content_type = interaction.response_headers.get("content-type")
    if type(content_type) is list and content_type and replayable(content_type[-1]):
        headers["content-type"] = intern(content_type[-1])
    sent_as = interaction.request_headers.get("content-type")
    body = b"" if interaction.status in NO_CONTENT else interaction.response_body
    recording = Recording(cassette, index, intern(method.upper()), intern(path), interaction.request_body,
                          intern(sent_as[-1]) if sent_as else None, rules, interaction.status, headers, body)
    if sse.looks_like_sse(body):
        recording.events = sse.split_events(body)
        recording.delays = _delays(interaction.extra, len(recording.events))
        recording.body = b""  # a stream is replayed from its events: the whole would double its memory
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
