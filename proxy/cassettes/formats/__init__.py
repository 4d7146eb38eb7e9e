"""How cassette files are encoded on disk: read them into `Interaction`s, write them back.

Reads vcrpy YAML cassettes (plain or gzip-compressed, including the pydantic-ai, DataDog and
old httpx-stub variants) and Polly.js HAR files, undoing any content-encoding so every body
is the bytes a client sees after decoding. Writes vcrpy's own format (version 1), so that
`vcr.use_cassette(path, record_mode="none")` replays what we write.

Nothing about request keys, matching or HTTP serving belongs here. The parts: `interaction` (the data),
`bodies` (headers and content-encodings), `vcr` and `har` (each format both ways); reading dispatches on the
file's content and writing on its name.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from dummy_openai_api.proxy.cassettes.formats import har, vcr
from dummy_openai_api.proxy.cassettes.formats.bodies import GZIP_MAGIC
from dummy_openai_api.proxy.cassettes.formats.har import dumps_har
from dummy_openai_api.proxy.cassettes.formats.interaction import CassetteError, Headers, Interaction, Invalid
from dummy_openai_api.proxy.cassettes.formats.limits import (
    DECOMPRESSION_RATIO, DEFAULT_BODY_LIMIT, Budget, TooLarge, inflate,
)
from dummy_openai_api.proxy.cassettes.formats.vcr import dumps_cassette, interaction_yaml, joined_cassette
from dummy_openai_api.proxy.core.atomic import atomic_write

__all__ = ["CassetteError", "Headers", "Interaction", "dumps_cassette", "dumps_har", "interaction_yaml", "read_cassette",
           "write_cassette"]


def read_cassette(path: str | os.PathLike, body_limit: int = DEFAULT_BODY_LIMIT) -> list[Interaction]:
    """Read a vcrpy YAML (.yaml/.yml, optionally .gz) or HAR cassette; raise CassetteError if unreadable.

    No body may decompress to more than `body_limit` bytes, nor the file expand without bound (see `limits`).
    """
    try:
        budget = Budget.for_file(os.path.getsize(path), body_limit)
        return _parse(_load(Path(path), budget), budget)
    except Exception as exc:
        raise CassetteError(f"{os.fspath(path)}: {_describe(exc)}") from exc


def _load(path: Path, budget: Budget) -> Any:
    raw = path.read_bytes()
    if path.suffix == ".gz" or raw.startswith(GZIP_MAGIC):
        whole = budget.remaining  # the file is not a body: it may use all of the file's budget
        try:
            raw = inflate(raw, 16 + zlib.MAX_WBITS, Budget(whole, whole))
        except TooLarge:
            raise TooLarge(f"the file decompresses to more than {whole} bytes ({DECOMPRESSION_RATIO} times its size "
                           "or the body limit, whichever is more)") from None
    if path.name.removesuffix(".gz").endswith((".har", ".json")):
        return json.loads(raw)
    return vcr.load_yaml(raw)


def _parse(data: Any, budget: Budget) -> list[Interaction]:
    if isinstance(data, dict) and "interactions" in data:
        return _convert_each(data["interactions"] or [], vcr.interaction, budget)
    if isinstance(data, dict) and isinstance(data.get("log"), dict):
        return _convert_each(data["log"].get("entries") or [], har.interaction, budget)
    kind = f"mapping with keys {sorted(map(str, data))}" if isinstance(data, dict) else type(data).__name__
    raise Invalid(f"not a cassette: expected 'interactions' (vcrpy) or 'log' (HAR), got {kind}")


def _convert_each(items: Any, convert: Callable[[Any, Budget], Interaction], budget: Budget) -> list[Interaction]:
    if not isinstance(items, list):
        raise Invalid(f"interactions must be a list, got {type(items).__name__}")
    result = []
    for index, item in enumerate(items):
        try:
            result.append(convert(item, budget))
        except Exception as exc:  # name the entry: real cassettes hold dozens
            raise Invalid(f"interaction {index}: {_describe(exc)}") from exc
    return result


def _describe(exc: BaseException) -> str:
    """One line saying what went wrong, for CassetteError."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        text = f"YAML error at line {exc.problem_mark.line + 1}: {exc.problem}"
    elif isinstance(exc, yaml.YAMLError):
        text = f"YAML error: {exc}"
    elif isinstance(exc, json.JSONDecodeError):
        text = f"JSON error at line {exc.lineno}: {exc.msg}"
    elif isinstance(exc, KeyError):
        text = f"missing key {exc}"
    elif isinstance(exc, Invalid):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


def write_cassette(path: str | os.PathLike, interactions: Sequence[Interaction],
                   yaml_parts: Sequence[str] | None = None) -> None:
    """Atomically write `interactions`: a vcrpy cassette (gzip-compressed if `path` ends in .gz), or HAR.
    `yaml_parts`, each interaction's YAML already made (`interaction_yaml`), spares making it again."""
    target = Path(path)
    if target.suffix == ".har":
        text = dumps_har(interactions)
    else:
        text = joined_cassette(yaml_parts) if yaml_parts is not None else dumps_cassette(interactions)
    data = text.encode("utf-8")  # before touching the disk
    if target.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    atomic_write(target, data)
