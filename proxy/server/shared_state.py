"""`--state`: the stores and admin state of a server put on a shared backend, so that every process (workers of
one machine, replicas on many) answers alike. Memory (the default for one process) changes nothing here.
"""
from __future__ import annotations

from dummy_openai_api.proxy.handlers.admin import switch_mode
from dummy_openai_api.proxy.pipeline.services import Services
from dummy_openai_api.proxy.pipeline.shared_admin import SharedRateLimiter, SharedRuleBook
from dummy_openai_api.proxy.pipeline.sharing import Sharing
from dummy_openai_api.proxy.state.batches import BatchStore
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import Generations
from dummy_openai_api.proxy.state.shared.batches import SharedBatchStore
from dummy_openai_api.proxy.state.shared.files import SharedFileStore, SharedImageUrls, SharedUploadStore
from dummy_openai_api.proxy.state.shared.journal import SharedJournal
from dummy_openai_api.proxy.state.shared.responses import SharedResponseStore
from dummy_openai_api.proxy.state.shared.stores import SharedChatStore, SharedConversationStore


def share(services: Services, backend: Backend) -> None:
    """Swap each store that holds shared state for its shared twin, and take the admin state from the backend."""
    settings, interceptor, responder = services.settings, services.interceptor, services.responder
    old = services.journal
    services.journal = SharedJournal(backend, old.size, old.body_limit, old.secrets)
    generations = Generations(backend)  # what each process keeps of the rarely changed objects
    services.chat_store = SharedChatStore(backend, settings.store_limit, generations)
    responder.store = SharedResponseStore(backend, settings.responses_limit, settings.background_seconds,
                                          generations)
    responder.conversations = services.extras["conversations"] = SharedConversationStore(backend,
                                                                                         settings.responses_limit)
    files = services.extras["files"] = SharedFileStore(backend, int(settings.files_budget_mb * 1024 * 1024))
    services.extras["uploads"] = SharedUploadStore(backend, files)
    services.extras["image_urls"] = SharedImageUrls(backend)  # what proxy.handlers.images looks for
    vectors = services.extras.get("vector_stores")
    if vectors is not None:  # not shared yet: each process keeps its own, over the shared files
        vectors.files = files  # type: ignore[attr-defined]
        files.on_delete.append(vectors.forget)  # type: ignore[attr-defined]
    services.extras["batches"] = SharedBatchStore(backend, files, settings.batch_seconds,
                                                  settings.batch_window_seconds)
    interceptor.rules = SharedRuleBook(backend)
    interceptor.limiter = SharedRateLimiter(backend, settings.rate_limit_rpm, settings.rate_limit_tpm)
    sharing = Sharing(backend, interceptor, services.store, generations, lambda: services.resolver.mode,
                      lambda mode: switch_mode(services, mode), lambda: local_reset(services))
    services.journal.on_flush.append(sharing.push_counters)
    interceptor.sharing = sharing
    sharing.refresh(force=True)  # a process started later takes the admin state in force


def local_reset(services: Services) -> None:
    """What a reset made by another process clears here: what each process keeps for itself."""
    services.interceptor.chaos.reset()
    services.interceptor.player.release()
    for scope in (services.store.index, *services.store.by_cassette.values()):
        for queue in scope.values():
            queue.cursor = 0
    BatchStore.reset(services.extras["batches"])  # type: ignore[arg-type]  # this process's runs; the table is cleared
