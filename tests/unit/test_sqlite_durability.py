"""The embedded SQLite state: flushed to disk at checkpoints for a file the user named, not for the temporary
file `--workers N` makes for one run (it is removed when the run ends)."""
from __future__ import annotations

from pathlib import Path

from dummy_openai_api.proxy.core.config import Settings
from dummy_openai_api.proxy.launch.state import shared_state
from dummy_openai_api.proxy.state.shared.sqlite import SQLiteBackend

NORMAL, OFF = 1, 0  # PRAGMA synchronous values


def synchronous(backend: SQLiteBackend) -> int:
    return int(backend.db.execute("PRAGMA synchronous").fetchone()[0])


def test_a_named_file_keeps_normal_durability(tmp_path: Path) -> None:
    backend = SQLiteBackend(str(tmp_path / "state.db"))
    try:
        assert synchronous(backend) == NORMAL
    finally:
        backend.close()


def test_the_workers_temporary_file_skips_disk_flushes() -> None:
    with shared_state(Settings(port=0), workers=2) as settings:
        assert settings.state.startswith("sqlite:///")
        backend = SQLiteBackend(settings.state[len("sqlite:///"):])
        try:
            assert synchronous(backend) == OFF
            backend.append("journal", [b"entry"], 10)
            assert backend.tail("journal", 10)[0][1] == b"entry"
        finally:
            backend.close()
