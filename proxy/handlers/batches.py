"""/v1/batches: create, list, retrieve and cancel; the runner lives in proxy.state.batches.

Batches are this server's own state in every mode, like the files they read; each line is answered through
the answer pipeline (a cassette, the upstream in record modes, a generator), as a direct request would be.
"""
from __future__ import annotations

from typing import Any

from dummy_openai_api.proxy.state.batches import BatchStore, Job, batch_not_found, dispatch
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.state import runs
from dummy_openai_api.proxy.validation import batches as checks
from dummy_openai_api.proxy.validation.batches import Line


class BatchHandler(Handler):
    @property
    def batches(self) -> BatchStore:
        return self.services.batches


class Batches(BatchHandler):
    """/v1/batches"""

    def post(self) -> Outcome:
        """Created here (on a round-trip thread when that waits on Redis: proxy.core.offload); run on the loop."""
        body = checks.create_body(self.body())
        job = self.batches.create(body, self._answer)
        return self._started(job, Reply.json(job.object))  # as created: `validating`, whatever the run does next

    async def _started(self, job: Job, answered: Reply) -> Reply:
        await runs.start(job, self.batches.run(job), self.batches.pace > 0)
        return answered

    def get(self) -> Reply:
        args = checks.list_query(self.request.query)
        return Reply.json(paged(self.batches.objects(), args, batch_not_found))

    async def _answer(self, line: Line) -> tuple[int, str, Any]:
        assert self.services.route is not None, "set by the application"
        return await dispatch(self.services, self.services.route, self.request, line)


class BatchEntry(BatchHandler):
    """/v1/batches/{batch_id}"""

    def get(self) -> Reply:
        return Reply.json(self.batches.get(self.request.path_args["batch_id"]))


class BatchCancel(BatchHandler):
    """/v1/batches/{batch_id}/cancel"""

    def post(self) -> Reply:
        return Reply.json(self.batches.cancel(self.request.path_args["batch_id"]))
