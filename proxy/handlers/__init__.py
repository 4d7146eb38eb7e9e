"""Handlers: one class per resource, one method per HTTP verb, a fresh instance per request."""
from proxy.handlers.base import Handler, Health, Passthrough, Root
from proxy.handlers.batches import BatchCancel, BatchEntry, Batches
from proxy.handlers.chat import ChatCompletions
from proxy.handlers.completions import Completions
from proxy.handlers.conversations import ConversationEntry, ConversationItem, ConversationItems, Conversations
from proxy.handlers.embeddings import Embeddings
from proxy.handlers.files import (FileContent, FileEntry, Files, UploadCancel, UploadComplete, UploadParts,
                                  Uploads)
from proxy.handlers.models import ModelEntry, Models
from proxy.handlers.moderations import Moderations
from proxy.handlers.responses import (ResponseCancel, ResponseCompact, ResponseEntry, ResponseInputItems,
                                      ResponseInputTokens, Responses)
from proxy.handlers.stored_chat import StoredChatCompletion, StoredChatMessages

__all__ = ["BatchCancel", "BatchEntry", "Batches", "ChatCompletions", "Completions", "ConversationEntry",
           "ConversationItem", "ConversationItems", "Conversations", "Embeddings", "FileContent", "FileEntry", "Files",
           "Handler",
           "Health", "ModelEntry", "Models", "Moderations", "Passthrough", "ResponseCancel", "ResponseCompact",
           "ResponseEntry", "ResponseInputItems", "ResponseInputTokens", "Responses", "Root", "StoredChatCompletion",
           "StoredChatMessages", "UploadCancel", "UploadComplete", "UploadParts", "Uploads"]
