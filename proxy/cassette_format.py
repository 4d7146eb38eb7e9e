"""How cassette files are encoded on disk: read them into `Interaction`s, write them back.

Reads vcrpy YAML cassettes (plain or gzip-compressed, including the pydantic-ai, DataDog and
old httpx-stub variants) and Polly.js HAR files, undoing any content-encoding so every body
is the bytes a client sees after decoding. Writes vcrpy's own format (version 1), so that
`vcr.use_cassette(path, record_mode="none")` replays what we write.

Nothing about request keys, matching or HTTP serving belongs here.
"""
from __future__ import annotations

import base64
import functools
import gzip
import http
import json
import os
import secrets
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
import yaml

# vcrpy is imported on first use, not with this module: importing any part of it imports every HTTP client
# it knows how to patch (httpx, aiohttp, requests, ...), 0.3-0.6 s and ~25 MiB that a server without
# cassette files, the default, never needs.

Headers = dict[str, list[str]]

_GZIP_MAGIC = b"\x1f\x8b"
# Keys of a vcrpy response dict we interpret; any other key is kept in `Interaction.extra`.
_RESPONSE_KEYS = {"status", "headers", "body", "parsed_body", "content", "status_code", "extra"}


@dataclass
class Interaction:
    """One recorded request/response pair, normalised (see the module docstring)."""

    method: str
    uri: str
    request_headers: Headers
    request_body: bytes
    status: int
    reason: str
    response_headers: Headers
    response_body: bytes
    extra: dict[str, Any] = field(default_factory=dict)


class CassetteError(Exception):
    """A cassette file could not be read; str() is one line: '<path>: <reason>'."""


class _Invalid(ValueError):
    """A structural problem inside a cassette; becomes a CassetteError naming the file."""


# ---------------------------------------------------------------- reading


def _construct_istr(loader: yaml.BaseLoader, node: yaml.Node) -> str:
    # DataDog's aiohttp recordings tag header names as multidict's case-insensitive str;
    # the tag's single argument is the name. Never import or call multidict.
    (value,) = loader.construct_sequence(node)
    return str(value)


@functools.cache
def _yaml() -> Any:
    """vcrpy's safe loader (libyaml-backed), which refuses every other python/* tag."""
    from vcr.serializers import yamlserializer
    return yamlserializer.with_custom_tags(
        {"tag:yaml.org,2002:python/object/apply:multidict._multidict.istr": _construct_istr},
    )


def read_cassette(path: str | os.PathLike) -> list[Interaction]:
    """Read a vcrpy YAML (.yaml/.yml, optionally .gz) or HAR cassette; raise CassetteError if unreadable."""
    try:
        return _parse(_load(Path(path)))
    except Exception as exc:
        raise CassetteError(f"{os.fspath(path)}: {_describe(exc)}") from exc


def _load(path: Path) -> Any:
    raw = path.read_bytes()
    if path.suffix == ".gz" or raw.startswith(_GZIP_MAGIC):
        raw = gzip.decompress(raw)
    if path.name.removesuffix(".gz").endswith((".har", ".json")):
        return json.loads(raw)
    return _yaml().deserialize(raw)


def _parse(data: Any) -> list[Interaction]:
    if isinstance(data, dict) and "interactions" in data:
        return _convert_each(data["interactions"] or [], _vcr_interaction)
    if isinstance(data, dict) and isinstance(data.get("log"), dict):
        return _convert_each(data["log"].get("entries") or [], _har_interaction)
    kind = f"mapping with keys {sorted(map(str, data))}" if isinstance(data, dict) else type(data).__name__
    raise _Invalid(f"not a cassette: expected 'interactions' (vcrpy) or 'log' (HAR), got {kind}")


def _convert_each(items: Any, convert: Callable[[Any], Interaction]) -> list[Interaction]:
    if not isinstance(items, list):
        raise _Invalid(f"interactions must be a list, got {type(items).__name__}")
    result = []
    for index, item in enumerate(items):
        try:
            result.append(convert(item))
        except Exception as exc:  # name the entry: real cassettes hold dozens
            raise _Invalid(f"interaction {index}: {_describe(exc)}") from exc
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
    elif isinstance(exc, _Invalid):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


def _mapping(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent[key]
    if not isinstance(value, dict):
        raise _Invalid(f"'{key}' must be a mapping, got {type(value).__name__}")
    return value


def _vcr_interaction(item: dict[str, Any]) -> Interaction:
    request, response = _mapping(item, "request"), _mapping(item, "response")
    request_body, request_headers = _decoded(_vcr_body(request), request.get("headers"))
    response_body, response_headers = _decoded(_vcr_body(response), response.get("headers"))
    status, reason = _vcr_status(response)
    return Interaction(
        str(request["method"]).upper(), str(request["uri"]), request_headers, request_body,
        status, reason, response_headers, response_body, _vcr_extra(response),
    )


def _vcr_body(part: dict[str, Any]) -> bytes:
    if "parsed_body" in part:  # pydantic-ai stores JSON bodies as YAML data
        return json.dumps(part["parsed_body"], separators=(",", ":")).encode()
    if "content" in part and "body" not in part:  # old httpx-stub response shape
        return _to_bytes(part["content"])
    body = part.get("body")
    return _to_bytes(body.get("string") if isinstance(body, dict) else body)


def _to_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    if hasattr(value, "getvalue"):  # vcrpy rebuilds old file-like request bodies as BytesIO
        return bytes(value.getvalue())
    if isinstance(value, (list, tuple)) or hasattr(value, "__next__"):  # iterator request bodies
        return b"".join(_to_bytes(chunk) for chunk in value)
    raise _Invalid(f"unsupported body of type {type(value).__name__}")


def _vcr_status(response: dict[str, Any]) -> tuple[int, str]:
    status = response.get("status")
    if isinstance(status, dict):
        code, reason = status.get("code"), status.get("message")
    else:  # old httpx-stub shape has `status_code`; tolerate a bare `status: 200` too
        code, reason = response.get("status_code", status), None
    if code is None:
        raise _Invalid("response has no status code")
    return int(code), str(reason) if reason else _phrase(int(code))


def _phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


def _vcr_extra(response: dict[str, Any]) -> dict[str, Any]:
    nested = response.get("extra", {})  # what our writer stores, e.g. {"timing": {...}}
    unknown = {key: value for key, value in response.items() if key not in _RESPONSE_KEYS}
    return {**unknown, **(nested if isinstance(nested, dict) else {"extra": nested})}


def _har_interaction(entry: dict[str, Any]) -> Interaction:
    request, response = _mapping(entry, "request"), _mapping(entry, "response")
    request_body, request_headers = _decoded(_har_text(request.get("postData")), request.get("headers"))
    response_body, response_headers = _decoded(_har_text(response.get("content")), response.get("headers"))
    status = int(response["status"])
    reason = str(response.get("statusText") or _phrase(status))
    return Interaction(
        str(request["method"]).upper(), str(request["url"]), request_headers, request_body,
        status, reason, response_headers, response_body, _har_timing(entry.get("timings")),
    )


def _har_text(part: dict[str, Any] | None) -> bytes:
    text = (part or {}).get("text")
    if text is None:
        return b""
    if part.get("encoding") == "base64":  # HAR's way of carrying binary content
        return base64.b64decode(text)
    return text.encode("utf-8")


def _har_timing(timings: Any) -> dict[str, Any]:
    # HAR's `wait` is the time to first byte; -1 means "not measured".
    wait = timings.get("wait") if isinstance(timings, dict) else None
    if isinstance(wait, (int, float)) and wait >= 0:
        return {"timing": {"ttfb_ms": float(wait)}}
    return {}


def _headers(raw: Any) -> Headers:
    """Lower-cased names, list-of-str values; accepts a vcrpy mapping or HAR's [{name, value}] list."""
    if raw is None:  # several cassettes strip headers entirely
        return {}
    if isinstance(raw, list):
        pairs = [(item["name"], item["value"]) for item in raw]
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        raise _Invalid(f"headers must be a mapping or a list, got {type(raw).__name__}")
    headers: Headers = {}
    for name, values in pairs:
        values = values if isinstance(values, (list, tuple)) else [values]
        texts = [str(value) for value in values if value is not None]
        if texts:  # an empty value list would crash vcrpy's request loader
            headers.setdefault(str(name).lower(), []).extend(texts)
    return headers


def _decoded(body: bytes, raw_headers: Any) -> tuple[bytes, Headers]:
    """Normalise the headers and undo compression, judged by the bytes: real headers lie both ways.

    `content-encoding` goes once the body is plain: after decompressing, and also when a body
    labelled gzip is plain text (several DataDog/crewAI files). It stays only on bytes that
    claim an encoding but could not be decoded, which are kept raw.
    """
    headers = _headers(raw_headers)
    labels = ",".join(headers.get("content-encoding", []))
    codings = {token.strip().lower() for token in labels.split(",") if token.strip()}
    is_text = _is_utf8(body)
    plain = _decompress(body, codings, is_text)
    if plain is None and codings and not is_text:
        return body, headers
    without = {name: values for name, values in headers.items() if name != "content-encoding"}
    return (body if plain is None else plain), without


def _decompress(body: bytes, codings: set[str], is_text: bool) -> bytes | None:
    """The decompressed body, or None when it is not (or cannot be) decompressed."""
    if body.startswith(_GZIP_MAGIC):
        return _attempt(gzip.decompress, body)
    for coding, decompress in (("br", brotli.decompress), ("deflate", _inflate)):
        if coding in codings and (plain := _attempt(decompress, body)) is not None:
            return plain
    if is_text:
        return None
    # Unlabelled binary: brotli has no magic number, and tiny binaries such as b"\x81\x01" are
    # valid brotli streams, so a guess counts only if it yields text (OpenAI bodies are text).
    for decompress in (brotli.decompress, zlib.decompress):
        plain = _attempt(decompress, body)
        if plain and _is_utf8(plain):
            return plain
    return None


def _attempt(decompress: Callable[[bytes], bytes], body: bytes) -> bytes | None:
    try:
        return decompress(body)
    except (OSError, EOFError, zlib.error, brotli.error):  # gzip.BadGzipFile is an OSError
        return None


def _inflate(body: bytes) -> bytes:
    # "deflate" is zlib-wrapped by the RFC, but some servers send raw deflate.
    try:
        return zlib.decompress(body)
    except zlib.error:
        return zlib.decompress(body, -zlib.MAX_WBITS)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------- writing


@functools.cache
def _request_class() -> type:
    from vcr.request import Request

    class _Request(Request):
        """A vcrpy Request that serializes every header value (vcrpy's own keeps only the first)."""

        def __init__(self, interaction: Interaction) -> None:
            super().__init__(interaction.method, interaction.uri, interaction.request_body, {})
            self._header_lists = {name: list(values) for name, values in interaction.request_headers.items()}

        def _to_dict(self) -> dict[str, Any]:
            return {**super()._to_dict(), "headers": self._header_lists}

    return _Request


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A safe (libyaml) dumper writing multi-line text as literal blocks, so SSE `data:` lines stay readable.

    Safe: an object the loader could not read back fails here, before anything is written.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True  # shared header lists must not become &id001 anchors


def _represent_str(dumper: yaml.BaseDumper, text: str) -> yaml.ScalarNode:
    # The emitter falls back to double quotes whenever a literal block would not round-trip (e.g. "\r").
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_str)


class _Serializer:
    """The half of vcrpy's serializer protocol that `vcr.serialize.serialize` uses."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        return yaml.dump(cassette, Dumper=_Dumper)


def _response_dict(interaction: Interaction) -> dict[str, Any]:
    response: dict[str, Any] = {
        "status": {"code": interaction.status, "message": interaction.reason},
        "headers": {name: list(values) for name, values in interaction.response_headers.items()},
        "body": {"string": interaction.response_body},
    }
    if interaction.extra:  # vcrpy ignores unknown response keys when replaying
        response["extra"] = interaction.extra
    return response


def dumps_cassette(interactions: Sequence[Interaction]) -> str:
    """The vcrpy (version 1) YAML text for `interactions`; UTF-8 bodies as text, other bytes as !!binary."""
    from vcr.serialize import serialize

    request_class = _request_class()
    cassette = {
        "requests": [request_class(interaction) for interaction in interactions],
        "responses": [_response_dict(interaction) for interaction in interactions],
    }
    return serialize(cassette, _Serializer)


def dumps_har(interactions: Sequence[Interaction]) -> str:
    """A HAR 1.2 log of `interactions`, as browsers' developer tools and Polly.js write them."""
    entries = [_har_entry(interaction) for interaction in interactions]
    log = {"version": "1.2", "creator": {"name": "dummy-openai-api", "version": "1"}, "entries": entries}
    return json.dumps({"log": log}, indent=2, ensure_ascii=False)


def _har_entry(interaction: Interaction) -> dict[str, Any]:
    timing = interaction.extra.get("timing") if isinstance(interaction.extra.get("timing"), dict) else {}
    wait = float(timing.get("ttfb_ms") or 0)
    return {
        "startedDateTime": "1970-01-01T00:00:00.000Z", "time": wait,
        "request": {
            "method": interaction.method, "url": interaction.uri, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": _har_headers(interaction.request_headers), "queryString": [], "headersSize": -1,
            "bodySize": len(interaction.request_body),
            **({"postData": _har_content(interaction.request_headers, interaction.request_body, "postData")}
               if interaction.request_body else {}),
        },
        "response": {
            "status": interaction.status, "statusText": interaction.reason, "httpVersion": "HTTP/1.1",
            "cookies": [], "headers": _har_headers(interaction.response_headers), "redirectURL": "",
            "content": _har_content(interaction.response_headers, interaction.response_body, "content"),
            "headersSize": -1, "bodySize": len(interaction.response_body),
        },
        "cache": {}, "timings": {"send": 0, "wait": wait, "receive": 0},
    }


def _har_headers(headers: Headers) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, values in headers.items() for value in values]


def _har_content(headers: Headers, body: bytes, kind: str) -> dict[str, Any]:
    mime = (headers.get("content-type") or ["application/octet-stream"])[-1]
    content: dict[str, Any] = {"mimeType": mime}
    if _is_utf8(body):
        content["text"] = body.decode("utf-8")
    else:
        content.update(text=base64.b64encode(body).decode("ascii"), encoding="base64")
    if kind == "content":
        content["size"] = len(body)
    return content


def write_cassette(path: str | os.PathLike, interactions: Sequence[Interaction]) -> None:
    """Atomically write `interactions`: a vcrpy cassette (gzip-compressed if `path` ends in .gz), or HAR."""
    target = Path(path)
    text = dumps_har(interactions) if target.suffix == ".har" else dumps_cassette(interactions)
    data = text.encode("utf-8")  # before touching the disk
    if target.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # os.open applies the umask to 0o666, as open() would; mkstemp would force 0o600.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
