"""Bodies as a client sees them: headers normalised and any content-encoding undone, judged by the bytes."""
from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import brotli

from dummy_openai_api.proxy.cassettes.formats.interaction import Headers, Invalid
from dummy_openai_api.proxy.cassettes.formats.limits import Budget, inflate, unbrotli

GZIP_MAGIC = b"\x1f\x8b"


def _headers(raw: Any) -> Headers:
    """Lower-cased names, list-of-str values; accepts a vcrpy mapping or HAR's [{name, value}] list."""
    if raw is None:  # several cassettes strip headers entirely
        return {}
    if isinstance(raw, list):
        pairs = [(item["name"], item["value"]) for item in raw]
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        raise Invalid(f"headers must be a mapping or a list, got {type(raw).__name__}")
    headers: Headers = {}
    for name, values in pairs:
        if type(values) is list and len(values) == 1 and type(values[0]) is str:
            texts = [values[0]]  # the usual shape, taken without a comprehension: a large load reads millions
        else:
            values = values if isinstance(values, (list, tuple)) else [values]
            texts = [str(value) for value in values if value is not None]
        if texts:  # an empty value list would crash vcrpy's request loader
            name = name.lower() if type(name) is str else str(name).lower()
            if name in headers:
                headers[name].extend(texts)
            else:
                headers[name] = texts
    return headers


def decoded(body: bytes, raw_headers: Any, budget: Budget) -> tuple[bytes, Headers]:
    """Normalise the headers and undo compression, judged by the bytes: real headers lie both ways.

    `content-encoding` goes once the body is plain: after decompressing, and also when a body
    labelled gzip is plain text (several DataDog/crewAI files). It stays only on bytes that
    claim an encoding but could not be decoded, which are kept raw.
    """
    headers = _headers(raw_headers)
    if "content-encoding" not in headers and not body.startswith(GZIP_MAGIC) and is_utf8(body):
        return body, headers  # most bodies: plain text, nothing to undo (a large load reads a million)
    labels = ",".join(headers.get("content-encoding", []))
    codings = {token.strip().lower() for token in labels.split(",") if token.strip()}
    is_text = is_utf8(body)
    plain = _decompress(body, codings, is_text, budget)
    if plain is None and codings and not is_text:
        return body, headers
    without = {name: values for name, values in headers.items() if name != "content-encoding"}
    return (body if plain is None else plain), without


def _decompress(body: bytes, codings: set[str], is_text: bool, budget: Budget) -> bytes | None:
    """The decompressed body, or None when it is not (or cannot be) decompressed; TooLarge past the budget."""
    def gunzip(data: bytes) -> bytes:
        return inflate(data, 16 + zlib.MAX_WBITS, budget)

    if body.startswith(GZIP_MAGIC):
        return _attempt(gunzip, body)

    def unbr(data: bytes) -> bytes:
        return unbrotli(data, budget)

    for coding, decompress in (("br", unbr), ("deflate", lambda data: _inflate(data, budget))):
        if coding in codings and (plain := _attempt(decompress, body)) is not None:
            return plain
    if is_text:
        return None
    # Unlabelled binary: brotli has no magic number, and tiny binaries such as b"\x81\x01" are
    # valid brotli streams, so a guess counts only if it yields text (OpenAI bodies are text).
    for decompress in (unbr, lambda data: inflate(data, zlib.MAX_WBITS, budget)):
        plain = _attempt(decompress, body)
        if plain and is_utf8(plain):
            return plain
    return None


def _attempt(decompress: Callable[[bytes], bytes], body: bytes) -> bytes | None:
    try:
        return decompress(body)
    except (OSError, EOFError, zlib.error, brotli.error):
        return None


def _inflate(body: bytes, budget: Budget) -> bytes:
    # "deflate" is zlib-wrapped by the RFC, but some servers send raw deflate.
    try:
        return inflate(body, zlib.MAX_WBITS, budget)
    except zlib.error:
        return inflate(body, -zlib.MAX_WBITS, budget)


def is_utf8(body: bytes) -> bool:
    if body.isascii():  # most bodies: answered without decoding a copy
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
