"""The pytest plugin's cassettes: which one a test marked `openai_cassette` uses, and the server mode its
record mode means.

The record modes are vcrpy's, with pytest-recording's reading of them:
- `none`: replay only; a call that was not recorded fails (the server's strict mode);
- `once`: record every call when the cassette does not exist yet, else as `none`;
- `new_episodes`: replay what was recorded, forward and record the rest (record);
- `all`: forward and record every call again, replaying nothing (record-all).
The server modes themselves (`replay`, `strict`, `record`, ...) are accepted from `--openai-mode`, the option
that came first, and mean what they mean to the server.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all")
SERVER_MODES = ("synthetic", "replay", "strict", "record", "record-all")
_MEANING = {"none": "strict", "new_episodes": "record", "all": "record-all"}
# pytest-recording's get_default_cassette_name: characters a file name may not hold become "-"
_FORBIDDEN = str.maketrans({ch: "-" for ch in "<>?%*:|\"'/\\"})


def default_cassette(module: str, test_class: str | None, test: str) -> str:
    """`<module>/<Class>.<test>` as pytest-recording names it (under its per-module directory)."""
    name = f"{test_class}.{test}" if test_class else test
    return f"{module}/{name.translate(_FORBIDDEN)}"


def server_mode(record_mode: str, recorded: bool) -> str:
    """The server mode for a test in `record_mode`; `recorded`: its cassette exists already."""
    if record_mode == "once":
        return "strict" if recorded else "record"
    return _MEANING.get(record_mode, record_mode)


def check_record_mode(value: str, origin: str) -> str:
    """`value` when it is a record mode (or a server mode, from `--openai-mode`); ValueError in one line."""
    allowed = SERVER_MODES if origin == "--openai-mode" else RECORD_MODES
    if value not in allowed:
        raise ValueError(f"invalid {origin}={value!r}: expected one of " + ", ".join(allowed))
    return value


def cassette_exists(directory: Path, name: str) -> bool:
    from dummy_openai_api.proxy.cassettes.store import SUFFIXES  # the server's own list of cassette file suffixes
    return any((directory / f"{name}{suffix}").is_file() for suffix in SUFFIXES)


@dataclass(frozen=True)
class CassettePlan:
    """What a marked test replays and records: its cassette, record mode and the server mode they mean."""

    name: str
    record_mode: str
    mode: str

    @property
    def records(self) -> bool:
        return self.mode in ("record", "record-all")


def cassette_plan(item: pytest.Item, directory: Path, marker_name: str) -> CassettePlan | None:
    """The cassette and mode of a marked test (None for an unmarked one); pytest.fail on a bad record mode."""
    marker = item.get_closest_marker(marker_name)
    if marker is None:
        return None
    name = marker.args[0] if marker.args else marker.kwargs.get("name")
    if not name:
        test_class = getattr(item, "cls", None)
        name = default_cassette(Path(str(item.path)).stem, test_class and test_class.__name__, item.name)
    mode = marker.kwargs.get("record_mode") or _session_record_mode(item.config)
    if mode not in RECORD_MODES + SERVER_MODES:  # the session's were checked already
        pytest.fail(f"invalid openai_cassette record_mode={mode!r}: expected one of "
                    + ", ".join(RECORD_MODES), pytrace=False)
    return CassettePlan(name, mode, server_mode(mode, cassette_exists(directory, name)))


def _session_record_mode(config: pytest.Config) -> str:
    """The command line before the ini file; --openai-record-mode before the earlier --openai-mode."""
    choices = [config.getoption("openai_record_mode"), config.getoption("openai_mode"),
               config.getini("openai_record_mode"), config.getini("openai_mode")]
    return next((choice for choice in choices if choice), "none")
