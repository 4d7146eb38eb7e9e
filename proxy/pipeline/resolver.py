"""The one place that decides where an answer comes from: a cassette, the upstream, a generator, or a refusal."""
from __future__ import annotations

from typing import Awaitable, Callable, Protocol

from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Reply, Request

Synthesize = Callable[[], "Reply | Awaitable[Reply]"]


class CassetteSource(Protocol):
    def lookup(self, request: Request) -> Reply | None: ...

    def catch_up(self, cassette: str) -> bool: ...

    def miss(self, request: Request) -> APIError: ...


class UpstreamSource(Protocol):
    def forward(self, request: Request, refresh: bool = False) -> Awaitable[Reply]: ...

    def cassette_for(self, request: Request) -> str: ...


class Resolver:
    """Applies the mode: what a handler asks for is answered without the handler knowing by whom."""

    def __init__(self, mode: Mode, cassettes: CassetteSource | None = None,
                 upstream: UpstreamSource | None = None) -> None:
        self.mode = mode
        self.cassettes = cassettes
        self.upstream = upstream

    def switch(self, mode: Mode, make_upstream: Callable[[], UpstreamSource]) -> None:
        """Answer in `mode` from now on; a mode that records makes its upstream client the first time."""
        if mode.records and self.upstream is None:
            self.upstream = make_upstream()
        self.mode = mode

    def resolve(self, request: Request, synthesize: Synthesize) -> Reply | Awaitable[Reply]:
        mode = self.mode
        if mode.uses_cassettes and self.cassettes is not None:
            hit = self.cassettes.lookup(request)
            if hit is None and mode is Mode.RECORD and self.upstream is not None and \
                    self.cassettes.catch_up(self.upstream.cassette_for(request)):
                hit = self.cassettes.lookup(request)  # another worker recorded it meanwhile
            if hit is not None:
                return hit
        if mode.records and self.upstream is not None:
            return self.upstream.forward(request, refresh=mode is Mode.RECORD_ALL)
        if mode is Mode.STRICT:
            raise self.cassettes.miss(request) if self.cassettes is not None else APIError(
                404, "No cassette matches this request and the server is in strict mode.", code="cassette_miss")
        return synthesize()
