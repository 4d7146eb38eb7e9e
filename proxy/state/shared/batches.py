"""Batches on a shared backend: each batch object in the `batches` table, so any process lists, retrieves and
cancels it; the run stays a task of the process that created it, which writes its progress after each group of
lines and reads a cancel (made anywhere) while it waits.
"""
from __future__ import annotations

import time
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.batches import TERMINAL, Answer, BatchStore, Job, batch_not_found
from dummy_openai_api.proxy.state.file_store import FileStore
from dummy_openai_api.proxy.state.shared.backend import Backend, off_loop
from dummy_openai_api.proxy.state.shared.table import Table


class SharedBatchStore(BatchStore):
    def __init__(self, backend: Backend, files: FileStore, pace: float = 0.0, window: float = 86400.0,
                 limit: int = 1000) -> None:
        super().__init__(files, pace, window, limit)
        self.table = Table(backend, "batches", limit)

    def reset(self) -> None:
        super().reset()
        self.table.clear()

    def create(self, body: dict[str, Any], answer: Answer) -> Job:
        job = super().create(body, answer)
        self.table.put(job.object["id"], job.object)
        return job

    def objects(self) -> list[dict[str, Any]]:
        return self.table.values()

    def get(self, batch_id: str) -> dict[str, Any]:
        entry = self.table.get(batch_id)
        if entry is None:
            raise batch_not_found(batch_id)
        return entry  # type: ignore[no-any-return]

    def cancel(self, batch_id: str) -> dict[str, Any]:
        refused: list[APIError] = []

        def change(entry: dict[str, Any] | None) -> dict[str, Any] | None:
            if entry is None:
                refused.append(batch_not_found(batch_id))
            elif entry["status"] in TERMINAL or entry["status"] == "finalizing":
                refused.append(APIError(400, f"Cannot cancel a batch with status '{entry['status']}'."))
            elif entry["status"] != "cancelling":
                entry.update(status="cancelling", cancelling_at=int(time.time()))
                return entry
            return None
        self.table.update(batch_id, change)
        if refused:
            raise refused[0]
        return self.get(batch_id)

    async def run(self, job: Job) -> None:
        await super().run(job)
        await off_loop(self.table.backend, lambda: self._push(job))

    async def _wait(self, job: Job, share: float) -> None:
        await off_loop(self.table.backend, lambda: self._push(job))
        end = time.monotonic() + self.pace * share
        while True:
            await off_loop(self.table.backend, lambda: self._pull(job))
            if self.pace <= 0 or job.object["status"] == "cancelling" or time.monotonic() >= end:
                return
            await super()._wait(job, min(0.05, end - time.monotonic()) / self.pace)

    def _push(self, job: Job) -> None:
        """This run's progress into the table; a cancel another process wrote meanwhile is kept."""
        def change(entry: dict[str, Any] | None) -> dict[str, Any] | None:
            if entry is not None and entry["status"] == "cancelling" and job.object["status"] not in TERMINAL:
                job.object.update(status="cancelling", cancelling_at=entry["cancelling_at"])
            return job.object
        self.table.update(job.object["id"], change)

    def _pull(self, job: Job) -> None:
        entry = self.table.get(job.object["id"])
        if entry is not None and entry["status"] == "cancelling" and job.object["status"] not in TERMINAL:
            job.object.update(status="cancelling", cancelling_at=entry["cancelling_at"])
