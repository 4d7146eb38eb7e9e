"""A `multipart/form-data` body as the request key sees it: its parts without the boundary.

SDKs draw a new random boundary for every upload (httpx: 32 hex digits; undici: `----formdata-undici-` and
digits), so the raw bytes of an upload never repeat. What the API reads is the fields, and for each file its
name, content type and bytes: that is the canonical form, a mapping from field name to value (a list when a
name is sent more than once, in sent order, as `timestamp_granularities[]`). Names are sorted when the key is
hashed: the Python SDK sends its fields before its files, the Node SDK in the order of the call's object, and
the API reads neither order. Bodies come from cassettes, which are untrusted: the parse never copies a part,
and a body that is not a well-formed form within the bounds below is keyed on its raw bytes instead.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

MAX_PARTS = 1000  # the API's largest forms have a dozen fields; a crafted body may have millions of parts
MAX_HEAD_BYTES = 16 * 1024  # the header block of one part
MAX_NAME_CHARS = 1024  # of a field name or a file name
INLINE_TEXT = 64 * 1024  # longer field values are keyed on their digest, as files are

# RFC 2046: 1 to 70 characters, from a small set, not ending in a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_BOUNDARY_PARAM = re.compile(r';\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))', re.IGNORECASE)
# A header parameter: name=token or name="quoted string" (RFC 7578 section 4.2, RFC 9110 section 5.6.6).
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')
_ESCAPE = re.compile(r"\\(.)")


class Form(dict):
    """The canonical form of a multipart body; a dict, so that ignored fields and miss reports apply to it."""


def boundary(content_type: str | None, body: bytes) -> bytes | None:
    """The boundary named by a multipart/form-data content type; when the type was not recorded (some
    cassettes strip headers), the one the body opens with. None when the body is not multipart."""
    if content_type is not None:
        if content_type.partition(";")[0].strip().lower() != "multipart/form-data":
            return None
        found = _BOUNDARY_PARAM.search(content_type)
        text = (found.group(1) if found.group(1) is not None else found.group(2)) if found else ""
    else:
        first = body[:76].partition(b"\r\n")
        if not first[0].startswith(b"--") or not first[1]:
            return None
        text = first[0][2:].decode("latin-1")
    return text.encode("latin-1") if _BOUNDARY.fullmatch(text) else None


def parse(body: bytes, content_type: str | None) -> Form | None:
    """The canonical form of `body`, or None when it is not a well-formed multipart body within the bounds."""
    mark = boundary(content_type, body)
    parts = _split(body, b"--" + mark) if mark is not None else None
    if parts is None:
        return None
    collected: dict[str, list[Any]] = {}
    for head, content in parts:
        named = _part(head, content)
        if named is None:
            return None
        collected.setdefault(named[0], []).append(named[1])
    # A value is a text or a mapping, never a list: a list is unambiguously a name sent more than once.
    return Form((name, values[0] if len(values) == 1 else values) for name, values in collected.items())


def _split(body: bytes, delimiter: bytes) -> list[tuple[bytes, memoryview]] | None:
    """(header block, content) of each part, or None if the body is not delimited as RFC 2046 says."""
    if not body.startswith(delimiter):
        return None
    view, parts = memoryview(body), list[tuple[bytes, memoryview]]()
    position = len(delimiter)
    while body[position:position + 2] != b"--":  # else the close delimiter: what follows it is ignored
        line_end = body.find(b"\r\n", position, position + 256)
        if line_end < 0 or body[position:line_end].strip(b" \t"):  # only transport padding may follow
            return None
        head_end = body.find(b"\r\n\r\n", line_end, line_end + 4 + MAX_HEAD_BYTES)
        next_delimiter = body.find(b"\r\n" + delimiter, head_end + 4) if head_end >= 0 else -1
        if next_delimiter < 0 or len(parts) == MAX_PARTS:
            return None
        parts.append((body[line_end + 2:head_end], view[head_end + 4:next_delimiter]))
        position = next_delimiter + 2 + len(delimiter)
    return parts


def _part(head: bytes, content: memoryview) -> tuple[str, Any] | None:
    """(field name, canonical value) of one part; None without a form-data disposition naming the field."""
    headers = _headers(head)
    if headers is None:
        return None
    kind, _, rest = headers.get("content-disposition", "").partition(";")
    params = _params(";" + rest)
    name = params.get("name")
    if kind.strip().lower() != "form-data" or name is None or len(name) > MAX_NAME_CHARS:
        return None
    filename = params.get("filename")
    if filename is not None:
        if len(filename) > MAX_NAME_CHARS:
            return None
        return name, {"filename": filename, "content_type": headers.get("content-type"), **_digest(content)}
    if len(content) <= INLINE_TEXT:
        try:
            return name, str(content, "utf-8")
        except UnicodeDecodeError:
            pass
    return name, _digest(content)


def _headers(head: bytes) -> dict[str, str] | None:
    """A part's headers, names lower-cased; None for a line that is not a header."""
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n") if head else ():
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            return None
        headers[name.strip().lower()] = value.strip()
    return headers


def _params(text: str) -> dict[str, str]:
    """`; name="file"; filename="a.wav"` -> {name: file, filename: a.wav}, quoted-pairs undone."""
    params: dict[str, str] = {}
    for match in _PARAM.finditer(text):
        quoted, token = match.group(2), match.group(3)
        params.setdefault(match.group(1).lower(), _ESCAPE.sub(r"\1", quoted) if quoted is not None else token)
    return params


def _digest(content: memoryview) -> dict[str, Any]:
    return {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
