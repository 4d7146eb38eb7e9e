"""HAR 1.2 logs (Polly.js, browsers' developer tools): entries read as interactions, and written."""
from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from dummy_openai_api.proxy.cassettes.formats.bodies import decoded, is_utf8
from dummy_openai_api.proxy.cassettes.formats.interaction import (
    Headers, Interaction, checked_status, mapping, reason_phrase,
)
from dummy_openai_api.proxy.cassettes.formats.limits import Budget


# --- reading

def interaction(entry: dict[str, Any], budget: Budget) -> Interaction:
    request, response = mapping(entry, "request"), mapping(entry, "response")
    request_body, request_headers = decoded(_text(request.get("postData")), request.get("headers"), budget)
    response_body, response_headers = decoded(_text(response.get("content")), response.get("headers"), budget)
    status = checked_status(response["status"])
    reason = str(response.get("statusText") or reason_phrase(status))
    return Interaction(
        str(request["method"]).upper(), str(request["url"]), request_headers, request_body,
        status, reason, response_headers, response_body, _timing(entry.get("timings")),
    )


def _text(part: dict[str, Any] | None) -> bytes:
    part = part or {}
    text = part.get("text")
    if text is None:
        return b""
    if part.get("encoding") == "base64":  # HAR's way of carrying binary content
        return base64.b64decode(text)
    return text.encode("utf-8")


def _timing(timings: Any) -> dict[str, Any]:
    # HAR's `wait` is the time to first byte; -1 means "not measured".
    wait = timings.get("wait") if isinstance(timings, dict) else None
    if isinstance(wait, (int, float)) and wait >= 0:
        return {"timing": {"ttfb_ms": float(wait)}}
    return {}


# --- writing

def dumps_har(interactions: Sequence[Interaction]) -> str:
    """A HAR 1.2 log of `interactions`, as browsers' developer tools and Polly.js write them."""
    entries = [_entry(interaction) for interaction in interactions]
    log = {"version": "1.2", "creator": {"name": "dummy-openai-api", "version": "1"}, "entries": entries}
    return json.dumps({"log": log}, indent=2, ensure_ascii=False)


def _entry(interaction: Interaction) -> dict[str, Any]:
    timing = given if isinstance(given := interaction.extra.get("timing"), dict) else {}
    wait = float(timing.get("ttfb_ms") or 0)
    return {
        "startedDateTime": "1970-01-01T00:00:00.000Z", "time": wait,
        "request": {
            "method": interaction.method, "url": interaction.uri, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": _header_list(interaction.request_headers), "queryString": [], "headersSize": -1,
            "bodySize": len(interaction.request_body),
            **({"postData": _content(interaction.request_headers, interaction.request_body, "postData")}
               if interaction.request_body else {}),
        },
        "response": {
            "status": interaction.status, "statusText": interaction.reason, "httpVersion": "HTTP/1.1",
            "cookies": [], "headers": _header_list(interaction.response_headers), "redirectURL": "",
            "content": _content(interaction.response_headers, interaction.response_body, "content"),
            "headersSize": -1, "bodySize": len(interaction.response_body),
        },
        "cache": {}, "timings": {"send": 0, "wait": wait, "receive": 0},
    }


def _header_list(headers: Headers) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, values in headers.items() for value in values]


def _content(headers: Headers, body: bytes, kind: str) -> dict[str, Any]:
    mime = (headers.get("content-type") or ["application/octet-stream"])[-1]
    content: dict[str, Any] = {"mimeType": mime}
    if is_utf8(body):
        content["text"] = body.decode("utf-8")
    else:
        content.update(text=base64.b64encode(body).decode("ascii"), encoding="base64")
    if kind == "content":
        content["size"] = len(body)
    return content
