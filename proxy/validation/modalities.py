"""Audio in chat completions: audio input is accepted and counted; audio output is refused.

A model without audio answers `modalities: ["audio"]` and the `audio` parameter in the API's wording for an
unsupported value and parameter. The audio models (gpt-4o-audio-preview, gpt-audio-mini, ...) must see audio
in the input or be asked for it, as the real API requires; asked for audio output, they are refused with
this server's own message, because it does not synthesize speech.
"""
from __future__ import annotations

from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import invalid_value

MODALITIES = ("text", "audio")


def is_audio_model(model_id: str) -> bool:
    return "audio" in model_id.removeprefix("ft:")


def check(body: dict[str, Any], model_id: str) -> None:
    modalities = body.get("modalities") or []
    for index, modality in enumerate(modalities):
        if modality not in MODALITIES:
            raise invalid_value(f"modalities[{index}]", modality, MODALITIES)
    wants_audio = "audio" in modalities
    if not is_audio_model(model_id):
        if wants_audio:
            raise APIError(400, "Unsupported value: 'modalities' does not support 'audio' with this model.",
                           param="modalities", code="unsupported_value")
        if body.get("audio") is not None:
            raise APIError(400, "Unsupported parameter: 'audio' is not supported with this model.", param="audio",
                           code="unsupported_parameter")
        return
    if wants_audio:
        raise APIError(400, "Audio output is not available from this server: it answers with text only. Leave "
                            "'audio' out of 'modalities'.", param="modalities", code="unsupported_value")
    if not has_audio_input(body.get("messages")):
        raise APIError(400, "This model requires that either input content or output modality contain audio.",
                       param="model", code="invalid_value")


def has_audio_input(messages: Any) -> bool:
    return any(isinstance(part, dict) and part.get("type") == "input_audio"
               for message in messages or [] if isinstance(message, dict)
               for part in _parts(message.get("content")))


def _parts(content: Any) -> list[Any]:
    return content if isinstance(content, list) else []


def needs_check(body: dict[str, Any]) -> bool:
    """Whether the request touches audio at all (most do not: they skip the check)."""
    model = body.get("model")
    return "modalities" in body or "audio" in body or (isinstance(model, str) and is_audio_model(model))
