"""Rules and rate limits on a shared backend: every process applies the same rules, counts their uses once, and
takes each request from the same per-key budget.

A rule's `skip`, `hits` and `times` are changed atomically in the `rules` table by the process that uses
it; a budget is a row of the `ratelimits` table, refilled and charged in one atomic step. The wall clock
(not each process's monotonic one) measures refills, so replicas on other machines agree.
"""
from __future__ import annotations

import time
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Request
from dummy_openai_api.proxy.pipeline.ratelimit import Bucket, RateLimiter
from dummy_openai_api.proxy.pipeline.rules import Rule, RuleBook, parse_rule
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.table import Table


class SharedRuleBook(RuleBook):
    """The rules in the `rules` table (`{id, spec, skip, hits}`, in the order added); ids from a shared counter."""

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.table = Table(backend, "rules")

    def add(self, spec: Any) -> Rule:
        parse_rule(spec, "rule_0")  # a bad rule is a 400 before it takes an id
        rule = parse_rule(spec, f"rule_{self.backend.incr('rule_ids', 'n')}")
        self.table.put(rule.id, {"id": rule.id, "spec": spec, "skip": rule.skip, "hits": 0})
        self.rules.append(rule)
        return rule

    def remove(self, rule_id: str) -> bool:
        super().remove(rule_id)
        return self.table.delete(rule_id)

    def clear(self) -> None:
        super().clear()
        self.table.clear()

    def reset(self) -> None:
        self.clear()
        self.backend.clear("rule_ids")

    def rows(self) -> list[Any]:
        """The rules' rows as they stand in the table (another process may have added, used or removed some)."""
        return self.table.values()

    def load(self, rows: list[Any] | None = None) -> None:
        """The rules of `rows` (read now when not given)."""
        self.rules = [_rule(row) for row in (self.rows() if rows is None else rows)]

    def pick(self, request: Request) -> Rule | None:
        for rule in list(self.rules):
            if not rule.matches(request):
                continue
            outcome = self._use(rule.id)
            if outcome == "skip":
                continue
            if not isinstance(outcome, dict):  # gone
                self.rules.remove(rule)
                continue
            rule.hits, rule.skip = outcome["hits"], outcome["skip"]
            if rule.spent:
                self.rules.remove(rule)
                self.table.delete(rule.id)  # used up, as in one process
            return rule
        return None

    def _use(self, rule_id: str) -> str | dict[str, Any]:
        """One matching request against a rule's row, atomically: "skip", "gone" (spent or removed) or the row
        as it stands after the use."""
        outcome: list[str] = ["gone"]
        row = self.table.update(rule_id, lambda row: _use(row, outcome))
        return row if outcome[0] == "hit" else outcome[0]


def _use(row: dict[str, Any] | None, outcome: list[str]) -> dict[str, Any] | None:
    """One matching request against a rule's row: let through (`skip`), applied (`hit`), or `gone` (spent)."""
    if row is None:
        return None
    if row["skip"]:
        row["skip"] -= 1
        outcome[0] = "skip"
        return row
    times = row["spec"].get("times")
    if times is not None and row["hits"] >= times:
        return None
    row["hits"] += 1
    outcome[0] = "hit"
    return row


def _rule(row: dict[str, Any]) -> Rule:
    rule = parse_rule(row["spec"], row["id"])
    rule.hits, rule.skip = row["hits"], row["skip"]
    return rule


class SharedRateLimiter(RateLimiter):
    """Budgets per key in the `ratelimits` table: `[key, requests left, tokens left, updated]`."""

    def __init__(self, backend: Backend, rpm: int = 0, tpm: int = 0) -> None:
        self.table = Table(backend, "ratelimits")
        self.started = False  # a process starting (a replica joining) leaves the others' budgets alone
        super().__init__(rpm, tpm, clock=time.time)
        self.started = True

    def reset(self) -> None:
        super().reset()
        if self.started:
            self.table.clear()

    def configure(self, rpm: int | None = None, tpm: int | None = None) -> None:
        super().configure(rpm, tpm)
        self.table.clear()

    def admit(self, key: str | None, request: Request) -> dict[str, str]:
        name = key or ""
        result: dict[str, Any] = {}

        def charge(row: list[Any] | None) -> list[Any] | None:
            self.buckets = {} if row is None else {name: self._pair(row)}
            try:
                result["headers"] = RateLimiter.admit(self, key, request)
            except APIError as error:
                result["error"] = error
                return None  # refused: nothing taken
            requests, budget = self.buckets[name]
            return [name, requests.level, budget.level, requests.updated]
        self.table.update(name, charge)
        if "error" in result:
            raise result["error"]
        return result["headers"]  # type: ignore[no-any-return]

    def describe(self) -> dict[str, Any]:
        self.buckets = {row[0]: self._pair(row) for row in self.table.values()}
        return super().describe()

    def _pair(self, row: list[Any]) -> tuple[Bucket, Bucket]:
        _, requests, budget, updated = row
        return Bucket(self.rpm or 1, requests, updated), Bucket(self.tpm or 1, budget, updated)
