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
from dummy_openai_api.proxy.state.shared.refresh_log import SharedRefreshLog
from dummy_openai_api.proxy.state.shared.cache import Generations
from dummy_openai_api.proxy.state.shared.batches import SharedBatchStore
from dummy_openai_api.proxy.state.shared.fine_tuning import (MOST_CHECKPOINTS, SharedCheckpointPermissions,
                                                             SharedFineTuningStore, SharedModels)
from dummy_openai_api.proxy.state.shared.files import SharedFileStore, SharedImageUrls, SharedUploadStore
from dummy_openai_api.proxy.state.shared.journal import SharedJournal
from dummy_openai_api.proxy.state.shared.positions import SharedPositions
from dummy_openai_api.proxy.state.shared.responses import SharedResponseStore
from dummy_openai_api.proxy.state.shared.stores import SharedChatStore, SharedConversationStore, SharedVoiceStore
from dummy_openai_api.proxy.state.shared.table import Table
from dummy_openai_api.proxy.state.shared.vector_stores import SharedVectorStores


def share(services: Services, backend: Backend) -> None:
    """Swap each store that holds shared state for its shared twin, and take the admin state from the backend."""
    settings, pipeline, responder = services.settings, services.pipeline, services.responder
    old = services.journal
    services.journal = SharedJournal(backend, old.size, old.body_limit, old.secrets)
    generations = Generations(backend)  # what each process keeps of the rarely changed objects
    services.chat_store = SharedChatStore(backend, settings.store_limit, generations)
    responder.store = SharedResponseStore(backend, settings.responses_limit, settings.background_seconds,
                                          generations)
    responder.conversations = SharedConversationStore(backend, settings.responses_limit)
    files = services.files = SharedFileStore(backend, int(settings.files_budget_mb * 1024 * 1024))
    services.uploads = SharedUploadStore(backend, files)
    services.image_urls = SharedImageUrls(backend)
    services.voices = SharedVoiceStore(backend)
    share_vector_stores(services, backend)
    share_fine_tuning(services, backend, generations)
    services.batches = SharedBatchStore(backend, files, settings.batch_seconds, settings.batch_window_seconds)
    services.store.positions = SharedPositions(backend, "replay_positions")
    services.store.persister.keep_refreshes_in(SharedRefreshLog(backend))
    pipeline.rules_and_faults.chaos.shared = SharedPositions(backend, "chaos_draws")
    pipeline.rules_and_faults.rules = SharedRuleBook(backend)
    pipeline.rate_limits.limiter = SharedRateLimiter(backend, settings.rate_limit_rpm, settings.rate_limit_tpm)
    pipeline.rebuild()
    sharing = Sharing(backend, pipeline, services.store, generations, lambda: pipeline.mode,
                      lambda mode: switch_mode(services, mode), lambda: local_reset(services))
    services.journal.on_flush.append(sharing.push_counters)
    pipeline.sharing = sharing
    sharing.refresh(force=True)  # a process started later takes the admin state in force


def share_vector_stores(services: Services, backend: Backend) -> None:
    """The stores, over the shared files (a file deleted anywhere leaves them), and the file_search tool's."""
    services.vector_stores = SharedVectorStores(backend, services.files, services.files.budget)
    services.responder.writer.search = services.vector_stores.search


def share_fine_tuning(services: Services, backend: Backend, generations: Generations) -> None:
    """Jobs, the models they made (for /v1/models and every endpoint that takes a model, kept per process) and
    permissions."""
    models, old = services.models, services.fine_tuning
    models.fine_tuned = SharedModels(Table(backend, "fine_tuned_models", old.limit), generations)
    models.checkpoints = SharedModels(Table(backend, "fine_tuned_checkpoints", MOST_CHECKPOINTS), generations)
    services.fine_tuning = SharedFineTuningStore(backend, services.files, models, old.pace, old.limit)
    services.checkpoint_permissions = SharedCheckpointPermissions(backend, services.fine_tuning.knows_checkpoint)


def local_reset(services: Services) -> None:
    """What a reset made by another process clears here: what each process keeps for itself."""
    services.pipeline.rules_and_faults.chaos.reset(shared=False)  # the process that took the reset renumbered
    services.pipeline.rules_and_faults.player.release()
    services.store.rewind(shared=False)  # the process that took the reset cleared the shared positions
    BatchStore.reset(services.batches)  # this process's runs; the table is cleared
