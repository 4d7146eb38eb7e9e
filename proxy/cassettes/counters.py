"""What the cassettes served: hits, misses and recordings per cassette and endpoint, for `/_mock/counters`,
the dashboard and the exit report."""
from __future__ import annotations

from collections import Counter
from typing import Literal

Kind = Literal["hit", "miss", "record"]
# Distinct rows kept; misses are counted under client-chosen paths and cassette names, so past this they are
# pooled under "(other)" rather than growing memory without bound.
MAX_ROWS = 10_000


class Counters:
    def __init__(self) -> None:
        self.rows: Counter[tuple[str, str, str]] = Counter()  # (cassette, endpoint, kind)
        self.first_uses: list[tuple[str, int]] = []  # (cassette, interaction index), as each was first served

    def count(self, cassette: str, endpoint: str, kind: Kind) -> None:
        row = (cassette, endpoint, kind)
        if row not in self.rows and len(self.rows) >= MAX_ROWS:
            row = ("(other)", "(other)", kind)
        self.rows[row] += 1

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """{cassette: {endpoint: {hit, miss, record}}}; requests that named no cassette under "(none)"."""
        report: dict[str, dict[str, dict[str, int]]] = {}
        for (cassette, endpoint, kind), count in sorted(self.rows.items()):
            report.setdefault(cassette or "(none)", {}).setdefault(endpoint, {"hit": 0, "miss": 0, "record": 0})[
                kind] += count
        return report

    def totals(self) -> dict[str, dict[str, int]]:
        """{cassette: {hit, miss, record}} over its endpoints."""
        totals: dict[str, dict[str, int]] = {}
        for name, endpoints in self.summary().items():
            found = totals.setdefault(name, {"hit": 0, "miss": 0, "record": 0})
            for counts in endpoints.values():
                for kind, count in counts.items():
                    found[kind] += count
        return totals
