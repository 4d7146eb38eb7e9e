"""Sampling parameters that reasoning models (o-series, gpt-5 family) refuse, in the API's words.

Recorded (Mirascope, gpt-5-mini on chat, 2026): `stop` gives 400 "Unsupported parameter: 'stop' is not
supported with this model." with code `unsupported_parameter`. A sampling setting left at its default passes,
as the API takes it for no setting; with `reasoning_effort: "none"` (gpt-5.1 and later) the model samples as a
chat model does and takes them all, as the `logprobs` check in proxy.validation.tools does too.
"""
from __future__ import annotations

from typing import Any

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.proxy.core.errors import APIError

CHAT_DEFAULTS = (("temperature", 1), ("top_p", 1), ("presence_penalty", 0), ("frequency_penalty", 0))
RESPONSES_DEFAULTS = (("temperature", 1), ("top_p", 1))
CHAT_REFUSED = ("stop", "logit_bias")


def chat_parameters(body: dict[str, Any], model: Model) -> None:
    """A chat body's sampling settings against the model: reasoning models refuse most of them."""
    if not model.reasoning:
        return
    if body.get("max_tokens") is not None:
        raise unsupported("max_tokens", " Use 'max_completion_tokens' instead.")
    if body.get("reasoning_effort") == "none":
        return
    refused = next((name for name in CHAT_REFUSED if body.get(name)), None)
    if refused is not None:
        raise unsupported(refused)
    _defaults_only(body, CHAT_DEFAULTS)


def responses_parameters(body: dict[str, Any], model: Model) -> None:
    """A Responses body's `temperature` and `top_p` against the model."""
    if model.reasoning and (body.get("reasoning") or {}).get("effort") != "none":
        name = next((name for name, default in RESPONSES_DEFAULTS if body.get(name) not in (None, default)), None)
        if name is not None:
            raise unsupported(name)


def _defaults_only(body: dict[str, Any], defaults: tuple[tuple[str, int], ...]) -> None:
    for name, default in defaults:
        value = body.get(name)
        if value is not None and value != default:
            raise APIError(400, f"Unsupported value: '{name}' does not support {value} with this model. Only the "
                                f"default ({default}) value is supported.", param=name, code="unsupported_value")


def unsupported(name: str, advice: str = "") -> APIError:
    return APIError(400, f"Unsupported parameter: '{name}' is not supported with this model.{advice}", param=name,
                    code="unsupported_parameter")
