"""A cache of parsed cassettes, so that a large cassette directory loads fast from the second start on.

Parsing YAML is what loading costs (about 1.3 ms per realistic interaction with libyaml: 100,000 take over
two minutes); the same interactions read back from JSON with orjson take about 3% of that. Each cassette's
parse is kept in `<cassettes>/.cassette-cache/<sha256 of its path>.json` with the file's size and modification
time, and used only while those still match. The cache lives beside the cassettes (and goes with them) and
tells git to ignore it, as pytest's own cache does. JSON, never pickle: a cache file is data, whatever put it
there.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path
from typing import Any

import orjson

from proxy.cassette_format import Interaction, read_cassette
from proxy.files import atomic_write

log = logging.getLogger("dummy_openai.cassettes")
FORMAT = 2  # bump when the cached shape changes: old entries are then ignored


CACHE_DIRECTORY = ".cassette-cache"


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [FORMAT, stat.st_size, stat.st_mtime_ns]


def _body(data: bytes) -> dict[str, str]:
    """Text stays text (readable, and searchable for secrets like the cassette itself); other bytes base64."""
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _bytes(body: dict[str, str]) -> bytes:
    return body["text"].encode("utf-8") if "text" in body else base64.b64decode(body["base64"])


def _encode(interaction: Interaction) -> dict[str, Any]:
    return {"method": interaction.method, "uri": interaction.uri, "request_headers": interaction.request_headers,
            "request_body": _body(interaction.request_body), "status": interaction.status,
            "reason": interaction.reason, "response_headers": interaction.response_headers,
            "response_body": _body(interaction.response_body), "extra": interaction.extra}


def _decode(item: dict[str, Any]) -> Interaction:
    return Interaction(item["method"], item["uri"], item["request_headers"], _bytes(item["request_body"]),
                       item["status"], item["reason"], item["response_headers"], _bytes(item["response_body"]),
                       item["extra"])


class CassetteCache:
    """`read(path)`: the cassette's interactions, from the cache when the file has not changed since."""

    def __init__(self, cassettes: Path, enabled: bool = True) -> None:
        self.directory = cassettes / CACHE_DIRECTORY if enabled else None

    def read(self, path: Path) -> list[Interaction]:
        if self.directory is None:
            return read_cassette(path)
        cached = self._load(self._entry(path), _stamp(path))
        if cached is not None:
            return cached
        interactions = read_cassette(path)
        self.remember(path, interactions)
        return interactions

    def remember(self, path: Path, interactions: list[Interaction]) -> None:
        """Keep `interactions` as the parse of `path` as it is now (after a recording wrote it, say)."""
        if self.directory is None:
            return
        try:
            data = orjson.dumps({"stamp": _stamp(path), "path": str(path),
                                 "interactions": [_encode(i) for i in interactions]})
        except (OSError, TypeError) as error:  # an `extra` value JSON cannot hold: just no cache
            log.debug("cassette cache not written for %s: %s", path, error)
            return
        self._store(self._entry(path), data)

    def _entry(self, path: Path) -> Path:
        return self.directory / (hashlib.sha256(str(path.resolve()).encode()).hexdigest() + ".json")

    def _load(self, entry: Path, stamp: list[int]) -> list[Interaction] | None:
        try:
            data = orjson.loads(entry.read_bytes())
            if data.get("stamp") != stamp:
                return None
            return [_decode(item) for item in data["interactions"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # absent, stale or damaged: parse the cassette instead

    def _store(self, entry: Path, data: bytes) -> None:
        """Best effort: a cache that cannot be written (read-only directory, full disk) only costs speed."""
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            ignore = entry.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# the parse cache of Dummy OpenAI API: not for version control\n*\n")
            atomic_write(entry, data, fsync=False)  # a cache: losing it to a crash costs only a parse
        except OSError as error:
            log.debug("cassette cache not written in %s: %s", entry.parent, error)
