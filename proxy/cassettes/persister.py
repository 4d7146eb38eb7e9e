"""The writing side of the cassette directory: append recordings under a lock shared by the worker processes,
and tell the index what other workers wrote meanwhile.

Every write replaces the file whole (`proxy.core.atomic`), so a file's identity (inode, size, mtime) changes
with each one: a process compares identities to know whether anyone else wrote, and reads a file again only
then. Under `record-all`, the first recording of a key in a run replaces the cassette's older recordings of it
(`refresh_log` keeps which keys were refreshed, across workers); a refresh deletes from the file, and an index
that had those recordings must be rebuilt rather than appended to.
"""
from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from dummy_openai_api.proxy.cassettes.formats import (
    CassetteError, Interaction, interaction_yaml, read_cassette, write_cassette,
)
from dummy_openai_api.proxy.cassettes.parse_cache import CassetteCache
from dummy_openai_api.proxy.cassettes.refresh_log import Refreshes, RefreshLog
from dummy_openai_api.proxy.core.atomic import atomic_write

Identity = tuple[int, int, int]
NO_FILE: Identity = (0, 0, 0)


@dataclass(frozen=True)
class Change:
    """A cassette file as it now is, against what the index holds of it."""

    interactions: list[Interaction]
    known: int  # how many of them (the first ones) the index held when it last saw the file
    rewritten: bool  # a refresh deleted from the file since: the index must take it all again


class Persister:
    """Appends recordings to cassette files and notices what other processes appended."""

    def __init__(self, directory: Path, body_limit: int, cache: CassetteCache,
                 key_of: Callable[[Interaction], str | None]) -> None:
        self.directory = directory
        self.body_limit = body_limit
        self.cache = cache
        self.key_of = key_of  # the key a refresh replaces recordings of
        self.refreshes: Refreshes = RefreshLog()  # made before workers fork, so that they share it; kept across reloads
        self.forget()

    def forget(self) -> None:
        """Start again from the files (the index is being loaded anew); refreshes made in this run are kept."""
        self.refreshes.read()
        self.synced: dict[str, int] = dict(self.refreshes.per_cassette)  # cassette -> refreshes the index reflects
        self.written: dict[Path, tuple[Identity, list[Interaction]]] = {}  # what this process last wrote
        self.yaml: dict[Path, list[str]] = {}  # the YAML of each interaction in `written`, in the same order
        self.seen: dict[str, tuple[Identity, int]] = {}  # cassette -> (file identity, interactions) indexed

    def keep_refreshes_in(self, refreshes: Refreshes) -> None:
        """Count `record-all`'s refreshes there (a shared store: once for every process, replicas included)."""
        self.refreshes = refreshes
        refreshes.read()
        self.synced = dict(refreshes.per_cassette)  # the files this process loaded hold them already

    def loaded(self, cassette: str, path: Path, count: int) -> None:
        """The index now holds the `count` interactions of `path`, as it is on disk."""
        self.seen[cassette] = (identity(path), count)

    def append(self, cassette: str, path: Path, interaction: Interaction, refresh: bool = False) -> Change:
        """Add `interaction` to the file (atomically, under the directory lock); the change is the file before
        it, which the index must catch up with first. CassetteError if the file cannot be read (it is left as
        it is: replacing it would lose its recordings)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with directory_lock(self.directory):
            existing = self.on_disk(path)
            self.refreshes.read()
            key = self.key_of(interaction) if refresh else None
            if refresh and self.refreshes.claim(cassette, key):
                existing = [i for i in existing if self.key_of(i) != key]
            written = [*existing, interaction]
            parts = self._yaml_of(path, written)
            write_cassette(path, written, parts)
            self.written[path] = (identity(path), written)
            if parts is not None:
                self.yaml[path] = parts
            self.cache.remember(path, written)
        change = self._change(cassette, existing)
        self.seen[cassette] = (self.written[path][0], len(written))
        return change

    def _yaml_of(self, path: Path, interactions: list[Interaction]) -> list[str] | None:
        """Each interaction's YAML, kept from this process's last write of `path` and made only for the others:
        a recording costs the YAML of one interaction, not of the whole cassette (HAR files are made whole)."""
        if path.suffix == ".har":
            return None
        previous = self.written.get(path, (None, []))[1]
        made = self.yaml.get(path, [])
        # both lists hold live objects during this call, so their ids identify them
        kept = {id(i): part for i, part in zip(previous, made, strict=True)} if len(made) == len(previous) else {}
        return [kept.get(id(i)) or interaction_yaml(i) for i in interactions]

    def changed(self, cassette: str, path: Path) -> bool:
        """Whether the file is not the one the index last saw (another worker wrote it)."""
        try:
            return identity(path) != self.seen.get(cassette, (NO_FILE, 0))[0]
        except OSError:
            return False

    def reread(self, cassette: str, path: Path) -> Change | None:
        """The file read again whole (writers replace files atomically); None when it cannot be read, as a
        recording into it is refused with the reason."""
        try:
            current = identity(path)
            interactions = read_cassette(path, self.body_limit)
        except (OSError, CassetteError):  # the index stays as it is
            return None
        self.refreshes.read()
        change = self._change(cassette, interactions)
        self.seen[cassette] = (current, len(interactions))
        return change

    def on_disk(self, path: Path) -> list[Interaction]:
        """The file's interactions, read again only when it is not the one this process last wrote (parsing a
        cassette on every recording made recording slow down as the cassette grew)."""
        if not path.exists():
            return []
        known = self.written.get(path)
        current = identity(path)
        if known is not None and known[0] == current:
            return known[1]
        interactions = read_cassette(path, self.body_limit)
        self.written[path] = (current, interactions)
        self.yaml.pop(path, None)  # made by another process: its YAML is made again at the next write
        return interactions

    def _change(self, cassette: str, interactions: list[Interaction]) -> Change:
        refreshes = self.refreshes.per_cassette[cassette]
        rewritten = refreshes != self.synced.get(cassette, 0)
        self.synced[cassette] = refreshes
        return Change(interactions, self.seen.get(cassette, (NO_FILE, 0))[1], rewritten)


def identity(path: Path) -> Identity:
    """Changes whenever anyone rewrites the file: every write is a new file renamed into place."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class directory_lock:
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
    with directory_lock(path.parent):
        merged = {name: set(indices) for name, indices in usage.items()}
        if path.exists():
            for name, indices in json.loads(path.read_text() or "{}").get("served", {}).items():
                merged.setdefault(name, set()).update(indices)
        atomic_write(path, json.dumps({"served": {k: sorted(v) for k, v in sorted(merged.items())}},
                                      indent=1).encode())
