"""A cache of parsed cassettes, so that a large cassette directory loads fast from the second start on.

Parsing YAML is what loading costs (about 1.3 ms per realistic interaction with libyaml: 100,000 take over
two minutes); the same interactions read back from JSON with orjson take about 3% of that. Each cassette's
parse is kept in `<cassettes>/.cassette-cache/<sha256 of its path>.json` with the file's size and modification
time, and used only while those still match. The cache lives beside the cassettes (and goes with them) and
tells git to ignore it, as pytest's own cache does. JSON, never pickle: a cache file is data, whatever put it
there. The cache is as untrusted as the cassettes: an entry is at most CACHE_RATIO times the size of its
cassette (or it is not written, and a larger one is not read), must be a regular file in a real directory,
and every interaction read back must have the reader's shape and a valid status; anything else is re-parsed.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

import orjson

from dummy_openai_api.proxy.cassettes.formats import Interaction, read_cassette
from dummy_openai_api.proxy.cassettes.formats.interaction import checked_status
from dummy_openai_api.proxy.cassettes.formats.limits import DEFAULT_BODY_LIMIT
from dummy_openai_api.proxy.core.atomic import atomic_write

log = logging.getLogger("dummy_openai.cassettes")
FORMAT = 2  # bump when the cached shape changes: old entries are then ignored


CACHE_DIRECTORY = ".cassette-cache"
# An entry may be this many times its cassette's size: JSON escapes make one up to ~1.7x a real cassette, but
# a compressed body (inflated in the cache) would make it any size.
CACHE_RATIO = 2


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
    """An interaction from an entry, typed as the cassette reader makes them (ValueError otherwise).

    Header values are not looked at one by one here (a cached load is mostly this function): the store
    replays only header values it has checked itself (`proxy.cassettes.store.replayable`).
    """
    interaction = Interaction(item["method"], item["uri"], item["request_headers"], _bytes(item["request_body"]),
                              item["status"], item["reason"], item["response_headers"],
                              _bytes(item["response_body"]), item["extra"])
    if not (type(interaction.method) is str and type(interaction.uri) is str and type(interaction.reason) is str
            and type(interaction.status) is int and type(interaction.request_headers) is dict
            and type(interaction.response_headers) is dict and type(interaction.extra) is dict):
        raise ValueError("an interaction of the wrong shape")
    checked_status(interaction.status)
    return interaction


class CassetteCache:
    """`read(path)`: the cassette's interactions, from the cache when the file has not changed since."""

    def __init__(self, cassettes: Path, enabled: bool = True, body_limit: int = DEFAULT_BODY_LIMIT) -> None:
        self.directory = cassettes / CACHE_DIRECTORY if enabled else None
        self.body_limit = body_limit

    def read(self, path: Path) -> list[Interaction]:
        if self.directory is None:
            return read_cassette(path, self.body_limit)
        stamp = _stamp(path)
        cached = self._load(_entry(self.directory, path), stamp, CACHE_RATIO * stamp[1])
        if cached is not None:
            return cached
        interactions = read_cassette(path, self.body_limit)
        self.remember(path, interactions)
        return interactions

    def remember(self, path: Path, interactions: list[Interaction]) -> None:
        """Keep `interactions` as the parse of `path` as it is now (after a recording wrote it, say)."""
        if self.directory is None:
            return
        try:
            stamp = _stamp(path)
            data = orjson.dumps({"stamp": stamp, "path": str(path), "interactions": [_encode(i) for i in interactions]})
        except (OSError, TypeError) as error:  # an `extra` value JSON cannot hold: just no cache
            log.debug("cassette cache not written for %s: %s", path, error)
            return
        if len(data) > CACHE_RATIO * stamp[1]:  # inflated bodies: parsing again is cheaper than the disk
            log.debug("cassette cache not written for %s: %d bytes for a %d-byte file", path, len(data), stamp[1])
            return
        self._store(_entry(self.directory, path), data)

    def _load(self, entry: Path, stamp: list[int], most: int) -> list[Interaction] | None:
        try:
            data = orjson.loads(_read_regular(entry, most))
            if data.get("stamp") != stamp:
                return None
            return [_decode(item) for item in data["interactions"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # absent, stale, damaged or not ours: parse the cassette instead

    def _store(self, entry: Path, data: bytes) -> None:
        """Best effort: a cache that cannot be written (read-only directory, full disk) only costs speed."""
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            if entry.parent.is_symlink():  # it could lead anywhere: a cache is not worth writing there
                raise OSError(f"{entry.parent} is a symbolic link")
            ignore = entry.parent / ".gitignore"
            if not ignore.exists() and not ignore.is_symlink():
                atomic_write(ignore, b"# the parse cache of Dummy OpenAI API: not for version control\n*\n")
            atomic_write(entry, data, fsync=False)  # a cache: losing it to a crash costs only a parse
        except OSError as error:
            log.debug("cassette cache not written in %s: %s", entry.parent, error)


def _read_regular(entry: Path, most: int) -> bytes:
    """The entry's bytes, if it is a regular file of at most `most` bytes reached without a symbolic link."""
    if entry.parent.is_symlink():
        raise OSError(f"{entry.parent} is a symbolic link")
    fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO must not block start-up
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{entry} is not a regular file")
        if status.st_size > most:
            entry.unlink(missing_ok=True)  # inflated bodies (a compression bomb, say) only take the disk
            raise OSError(f"{entry} is larger than {most} bytes")
        return file.read(most + 1)


def _entry(directory: Path, path: Path) -> Path:
    """The cache file for the cassette at `path`: named by its resolved path, so two spellings share one."""
    return directory / (hashlib.sha256(str(path.resolve()).encode()).hexdigest() + ".json")
