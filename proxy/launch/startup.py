"""What the command line says around serving: settings files checked before anything loads, the cassette
directory, the start-up summary and the exit report."""
from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from dummy_openai_api.proxy.core.config import Mode, Settings, SettingsError

if TYPE_CHECKING:
    from dummy_openai_api.proxy.cassettes.store import CassetteStore

log = logging.getLogger("dummy_openai")

# The first words of the start-up summary: tests and the pytest plugin wait for them.
READY = "Dummy OpenAI API on"

MODE_MEANING = {
    Mode.SYNTHETIC: "synthetic answers only; cassettes are not loaded",
    Mode.REPLAY: "recorded answers where a cassette matches, synthetic ones otherwise",
    Mode.STRICT: "recorded answers only; a request no cassette matches is a cassette_miss error",
    Mode.RECORD: "recorded answers where a cassette matches; the rest is forwarded upstream and recorded",
    Mode.RECORD_ALL: "every request is forwarded upstream and recorded again",
}


def check_files(settings: Settings) -> None:
    """Read the files the settings name now, so a mistake is one line before the cassettes load."""
    if settings.replies:
        from dummy_openai_api.generators.replies import load_rules
        try:
            load_rules(settings.replies)
        except ValueError as error:
            raise SettingsError(f"invalid --replies: {error}") from None
    if settings.store_file and Path(settings.store_file).exists() and not Path(settings.store_file).is_file():
        raise SettingsError(f"invalid --store-file={settings.store_file!r}: not a file")
    if Path(settings.cassettes).exists() and not Path(settings.cassettes).is_dir():
        raise SettingsError(f"invalid --cassettes={settings.cassettes!r}: not a directory")


def check_cassettes(settings: Settings, store: CassetteStore) -> None:
    """A missing or empty cassette directory: an error in strict mode (every request would miss), a warning
    in replay mode (every answer would be synthetic); record modes create and fill it."""
    if not settings.mode.uses_cassettes or store.size or settings.mode.records:
        return
    directory = Path(settings.cassettes)
    problem = "no such directory" if not directory.is_dir() else "no recordings in it"
    if store.errors:
        problem += f" ({len(store.errors)} unreadable file(s))"
    if settings.mode is Mode.STRICT:
        raise SettingsError(f"invalid --cassettes={settings.cassettes!r}: {problem}; strict mode would answer "
                            "every request with cassette_miss")
    log.warning("warning: --cassettes=%r: %s; every answer will be synthetic (--mode record records some)",
                settings.cassettes, problem)


def summary(settings: Settings, store: CassetteStore, port: int, loop_name: str) -> list[str]:
    """The start-up lines: where to point a client, what answers, with what key, and where to look."""
    root = f"http://{settings.host}:{port}"
    key = "required" if settings.auth else "not checked"
    lines = [f"{READY} {root}/v1 (mode {settings.mode.value}, key {key}, {loop_name})",
             f"  mode:      {settings.mode.value}: {MODE_MEANING[settings.mode]}",
             f"  key:       {_key_line(settings)}"]
    if settings.mode is not Mode.SYNTHETIC:
        lines.append(f"  cassettes: {store.size} interaction(s) from {len(store.paths)} file(s) in "
                     f"{Path(settings.cassettes).resolve()}" +
                     (f" ({len(store.errors)} unreadable)" if store.errors else ""))
    if settings.mode.records:
        lines.append(f"  upstream:  {settings.upstream}, recording to cassette {settings.record_to!r} "
                     "(a request's X-Cassette header wins)")
    if settings.dashboard:
        lines.append(f"  dashboard: {root}/ (admin API under {root}/_mock/)")
    lines.append("  stop with Ctrl-C")
    return lines


def _key_line(settings: Settings) -> str:
    """Which key clients send, never the key itself: logs keep no secrets, and a chosen key may be one."""
    if not settings.auth:
        return "not checked: any key or none is accepted"
    which = "the default key (README)" if settings.api_key == Settings.api_key else "the key set by --api-key"
    return f"clients send Authorization: Bearer <key>, {which}"


def exit_report(mode: Mode, counters: dict[str, dict[str, dict[str, int]]]) -> list[str]:
    """What the run served from cassettes, recorded and missed, per cassette and endpoint, then in all.

    A request the store did not find is counted as a miss; in record modes it went upstream, so the report
    counts it as recorded (or forwarded, when the answer was not recorded), not as a miss."""
    totals: Counter[str] = Counter()
    lines = []
    for cassette, endpoints in counters.items():
        for endpoint, counts in endpoints.items():
            totals.update(counts)
            parts = [f"{counts['hit']} replayed"] if counts["hit"] else []
            parts += [f"{counts['record']} recorded"] if counts["record"] else []
            if counts["miss"] and not mode.records:
                parts.append(f"{counts['miss']} {_missed(mode)}")
            if parts:
                lines.append(f"{cassette} {endpoint}: {', '.join(parts)}")
    if not totals:
        return lines
    if mode.records:
        forwarded = max(totals["miss"] - totals["record"], 0)
        total = f"{totals['hit']} replayed, {totals['record']} recorded" + (
            f", {forwarded} forwarded without recording" if forwarded else "")
    else:
        total = f"{totals['hit']} replayed, {totals['miss']} {_missed(mode)}"
    return [*lines, f"in all: {total}"]


def _missed(mode: Mode) -> str:
    return "missed (cassette_miss)" if mode is Mode.STRICT else "not recorded (answered synthetically)"
