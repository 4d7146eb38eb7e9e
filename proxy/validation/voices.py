"""Voice consents and custom voices: the multipart forms (and, for a voice from a prompt, JSON) of
`/v1/audio/voice_consents` and `/v1/audio/voices`, checked into plain values.

Recordings and samples are limited to 10 MiB and to the audio types the API lists; a part sent without a type
(`application/octet-stream`, what clients send for raw bytes) is taken, as the API sniffs the content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import missing, one_of, page_args, required
from dummy_openai_api.proxy.validation.audio import Form

MAX_RECORDING_BYTES = 10 * 1024 * 1024  # "Maximum size is 10 MiB."
AUDIO_TYPES = ("audio/mpeg", "audio/wav", "audio/x-wav", "audio/ogg", "audio/aac", "audio/flac", "audio/webm",
               "audio/mp4")
UNTYPED = ("", "application/octet-stream")
VOICE_TYPES = ("audio_sample", "prompt")
VOICE_MODELS = ("auto", "2026-10-08")
# A BCP 47 tag's shape: a primary language subtag, then subtags of 1 to 8 letters or digits (`en-US`, `zh-Hant-TW`).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def text_field(form: Form, name: str) -> str:
    value = form.one(name)
    if value is None:
        raise missing(name)
    if not value.strip():
        raise APIError(400, f"Invalid '{name}': empty string. Expected a non-empty value.", param=name,
                       code="invalid_value")
    return value


def recording(form: Form, name: str) -> bytes:
    """An audio file part: present, at most 10 MiB, of a listed audio type."""
    if name not in form.files:
        raise missing(name)
    data = form.files[name][1]
    if len(data) > MAX_RECORDING_BYTES:
        raise APIError(400, f"Invalid '{name}': file too large ({len(data)} bytes). The maximum size is 10 MiB.",
                       param=name, code="file_too_large")
    kind = form.file_types.get(name, "").split(";")[0].strip().lower()
    if kind not in AUDIO_TYPES + UNTYPED:
        raise APIError(400, f"Invalid '{name}': unsupported file type '{kind}'. Supported types: "
                            f"{', '.join(AUDIO_TYPES)}.", param=name, code="invalid_value")
    return data


def consent_form(form: Form) -> tuple[str, str]:
    """The `name` and `language` of a consent recording upload."""
    language = text_field(form, "language")
    if not LANGUAGE_TAG.fullmatch(language):
        raise APIError(400, f"Invalid 'language': '{language}' is not a BCP 47 language tag (for example, "
                            "'en-US').", param="language", code="invalid_value")
    name = text_field(form, "name")
    recording(form, "recording")
    return name, language


def consent_update(body: dict[str, Any]) -> str:
    name = required(body, "name", "string")
    if not name.strip():
        raise APIError(400, "Invalid 'name': empty string. Expected a non-empty value.", param="name",
                       code="invalid_value")
    return name


def consent_query(query: str) -> dict[str, Any]:
    """`after` and `limit` (1 to 100, 20 by default); newest first."""
    args = dict(parse_qsl(query, keep_blank_values=True))
    args.pop("order", None)  # not a parameter of this list
    return page_args(args, 20, 100, "desc")


@dataclass(frozen=True)
class VoiceRequest:
    name: str
    consent: str | None  # for a voice from an audio sample
    prompt: str | None  # for a voice from a text prompt


def voice_form(form: Form) -> VoiceRequest:
    """A voice from an audio sample (the default `type`) or a text prompt; JSON bodies come as fields."""
    kind = one_of({"type": form.one("type")}, "type", VOICE_TYPES) or "audio_sample"
    name = text_field(form, "name")
    if kind == "prompt":
        prompt = text_field(form, "prompt")
        one_of({"model": form.one("model")}, "model", VOICE_MODELS)
        if form.one("script_hint") is not None:
            text_field(form, "script_hint")
        return VoiceRequest(name, None, prompt)
    consent = text_field(form, "consent")
    recording(form, "audio_sample")
    return VoiceRequest(name, consent, None)


def json_form(body: dict[str, Any]) -> Form:
    """A JSON body read as a form's text fields, so both encodings are checked alike."""
    fields: dict[str, list[str]] = {}
    for name in ("type", "name", "prompt", "model", "script_hint", "consent"):
        value = body.get(name)
        if value is not None:
            fields[name] = [required(body, name, "string")]
    return Form(fields, {})


def prompt_voice_refused(voice_id: str) -> APIError:
    return APIError(400, f"Voice '{voice_id}' was created from a text prompt: such voices are supported only in "
                         "Live, not by the speech endpoint.", param="voice", code="unsupported_value")

