"""Deterministic choices between wordings, from a hash of the conversation, the seed and the variant."""
from __future__ import annotations

import hashlib
from typing import Any, Sequence, TypeVar

from .phrasebook.generic import EXTRA_CLOSERS

T = TypeVar("T")


class Picker:
    """Chooses among wordings: offsets come from the conversation hash, and the variant is spread over the
    first choices as mixed-radix digits, so variants 0, 1, 2... differ in at least one chosen wording."""

    def __init__(self, fingerprint: bytes, seed: Any, variant: int) -> None:
        salt = b"canonical" if seed is None else repr(seed).encode("utf-8", "replace")
        self.canonical = seed is None
        self.pool = hashlib.sha256(fingerprint + b"|" + salt).digest()
        self.used = 0
        self.remaining = self.variant = variant

    def draw(self, size: int) -> int:
        """A deterministic number in range(size), from the next two bytes of the hash chain."""
        if self.used + 2 > len(self.pool):
            self.pool, self.used = hashlib.sha256(self.pool).digest(), 0
        self.used += 2
        return int.from_bytes(self.pool[self.used - 2:self.used], "big") % size

    def pick(self, options: Sequence[T], *, first_is_canonical: bool = False) -> T:
        offset = 0 if first_is_canonical and self.canonical else self.draw(len(options))
        digit = self.remaining % len(options)
        self.remaining //= len(options)
        return options[(offset + digit) % len(options)]

    def extra_closer(self) -> str:
        """A closing sentence that keeps variants distinct once the wording tables are exhausted."""
        if not self.remaining:
            return ""
        closer = EXTRA_CLOSERS[(self.remaining - 1) % len(EXTRA_CLOSERS)]
        return closer if self.remaining <= len(EXTRA_CLOSERS) else f"{closer} (Take {self.variant + 1}.)"
