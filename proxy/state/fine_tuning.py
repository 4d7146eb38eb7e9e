"""Fine-tuning jobs: their objects, events and checkpoints, and the runner that takes a job to its end.

The status goes validating_files -> queued -> running -> succeeded (or failed, cancelled); `pace` seconds
spread that over time so that polling code has something to poll, and 0 runs the whole job before `create`
answers. A job that succeeds leaves a `step_metrics.csv` in the files and an `ft:` model in the catalogue.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, MutableMapping, Protocol

from dummy_openai_api.generators.fine_tuning import training
from dummy_openai_api.generators.catalog.models import CHAT, COMPLETION, Model
from dummy_openai_api.generators.catalog.snapshots import served
from dummy_openai_api.proxy.state.runs import cancel_runs
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.validation import fine_tuning as checks

log = logging.getLogger("dummy_openai")

ORGANIZATION_ID = "org-dummyopenaiapi00000000"  # the organization that owns jobs and the models they make
ORGANIZATION_NAME = "dummy-org"  # its name, as fine-tuned model ids carry it
TERMINAL = ("succeeded", "failed", "cancelled")
SHARES = {"validating_files": 1 / 6, "queued": 1 / 6, "running": 4 / 6}  # of the pace, per phase


def job_not_found(job_id: str) -> APIError:
    return APIError(404, f"Could not find fine tune job: {job_id}", param="fine_tuning_job_id",
                    code="fine_tune_not_found")


class FineTunedModels(Protocol):
    """Where a succeeded job's model goes (pipeline.services.ModelRegistry, a layer above this one)."""

    fine_tuned: MutableMapping[str, Model]

    def add_fine_tuned(self, model: Model, checkpoints: tuple[str, ...] = ()) -> None: ...

    def forget_fine_tuned(self) -> None: ...


@dataclass
class Job:
    object: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    checkpoints: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    task: asyncio.Future | None = None


class FineTuningStore:
    """The jobs, oldest first, at most `limit` of them (the oldest finished ones go first)."""

    settles = False  # shared (proxy.state.shared): a model made or deleted answers once every process has it

    def __init__(self, files: FileStore, models: FineTunedModels, pace: float = 0.0, limit: int = 1000) -> None:
        self.files = files
        self.models = models
        self.pace = pace
        self.limit = limit
        self.jobs: OrderedDict[str, Job] = OrderedDict()

    def reset(self) -> None:
        cancel_runs(self.jobs.values())
        self.jobs.clear()
        self.models.forget_fine_tuned()

    def create(self, body: dict[str, Any]) -> Job:
        checks.method_allowed(self._model(body["model"]), body["method"]["type"])
        for name in ("training_file", "validation_file"):
            if body.get(name) is not None:
                self._training_file(body[name], name)
        job = Job(job_object(body))
        files = f"training file: {body['training_file']}"
        if body.get("validation_file"):
            files += f" and validation file: {body['validation_file']}"
        job.events += [training.event(f"Created fine-tuning job: {job.object['id']}"),
                       training.event(f"Validating {files}")]
        self._add(job)
        return job

    def _add(self, job: Job) -> None:
        self._make_room()
        self.jobs[job.object["id"]] = job

    def _change(self, job: Job, change: Callable[[Job], None]) -> None:
        """Every change to a job goes here (a shared store makes it on the backend, atomically)."""
        change(job)

    async def _status_now(self, job: Job) -> str:
        """`_status` for the run, which looks at it every 50 ms (a shared store reads it off the event loop)."""
        return self._status(job)

    def _status(self, job: Job) -> str:
        """The job's status now: a cancel or pause may come from another request (or process)."""
        return job.object["status"]  # type: ignore[no-any-return]

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise job_not_found(job_id)
        return job

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        wanted = args.get("metadata") or {}
        items = [j.object for j in self.jobs.values()
                 if all((j.object["metadata"] or {}).get(k) == v for k, v in wanted.items())]
        return paged(items, args, job_not_found)

    def knows_checkpoint(self, name: str) -> bool:
        """A fine-tuned model or checkpoint that one of the jobs made (and that was not deleted since)."""
        return name in self.models.fine_tuned or any(
            c["fine_tuned_model_checkpoint"] == name for j in self.jobs.values() for c in j.checkpoints)

    def events(self, job_id: str, args: dict[str, Any]) -> dict[str, Any]:
        return _list(self.get(job_id).events, args, "event")

    def checkpoints(self, job_id: str, args: dict[str, Any]) -> dict[str, Any]:
        return _list(self.get(job_id).checkpoints, args, "checkpoint")

    def cancel(self, job_id: str) -> dict[str, Any]:
        return self._move(job_id, "cancel", (*SHARES, "paused"), "cancelled", "Fine-tuning job cancelled")

    def pause(self, job_id: str) -> dict[str, Any]:
        return self._move(job_id, "pause", ("running",), "paused", "Fine-tuning job paused")

    def resume(self, job_id: str) -> dict[str, Any]:
        return self._move(job_id, "resume", ("paused",), "running", "Fine-tuning job resumed")

    def _move(self, job_id: str, action: str, allowed: tuple[str, ...], status: str, message: str
              ) -> dict[str, Any]:
        """`action` takes the job from one of the `allowed` statuses to `status`; refused from any other."""
        job = self.get(job_id)

        def change(job: Job) -> None:
            now = job.object["status"]
            if now not in allowed:
                raise APIError(400, f"Cannot {action} a fine-tuning job with status '{now}'.",
                               param="fine_tuning_job_id")
            job.object["status"] = status
            if status == "cancelled":
                job.object["estimated_finish"] = None
            job.events.append(training.event(message))
        self._change(job, change)
        return job.object

    def _model(self, model_id: str) -> str:
        """The model to train: a fine-tunable snapshot or alias, or a fine-tune of this organization's."""
        if model_id.startswith("ft:") and self.models.fine_tuned.get(model_id) is None:
            raise checks.not_available(model_id)
        return model_id

    def _training_file(self, file_id: str, param: str) -> None:
        try:
            purpose = self.files.get(file_id)["purpose"]  # through the store's interface: it may be shared
        except APIError:
            raise APIError(400, f"invalid {param}: {file_id}", param=param) from None
        if purpose != "fine-tune":
            raise APIError(400, f"invalid {param}: {file_id} was uploaded with purpose "
                                f"'{purpose}'; fine-tuning reads files of purpose 'fine-tune'.", param=param)

    def _make_room(self) -> None:
        while len(self.jobs) >= self.limit:
            finished = next((k for k, j in self.jobs.items() if j.object["status"] in TERMINAL), None)
            if finished is None:
                raise APIError(429, f"Too many fine-tuning jobs in progress (at most {self.limit}).",
                               type="rate_limit_error", code="rate_limit_exceeded")
            del self.jobs[finished]

    def _event(self, job: Job, message: str, level: str = "info", kind: str = "message",
               data: dict[str, Any] | None = None) -> None:
        self._change(job, lambda job: job.events.append(training.event(message, level, kind, data)))

    # The run -------------------------------------------------------------------------------------------------

    async def run(self, job: Job) -> None:
        """The whole run; a bug of this server's fails the job rather than leaving it running forever."""
        try:
            await self._run(job)
        except Exception as exc:  # noqa: BLE001 - the job must end in a status, whatever went wrong
            log.error("error running fine-tuning job %s", job.object["id"], exc_info=exc)
            self._change(job, lambda job: job.object.update(status="failed", finished_at=int(time.time()), error={
                "code": "server_error", "message": "The job failed because of a server error.", "param": None}))

    async def _run(self, job: Job) -> None:
        entry = job.object
        method = entry["method"]["type"]
        try:  # on a worker thread: reading a file of many megabytes would hold the event loop for seconds
            found = await asyncio.to_thread(self._examples, entry, method)
        except checks.InvalidFile as problem:
            return self._fail(job, *problem.args)
        if not await self._wait(job, "validating_files"):
            return
        self._phase(job, "queued", "Files validated, moving job to queued state")
        if not await self._wait(job, "queued"):
            return
        self._phase(job, "running", "Fine-tuning job started")
        asked = entry["method"][method]["hyperparameters"]
        settings = training.resolved(method, asked, found.count)
        steps = training.curve(entry["seed"], training.total_steps(found.count, settings),
                               entry["validation_file"] is not None)
        finish = int(time.time() + self.pace * SHARES["running"])
        self._change(job, lambda job: _show(job.object, method, settings, finish))
        model = training.model_name(checks.base_snapshot(entry["model"]), ORGANIZATION_NAME,
                                    entry["user_provided_suffix"])
        if not await self._train(job, steps, set(training.checkpoint_steps(found.count, settings)), model):
            return
        self._succeed(job, model, found.tokens * settings["n_epochs"], steps)

    def _examples(self, entry: dict[str, Any], method: str) -> checks.Examples:
        """The training file's examples; the validation file is checked the same way."""
        if entry["validation_file"] is not None:
            self._file_examples(entry, "validation_file", method)
        return self._file_examples(entry, "training_file", method)

    def _file_examples(self, entry: dict[str, Any], name: str, method: str) -> checks.Examples:
        try:
            least = checks.MIN_EXAMPLES if name == "training_file" else 1
            return checks.examples(self.files.content(entry[name]), method, entry["model"], least)
        except APIError:  # deleted since the job was created
            raise checks.InvalidFile(f"The file {entry[name]} no longer exists.", name) from None
        except checks.InvalidFile as problem:
            raise checks.InvalidFile(problem.args[0], name) from None

    async def _train(self, job: Job, steps: list[training.Step], saved: set[int], model: str) -> bool:
        """The steps, their metrics events and checkpoints; False when the job was cancelled on the way."""
        reported = {s.number for s in training.reported(steps)}
        for step in steps:
            if step.number in reported:
                self._metrics(job, step, len(steps))
            if step.number in saved:
                self._checkpoint(job, step, f"{model}:ckpt-step-{step.number}")
            if not await self._wait(job, "running", 1 / len(steps)):
                return False
        return True

    def _metrics(self, job: Job, step: training.Step, total: int) -> None:
        self._event(job, f"Step {step.number}/{total}: training loss={step.train_loss:.2f}", kind="metrics",
                    data=training.step_data(step, total))

    def _checkpoint(self, job: Job, step: training.Step, name: str) -> None:
        def change(job: Job) -> None:
            job.checkpoints.append(training.checkpoint(job.object["id"], step, name))
            job.events.append(training.event(f"Checkpoint created at step {step.number} with Snapshot ID: {name}"))
        self._change(job, change)

    def _succeed(self, job: Job, model: str, trained: int, steps: list[training.Step]) -> None:
        entry = job.object
        results = self.files.add("step_metrics.csv", "fine-tune-results", training.results_csv(steps))
        kind = COMPLETION if entry["model"] in checks.PROMPT_COMPLETION else CHAT
        self.models.add_fine_tuned(Model(model, kind, int(time.time()), ORGANIZATION_ID),
                                   tuple(c["fine_tuned_model_checkpoint"] for c in job.checkpoints))

        def change(job: Job) -> None:
            job.events += [training.event(message) for message in (
                "New fine-tuned model created", "Evaluating model against our usage policies",
                "Usage policy evaluations completed, model is now enabled for sampling",
                "The job has successfully completed")]
            job.object.update(status="succeeded", fine_tuned_model=model, trained_tokens=trained,
                              finished_at=int(time.time()), result_files=[results["id"]], estimated_finish=None)
        self._change(job, change)

    def _fail(self, job: Job, message: str, param: str) -> None:
        code = "invalid_training_file" if param == "training_file" else "invalid_validation_file"
        message = f"The job failed due to an invalid {param.replace('_', ' ')}. {message}"

        def change(job: Job) -> None:
            job.object.update(status="failed", finished_at=int(time.time()),
                              error={"code": code, "message": message, "param": param})
            job.events.append(training.event(message, "error"))
        self._change(job, change)

    def _phase(self, job: Job, status: str, message: str) -> None:
        def change(job: Job) -> None:
            job.object["status"] = status
            job.events.append(training.event(message))
        self._change(job, change)

    async def _wait(self, job: Job, phase: str, part: float = 1.0) -> bool:
        """`part` of the phase's share of the pace, not counting time paused; False once the job is cancelled.
        The status is looked at every 50 ms: no event per job to manage. At pace 0 the run is over before `create`
        answers, with no wait between two steps."""
        if self.pace <= 0:
            return self._status(job) != "cancelled"
        end = time.monotonic() + self.pace * SHARES[phase] * part
        while (status := await self._status_now(job)) != "cancelled":
            if status == "paused":
                paused = time.monotonic()
                await asyncio.sleep(0.05)
                end += time.monotonic() - paused
                continue
            left = end - time.monotonic()
            if left <= 0:
                return True
            await asyncio.sleep(min(left, 0.05))
        return False


def job_object(body: dict[str, Any]) -> dict[str, Any]:
    """A new job as the API shows it: the hyperparameters as asked until the run resolves them."""
    kind = body["method"]["type"]
    asked = (body["method"][kind] or {}).get("hyperparameters") or {}
    job_id = training.object_id("ftjob-")
    seed = body.get("seed")
    return {"object": "fine_tuning.job", "id": job_id, "model": served(body["model"]),
            "created_at": int(time.time()), "error": None, "fine_tuned_model": None, "finished_at": None,
            "hyperparameters": dict(asked) if kind == "supervised" else {}, "organization_id": ORGANIZATION_ID,
            "result_files": [], "seed": int.from_bytes(job_id.encode()[-4:], "big") % 2**31 if seed is None else seed,
            "status": "validating_files", "trained_tokens": None, "training_file": body["training_file"],
            "validation_file": body.get("validation_file"), "estimated_finish": None,
            "integrations": body.get("integrations") or [], "metadata": body.get("metadata"),
            "method": {"type": kind, kind: {**body["method"][kind], "hyperparameters": dict(asked)}},
            "user_provided_suffix": body.get("suffix")}


def _show(entry: dict[str, Any], method: str, settings: dict[str, Any], finish: int) -> None:
    """The hyperparameters the run uses, where the job shows them (top level: supervised only)."""
    entry["method"][method]["hyperparameters"] = settings
    if method == "supervised":
        entry["hyperparameters"] = {k: settings[k] for k in ("batch_size", "learning_rate_multiplier", "n_epochs")}
    entry["estimated_finish"] = finish


def _list(items: list[dict[str, Any]], args: dict[str, Any], what: str) -> dict[str, Any]:
    return paged(items, args, lambda item_id: APIError(404, f"No {what} found with id '{item_id}'.", param="after"))
