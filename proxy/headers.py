"""The header lines every answer carries: content type, the OpenAI API headers, CORS, and the reply's own.

Rendered as text (`Name: value\r\n` lines) because that is what goes on the wire: the lines that never
change are rendered once at start-up, so an answer costs a few string joins instead of building a headers
object and having Tornado render, encode and check every line (measured: 11-14% of a chat answer's CPU).
"""
from __future__ import annotations

import re
import time

from proxy.config import Settings
from proxy.http import Reply, Request

OPENAI_VERSION = "2020-10-01"
CORS_ALLOW_HEADERS = "Authorization, Content-Type, OpenAI-Organization, OpenAI-Project, OpenAI-Beta, X-Stainless-*"
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

    def __init__(self, settings: Settings) -> None:
        self.origins = settings.cors_origins
        self.api_constant = lines({"openai-version": OPENAI_VERSION, **RATE_LIMIT_HEADERS})
        self.any_origin = "*" in self.origins
        self.cors_constant = lines({"Access-Control-Allow-Origin": "*",
                                    "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS})

    def render(self, request: Request, reply: Reply, request_id: str) -> str:
        own = reply.headers
        names = {name.lower() for name in own} if own else ()
        parts = [f"Content-Type: {reply.content_type}\r\n"]
        if request.context.get("api", True) and reply.source != "cors":
            parts.append(self._api(request, names, request_id))
        parts.append(self._cors(request))
        parts.extend(f"{name}: {value}\r\n" for name, value in own.items()
                     if not _UNSAFE.search(name) and not _UNSAFE.search(str(value)))
        return "".join(parts)

    def _api(self, request: Request, replaced: set[str] | tuple, request_id: str) -> str:
        """x-request-id, openai-*, x-ratelimit-*: ours, unless the reply brings its own (a replay, a 429)."""
        elapsed = str(int((time.perf_counter() - request.started) * 1000))
        ours = {"x-request-id": request_id, "openai-processing-ms": elapsed}
        if not replaced:
            return lines(ours) + self.api_constant
        ours.update({"openai-version": OPENAI_VERSION, **RATE_LIMIT_HEADERS})
        return lines({name: value for name, value in ours.items() if name not in replaced})

    def _cors(self, request: Request) -> str:
        preflight = request.method == "OPTIONS"
        if self.any_origin and not preflight:
            return self.cors_constant
        origin = request.headers.get("Origin")
        if self.any_origin:
            allowed = {"Access-Control-Allow-Origin": "*"}
        elif origin in self.origins:
            allowed = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        else:
            return ""
        allowed["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        if preflight:
            allowed.update({
                "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
                "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers")
                or CORS_ALLOW_HEADERS,
                "Access-Control-Max-Age": "86400",
            })
        return lines({k: v for k, v in allowed.items() if not _UNSAFE.search(v)})
