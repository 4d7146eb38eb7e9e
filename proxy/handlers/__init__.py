"""Handlers: one class per resource, one method per HTTP verb, a fresh instance per request."""
from dummy_openai_api.proxy.handlers.base import Handler, Health, Passthrough, synthetic
from dummy_openai_api.proxy.handlers.batches import BatchCancel, BatchEntry, Batches
from dummy_openai_api.proxy.handlers.chat import ChatCompletions
from dummy_openai_api.proxy.handlers.completions import Completions
from dummy_openai_api.proxy.handlers.conversations import ConversationEntry, ConversationItem, ConversationItems, Conversations
from dummy_openai_api.proxy.handlers.embeddings import Embeddings
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

__all__ = ["BatchCancel", "BatchEntry", "Batches", "CheckpointPermission", "CheckpointPermissionList", "ChatCompletions", "Completions", "ConversationEntry",
           "ConversationItem", "ConversationItems", "Conversations", "Embeddings", "FileContent", "FileEntry", "Files",
           "FineTuningCancel", "FineTuningCheckpoints", "FineTuningEvents", "FineTuningJob", "FineTuningJobs",
           "FineTuningPause", "FineTuningResume", "GraderRun", "GraderValidate",
           "Handler",
           "Health", "ModelEntry", "Models", "Moderations", "Passthrough", "ResponseCancel", "ResponseCompact",
           "ResponseEntry", "ResponseInputItems", "ResponseInputTokens", "Responses", "StoredChatCompletion",
           "StoredChatMessages", "TracesIngest", "UploadCancel", "UploadComplete", "UploadParts", "Uploads",
           "synthetic"]
