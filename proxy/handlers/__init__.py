"""Handlers: one class per resource, one method per HTTP verb, a fresh instance per request.

A handler's module is imported when its class is first asked for (`handlers.ChatCompletions`, or a route's first
request): start-up imports `base` only, and the tokenizer's background load imports the rest meanwhile."""
from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from dummy_openai_api.proxy.handlers.base import Handler, Health, Passthrough, synthetic

if TYPE_CHECKING:
    from dummy_openai_api.proxy.handlers.audio import Speech, Transcriptions, Translations
    from dummy_openai_api.proxy.handlers.batches import BatchCancel, BatchEntry, Batches
    from dummy_openai_api.proxy.handlers.chat import ChatCompletions
    from dummy_openai_api.proxy.handlers.completions import Completions
    from dummy_openai_api.proxy.handlers.conversations import (ConversationEntry, ConversationItem, ConversationItems,
                                                               Conversations)
    from dummy_openai_api.proxy.handlers.embeddings import Embeddings
    from dummy_openai_api.proxy.handlers.images import ImageContent, ImageEdits, ImageGenerations, ImageVariations
    from dummy_openai_api.proxy.handlers.vector_stores import (
        FileBatchCancel, FileBatchEntry, FileBatches, FileBatchFiles, VectorStoreEntry, VectorStoreFileContent,
        VectorStoreFileEntry, VectorStoreFiles, VectorStoreList, VectorStoreSearch,
    )
    from dummy_openai_api.proxy.handlers.voices import Voice, VoiceConsent, VoiceConsents, Voices
    from dummy_openai_api.proxy.handlers.fine_tuning import (
        CheckpointPermission, CheckpointPermissionList, FineTuningCancel, FineTuningCheckpoints, FineTuningEvents,
        FineTuningJob, FineTuningJobs, FineTuningPause, FineTuningResume, GraderRun, GraderValidate,
    )
    from dummy_openai_api.proxy.handlers.files import (
        FileContent, FileEntry, Files, UploadCancel, UploadComplete, UploadParts, Uploads,
    )
    from dummy_openai_api.proxy.handlers.models import ModelEntry, Models
    from dummy_openai_api.proxy.handlers.moderations import Moderations
    from dummy_openai_api.proxy.handlers.responses import (
        ResponseCancel, ResponseCompact, ResponseEntry, ResponseInputItems, ResponseInputTokens, Responses,
    )
    from dummy_openai_api.proxy.handlers.traces import TracesIngest
    from dummy_openai_api.proxy.handlers.stored_chat import StoredChatCompletion, StoredChatMessages

# The module of each handler class imported on first use.
MODULES = {
    **dict.fromkeys(("Speech", "Transcriptions", "Translations"), "audio"),
    **dict.fromkeys(("BatchCancel", "BatchEntry", "Batches"), "batches"),
    "ChatCompletions": "chat",
    "Completions": "completions",
    **dict.fromkeys(("ConversationEntry", "ConversationItem", "ConversationItems", "Conversations"), "conversations"),
    "Embeddings": "embeddings",
    **dict.fromkeys(("CheckpointPermission", "CheckpointPermissionList", "FineTuningCancel", "FineTuningCheckpoints",
                     "FineTuningEvents", "FineTuningJob", "FineTuningJobs", "FineTuningPause", "FineTuningResume",
                     "GraderRun", "GraderValidate"), "fine_tuning"),
    **dict.fromkeys(("FileContent", "FileEntry", "Files", "UploadCancel", "UploadComplete", "UploadParts", "Uploads"),
                    "files"),
    **dict.fromkeys(("ModelEntry", "Models"), "models"),
    "Moderations": "moderations",
    **dict.fromkeys(("ResponseCancel", "ResponseCompact", "ResponseEntry", "ResponseInputItems", "ResponseInputTokens",
                     "Responses"), "responses"),
    "TracesIngest": "traces",
    **dict.fromkeys(("ImageContent", "ImageEdits", "ImageGenerations", "ImageVariations"), "images"),
    **dict.fromkeys(("FileBatchCancel", "FileBatchEntry", "FileBatches", "FileBatchFiles", "VectorStoreEntry",
                     "VectorStoreFileContent", "VectorStoreFileEntry", "VectorStoreFiles", "VectorStoreList",
                     "VectorStoreSearch"), "vector_stores"),
    **dict.fromkeys(("Voice", "VoiceConsent", "VoiceConsents", "Voices"), "voices"),
    **dict.fromkeys(("StoredChatCompletion", "StoredChatMessages"), "stored_chat"),
}


def __getattr__(name: str) -> Any:
    """`handlers.<Class>`: its module imported on first use (PEP 562), then an ordinary module attribute."""
    module = MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return value


def resolve(handler: type[Handler] | str) -> type[Handler]:
    """A route's handler: the class itself, or the name of one imported on first use."""
    return getattr(sys.modules[__name__], handler) if isinstance(handler, str) else handler


def import_all() -> None:
    """Import every handler module now (the background warm-up after start-up), not on each one's first request."""
    for module in sorted(set(MODULES.values())):
        importlib.import_module(f"{__name__}.{module}")


__all__ = ["FileBatchCancel", "FileBatchEntry", "FileBatches", "FileBatchFiles", "ImageContent", "ImageEdits",
           "ImageGenerations", "ImageVariations", "VectorStoreEntry", "VectorStoreFileContent", "VectorStoreFileEntry",
           "VectorStoreFiles", "VectorStoreList", "VectorStoreSearch", "Voice", "VoiceConsent", "VoiceConsents",
           "Voices",
           "BatchCancel", "BatchEntry", "Batches", "CheckpointPermission", "CheckpointPermissionList", "ChatCompletions", "Completions", "ConversationEntry",
           "ConversationItem", "ConversationItems", "Conversations", "Embeddings", "FileContent", "FileEntry", "Files",
           "FineTuningCancel", "FineTuningCheckpoints", "FineTuningEvents", "FineTuningJob", "FineTuningJobs",
           "FineTuningPause", "FineTuningResume", "GraderRun", "GraderValidate",
           "Handler",
           "Health", "ModelEntry", "Models", "Moderations", "Passthrough", "ResponseCancel", "ResponseCompact",
           "ResponseEntry", "ResponseInputItems", "ResponseInputTokens", "Responses", "Speech", "StoredChatCompletion",
           "StoredChatMessages", "TracesIngest", "Transcriptions", "Translations", "UploadCancel", "UploadComplete", "UploadParts", "Uploads",
           "synthetic"]
