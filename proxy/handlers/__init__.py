"""Handlers: one class per resource, one method per HTTP verb, a fresh instance per request."""
from proxy.handlers.base import Handler, Health, Passthrough, Root
from proxy.handlers.chat import ChatCompletions
from proxy.handlers.embeddings import Embeddings
from proxy.handlers.models import ModelEntry, Models

__all__ = ["ChatCompletions", "Embeddings", "Handler", "Health", "ModelEntry", "Models", "Passthrough",
           "Root"]
