"""The interface every shared-state backend offers, and the error a client sees when the backend fails.

Four shapes cover every store: tables of values in insertion order (stored objects, rules, rate-limit
buckets), counters, claims (a key taken once, by whichever process is first) and logs (the journal). Values
are bytes (the stores write JSON); each method is one atomic step on the backend, so processes never see a
half-made change.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Protocol, TypeVar

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.offload import round_trip, waited

Change = Callable[[bytes | None], bytes | None]  # old value (None: absent) -> new value (None: leave it)
T = TypeVar("T")

# The directory of a state file that lives as long as one run (`--workers N` without `--state`).
TEMPORARY_PREFIX = "dummy-openai-state-"


class Backend(Protocol):
    remote: bool  # each call a network round trip (else a local file's few microseconds)

    def get(self, table: str, key: str) -> bytes | None: ...
    def put(self, table: str, key: str, value: bytes, limit: int = 0) -> None:
        """Store `value` as the newest of `table`; beyond `limit` (0: no limit) the oldest go."""
    def put_many(self, table: str, values: dict[str, bytes], limit: int = 0) -> None:
        """`put` of several values in one step (one round trip)."""
    def update(self, table: str, key: str, change: Change) -> bytes | None:
        """Read, change and write one value atomically, keeping its place; returns what `change` returned."""
    def delete(self, table: str, key: str) -> bool: ...
    def values(self, table: str) -> list[bytes]:
        """Every value of `table`, oldest first."""
    def clear(self, *tables: str) -> None:
        """Empty tables, counters and logs of these names."""
    def claim(self, table: str, key: str) -> bool:
        """True for the first caller of any process, False afterwards."""
    def incr(self, table: str, key: str, by: int = 1) -> int: ...
    def counts(self, table: str) -> dict[str, int]: ...
    async def counts_on_loop(self, table: str) -> dict[str, int]:
        """`counts` for the event loop: waited for without holding it where the backend is remote."""
    def append(self, log: str, records: list[bytes], keep: int) -> None:
        """Add records at the end of `log`, each numbered (1, 2, ...; numbers never reused); keep (at least) the
        last `keep`."""
    def tail(self, log: str, keep: int) -> list[tuple[int, bytes]]:
        """The log's last `keep` records with their numbers, oldest first."""
    def close(self) -> None: ...


async def off_loop(backend: Backend, work: Callable[[], T]) -> T:
    """`work()`, which makes round trips to `backend`, for a coroutine on the event loop (a job's run): waited for
    on a round-trip thread where the backend is remote, made at once where it is a local file."""
    return await waited(work) if backend.remote else work()


def state_unavailable(reason: str) -> APIError:
    """The answer while the state store cannot be used: a 503 to retry later, as the API's overload errors."""
    return APIError(503, f"The server's shared state store is unavailable ({reason}). Please retry your request "
                         "shortly.", type="server_error", code="state_unavailable")


def guarded(errors: tuple[type[BaseException], ...], describe: Callable[[BaseException], str]) -> Callable[[T], T]:
    """Turn the backend's own errors into `state_unavailable` for every public method of a class. A `remote`
    class's calls are network round trips, never waited for on the event loop (proxy.core.offload.round_trip)."""
    remote = False

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded_call(*args: Any, **kwargs: Any) -> Any:
            if remote:
                round_trip()
            try:
                return method(*args, **kwargs)
            except errors as error:
                raise state_unavailable(describe(error)) from error
        return guarded_call

    def decorate(cls: Any) -> Any:
        nonlocal remote
        remote = cls.remote
        for name, value in list(vars(cls).items()):
            if callable(value) and not name.startswith("_") and not inspect.iscoroutinefunction(value):
                setattr(cls, name, wrap(value))
        return cls
    return decorate  # type: ignore[return-value]
