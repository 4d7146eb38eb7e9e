"""The header lines every answer carries: content type, the OpenAI API headers, CORS, and the reply's own.

Rendered as text (`Name: value\r\n` lines) because that is what goes on the wire: the lines that never
change are rendered once at start-up, so an answer costs a few string joins instead of building a headers
object and having Tornado render, encode and check every line (measured: 11-14% of a chat answer's CPU).
"""
from __future__ import annotations

import re
import time
from typing import Callable

from dummy_openai_api.proxy.core.config import Settings
from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.server.origins import ADMIN_PREFIX

OPENAI_VERSION = "2020-10-01"
# What a preflight may ask to send: what the SDKs send (the JS SDK adds x-stainless-*), Azure's api-key and our
# own controls. Anything else fails the preflight instead of being echoed back.
CORS_ALLOW_HEADERS = frozenset({"authorization", "content-type", "accept", "api-key", "idempotency-key",
                                "openai-organization", "openai-project", "openai-beta", "x-cassette", "x-mock-fault"})
CORS_ALLOW_PREFIXES = ("x-stainless-", "openai-")
CORS_EXPOSE_HEADERS = ("X-Request-ID, OpenAI-Processing-MS, OpenAI-Version, X-RateLimit-Limit-Requests, "
                       "X-RateLimit-Limit-Tokens, X-RateLimit-Remaining-Requests, X-RateLimit-Remaining-Tokens, "
                       "X-RateLimit-Reset-Requests, X-RateLimit-Reset-Tokens, Retry-After")
# What a generous paid tier shows; constant because nothing is limited unless rate limiting is enabled.
RATE_LIMIT_HEADERS = {
    "x-ratelimit-limit-requests": "10000", "x-ratelimit-limit-tokens": "30000000",
    "x-ratelimit-remaining-requests": "9999", "x-ratelimit-remaining-tokens": "29999000",
    "x-ratelimit-reset-requests": "6ms", "x-ratelimit-reset-tokens": "0s",
}
_UNSAFE = re.compile(r"[\r\n\x00]")  # a recorded or configured value must not split a header line


def lines(pairs: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\r\n" for name, value in pairs.items())


class HeaderRenderer:
    """Renders an answer's header block; the constant parts depend only on the settings."""

    def __init__(self, settings: Settings, recording: Callable[[], bool] = lambda: False) -> None:
        self.origins = settings.cors_origins
        self.record_origins = settings.record_origins  # while recording, only these (none by default)
        self.recording = recording
        self.api_constant = lines({"openai-version": OPENAI_VERSION, **RATE_LIMIT_HEADERS})
        self.any_origin = "*" in self.origins
        self.cors_constant = lines({"Access-Control-Allow-Origin": "*",
                                    "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS})

    def render(self, request: Request, reply: Reply, request_id: str) -> str:
        own = reply.headers
        api = request.context.get("api", True) and reply.source != "cors"
        cors = not request.path.startswith(ADMIN_PREFIX) and reply.source != "dashboard"
        if api and cors and not own:  # most answers: one string, no list of parts
            return (f"Content-Type: {reply.content_type}\r\nx-request-id: {request_id}\r\n"
                    f"openai-processing-ms: {_elapsed_ms(request)}\r\n{self.api_constant}{self._cors(request)}")
        names = {name.lower() for name in own} if own else ()
        parts = [f"Content-Type: {reply.content_type}\r\n"]
        if api:
            parts.append(self._api(request, names, request_id))
        if cors:
            parts.append(self._cors(request))
        parts.extend(f"{name}: {value}\r\n" for name, value in own.items()
                     if not _UNSAFE.search(name) and not _UNSAFE.search(str(value)))
        return "".join(parts)

    def _api(self, request: Request, replaced: set[str] | tuple, request_id: str) -> str:
        """x-request-id, openai-*, x-ratelimit-*: ours, unless the reply brings its own (a replay, a 429)."""
        ours = {"x-request-id": request_id, "openai-processing-ms": _elapsed_ms(request)}
        if not replaced:
            return lines(ours) + self.api_constant
        ours.update({"openai-version": OPENAI_VERSION, **RATE_LIMIT_HEADERS})
        return lines({name: value for name, value in ours.items() if name not in replaced})

    def _cors(self, request: Request) -> str:
        """No CORS for the admin API or the dashboard page; while recording, only for `record_origins`."""
        preflight = request.method == "OPTIONS"
        origins, any_origin = self.origins, self.any_origin
        if self.recording():
            origins = self.record_origins
            any_origin = "*" in origins
        if any_origin and not preflight:
            return self.cors_constant
        origin = request.headers.get("Origin")
        if any_origin:
            allowed = {"Access-Control-Allow-Origin": "*"}
        elif origin in origins:
            allowed = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        else:
            return ""
        allowed["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        if preflight:
            allowed.update({
                "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
                "Access-Control-Allow-Headers": allowed_headers(request.headers.get("Access-Control-Request-Headers")),
                "Access-Control-Max-Age": "86400",
            })
        return lines({k: v for k, v in allowed.items() if not _UNSAFE.search(v)})


def _elapsed_ms(request: Request) -> str:
    return str(int((time.perf_counter() - request.started) * 1000))


def allowed_headers(requested: str | None) -> str:
    """The requested headers that a page may send; one outside CORS_ALLOW_HEADERS is left out (the browser
    then refuses the request, as it should)."""
    names = [name.strip() for name in (requested or "").split(",") if name.strip()]
    kept = [name for name in names
            if name.lower() in CORS_ALLOW_HEADERS or name.lower().startswith(CORS_ALLOW_PREFIXES)]
    return ", ".join(kept) or "Authorization, Content-Type"
