"""Fine-tuning jobs on a shared backend: each job (object, events, checkpoints) in the `fine_tuning_jobs`
table, so every process lists, retrieves, pauses, resumes and cancels it, and reads its events and checkpoints.

The run stays a task of the process that created the job: it writes each step (an event, a checkpoint, a new
status) to the table in one atomic change, and reads the status there while it waits, so a pause or cancel made
on any process holds it. Every process reads the same record: the status is the same everywhere. The models
jobs make are shared too (`SharedModels`): `/v1/models` and chat know them on every process.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, MutableMapping

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.state.checkpoint_permissions import MOST_PERMISSIONS, CheckpointPermissions
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.state.fine_tuning import (TERMINAL, FineTunedModels, FineTuningStore, Job,
                                                      job_not_found)
from dummy_openai_api.proxy.state.shared.backend import Backend, off_loop
from dummy_openai_api.proxy.state.shared.cache import Generations
from dummy_openai_api.proxy.state.shared.table import Table

KNOWN = ""  # the one entry of a `SharedModels` cache: every model
MOST_CHECKPOINTS = 10_000  # fine-tuned models' checkpoints kept usable (a job makes up to three)


class SharedFineTuningStore(FineTuningStore):
    """`jobs` holds the runs of this process only (a reset cancels them); the jobs are in the table."""

    settles = True

    def __init__(self, backend: Backend, files: FileStore, models: FineTunedModels, pace: float = 0.0,
                 limit: int = 1000) -> None:
        super().__init__(files, models, pace, limit)
        self.table = Table(backend, "fine_tuning_jobs")  # bounded by `_add`, as in memory

    def reset(self) -> None:
        super().reset()
        self.table.clear()

    def get(self, job_id: str) -> Job:
        record = self.table.get(job_id)
        if record is None:
            raise job_not_found(job_id)
        return _job(record)

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        wanted = args.get("metadata") or {}
        items = [r["object"] for r in self.table.values()
                 if all((r["object"]["metadata"] or {}).get(k) == v for k, v in wanted.items())]
        return paged(items, args, job_not_found)

    def knows_checkpoint(self, name: str) -> bool:
        return name in self.models.fine_tuned or any(
            c["fine_tuned_model_checkpoint"] == name for r in self.table.values() for c in r["checkpoints"])

    async def run(self, job: Job) -> None:
        try:
            await super().run(job)
        finally:
            self.jobs.pop(job.object["id"], None)
            if self.pace <= 0:  # the run's steps, written once
                await off_loop(self.table.backend, lambda: self.table.update(
                    job.object["id"], lambda old: None if old is None else _record(job)))

    def _add(self, job: Job) -> None:
        """At most `limit` jobs: the oldest finished one goes first; refused when none has finished."""
        records = self.table.values()
        if len(records) >= self.limit:
            finished = next((r for r in records if r["object"]["status"] in TERMINAL), None)
            if finished is None:
                raise APIError(429, f"Too many fine-tuning jobs in progress (at most {self.limit}).",
                               type="rate_limit_error", code="rate_limit_exceeded")
            self.table.delete(finished["object"]["id"])
        self.table.put(job.object["id"], _record(job))
        self.jobs[job.object["id"]] = job

    def _change(self, job: Job, change: Callable[[Job], None]) -> None:
        """`change` made to the stored job in one step, and `job` brought up to date. A job that has ended (a
        cancel from another process between two steps of the run) takes no further change; a job gone (a reset)
        none at all. At pace 0 the run is over before `create` answers: its steps are written once, at the end."""
        if self.pace <= 0 and job is self.jobs.get(job.object["id"]):
            return change(job)
        refused: list[APIError] = []

        def on_record(record: dict[str, Any] | None) -> dict[str, Any] | None:
            refused.clear()  # a backend may run this again when another process changed the job meanwhile
            if record is None:
                return None
            stored = _job(record)
            ended = stored.object["status"] in TERMINAL
            try:
                change(stored)
            except APIError as error:
                refused.append(error)
                return None
            return None if ended else _record(stored)
        record = self.table.update(job.object["id"], on_record)
        if refused:
            raise refused[0]
        if record is not None:
            job.object, job.events, job.checkpoints = record["object"], record["events"], record["checkpoints"]

    async def _status_now(self, job: Job) -> str:
        return await off_loop(self.table.backend, lambda: self._status(job))

    def _status(self, job: Job) -> str:
        if self.pace <= 0 and job is self.jobs.get(job.object["id"]):
            return job.object["status"]  # type: ignore[no-any-return]  # the run keeps its steps until its end
        record = self.table.get(job.object["id"])
        return "cancelled" if record is None else record["object"]["status"]  # type: ignore[no-any-return]


def _record(job: Job) -> dict[str, Any]:
    return {"object": job.object, "events": job.events, "checkpoints": job.checkpoints}


def _job(record: dict[str, Any]) -> Job:
    return Job(record["object"], record["events"], record["checkpoints"])


class SharedModels(MutableMapping[str, Model]):
    """Fine-tuned models (or their checkpoints) by id, in a table: what `ModelRegistry` keeps in a dict. Each
    process keeps them all after one read (`/v1/models` and model lookups make no round trip), read again once any
    process changed one: a change bumps the `objects` counter (proxy.state.shared.cache)."""

    def __init__(self, table: Table, generations: Generations) -> None:
        self.table = table
        self.generations = generations
        self.kept = generations.cache()  # KNOWN -> {id: model}, as last read

    def _known(self) -> dict[str, Model]:
        known: dict[str, Model] | None = self.kept.get(KNOWN)
        if known is None:
            seen = self.generations.seen
            known = {entry["id"]: Model(**entry) for entry in self.table.values()}
            self.kept[KNOWN] = known
            if self.generations.seen != seen:  # a change came in during the read (on a thread): read again
                self.kept.pop(KNOWN, None)
        return known

    def __getitem__(self, model_id: str) -> Model:
        return self._known()[model_id]

    def __setitem__(self, model_id: str, model: Model) -> None:
        self.table.put(model_id, {"id": model.id, "kind": model.kind, "created": model.created,
                                  "owned_by": model.owned_by})
        self.generations.changed()

    def __delitem__(self, model_id: str) -> None:
        if not self.table.delete(model_id):
            raise KeyError(model_id)
        self.generations.changed()

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._known()))

    def __len__(self) -> int:
        return len(self._known())

    def __contains__(self, model_id: object) -> bool:
        return isinstance(model_id, str) and model_id in self._known()

    def clear(self) -> None:
        self.table.clear()
        self.generations.changed()


class SharedCheckpointPermissions(CheckpointPermissions):
    """Permissions in the `checkpoint_permissions` table, by id: `{checkpoint, permission}`, oldest first."""

    def __init__(self, backend: Backend, known: Callable[[str], bool], limit: int = MOST_PERMISSIONS) -> None:
        super().__init__(known, limit)
        self.table = Table(backend, "checkpoint_permissions")  # bounded by `create`, as in memory

    def reset(self) -> None:
        self.table.clear()

    def _permissions(self, checkpoint: str) -> list[dict[str, Any]]:
        super()._permissions(checkpoint)
        return [r["permission"] for r in self.table.values() if r["checkpoint"] == checkpoint]

    def _count(self) -> int:
        return len(self.table.values())

    def _keep(self, checkpoint: str, permission: dict[str, Any]) -> None:
        self.table.put(permission["id"], {"checkpoint": checkpoint, "permission": permission})

    def _remove(self, checkpoint: str, permission_id: str) -> bool:
        record = self.table.get(permission_id)
        return record is not None and record["checkpoint"] == checkpoint and self.table.delete(permission_id)
