"""The `--state` a run uses: `--workers N` without one share a temporary SQLite file that the parent makes
(and removes when they have stopped); a given backend is checked once before any worker starts."""
from __future__ import annotations

import dataclasses
import logging
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from dummy_openai_api.proxy.core.config import Settings, SettingsError
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.shared.backend import TEMPORARY_PREFIX
from dummy_openai_api.proxy.state.shared.table import open_backend

log = logging.getLogger("dummy_openai")


@contextmanager
def shared_state(settings: Settings, workers: int) -> Iterator[Settings]:
    """The settings to run with: an empty `state` becomes a temporary SQLite file for several workers."""
    if settings.state or workers == 1:
        yield settings
        return
    with tempfile.TemporaryDirectory(prefix=TEMPORARY_PREFIX) as directory:  # SQLite needs no disk flush there
        path = Path(directory) / "state.db"
        log.info("workers share their state in %s (--state)", path)
        yield dataclasses.replace(settings, state=f"sqlite:///{path}")


def check_state(url: str) -> None:
    """Reach the backend once (and make SQLite's tables) before workers fork: a wrong URL fails at start-up."""
    try:
        backend = open_backend(url)
    except ValueError as error:  # a URL the client cannot read
        raise SettingsError(f"invalid --state={shown(url)!r}: {error}") from None
    if backend is None:
        return
    try:
        backend.counts("control")
        log.info("shared state: %s", shown(url))
    except APIError as error:
        raise SettingsError(f"invalid --state={shown(url)!r}: {error.message}") from None
    finally:
        backend.close()


def shown(url: str) -> str:
    """A state URL as logs and errors show it: without a password."""
    head, at, tail = url.rpartition("@")
    return f"{head.split('//')[0]}//***@{tail}" if at else url


