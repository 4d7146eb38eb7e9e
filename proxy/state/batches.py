"""Batches: their objects and the runner that answers each line through the server's own endpoints.

A line is answered by the handler its URL routes to, as if a client had sent it: the answer pipeline picks a
cassette, the upstream or a generator exactly as for a direct request, so a batch replays and records like
the calls it is made of. The status goes validating -> in_progress -> finalizing -> completed (or failed,
cancelling -> cancelled, expired); `pace` seconds spread that over time so that polling code has something to
poll, and 0 runs the whole batch before `create` answers.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson
from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.core.errors import APIError, server_error
from dummy_openai_api.proxy.state.runs import cancel_runs
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.core.http import Reply, Request
from dummy_openai_api.proxy.core.offload import result
from dummy_openai_api.proxy.validation.batches import Line, input_lines

log = logging.getLogger("dummy_openai")

Route = Callable[[str], "tuple[type, dict[str, str]]"]  # a path -> its handler class and path arguments
Answer = Callable[[Line], "Any"]  # a line -> awaitable (status, request id, body)
TERMINAL = ("completed", "failed", "expired", "cancelled")
# Lines answered at once: an upstream (record modes) or simulated latency is waited on 8 lines at a time,
# as the real Batch API works on many requests at once; files keep the input's order.
CONCURRENT_LINES = 8
EXPIRED_LINE = {"code": "batch_expired",
                "message": "This request could not be executed before the completion window expired."}


def batch_not_found(batch_id: str) -> APIError:
    return APIError(404, f"Batch with id '{batch_id}' not found.", code="batch_not_found")


@dataclass
class Job:
    object: dict[str, Any]
    input: bytes
    answer: Answer
    deadline: float  # when the completion window ends (time.time())
    output_seconds: int | None = None  # `output_expires_after.seconds`: how long the output files live
    outputs: list[bytes] = field(default_factory=list)
    errors: list[bytes] = field(default_factory=list)
    task: asyncio.Future | None = None

    def release(self) -> None:
        """Drop what only the run needed: a finished batch keeps its object alone."""
        self.outputs, self.errors, self.input = [], [], b""


class BatchStore:
    """The batches, newest last, at most `limit` of them (the oldest finished ones go first)."""

    def __init__(self, files: FileStore, pace: float = 0.0, window: float = 86400.0, limit: int = 1000) -> None:
        self.files = files
        self.pace = pace
        self.window = window
        self.limit = limit
        self.jobs: OrderedDict[str, Job] = OrderedDict()

    def reset(self) -> None:
        cancel_runs(self.jobs.values())
        self.jobs.clear()

    def create(self, body: dict[str, Any], answer: Answer) -> Job:
        source = self.files.get(body["input_file_id"])
        if source["purpose"] != "batch":
            raise APIError(400, f"The input file {source['id']} must be uploaded with purpose 'batch', not "
                                f"'{source['purpose']}'.", param="input_file_id")
        self._make_room()
        now = int(time.time())
        entry = {"id": "batch_" + secrets.token_hex(16), "object": "batch", "endpoint": body["endpoint"],
                 "model": None, "errors": None, "input_file_id": source["id"],
                 "completion_window": body["completion_window"], "status": "validating", "output_file_id": None,
                 "error_file_id": None, "created_at": now, "in_progress_at": None,
                 "expires_at": now + int(self.window), "finalizing_at": None, "completed_at": None,
                 "failed_at": None, "expired_at": None, "cancelling_at": None, "cancelled_at": None,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0}, "metadata": body.get("metadata"),
                 "usage": None}
        job = Job(entry, self.files.content(source["id"]), answer, time.time() + self.window,
                  (body.get("output_expires_after") or {}).get("seconds"))
        self.jobs[entry["id"]] = job
        return job

    def objects(self) -> list[dict[str, Any]]:
        """Every batch object, oldest first."""
        return [job.object for job in self.jobs.values()]

    def get(self, batch_id: str) -> dict[str, Any]:
        job = self.jobs.get(batch_id)
        if job is None:
            raise batch_not_found(batch_id)
        return job.object

    def cancel(self, batch_id: str) -> dict[str, Any]:
        entry = self.get(batch_id)
        if entry["status"] in TERMINAL or entry["status"] == "finalizing":
            raise APIError(400, f"Cannot cancel a batch with status '{entry['status']}'.")
        if entry["status"] != "cancelling":
            entry.update(status="cancelling", cancelling_at=int(time.time()))
        return entry

    def _make_room(self) -> None:
        while len(self.jobs) >= self.limit:
            finished = next((k for k, j in self.jobs.items() if j.object["status"] in TERMINAL), None)
            if finished is None:
                raise APIError(429, f"Too many batches in progress (at most {self.limit}).",
                               type="rate_limit_error", code="batch_limit_reached")
            del self.jobs[finished]

    # The run ------------------------------------------------------------------------------------------------

    async def run(self, job: Job) -> None:
        """The whole run; a failure of this server's own (output beyond the files' budget) fails the batch."""
        try:
            await self._run(job)
        except Exception as exc:  # noqa: BLE001 - the batch must end in a status, whatever went wrong
            if not isinstance(exc, APIError):
                log.error("error running batch %s", job.object["id"], exc_info=exc)
            message = exc.message if isinstance(exc, APIError) else "The batch failed because of a server error."
            job.object.update(status="failed", failed_at=int(time.time()), errors={
                "object": "list", "data": [{"code": "server_error", "line": None, "message": message,
                                            "param": None}]})
            job.release()

    async def _run(self, job: Job) -> None:
        entry = job.object
        lines, errors = input_lines(job.input, entry["endpoint"])
        await self._wait(job, 1 / 3)
        if entry["status"] == "cancelling":
            return self._finish(job, "cancelled")
        if errors:
            entry.update(status="failed", failed_at=int(time.time()), errors={"object": "list", "data": errors})
            return job.release()
        entry.update(status="in_progress", in_progress_at=int(time.time()))
        entry["request_counts"]["total"] = len(lines)
        step = 1 / 3 / len(lines)
        for start in range(0, len(lines), CONCURRENT_LINES):
            if entry["status"] == "cancelling":
                return self._finish(job, "cancelled")
            if time.time() >= job.deadline:
                job.errors.extend(_line(line, None, EXPIRED_LINE) for line in lines[start:])
                return self._finish(job, "expired")
            group = lines[start:start + CONCURRENT_LINES]
            for line, answer in zip(group, await asyncio.gather(*(job.answer(line) for line in group)), strict=True):
                self._note(job, line, *answer)
            await self._wait(job, step * len(group))
            await asyncio.sleep(0)  # synthetic answers never wait: let other requests in between groups
        entry.update(status="finalizing", finalizing_at=int(time.time()))
        await self._wait(job, 1 / 3)
        self._finish(job, "completed")

    def _note(self, job: Job, line: Line, status: int, request_id: str, body: Any) -> None:
        """One answered line: into the output file if it succeeded, else into the error file."""
        response = {"status_code": status, "request_id": request_id, "body": body}
        counts = job.object["request_counts"]
        if 200 <= status < 300:
            counts["completed"] += 1
            job.outputs.append(_line(line, response, None))
            job.object["model"] = job.object["model"] or body.get("model")
            job.object["usage"] = add_usage(job.object["usage"], body.get("usage"))
        else:
            counts["failed"] += 1
            job.errors.append(_line(line, response, None))

    def _finish(self, job: Job, status: str) -> None:
        entry = job.object
        batch_id = entry["id"]
        if job.outputs:
            entry["output_file_id"] = self.files.add(f"{batch_id}_output.jsonl", "batch_output",
                                                     b"".join(job.outputs), job.output_seconds)["id"]
        if job.errors:
            entry["error_file_id"] = self.files.add(f"{batch_id}_error.jsonl", "batch_output",
                                                    b"".join(job.errors), job.output_seconds)["id"]
        job.release()
        entry.update({"status": status, f"{status}_at": int(time.time())})

    async def _wait(self, job: Job, share: float) -> None:
        """`share` of the pace, cut short by a cancel (checked every 50 ms: no event per batch to manage)."""
        end = time.monotonic() + self.pace * share
        while self.pace > 0 and job.object["status"] != "cancelling":
            left = end - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.05))


def _line(line: Line, response: dict[str, Any] | None, error: dict[str, Any] | None) -> bytes:
    """One line of an output or error file, as the Batch API writes them."""
    return orjson.dumps({"id": "batch_req_" + secrets.token_hex(16), "custom_id": line.custom_id,
                         "response": response, "error": error}) + b"\n"


def add_usage(total: dict[str, Any] | None, usage: Any) -> dict[str, Any] | None:
    """The batch's usage: chat (`prompt_tokens`) and Responses (`input_tokens`) usage added up alike."""
    if not isinstance(usage, dict):
        return total
    total = total or {"input_tokens": 0, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0,
                      "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 0}
    inputs = usage.get("input_tokens", usage.get("prompt_tokens")) or 0
    outputs = usage.get("output_tokens", usage.get("completion_tokens")) or 0
    details_in = usage.get("input_tokens_details") or usage.get("prompt_tokens_details") or {}
    details_out = usage.get("output_tokens_details") or usage.get("completion_tokens_details") or {}
    total["input_tokens"] += inputs
    total["output_tokens"] += outputs
    total["total_tokens"] += usage.get("total_tokens") or inputs + outputs
    total["input_tokens_details"]["cached_tokens"] += details_in.get("cached_tokens") or 0
    total["output_tokens_details"]["reasoning_tokens"] += details_out.get("reasoning_tokens") or 0
    return total


async def dispatch(services: Any, route: Route, origin: Request, line: Line) -> tuple[int, str, Any]:
    """Answer one line as its endpoint answers a direct request: (status, request id, JSON body)."""
    headers = HTTPHeaders({"Content-Type": "application/json"})
    for name in ("Authorization", "api-key", "OpenAI-Organization", "OpenAI-Project"):
        if name in origin.headers:
            headers[name] = origin.headers[name]
    request = Request("POST", line.url, headers, orjson.dumps(line.body), origin.remote_ip)
    request.cassette = origin.cassette  # a batch under X-Cassette replays and records its lines there
    request_id = request.context["request_id"] = "req_" + secrets.token_hex(16)
    request.context["api"] = True
    services.journal.open(request)  # in the journal like a direct request, so tests can see what a batch asked
    reply = await _reply(services, route, request)
    services.journal.close(request, reply.status, reply.source)
    if reply.stream is not None:
        await _close(reply.stream)
        reply = Reply.error(APIError(400, "Streaming is not supported in the Batch API.", param="stream"))
    try:
        body = orjson.loads(reply.body) if reply.body else None
    except orjson.JSONDecodeError:
        body = reply.body.decode("utf-8", "replace")
    return reply.status, reply.headers.get("x-request-id") or request_id, body


async def _reply(services: Any, route: Route, request: Request) -> Reply:
    handler_class, request.path_args = route(request.path)
    try:
        return await result(handler_class(services, request).answer_line())
    except APIError as error:
        return Reply.error(error)
    except Exception as exc:  # noqa: BLE001 - one line's bug must not stop the batch
        log.error("error answering a batch line for %s", request.path, exc_info=exc)
        return Reply.error(server_error(request.context["request_id"]))


async def _close(stream: Any) -> None:
    closer = getattr(stream, "aclose", None)
    if closer is not None:
        await closer()
