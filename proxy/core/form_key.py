"""The request key's view of a `multipart/form-data` body: its fields and its files' digests.

The boundary is random per request and file names are the client's own, so two sends of the same image edit
differ byte for byte; keyed on the raw bytes, no recording of an upload would ever be replayed. The boundary is
the body's first line, so recordings (which keep the body but not always the Content-Type) key the same way.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

_NAME = re.compile(rb'\bname="([^"]*)"')
_FILENAME = re.compile(rb'\bfilename="')
MAX_PARTS = 1000  # a body of more parts is keyed on its bytes


def form_fields(body: bytes) -> dict[str, Any] | None:
    """`{"multipart": {name: text, or {"sha256": ...} for a file, or a list of them}}`; None if not multipart."""
    if not body.startswith(b"--"):
        return None
    boundary = body[:body.find(b"\r\n")]
    if len(boundary) < 3 or not body.rstrip().endswith(boundary + b"--") or body.count(boundary) > MAX_PARTS:
        return None
    fields: dict[str, Any] = {}
    for part in body.split(boundary)[1:-1]:
        head, separator, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        name = _NAME.search(head)
        if not separator or name is None:
            return None
        value = _value(head, content.removesuffix(b"\r\n"))
        _add(fields, name.group(1).decode("utf-8", "replace"), value)
    return {"multipart": fields}


def _value(head: bytes, content: bytes) -> Any:
    if _FILENAME.search(head):
        return {"sha256": hashlib.sha256(content).hexdigest()}
    return content.decode("utf-8", "replace")


def _add(fields: dict[str, Any], name: str, value: Any) -> None:
    if name not in fields:
        fields[name] = value
    elif isinstance(fields[name], list):
        fields[name].append(value)
    else:
        fields[name] = [fields[name], value]
