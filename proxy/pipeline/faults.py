"""Faults on demand, shaped as the real API's: 429 and 5xx answers with their real bodies and headers, a request
that never gets an answer, a dropped connection, broken JSON, and streams that are cut or fail mid-way.

A `Fault` names what goes wrong; `FaultPlayer.play` turns it into the answer (or the lack of one). Wording
and headers follow /v1 answers seen in the wild (rate-limit messages, `retry-after-ms`, the mid-stream error
event the SDK raises as `openai.APIError`).
"""
from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterable

from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.core.config import FAULT_KINDS, fault_kind
from dummy_openai_api.proxy.core.errors import APIError, server_error
from dummy_openai_api.proxy.core.http import REASONS, Outcome, Reply, Request, StreamAbort

BREAKING = ("stream-cut", "stream-error", "malformed-json")  # faults that change an answer rather than replace it
RATE_LIMITS_URL = "https://platform.openai.com/account/rate-limits"
ORGANIZATION = "org-dummy"
DEFAULT_RETRY_AFTER = 0.02  # seconds a 429 fault asks clients to wait: retries stay fast in test suites
OVERLOADED = ("That model is currently overloaded with other requests. You can retry your request, or contact us "
              "through our help center at help.openai.com if the error persists. (Please include the request ID "
              "{request_id} in your message.)")
STREAM_ERROR = {"error": {"message": "The server experienced an error while processing your request. We apologize "
                                     "for the inconvenience!", "type": "server_error", "param": None, "code": None}}
DROPPED = 444  # what the log and the journal show for a connection closed without an answer


@dataclass(frozen=True)
class Fault:
    """What goes wrong: `kind` (a status or one of FAULT_KINDS) and how."""

    kind: str
    retry_after: float | None = None  # seconds, sent as retry-after-ms and retry-after (429s: 0.02 by default)
    after: int = 2  # stream events that get through before a stream is cut, broken or fails
    seconds: float = 600.0  # how long `timeout` holds a request (the SDK's own default timeout)

    @classmethod
    def parse(cls, text: str) -> "Fault":
        """`429`, `stream-cut; after=5`, `timeout; seconds=30`, `503; retry_after=0.1` (header syntax)."""
        kind, *params = [part.strip() for part in text.split(";")]
        values: dict[str, Any] = {}
        for param in params:
            name, _, value = param.partition("=")
            values[name.strip().replace("-", "_")] = value.strip()
        return cls.build(kind, values)

    @classmethod
    def build(cls, kind: str, values: dict[str, Any]) -> "Fault":
        """A fault from JSON-ish values; a bad one is the API's 400 naming the field."""
        try:
            name = fault_kind(str(kind))
        except ValueError as error:
            raise APIError(400, str(error).capitalize() + ".", param="fault", code="invalid_fault") from None
        unknown = set(values) - {"retry_after", "after", "seconds"}
        if unknown:
            raise APIError(400, f"Unknown fault parameter {sorted(unknown)[0]!r}: expected retry_after, after or "
                                "seconds.", param="fault", code="invalid_fault")
        retry_after = _number(values, "retry_after", float, None)
        return cls(name, retry_after, _number(values, "after", int, 2), _number(values, "seconds", float, 600.0))

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "retry_after": self.retry_after, "after": self.after, "seconds": self.seconds}


# The largest value of each fault parameter: a day of waiting, a million events (headers and timers stay finite).
FAULT_BOUNDS = {"retry_after": 86400, "after": 1_000_000, "seconds": 86400}


def _number(values: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    if values.get(name) in (None, ""):
        return default
    try:
        value = kind(values[name])
    except (TypeError, ValueError, OverflowError):
        value = -1
    if not 0 <= value <= FAULT_BOUNDS[name]:  # NaN fails too
        raise APIError(400, f"Invalid fault parameter {name}: expected a number from 0 to {FAULT_BOUNDS[name]}, got "
                            f"{values[name]!r}.", param="fault", code="invalid_fault")
    return value


def go_duration(seconds: float) -> str:
    """The API's durations: `644ms`, `9.816s`, `1m26.4s`, `6m0s`."""
    if seconds < 1:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    minutes, rest = divmod(round(seconds, 3), 60)
    text = f"{rest:.3f}".rstrip("0").rstrip(".") + "s"
    return f"{int(minutes)}m{text}" if minutes else text


def retry_headers(seconds: float) -> dict[str, str]:
    """`retry-after-ms` (which the SDK prefers) and the whole-second `retry-after` that HTTP clients read."""
    return {"retry-after": str(math.ceil(seconds)), "retry-after-ms": str(max(0, round(seconds * 1000)))}


def rate_limited(model: str, unit: str, limit: int, used: int, requested: int, wait: float,
                 headers: dict[str, str]) -> APIError:
    """The 429 for a requests-per-minute (`unit="requests"`) or tokens-per-minute budget, worded as the API's."""
    short = "RPM" if unit == "requests" else "TPM"
    message = (f"Rate limit reached for {model} in organization {ORGANIZATION} on {unit} per min ({short}): "
               f"Limit {limit}, Used {used}, Requested {requested}. Please try again in {go_duration(wait)}. "
               f"Visit {RATE_LIMITS_URL} to learn more.")
    return APIError(429, message, type=unit, code="rate_limit_exceeded", headers={**retry_headers(wait), **headers})


def too_large(model: str, limit: int, requested: int) -> APIError:
    """One request bigger than the whole tokens-per-minute budget: retrying cannot help."""
    return APIError(429, f"Request too large for {model} in organization {ORGANIZATION} on tokens per min (TPM): "
                         f"Limit {limit}, Requested {requested}. The input or output tokens must be reduced in order "
                         f"to run successfully. Visit {RATE_LIMITS_URL} to learn more.", type="tokens",
                    code="rate_limit_exceeded")


def error_for(fault: Fault, request: Request) -> APIError:
    """The error answer of a status fault."""
    request_id = request.context.get("request_id", "")
    model = _model(request)
    wait = DEFAULT_RETRY_AFTER if fault.retry_after is None else fault.retry_after
    if fault.kind == "429":
        return rate_limited(model, "requests", 10000, 10000, 1, wait, _exhausted("requests", 10000, wait))
    if fault.kind == "429-tokens":
        return rate_limited(model, "tokens", 30000000, 29999990, 385, wait, _exhausted("tokens", 30000000, wait))
    if fault.kind == "429-quota":
        return APIError(429, "You exceeded your current quota, please check your plan and billing details. For more "
                             "information on this error, read the docs: https://platform.openai.com/docs/guides/"
                             "error-codes/api-errors.", type="insufficient_quota", code="insufficient_quota")
    status = int(fault.kind) if fault.kind.isdigit() else 500
    if status == 500:
        error = server_error(request_id)
    elif status == 503:
        error = APIError(503, OVERLOADED.format(request_id=request_id), type="server_error")
    else:
        error = APIError(status, f"{REASONS.get(status, 'Error')}.",
                         type="server_error" if status >= 500 else "invalid_request_error")
    if fault.retry_after is not None:
        error.headers.update(retry_headers(fault.retry_after))
    return error


def _exhausted(unit: str, limit: int, wait: float) -> dict[str, str]:
    return {f"x-ratelimit-limit-{unit}": str(limit), f"x-ratelimit-remaining-{unit}": "0",
            f"x-ratelimit-reset-{unit}": go_duration(wait)}


def _model(request: Request) -> str:
    try:
        body = request.json()
    except APIError:
        body = None
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) and model else "gpt-4o-mini"


class FaultPlayer:
    """Plays a fault: answers, withholds the answer, or breaks the one the rest of the chain gives."""

    def __init__(self) -> None:
        self.released = asyncio.Event()

    def release(self) -> None:
        """Let every held (`timeout`) request go: they end as dropped connections."""
        self.released.set()
        self.released = asyncio.Event()

    def play(self, fault: Fault, request: Request) -> Outcome | None:
        """The fault's answer; None for a fault that breaks the answer the rest of the chain gives (a stream)."""
        source = f"fault:{fault.kind}"
        if fault.kind == "disconnect":
            raise StreamAbort(DROPPED, source)
        if fault.kind == "timeout":
            return self._hold(fault, source)
        if fault.kind in BREAKING:
            request.finish_with(lambda reply: _broken(fault, reply, source))
            return None
        reply = Reply.error(error_for(fault, request))
        reply.source = source
        return reply

    async def _hold(self, fault: Fault, source: str) -> Reply:
        try:
            await asyncio.wait_for(self.released.wait(), fault.seconds)
        except asyncio.TimeoutError:
            pass
        raise StreamAbort(DROPPED, source)


def _broken(fault: Fault, reply: Reply, source: str) -> Reply:
    """The answer, cut, failing or unparseable; errors the handler raised are left as they are."""
    if reply.status >= 400:
        return reply
    reply.source = source
    if reply.stream is None and fault.kind == "stream-error":
        failed = Reply.error(server_error(""))
        failed.source = source
        return failed
    if reply.stream is None and fault.kind == "malformed-json":
        reply.body = reply.body[: len(reply.body) // 2] or b"{"
        return reply
    events = reply.stream if reply.stream is not None else [reply.body[: len(reply.body) // 2]]
    breakers = {"stream-cut": _cut, "stream-error": _fail, "malformed-json": _garble}
    reply.stream = breakers[fault.kind](events, fault.after if reply.stream is not None else 1, source)
    return reply


async def _each(stream: Any) -> AsyncIterator[bytes]:
    if hasattr(stream, "__aiter__"):
        try:
            async for chunk in stream:
                yield chunk
        finally:
            closer = getattr(stream, "aclose", None)
            if closer is not None:
                await closer()
    else:
        for chunk in stream:
            yield chunk


async def _cut(stream: AsyncIterator[bytes] | Iterable[bytes], after: int, source: str) -> AsyncIterator[bytes]:
    """`after` events, then the connection closes without the stream's end: the client sees a broken read."""
    sent = 0
    async for chunk in _each(stream):
        if sent >= after:
            break
        yield chunk
        sent += 1
    raise StreamAbort(200, source)


async def _fail(stream: AsyncIterator[bytes] | Iterable[bytes], after: int, source: str) -> AsyncIterator[bytes]:
    """`after` events, then the API's mid-stream error event and `[DONE]`; the SDK raises `openai.APIError`."""
    sent = 0
    async for chunk in _each(stream):
        if sent >= after or chunk == sse.DONE:
            break
        yield chunk
        sent += 1
    yield sse.event(STREAM_ERROR)
    yield sse.DONE


async def _garble(stream: AsyncIterator[bytes] | Iterable[bytes], after: int, source: str) -> AsyncIterator[bytes]:
    """`after` events, then one whose JSON is cut in half, then the rest."""
    sent = 0
    async for chunk in _each(stream):
        if sent == after and chunk != sse.DONE:
            chunk = chunk.rstrip(b"\n")[: max(7, len(chunk) // 2)] + b"\n\n"
        yield chunk
        sent += 1


__all__ = ["FAULT_KINDS", "Fault", "FaultPlayer", "error_for", "go_duration", "rate_limited", "retry_headers",
           "too_large"]
