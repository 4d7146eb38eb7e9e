"""The run of a paced job (a batch, a fine-tuning job): in the background when its store is paced, else over
before the create call answers (at pace 0 the job is finished when the client first looks)."""
from __future__ import annotations

import asyncio
from typing import Any, Coroutine, Iterable, Protocol

from dummy_openai_api.proxy.core.offload import soon


class Running(Protocol):
    task: asyncio.Future | None


async def start(job: Running, run: Coroutine[Any, Any, Any], paced: bool) -> None:
    if paced:
        job.task = asyncio.ensure_future(run)
    else:
        await run


def cancel_runs(jobs: Iterable[Running]) -> None:
    """Cancel each run on the event loop (a reset may be made on a round-trip thread: proxy.core.offload)."""
    for job in jobs:
        if job.task is not None:
            soon(job.task.cancel)
