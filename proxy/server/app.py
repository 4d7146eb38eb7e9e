"""The route table and the application: routing, the common headers, CORS, the access log, errors."""
from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import time
from concurrent.futures import Future
from typing import Awaitable
from urllib.parse import unquote

from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from dummy_openai_api.generators import replies, tokens
from dummy_openai_api.generators.chat.completion import ChatGenerator
from dummy_openai_api.generators.legacy.completions import TextCompleter
from dummy_openai_api.generators.embeddings.vectors import Embedder
from dummy_openai_api.generators.limits import TooLarge
from dummy_openai_api.generators.catalog.models import Catalogue
from dummy_openai_api.generators.responses.output import ResponseWriter
from dummy_openai_api.proxy.handlers import azure
from dummy_openai_api.proxy import handlers
from dummy_openai_api.proxy.cassettes.store import CassetteStore, StoreOptions
from dummy_openai_api.proxy.state.chat_store import ChatStore
from dummy_openai_api.proxy.state.store_budget import mib
from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.server.connections import CappedHTTPServer, connection_cap
from dummy_openai_api.proxy.core.errors import APIError, invalid_url, over_limit, server_error
from dummy_openai_api.proxy.state.file_store import FileStore, UploadStore
from dummy_openai_api.proxy.state.batches import BatchStore
from dummy_openai_api.proxy.state.checkpoint_permissions import CheckpointPermissions
from dummy_openai_api.proxy.state.fine_tuning import FineTuningStore
from dummy_openai_api.proxy.state.image_urls import ImageUrls
from dummy_openai_api.proxy.state.conversation_store import ConversationStore
from dummy_openai_api.proxy.state.voices import VoiceStore
from dummy_openai_api.proxy.handlers import Handler, admin, audio, dashboard, vector_stores, voices
from dummy_openai_api.proxy.state.vector_stores import VectorStores
from dummy_openai_api.proxy.handlers import images as image_handlers
from dummy_openai_api.proxy.server.access_log import AccessLog
from dummy_openai_api.proxy.server.headers import HeaderRenderer
from dummy_openai_api.proxy.core.http import Outcome, Reply, Request, Server
from dummy_openai_api.proxy.state.journal import Journal
from dummy_openai_api.proxy.server.origins import ADMIN_PREFIX, Gate
from dummy_openai_api.proxy.server.shared_state import share
from dummy_openai_api.proxy.state.shared.table import open_backend
from dummy_openai_api.proxy.core.redact import redact
from dummy_openai_api.proxy.state.responder import Responder
from dummy_openai_api.proxy.state.response_store import ResponseStore
from dummy_openai_api.proxy.pipeline.pace import Pace
from dummy_openai_api.proxy.pipeline.chain import Pipeline
from dummy_openai_api.proxy.pipeline.services import ModelRegistry, Services

log = logging.getLogger("dummy_openai")

# Path parameters are named groups; model ids may hold ':' (fine-tunes) and '/' (sent as %2F).
ROUTES: list[tuple[str, type[Handler]]] = [
    (r"/", dashboard.Root),  # JSON, or the dashboard page for browsers
    (r"/health", handlers.Health),
    *admin.ROUTES,  # /_mock/: journal, rules, reset, mode, cassettes, rate limits, counters
    (r"/v1/models", handlers.Models),
    (r"/v1/models/(?P<model>[^?#]+)", handlers.ModelEntry),
    (r"/v1/chat/completions", handlers.ChatCompletions),
    (r"/v1/chat/completions/(?P<completion_id>[^/?#]+)", handlers.StoredChatCompletion),
    (r"/v1/chat/completions/(?P<completion_id>[^/?#]+)/messages", handlers.StoredChatMessages),
    (r"/v1/completions", handlers.Completions),
    (r"/v1/embeddings", handlers.Embeddings),
    (r"/v1/moderations", handlers.Moderations),
    *image_handlers.ROUTES,  # generations, edits, variations, and the pictures of `url` answers
    (r"/v1/audio/speech", audio.Speech),
    (r"/v1/audio/transcriptions", audio.Transcriptions),
    (r"/v1/audio/translations", audio.Translations),
    *voices.ROUTES,  # voice consents and custom voices
    (r"/v1/responses", handlers.Responses),
    (r"/v1/responses/input_tokens", handlers.ResponseInputTokens),
    (r"/v1/responses/compact", handlers.ResponseCompact),
    (r"/v1/responses/(?P<response_id>[^/?#]+)", handlers.ResponseEntry),
    (r"/v1/responses/(?P<response_id>[^/?#]+)/cancel", handlers.ResponseCancel),
    (r"/v1/responses/(?P<response_id>[^/?#]+)/input_items", handlers.ResponseInputItems),
    (r"/v1/files", handlers.Files),
    (r"/v1/files/(?P<file_id>[^/?#]+)", handlers.FileEntry),
    (r"/v1/files/(?P<file_id>[^/?#]+)/content", handlers.FileContent),
    (r"/v1/uploads", handlers.Uploads),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/parts", handlers.UploadParts),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/complete", handlers.UploadComplete),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/cancel", handlers.UploadCancel),
    *vector_stores.ROUTES,  # /v1/vector_stores: files, file batches, search
    (r"/v1/batches", handlers.Batches),
    (r"/v1/batches/(?P<batch_id>[^/?#]+)", handlers.BatchEntry),
    (r"/v1/batches/(?P<batch_id>[^/?#]+)/cancel", handlers.BatchCancel),
    (r"/v1/fine_tuning/jobs", handlers.FineTuningJobs),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)", handlers.FineTuningJob),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/cancel", handlers.FineTuningCancel),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/pause", handlers.FineTuningPause),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/resume", handlers.FineTuningResume),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/events", handlers.FineTuningEvents),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/checkpoints", handlers.FineTuningCheckpoints),
    # A checkpoint is a model id: it holds ':' (and '/' sent as %2F), never a literal '/'.
    (r"/v1/fine_tuning/checkpoints/(?P<checkpoint>[^/?#]+)/permissions", handlers.CheckpointPermissionList),
    (r"/v1/fine_tuning/checkpoints/(?P<checkpoint>[^/?#]+)/permissions/(?P<permission_id>[^/?#]+)",
     handlers.CheckpointPermission),
    (r"/v1/fine_tuning/alpha/graders/run", handlers.GraderRun),
    (r"/v1/fine_tuning/alpha/graders/validate", handlers.GraderValidate),
    (r"/v1/traces/ingest", handlers.TracesIngest),
    (r"/v1/conversations", handlers.Conversations),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)", handlers.ConversationEntry),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)/items", handlers.ConversationItems),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)/items/(?P<item_id>[^/?#]+)", handlers.ConversationItem),
]

API_PREFIX = "/v1/"
RECORDING_MODES = frozenset(mode for mode in Mode if mode.records)
DEFAULT_MAX_BODY = 32 * 1024 * 1024
# Tornado's own limit only guards the wire: our limit answers 413 in the API's envelope (see proxy.core.http).
MAX_WIRE_BODY = 1 << 62


# Request ids need to be unique, not secret: a generator of our own (seeded from os.urandom, and again in a forked
# worker, which would otherwise repeat its parent's ids) costs a third of a getrandom() system call per answer.
_IDS = random.Random()
os.register_at_fork(after_in_child=_IDS.seed)


def new_request_id() -> str:
    return "req_" + _IDS.randbytes(16).hex()


class Router:
    """Exact paths by dict lookup, parametrised ones by regex, in table order."""

    def __init__(self, routes: list[tuple[str, type[Handler]]]) -> None:
        self.exact = {p: h for p, h in routes if not re.search(r"[(\\\[?*+]", p)}
        self.patterns = [(re.compile(p), h) for p, h in routes if p not in self.exact]

    def match(self, path: str) -> tuple[type[Handler], dict[str, str]] | None:
        handler = self.exact.get(path)
        if handler is not None:
            return handler, {}
        for pattern, handler in self.patterns:
            found = pattern.fullmatch(path)
            if found:
                return handler, {k: unquote(v) for k, v in found.groupdict().items()}
        return None


class App:
    """Turns a `Request` into a `Reply`, and adds what every answer carries."""

    def __init__(self, services: Services, routes: list[tuple[str, type[Handler]]] = ROUTES,
                 max_body_size: int = DEFAULT_MAX_BODY) -> None:
        self.services = services
        self.settings = services.settings
        self.router = Router(routes)
        pipeline = services.pipeline  # its mode changes at run time; a set lookup is 10x cheaper than `.records`
        recording = lambda: pipeline.mode in RECORDING_MODES  # noqa: E731
        self.gate = Gate(services.settings, recording)
        self.headers = HeaderRenderer(services.settings, recording)
        self.secrets = services.journal.secrets
        self.azure_deployments = dict(services.settings.azure_deployments)
        self.access_log = AccessLog()
        self.max_body_size = max_body_size
        services.route = self.route_path

    def handle(self, request: Request) -> Outcome:
        request.context["request_id"] = new_request_id()
        headers = request.headers  # `in` first: HTTPHeaders.get of an absent name raises inside, at 3x the cost
        request.cassette = headers["X-Cassette"] if "X-Cassette" in headers else self.services.pipeline.default_cassette
        try:
            self.gate.check_host(request)
            if request.method == "OPTIONS":
                self.gate.check_origin(request, api=not request.path.startswith(ADMIN_PREFIX))
                return Reply(status=200, source="cors")
            handler_class = self._route(request)
            self.gate.check_origin(request, handler_class.api)
            if handler_class.api:
                self.services.journal.open(request)
                loading = tokens.pending()
                if loading is not None:
                    return self._awaited(request, self._once_loaded(loading, handler_class, request))
            reply = handler_class(self.services, request).dispatch()
        except APIError as error:
            return Reply.error(error)
        except TooLarge as error:
            return Reply.error(over_limit(error))
        if isinstance(reply, Reply):
            return reply
        return self._awaited(request, reply)

    async def _once_loaded(self, loading: Future[None], handler_class: type[Handler], request: Request) -> Reply:
        """An API request that came while the tokenizer loads waits for it here, off the event loop's back:
        counting tokens would otherwise block the loop on the loading thread's lock, /health included."""
        await asyncio.wrap_future(loading)
        reply = handler_class(self.services, request).dispatch()
        return reply if isinstance(reply, Reply) else await reply

    def _route(self, request: Request) -> type[Handler]:
        """The handler for the request's path (an Azure path first becomes its OpenAI route)."""
        if request.path.startswith(azure.PREFIX):
            azure.rewrite(request, self.azure_deployments, self.services.models.catalogue, self.settings.any_model)
        found = self.router.match(request.path)
        if found is None and not request.path.startswith(API_PREFIX):
            raise invalid_url(request.method, request.path)
        handler_class, request.path_args = found or (handlers.Passthrough, {})
        request.context["api"] = handler_class.api
        return handler_class

    def route_path(self, path: str) -> tuple[type[Handler], dict[str, str]]:
        """The handler of an API path and its path arguments (any path the table lacks: `Passthrough`)."""
        return self.router.match(path) or (handlers.Passthrough, {})

    async def _awaited(self, request: Request, pending: Awaitable[Reply]) -> Reply:
        """An answer that comes later; an API error raised on the way is its envelope, as for one given at once."""
        try:
            return await pending
        except APIError as error:
            return Reply.error(error)
        except TooLarge as error:
            return Reply.error(over_limit(error))

    def close(self) -> None:
        """Before the server stops: write what must outlive it (stored completions, when a file is set)."""
        self.services.chat_store.flush()
        flush = getattr(self.services.journal, "flush", None)  # a shared journal's last batch
        if flush is not None:
            try:
                flush()
            except APIError as error:
                log.warning("journal: %s", error.message)
        if self.services.pipeline.sharing is not None:
            self.services.pipeline.sharing.close()  # the state store's connections
        self.access_log.close()

    def crashed(self, request: Request, exc: BaseException) -> Reply:
        """A bug: logged with its traceback here, answered as the API's 500, never with the traceback."""
        log.error("error answering %s %s", request.method, redact(request.path, self.secrets), exc_info=exc)
        return Reply.error(server_error(request.context.get("request_id", "")))

    def finalize(self, request: Request, reply: Reply) -> str:
        """The answer's header lines (see proxy.server.headers)."""
        request_id = request.context.get("request_id")
        if request_id is None:  # refused before it was handled (a body over the limit)
            request_id = request.context["request_id"] = new_request_id()
        head = self.headers.render(request, reply, request_id)
        self.services.journal.answered(request, reply, head)
        return head

    def log(self, request: Request, status: int, source: str) -> None:
        self.services.journal.close(request, status, source)
        if self.settings.access_log:
            elapsed = (time.perf_counter() - request.started) * 1000
            self.access_log.write(request.method, redact(request.path, self.secrets), status, source, elapsed)


def make_store(settings: Settings) -> CassetteStore:
    options = StoreOptions(
        rules=settings.key_rules(),
        matching=settings.matching, exhausted=settings.on_exhausted, replay_speed=settings.replay_speed,
        zero_retry_after=settings.zero_retry_after, miss_status=settings.miss_status,
        parse_cache=settings.cassette_cache, body_limit=int(settings.cassette_body_mb * 2**20))
    store = CassetteStore(settings.cassettes, options)
    if settings.mode is not Mode.SYNTHETIC:
        store.load()  # the start-up summary (proxy.launch.startup) says what loaded
    return store


def make_services(settings: Settings, store: CassetteStore | None = None) -> Services:
    rules = replies.load_rules(settings.replies) if settings.replies else None
    store = store if store is not None else make_store(settings)
    pace = Pace(settings)
    models = ModelRegistry(Catalogue.default(), settings.any_model)
    files = FileStore(int(settings.files_budget_mb * 1024 * 1024), settings.files_dir)
    searchable = VectorStores(files, files.budget)  # their chunks share the files' budget
    writer = ResponseWriter(rules, search=searchable.search)  # what the file_search tool searches
    responder = Responder(ResponseStore(settings.responses_limit, mib(settings.store_mb)), writer,
                          settings.background_seconds, ConversationStore(settings.responses_limit))
    jobs = FineTuningStore(files, models, settings.fine_tuning_seconds)
    services = Services(
        settings=settings,
        models=models,
        chat=ChatGenerator(rules),
        completions=TextCompleter(rules),
        embedder=Embedder(),
        pipeline=Pipeline(settings, store, pace),
        pace=pace,
        store=store,
        chat_store=make_chat_store(settings),
        journal=Journal(settings.journal_size, settings.journal_body_limit,
                        secrets=(settings.api_key, settings.upstream_key, settings.admin_key)),
        responder=responder,
        files=files,
        uploads=UploadStore(files),
        batches=BatchStore(files, settings.batch_seconds, settings.batch_window_seconds),
        vector_stores=searchable,
        fine_tuning=jobs,
        checkpoint_permissions=CheckpointPermissions(jobs.knows_checkpoint),
        image_urls=ImageUrls(),
        voices=VoiceStore(),
        endpoints=[re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", p) for p, _ in ROUTES],
    )
    backend = open_backend(settings.state)
    if backend is not None:
        share(services, backend)
    return services


def make_chat_store(settings: Settings) -> ChatStore:
    chat_store = ChatStore(settings.store_limit, settings.store_file, budget=mib(settings.store_mb))
    chat_store.load()
    return chat_store


def make_app(settings: Settings, store: CassetteStore | None = None) -> App:
    """The application; `store` when the cassettes were loaded already (once, before workers fork)."""
    return App(make_services(settings, store), max_body_size=int(settings.max_body_mb * 1024 * 1024))


def listen(app: App, host: str, port: int, reuse_port: bool = False) -> tuple[CappedHTTPServer, int]:
    """Start serving `app` on the current IOLoop; returns the server and the bound port (port 0 picks one).

    `reuse_port`: several worker processes each bind the same port (SO_REUSEPORT)."""
    delegate = Server(app, client_timeout=app.settings.client_timeout)
    server = CappedHTTPServer(delegate, max_body_size=MAX_WIRE_BODY)
    server.cap = connection_cap(app.settings.max_connections)
    # Client timeouts are the delegate's sweep (one timer in all): Tornado's own would add two per request.
    server.conn_params.header_timeout = server.conn_params.body_timeout = None
    sockets = bind_sockets(port, host, reuse_port=reuse_port)
    server.add_sockets(sockets)
    if app.settings.preload_tokenizer:  # on the loop's first turn: after the ready line, never before a fork
        IOLoop.current().add_callback(tokens.preload)
    return server, sockets[0].getsockname()[1]
