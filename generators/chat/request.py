"""A chat completions request as the generator takes it: typed and frozen, built by proxy.validation.chat once
every check has passed, so the generator reads settled values and never the body.

The fields come in groups (sampling, tool use, streaming, extras) that a request leaves at their shared
defaults when it sets none of their body fields: most requests set few, and each field of a frozen dataclass
costs its constructor a call, on the path of every synthetic answer. Nested JSON (the messages, tool
definitions, a response format, metadata) is kept as sent: the generators read it as JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dummy_openai_api.generators.catalog.models import Model


@dataclass(frozen=True, slots=True)
class Sampling:
    """How many answers, how long, where they stop, and what picks among variants."""

    n: int = 1
    stop: tuple[str, ...] = ()  # the non-empty stop sequences
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    reasoning_effort: str | None = None
    logprobs: bool = False
    top_logprobs: int = 0

    @property
    def limit(self) -> int | None:
        """The completion's token budget: `max_completion_tokens`, or the older `max_tokens`."""
        return self.max_completion_tokens if self.max_completion_tokens is not None else self.max_tokens


@dataclass(frozen=True, slots=True)
class ToolUse:
    """The tools (or legacy functions) offered, and how the assistant may call them."""

    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool = True
    functions: tuple[dict[str, Any], ...] = ()
    function_call: str | dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Streaming:
    """`stream_options` of a streamed answer."""

    include_usage: bool = False
    include_obfuscation: bool = True


@dataclass(frozen=True, slots=True)
class Extras:
    """Fields the synthetic answer does not read: how it is kept and who asked, and audio (checked, not made)."""

    store: bool = False
    metadata: dict[str, str] | None = None
    user: str | None = None
    modalities: tuple[str, ...] = ()
    audio: dict[str, Any] | None = None


DEFAULT_SAMPLING, NO_TOOLS, DEFAULT_STREAMING, NO_EXTRAS = Sampling(), ToolUse(), Streaming(), Extras()


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: Model                          # the model that answers
    model_name: str                       # the name the request gave (the answer reports its served snapshot)
    messages: tuple[dict[str, Any], ...]  # the messages as sent: replies, tools and token counts read them
    # The body as sent, less how it travels (generators.chat.completion.request_digest): the answer's id and the
    # generator's cache key, so any field that can change the answer changes it.
    digest: bytes
    sampling: Sampling = DEFAULT_SAMPLING
    tool_use: ToolUse = NO_TOOLS
    response_format: dict[str, Any] | None = None
    stream: Streaming | None = None       # None: one whole answer
    extras: Extras = NO_EXTRAS
