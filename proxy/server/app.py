"""The route table and the application: routing, the common headers, CORS, the access log, errors."""
from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import time
from concurrent.futures import Future
from typing import Awaitable, Union
from urllib.parse import unquote

from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.limits import TooLarge
from dummy_openai_api.generators.catalog.models import Catalogue
from dummy_openai_api.proxy.handlers import azure
from dummy_openai_api.proxy import handlers
from dummy_openai_api.proxy.cassettes.store import CassetteStore, StoreOptions
from dummy_openai_api.proxy.state.chat_store import ChatStore
from dummy_openai_api.proxy.state.store_budget import mib
from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.server.connections import CappedHTTPServer, connection_cap
from dummy_openai_api.proxy.core.errors import APIError, invalid_url, over_limit, server_error
from dummy_openai_api.proxy.state.file_store import FileStore, UploadStore
from dummy_openai_api.proxy.state.image_urls import ImageUrls
from dummy_openai_api.proxy.state.voices import VoiceStore
from dummy_openai_api.proxy.handlers import Handler, admin, dashboard
from dummy_openai_api.proxy.server.access_log import AccessLog
from dummy_openai_api.proxy.server.headers import HeaderRenderer
from dummy_openai_api.proxy.core.lazy import build_all, built_on_first_read
from dummy_openai_api.proxy.core.http import Outcome, Reply, Request, Server
from dummy_openai_api.proxy.state.journal import Journal
from dummy_openai_api.proxy.server.origins import ADMIN_PREFIX, Gate
from dummy_openai_api.proxy.state.shared.table import open_backend
from dummy_openai_api.proxy.core.redact import redact
from dummy_openai_api.proxy.pipeline.pace import Pace
from dummy_openai_api.proxy.pipeline.chain import Pipeline
from dummy_openai_api.proxy.pipeline.services import ModelRegistry, Services

log = logging.getLogger("dummy_openai")

# A handler is its class, or its class's name when its module is imported on its first request (proxy.handlers).
HandlerRef = Union[type[Handler], str]

# Path parameters are named groups; model ids may hold ':' (fine-tunes) and '/' (sent as %2F).
_STORE = r"/v1/vector_stores/(?P<vector_store_id>[^/?#]+)"
ROUTES: list[tuple[str, HandlerRef]] = [
    (r"/", dashboard.Root),  # JSON, or the dashboard page for browsers
    (r"/health", handlers.Health),
    *admin.ROUTES,  # /_mock/: journal, rules, reset, mode, cassettes, rate limits, counters
    (r"/v1/models", "Models"),
    (r"/v1/models/(?P<model>[^?#]+)", "ModelEntry"),
    (r"/v1/chat/completions", "ChatCompletions"),
    (r"/v1/chat/completions/(?P<completion_id>[^/?#]+)", "StoredChatCompletion"),
    (r"/v1/chat/completions/(?P<completion_id>[^/?#]+)/messages", "StoredChatMessages"),
    (r"/v1/completions", "Completions"),
    (r"/v1/embeddings", "Embeddings"),
    (r"/v1/moderations", "Moderations"),
    (r"/v1/images/generations", "ImageGenerations"),
    (r"/v1/images/edits", "ImageEdits"),
    (r"/v1/images/variations", "ImageVariations"),
    (r"/v1/images/content/(?P<name>[^/?#]+)", "ImageContent"),  # the pictures of `url` answers
    (r"/v1/audio/speech", "Speech"),
    (r"/v1/audio/transcriptions", "Transcriptions"),
    (r"/v1/audio/translations", "Translations"),
    (r"/v1/audio/voice_consents", "VoiceConsents"),
    (r"/v1/audio/voice_consents/(?P<consent_id>[^/?#]+)", "VoiceConsent"),
    (r"/v1/audio/voices", "Voices"),
    (r"/v1/audio/voices/(?P<voice_id>[^/?#]+)", "Voice"),
    (r"/v1/responses", "Responses"),
    (r"/v1/responses/input_tokens", "ResponseInputTokens"),
    (r"/v1/responses/compact", "ResponseCompact"),
    (r"/v1/responses/(?P<response_id>[^/?#]+)", "ResponseEntry"),
    (r"/v1/responses/(?P<response_id>[^/?#]+)/cancel", "ResponseCancel"),
    (r"/v1/responses/(?P<response_id>[^/?#]+)/input_items", "ResponseInputItems"),
    (r"/v1/files", "Files"),
    (r"/v1/files/(?P<file_id>[^/?#]+)", "FileEntry"),
    (r"/v1/files/(?P<file_id>[^/?#]+)/content", "FileContent"),
    (r"/v1/uploads", "Uploads"),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/parts", "UploadParts"),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/complete", "UploadComplete"),
    (r"/v1/uploads/(?P<upload_id>[^/?#]+)/cancel", "UploadCancel"),
    (r"/v1/vector_stores", "VectorStoreList"),
    (_STORE, "VectorStoreEntry"),
    (_STORE + r"/search", "VectorStoreSearch"),
    (_STORE + r"/files", "VectorStoreFiles"),
    (_STORE + r"/files/(?P<file_id>[^/?#]+)", "VectorStoreFileEntry"),
    (_STORE + r"/files/(?P<file_id>[^/?#]+)/content", "VectorStoreFileContent"),
    (_STORE + r"/file_batches", "FileBatches"),
    (_STORE + r"/file_batches/(?P<batch_id>[^/?#]+)", "FileBatchEntry"),
    (_STORE + r"/file_batches/(?P<batch_id>[^/?#]+)/cancel", "FileBatchCancel"),
    (_STORE + r"/file_batches/(?P<batch_id>[^/?#]+)/files", "FileBatchFiles"),
    (r"/v1/batches", "Batches"),
    (r"/v1/batches/(?P<batch_id>[^/?#]+)", "BatchEntry"),
    (r"/v1/batches/(?P<batch_id>[^/?#]+)/cancel", "BatchCancel"),
    (r"/v1/fine_tuning/jobs", "FineTuningJobs"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)", "FineTuningJob"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/cancel", "FineTuningCancel"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/pause", "FineTuningPause"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/resume", "FineTuningResume"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/events", "FineTuningEvents"),
    (r"/v1/fine_tuning/jobs/(?P<job_id>[^/?#]+)/checkpoints", "FineTuningCheckpoints"),
    # A checkpoint is a model id: it holds ':' (and '/' sent as %2F), never a literal '/'.
    (r"/v1/fine_tuning/checkpoints/(?P<checkpoint>[^/?#]+)/permissions", "CheckpointPermissionList"),
    (r"/v1/fine_tuning/checkpoints/(?P<checkpoint>[^/?#]+)/permissions/(?P<permission_id>[^/?#]+)",
     "CheckpointPermission"),
    (r"/v1/fine_tuning/alpha/graders/run", "GraderRun"),
    (r"/v1/fine_tuning/alpha/graders/validate", "GraderValidate"),
    (r"/v1/traces/ingest", "TracesIngest"),
    (r"/v1/conversations", "Conversations"),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)", "ConversationEntry"),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)/items", "ConversationItems"),
    (r"/v1/conversations/(?P<conversation_id>[^/?#]+)/items/(?P<item_id>[^/?#]+)", "ConversationItem"),
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
    """Exact paths by dict lookup, parametrised ones by regex, in table order.

    A handler named by a string is imported on the path's first request and kept in place of its name."""

    def __init__(self, routes: list[tuple[str, HandlerRef]]) -> None:
        exact = {p: h for p, h in routes if not re.search(r"[(\\\[?*+]", p)}
        self.exact = {p: h for p, h in exact.items() if not isinstance(h, str)}
        self.named = {p: h for p, h in exact.items() if isinstance(h, str)}  # copied to `exact` when first asked
        self.parametrised = [(p, h) for p, h in routes if p not in exact]

    @built_on_first_read
    def patterns(self) -> list[tuple[re.Pattern[str], HandlerRef]]:
        """Compiled on first use (about 5 ms): /health, like every exact path, never needs them."""
        return [(re.compile(p), h) for p, h in self.parametrised]

    def match(self, path: str) -> tuple[type[Handler], dict[str, str]] | None:
        handler = self.exact.get(path)
        if handler is not None:
            return handler, {}
        name = self.named.get(path)
        if name is not None:
            handler = self.exact[path] = handlers.resolve(name)
            return handler, {}
        for pattern, ref in self.patterns:
            found = pattern.fullmatch(path)
            if found:
                return self._resolved(pattern, ref), {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def _resolved(self, pattern: re.Pattern[str], ref: HandlerRef) -> type[Handler]:
        if not isinstance(ref, str):
            return ref
        handler = handlers.resolve(ref)
        self.patterns = [(p, handler if p is pattern else h) for p, h in self.patterns]
        return handler


class App:
    """Turns a `Request` into a `Reply`, and adds what every answer carries."""

    def __init__(self, services: Services, routes: list[tuple[str, HandlerRef]] = ROUTES,
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

    def warm(self) -> None:
        """Import and build now what start-up left for first use (on the tokenizer's background thread, which
        API requests wait for): the handlers of every route, the services built on first read, the route patterns."""
        handlers.import_all()
        build_all(self.services)
        build_all(self.router)  # its patterns, compiled here rather than by the first request with a path parameter

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
    rules = None
    if settings.replies:
        from dummy_openai_api.generators.replies import load_rules  # only with --replies: the generators' package
        rules = load_rules(settings.replies)
    store = store if store is not None else make_store(settings)
    pace = Pace(settings)
    files = FileStore(int(settings.files_budget_mb * 1024 * 1024), settings.files_dir)
    services = Services(
        settings=settings,
        models=ModelRegistry(Catalogue.default(), settings.any_model),
        pipeline=Pipeline(settings, store, pace),
        pace=pace,
        store=store,
        chat_store=make_chat_store(settings),
        journal=Journal(settings.journal_size, settings.journal_body_limit,
                        secrets=(settings.api_key, settings.upstream_key, settings.admin_key)),
        files=files,
        uploads=UploadStore(files),
        image_urls=ImageUrls(),
        voices=VoiceStore(),
        rules=rules,
        endpoints=[re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", p) for p, _ in ROUTES],
    )
    backend = open_backend(settings.state)
    if backend is not None:
        from dummy_openai_api.proxy.server.shared_state import share  # only with --state
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
        IOLoop.current().add_callback(tokens.preload, app.warm)
    return server, sockets[0].getsockname()[1]
