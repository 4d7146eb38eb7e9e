"""The admin API under `/_mock/`: the journal, rules (faults and canned answers), reset, mode, cassettes,
rate limits, counters and health, for test suites and the dashboard.

Protected by the admin key (`--admin-key`), or by the API key when no admin key is set; health is open.
Everything set here at run time is undone by `POST /_mock/reset`, which also clears the stores of API objects
(stored chat completions, conversations, files, uploads, batches).
"""
from __future__ import annotations

import asyncio
import hmac
import time
from typing import Any

from dummy_openai_api.proxy import __version__
from dummy_openai_api.proxy.cassettes.store import check_name
from dummy_openai_api.proxy.core.config import Mode
from dummy_openai_api.proxy.core.errors import APIError, invalid_method
from dummy_openai_api.proxy.core.offload import result, until_round_trip
from dummy_openai_api.proxy.handlers.base import NO_KEY_MESSAGE, Handler, mask_key, presented_key
from dummy_openai_api.proxy.core.http import Outcome, Reply
from dummy_openai_api.proxy.pipeline.services import Services

RECENT = 50  # journal entries the dashboard shows


class AdminHandler(Handler):
    """Admin answers carry no OpenAI headers; their key is the admin key when one is set."""

    api = False
    gathers = False  # reads what every process logs (the journal, counters): waits for their next batch
    resets = False
    reloads = False  # reads the cassette directory again: every process does

    def dispatch(self) -> Outcome:
        method = getattr(self, self.request.method.lower(), None)
        if method is None:
            raise invalid_method(self.request.method, self.request.path)
        if self.requires_key and (self.settings.admin_key or self.settings.auth):
            self.authenticate()
        if self.services.pipeline.sharing is None:
            return method()
        return self._shared(method)

    async def _shared(self, method: Any) -> Reply:
        """With --state: read once every process has written its batch; a change answers once every process
        has taken it in (proxy.pipeline.sharing). Each step that needs a remote backend (Redis) waits for it on
        a round-trip thread, so the event loop goes on answering others meanwhile."""
        from dummy_openai_api.proxy.pipeline.sharing import CHECK_SECONDS, Sharing  # loaded with --state only
        from dummy_openai_api.proxy.state.shared.journal import FLUSH_SECONDS
        sharing = self.services.pipeline.sharing
        assert isinstance(sharing, Sharing)
        await result(sharing.refreshed())
        if self.gathers:
            await asyncio.sleep(FLUSH_SECONDS * 1.5)
            sync = getattr(self.services.journal, "sync", None)
            if sync is not None:
                await result(until_round_trip(sync))
        reply = await result(until_round_trip(method))
        if self.request.method != "GET" and reply.status < 400:
            await result(until_round_trip(lambda: sharing.publish(reset=self.resets, reload=self.reloads)))
            await asyncio.sleep(CHECK_SECONDS)
        return reply

    def authenticate(self) -> None:
        key = presented_key(self.request)
        expected = self.settings.admin_key or self.settings.api_key
        if key is None:
            raise APIError(401, NO_KEY_MESSAGE)
        if not hmac.compare_digest(key.encode(), expected.encode()):
            raise APIError(401, f"Incorrect admin key provided: {mask_key(key)}.", code="invalid_api_key")

    def listing(self, data: list[Any], **extra: Any) -> Reply:
        return Reply.json({"object": "list", "data": data, **extra})


class MockHealth(AdminHandler):
    requires_key = False
    gathers = True  # its journal size is every process's (a probe that must be quick has /health)

    def get(self) -> Reply:
        services, journal = self.services, self.services.journal
        return Reply.json({"status": "ok", "version": __version__, "mode": services.pipeline.mode.value,
                           "uptime_s": round(time.time() - journal.started, 3), "journal": len(journal.entries),
                           "rules": len(services.pipeline.rules.rules)})


class JournalList(AdminHandler):
    """GET: entries, filtered by method, path (`/v1/chat*`), status, source (`cassette`, `fault`), model,
    cassette, since (an id), limit (the newest N). DELETE: clear."""

    gathers = True

    def get(self) -> Reply:
        journal = self.services.journal
        chosen = journal.select(self.request.query_args())
        return self.listing([journal.render(e, self.request_key) for e in chosen], total=len(journal.entries))

    def delete(self) -> Reply:
        self.services.journal.clear()
        return Reply.json({"cleared": True})

    def request_key(self, entry: Any) -> str:
        return self.services.store.request_key(entry).key


class JournalEntry(JournalList):
    def get(self) -> Reply:
        text = self.request.path_args["entry"]
        entry = self.services.journal.get(int(text)) if text.isascii() and len(text) <= 18 else None
        if entry is None:
            raise APIError(404, f"No journal entry {self.request.path_args['entry']}.", code="not_found")
        return Reply.json(self.services.journal.render(entry, self.request_key))


class JournalFlow(AdminHandler):
    """One entry as the dashboard's detail view shows it: the request, the answer and, for a cassette miss,
    the closest recording with the fields that differ (proxy.state.flows), secrets removed."""

    gathers = True

    def get(self) -> Reply:
        from dummy_openai_api.proxy.state import flows  # the dashboard's: imported by its first request
        journal = self.services.journal
        entry = journal.get(int(self.request.path_args["entry"]))
        if entry is None:
            raise APIError(404, f"No journal entry {self.request.path_args['entry']}.", code="not_found")
        return Reply(body=flows.flow(entry, journal, self.services.store))


class Rules(AdminHandler):
    """POST a rule (a fault or a canned answer); GET the rules in force; DELETE them all."""

    def get(self) -> Reply:
        return self.listing([rule.describe() for rule in self.services.pipeline.rules.rules])

    def post(self) -> Reply:
        rule = self.services.pipeline.rules.add(self.request.json())
        return Reply.json(rule.describe(), status=201)

    def delete(self) -> Reply:
        self.services.pipeline.rules.clear()
        return Reply.json({"cleared": True})


class RuleEntry(AdminHandler):
    def delete(self) -> Reply:
        rule_id = self.request.path_args["rule"]
        if not self.services.pipeline.rules.remove(rule_id):
            raise APIError(404, f"No rule {rule_id}.", code="not_found")
        return Reply.json({"id": rule_id, "deleted": True})


class Reset(AdminHandler):
    resets = True
    def post(self) -> Reply:
        reset(self.services)
        return Reply.json({"reset": True, "mode": self.services.pipeline.mode.value})


class ModeSwitch(AdminHandler):
    def get(self) -> Reply:
        return Reply.json({"mode": self.services.pipeline.mode.value})

    def post(self) -> Reply:
        raw = self.body().get("mode")
        try:
            mode = Mode(str(raw).strip().lower())
        except ValueError:
            raise APIError(400, f"Invalid mode {raw!r}: expected one of " + ", ".join(m.value for m in Mode) + ".",
                           param="mode") from None
        switch_mode(self.services, mode)
        return Reply.json({"mode": mode.value})


class Cassettes(AdminHandler):
    """The cassettes, their recordings and what was served from them; and the current cassette."""

    gathers = True  # the counts of every process

    def get(self) -> Reply:
        return Reply.json(cassette_report(self.services))


class CassetteReload(AdminHandler):
    reloads = True

    def post(self) -> Reply:
        self.services.store.load()
        self.services.store.rewind()  # a reload serves from the first recording: the shared positions too
        return Reply.json(cassette_report(self.services))


class CurrentCassette(AdminHandler):
    """The cassette used by requests that name none (clients that cannot send X-Cassette)."""

    def get(self) -> Reply:
        return Reply.json({"cassette": self.services.pipeline.default_cassette})

    def put(self) -> Reply:
        name = self.body().get("cassette")
        if name is not None and not isinstance(name, str):
            raise APIError(400, "Invalid cassette: expected a name or null.", param="cassette")
        self.services.pipeline.default_cassette = check_name(name) if name else None
        return self.get()

    post = put

    def delete(self) -> Reply:
        self.services.pipeline.default_cassette = None
        return self.get()


class RateLimits(AdminHandler):
    """GET the budgets and what each key has left; POST `{"rpm", "tpm", "advance_seconds"}` to change them."""

    def get(self) -> Reply:
        return Reply.json(self.services.pipeline.limiter.describe())

    def post(self) -> Reply:
        body = self.body()
        pipeline = self.services.pipeline
        values = {name: _bounded(body, name) for name in BOUNDS}
        if values["rpm"] is not None or values["tpm"] is not None:
            pipeline.limit(_int(values["rpm"]), _int(values["tpm"]))
        if values["advance_seconds"]:
            pipeline.limiter.advance(values["advance_seconds"])
        return self.get()


class Counters(AdminHandler):
    """Hits, misses and recordings per cassette and endpoint, and what failed to load."""

    gathers = True

    def get(self) -> Reply:
        store = self.services.store
        return Reply.json({"mode": self.services.pipeline.mode.value, "recordings": store.size,
                           "cassettes": len(store.paths), "unreadable": store.errors, "skipped": store.skipped,
                           "counters": summary(self.services), "served": served(self.services)})


class DashboardData(AdminHandler):
    """What the dashboard page shows: mode, models, cassettes, the recent journal (no headers, no bodies) and
    the whole journal's timeline for the charts."""

    gathers = True

    def get(self) -> Reply:
        from dummy_openai_api.proxy.state import flows  # the dashboard's: imported by its first request
        services = self.services
        args = self.request.query_args()
        journal = services.journal
        recent = journal.select({"since": args.get("since", ""), "limit": str(RECENT)})
        return Reply.json({
            "mode": services.pipeline.mode.value, "version": __version__,
            "models": sorted(services.models.catalogue.models), "cassettes": cassette_report(services),
            "journal": [journal.render(e, full=False) | {"kind": flows.kind(e)} for e in recent],
            "total": len(journal.entries), "timeline": flows.timeline(journal.entries, time.time()),
            "rules": len(services.pipeline.rules.rules), "ratelimits": services.pipeline.limiter.describe(),
        })


def reset(services: Services) -> None:
    """Back to how the server started: journal, rules, chaos, rate limits, mode, current cassette, replay
    positions, and every store of API objects."""
    services.journal.clear()
    services.pipeline.reset()
    if services.pipeline.mode is not services.settings.mode:
        switch_mode(services, services.settings.mode)
    services.store.rewind()
    for store in (services.chat_store, services.responder.conversations, services.files, services.uploads,
                  services.batches, services.vector_stores, services.fine_tuning, services.checkpoint_permissions,
                  services.image_urls, services.voices, services.responder.store):
        store.reset()


def switch_mode(services: Services, mode: Mode) -> None:
    """Change where answers come from; loads cassettes when first needed."""
    if mode.records:
        services.pipeline.connect()  # before any round trip may move the rest to a thread (proxy.core.offload)
    store = services.store
    if mode.uses_cassettes and not store.paths and not store.errors:
        store.load()
    services.pipeline.switch(mode)


def summary(services: Services) -> dict[str, dict[str, dict[str, int]]]:
    """Hits, misses and recordings per cassette and endpoint: of every process with --state."""
    sharing = services.pipeline.sharing
    return services.store.summary() if sharing is None else sharing.counters()  # type: ignore[attr-defined]


def served(services: Services) -> dict[str, list[int]]:
    """The recordings of each cassette served so far: by every process with --state."""
    sharing = services.pipeline.sharing
    return services.store.usage() if sharing is None else sharing.served()  # type: ignore[attr-defined]


def cassette_report(services: Services) -> dict[str, Any]:
    store = services.store
    served = {name: {"hit": 0, "miss": 0, "record": 0} for name in store.paths}
    for name, endpoints in summary(services).items():
        totals = served.setdefault(name, {"hit": 0, "miss": 0, "record": 0})
        for counts in endpoints.values():
            for kind, count in counts.items():
                totals[kind] += count
    cassettes = [{"name": name, "recordings": sum(len(q.items) for q in store.by_cassette.get(name, {}).values()),
                  **counts} for name, counts in sorted(served.items())]
    return {"directory": str(store.directory), "recordings": store.size, "current": services.pipeline.default_cassette,
            "unreadable": store.errors, "cassettes": cassettes}


# Rate-limit values: (whole numbers only, the largest accepted). Far above any real tier, and small enough that
# the arithmetic and the JSON that describes them stay finite and 64-bit.
BOUNDS = {"rpm": (True, 1_000_000_000), "tpm": (True, 1_000_000_000_000), "advance_seconds": (False, 31_536_000)}


def _bounded(body: dict[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    whole, top = BOUNDS[name]
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= top
            or (whole and value != int(value))):
        raise APIError(400, f"Invalid {name}: expected {'an integer' if whole else 'a number'} from 0 to {top}.",
                       param=name)
    return value


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


ROUTES: list[tuple[str, type[Handler]]] = [
    (r"/_mock/health", MockHealth),
    (r"/_mock/counters", Counters),
    (r"/_mock/journal", JournalList),
    (r"/_mock/journal/(?P<entry>\d+)", JournalEntry),
    (r"/_mock/journal/(?P<entry>\d+)/flow", JournalFlow),
    (r"/_mock/rules", Rules),
    (r"/_mock/rules/(?P<rule>[\w-]+)", RuleEntry),
    (r"/_mock/reset", Reset),
    (r"/_mock/mode", ModeSwitch),
    (r"/_mock/cassettes", Cassettes),
    (r"/_mock/cassettes/reload", CassetteReload),
    (r"/_mock/cassettes/current", CurrentCassette),
    (r"/_mock/ratelimits", RateLimits),
    (r"/_mock/dashboard", DashboardData),
]
