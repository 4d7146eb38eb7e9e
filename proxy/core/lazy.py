"""Fields built on first read: what only some requests need is neither imported nor built at start-up.

The builder imports what it needs inside itself (a function-level import), so start-up never loads those modules;
the value is then an ordinary instance attribute, so later reads cost what any attribute read costs.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Generic, TypeVar, overload

T = TypeVar("T")
Owner = TypeVar("Owner")


class built_on_first_read(Generic[Owner, T]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """`@built_on_first_read` on a method `f(self) -> T`: the attribute `f` is `f(self)`, built once.

    Built under a lock: a request answered on a worker thread may read it first, and a store built twice would lose
    what was kept in the first one. Assigning the attribute (a shared twin replacing a store) replaces the value."""

    def __init__(self, build: Callable[[Owner], T]) -> None:
        self.build = build
        self.name = build.__name__
        self.lock = threading.Lock()
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: Any = None) -> built_on_first_read[Owner, T]: ...

    @overload
    def __get__(self, obj: Owner, owner: Any = None) -> T: ...

    def __get__(self, obj: Owner | None, owner: Any = None) -> T | built_on_first_read[Owner, T]:
        if obj is None:
            return self
        with self.lock:
            fields = obj.__dict__
            if self.name not in fields:  # not built by a thread that held the lock first
                fields[self.name] = self.build(obj)
            return fields[self.name]  # type: ignore[no-any-return]


def build_all(obj: object) -> None:
    """Build every `built_on_first_read` field of `obj` now (the background warm-up after start-up)."""
    for name, value in vars(type(obj)).items():
        if isinstance(value, built_on_first_read):
            getattr(obj, name)
