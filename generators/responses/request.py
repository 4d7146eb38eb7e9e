"""A Responses API request as the generators take it: typed and frozen, built by proxy.validation.responses once
every check has passed, so the generators and the response object read settled values and never the body.

`Prompt` is what a turn's conversation is made of; input_tokens and compact take it alone (`PromptRequest`).
The fields that the answer only echoes are one group (`Echo`) that a request leaves at its shared default when
it sets none of them, as most requests do. Nested JSON (input items, tool definitions, the text format,
metadata) is kept as sent: the generators read it as JSON and the response object echoes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dummy_openai_api.generators.catalog.models import Model

COUNTING_MODEL = "gpt-4o"  # whose tokenizer counts an input_tokens request that names no model
# The request fields that change what the model writes (transport, storage and labels do not).
CONTENT_FIELDS = ("model", "tools", "tool_choice", "parallel_tool_calls", "text", "reasoning", "max_output_tokens",
                  "temperature", "top_p", "include")


@dataclass(frozen=True, slots=True)
class Prompt:
    """The turn's own input and where its earlier turns are; instructions are never inherited."""

    input: tuple[dict[str, Any], ...] = ()  # the input as items: a string is one user message
    instructions: str | None = None
    tools: tuple[dict[str, Any], ...] = ()
    previous_response_id: str | None = None
    conversation: str | None = None  # the conversation's id (`conversation` is an id or `{"id": ...}`)


@dataclass(frozen=True, slots=True)
class Echo:
    """Fields the answer reports and nothing else reads, settled to what the response object shows."""

    temperature: float = 1.0
    top_p: float = 1.0
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    max_tool_calls: int | None = None
    service_tier: str = "auto"  # as requested; the response reports the tier that served it once done
    prompt_cache_key: str | None = None
    prompt_cache_retention: str | None = None
    safety_identifier: str | None = None
    user: str | None = None
    metadata: dict[str, str] | None = None


NO_ECHO = Echo()


@dataclass(frozen=True, slots=True)
class ResponseRequest:
    model: Model      # the model that answers
    model_name: str   # the name the request gave (the answer reports its served snapshot)
    prompt: Prompt
    # The CONTENT_FIELDS as sent, as JSON: with the conversation they seed the answer
    # (generators.responses.output.digest), so any of them that changes changes it.
    settings: bytes
    tool_choice: str | dict[str, Any] | None = None  # as sent (None: the model decides)
    parallel_tool_calls: bool = True
    text_format: dict[str, Any] | None = None  # `text.format` as sent (None: plain text)
    verbosity: str = "medium"
    effort: str | None = None   # the effort the model thinks with: asked, or the model's default
    summary: str | None = None  # the reasoning summary asked for (`summary`, or the older `generate_summary`)
    max_output_tokens: int | None = None
    top_logprobs: int = 0
    include: tuple[str, ...] = ()
    truncation: str = "disabled"
    store: bool = True
    background: bool = False
    stream: bool = False
    obfuscate: bool = True  # stream deltas carry `obfuscation` padding
    echo: Echo = NO_ECHO

    @property
    def writes(self) -> bool:
        """Whether the answer is kept: stored, run in the background, or joining a conversation."""
        return self.store or self.background or self.prompt.conversation is not None


@dataclass(frozen=True, slots=True)
class PromptRequest:
    """POST /v1/responses/input_tokens and /compact: a prompt and the model (if named) it is for."""

    model: Model | None
    prompt: Prompt

    @property
    def model_id(self) -> str:
        return self.model.id if self.model is not None else COUNTING_MODEL
