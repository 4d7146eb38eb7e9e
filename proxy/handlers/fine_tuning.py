"""/v1/fine_tuning/jobs: create, list, retrieve, cancel, pause, resume, events and checkpoints.

Jobs are this server's own state in every mode, like the files they read (proxy.state.fine_tuning).
"""
from __future__ import annotations

from dummy_openai_api.generators.graders.run import NotRun, run
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.state.checkpoint_permissions import CheckpointPermissions
from dummy_openai_api.proxy.state.fine_tuning import FineTuningStore, Job
from dummy_openai_api.proxy.state import runs
from dummy_openai_api.proxy.state.shared.cache import settled
from dummy_openai_api.proxy.validation import fine_tuning as checks


class JobHandler(Handler):
    @property
    def jobs(self) -> FineTuningStore:
        return self.services.fine_tuning

    @property
    def job_id(self) -> str:
        return self.request.path_args["job_id"]


class FineTuningJobs(JobHandler):
    """/v1/fine_tuning/jobs"""

    def post(self) -> Outcome:
        """Created here (on a round-trip thread when that waits on Redis: proxy.core.offload); run on the loop."""
        job = self.jobs.create(checks.create_body(self.body()))
        return self._started(job, Reply.json(job.object))  # as created: `validating_files`, whatever comes next

    async def _started(self, job: Job, answered: Reply) -> Reply:
        await runs.start(job, self.jobs.run(job), self.jobs.pace > 0)
        if self.jobs.settles and self.jobs.pace <= 0:  # the model it made: known to every process by the answer
            return await settled(answered)
        return answered

    def get(self) -> Reply:
        return Reply.json(self.jobs.page(checks.list_query(self.request.query)))


class FineTuningJob(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}"""

    def get(self) -> Reply:
        return Reply.json(self.jobs.get(self.job_id).object)


class FineTuningCancel(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}/cancel"""

    def post(self) -> Reply:
        return Reply.json(self.jobs.cancel(self.job_id))


class FineTuningPause(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}/pause"""

    def post(self) -> Reply:
        return Reply.json(self.jobs.pause(self.job_id))


class FineTuningResume(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}/resume"""

    def post(self) -> Reply:
        return Reply.json(self.jobs.resume(self.job_id))


class FineTuningEvents(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}/events: newest first."""

    def get(self) -> Reply:
        return Reply.json(self.jobs.events(self.job_id, checks.list_query(self.request.query)))


class FineTuningCheckpoints(JobHandler):
    """/v1/fine_tuning/jobs/{job_id}/checkpoints: newest first."""

    def get(self) -> Reply:
        return Reply.json(self.jobs.checkpoints(self.job_id, checks.list_query(self.request.query, 10)))


class PermissionHandler(Handler):
    @property
    def permissions(self) -> CheckpointPermissions:
        return self.services.checkpoint_permissions

    @property
    def checkpoint(self) -> str:
        return self.request.path_args["checkpoint"]


class CheckpointPermissionList(PermissionHandler):
    """/v1/fine_tuning/checkpoints/{checkpoint}/permissions"""

    def post(self) -> Reply:
        return Reply.json(self.permissions.create(self.checkpoint, checks.permission_body(self.body())))

    def get(self) -> Reply:
        return Reply.json(self.permissions.page(self.checkpoint, checks.permission_query(self.request.query)))


class CheckpointPermission(PermissionHandler):
    """/v1/fine_tuning/checkpoints/{checkpoint}/permissions/{permission_id}"""

    def delete(self) -> Reply:
        return Reply.json(self.permissions.delete(self.checkpoint, self.request.path_args["permission_id"]))


class GraderValidate(Handler):
    """/v1/fine_tuning/alpha/graders/validate: the grader, when it is well formed."""

    def post(self) -> Reply:
        return Reply.json({"grader": checks.grader(self.body().get("grader"), "grader")})


class GraderRun(Handler):
    """/v1/fine_tuning/alpha/graders/run: the grader's reward for one model sample."""

    def post(self) -> Reply:
        grader, sample, item = checks.grader_run_body(self.body())
        try:
            return Reply.json(run(grader, sample, item))
        except NotRun as refused:
            raise APIError(400, str(refused), param="grader.type", code="unsupported_value") from None
