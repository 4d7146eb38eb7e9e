"""The Audio API's requests: `POST /v1/audio/speech` (JSON) and the multipart forms of transcriptions and
translations, checked in the order and words the API uses, into typed requests.

Messages quoted from real answers: the 413 over 25 MB, "response_format '...' is not compatible with model",
"Audio file might be corrupted or unsupported", the invalid file format list and the gpt-4o models' longest
input. The refusals of `instructions`
and `stream_format: sse` for tts-1 follow the API's templates for unsupported parameters and values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation.files import form_parts
from dummy_openai_api.proxy.validation import (
    bounded, invalid_type, invalid_value, missing, one_of, required, string_too_long, typed,
)

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar", "fable", "onyx",
          "nova")
SPEECH_FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
MAX_INPUT_CHARS = 4096
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # "File uploads are currently limited to 25 MB"
FILE_FORMATS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")
TRANSCRIPT_FORMATS = ("json", "text", "srt", "verbose_json", "vtt", "diarized_json")
WHISPER_FORMATS = ("json", "text", "srt", "verbose_json", "vtt")
DIARIZE_FORMATS = ("json", "text", "diarized_json")
GPT_FORMATS = ("json", "text")


def classic_tts(model: str) -> bool:
    """tts-1 and tts-1-hd (and their dated versions) take no instructions and stream no SSE."""
    return model.startswith("tts-1")


def unsupported_parameter(param: str) -> APIError:
    return APIError(400, f"Unsupported parameter: '{param}' is not supported with this model.", param=param,
                    code="unsupported_parameter")


def unsupported_value(param: str, value: str, supported: tuple[str, ...]) -> APIError:
    listed = ", ".join(f"'{s}'" for s in supported)
    return APIError(400, f"Unsupported value: '{param}' does not support '{value}' with this model. Supported "
                         f"values are: {listed}.", param=param, code="unsupported_value")


@dataclass(frozen=True)
class SpeechRequest:
    model: str
    input: str
    voice: str
    instructions: str | None
    response_format: str
    speed: float
    stream_format: str


def speech_request(body: dict[str, Any], model: str) -> SpeechRequest:
    text = required(body, "input", "string")
    if len(text) > MAX_INPUT_CHARS:
        raise string_too_long("input", MAX_INPUT_CHARS, len(text))
    instructions = typed(body, "instructions", "string")
    if instructions and classic_tts(model):
        raise unsupported_parameter("instructions")
    stream_format = one_of(body, "stream_format", ("sse", "audio")) or "audio"
    if stream_format == "sse" and classic_tts(model):
        raise unsupported_value("stream_format", "sse", ("audio",))
    speed = bounded(body, "speed", "number", 0.25, 4.0)
    return SpeechRequest(model, text, voice(body), instructions, one_of(body, "response_format", SPEECH_FORMATS)
                         or "mp3", 1.0 if speed is None else float(speed), stream_format)


def voice(body: dict[str, Any]) -> str:
    """A built-in voice's name, or a custom voice's `{"id": "voice_..."}`."""
    value = required(body, "voice", "string", "object")
    if isinstance(value, dict):
        return required(value, "id", "string", param="voice.id")
    if value not in VOICES:
        raise invalid_value("voice", value, VOICES)
    return value


@dataclass(frozen=True)
class Form:
    fields: dict[str, list[str]]
    files: dict[str, tuple[str, bytes]]  # field name -> (file name, content)
    file_types: dict[str, str] = field(default_factory=dict)  # field name -> the part's Content-Type

    def one(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else None

    def many(self, name: str) -> tuple[str, ...]:
        return tuple(self.fields.get(name + "[]", ()) or self.fields.get(name, ()))


def form(body: bytes, headers: HTTPHeaders) -> Form:
    """A multipart body, with repeated fields (`include[]`, `timestamp_granularities[]`) kept as lists."""
    if len(body) > MAX_UPLOAD_BYTES:
        raise APIError(413, f"Maximum content size limit ({MAX_UPLOAD_BYTES}) exceeded ({len(body)} bytes read)",
                       type="server_error")
    arguments, uploaded = form_parts(body, headers)
    fields = {k: [v.decode("utf-8", "replace") for v in values] for k, values in arguments.items()}
    files = {k: (v[0].filename or "", v[0].body) for k, v in uploaded.items() if v}
    return Form(fields, files, {k: v[0].content_type or "" for k, v in uploaded.items() if v})


@dataclass(frozen=True)
class TranscriptionRequest:
    model: str
    filename: str
    data: bytes
    language: str | None
    prompt: str | None
    temperature: float
    response_format: str
    granularities: tuple[str, ...]
    logprobs: bool
    stream: bool
    speakers: tuple[str, ...]


def model_field(fields: Form) -> str:
    model = fields.one("model")
    if model is None:
        raise APIError(400, "you must provide a model parameter")
    return model


def audio_file(fields: Form) -> tuple[str, bytes]:
    if "file" not in fields.files:
        raise missing("file")
    return fields.files["file"]


def transcription_request(fields: Form, model: str, translation: bool) -> TranscriptionRequest:
    """The form of a transcription (or, with `translation`, a translation) for `model`."""
    filename, data = audio_file(fields)
    response_format = fields.one("response_format") or "json"
    allowed = WHISPER_FORMATS if translation else TRANSCRIPT_FORMATS
    if response_format not in allowed:
        raise invalid_value("response_format", response_format, allowed)
    compatible(model, response_format)
    logprobs = with_logprobs(fields, model, response_format)
    prompt = fields.one("prompt")
    if prompt and "diarize" in model:
        raise unsupported_parameter("prompt")
    return TranscriptionRequest(
        model, filename, data, None if translation else fields.one("language"), prompt, temperature(fields),
        response_format, granularities(fields) if response_format == "verbose_json" else (), logprobs,
        stream(fields) and model != "whisper-1", fields.many("known_speaker_names"))


def with_logprobs(fields: Form, model: str, response_format: str) -> bool:
    """`include[]=logprobs`: the gpt-4o transcribe models only (not the diarizing one), in json only."""
    include = fields.many("include")
    for item in include:
        if item != "logprobs":
            raise invalid_value("include[]", item, ("logprobs",))
    if include and (model == "whisper-1" or "diarize" in model):
        raise unsupported_parameter("include[]")
    if include and response_format != "json":
        raise unsupported_value("response_format", response_format, ("json",))
    return bool(include)


def compatible(model: str, response_format: str) -> None:
    """whisper-1 answers every format but diarized_json; the gpt-4o models json and text (and the diarizing one
    diarized_json too), in the API's words."""
    allowed: tuple[str, ...]
    if model == "whisper-1":
        allowed = WHISPER_FORMATS
    elif "diarize" in model:
        allowed = DIARIZE_FORMATS
    else:
        allowed = GPT_FORMATS
    if response_format not in allowed:
        listed = " or ".join(f"'{a}'" for a in allowed) if len(allowed) == 2 else \
            ", ".join(f"'{a}'" for a in allowed[:-1]) + f" or '{allowed[-1]}'"
        raise APIError(400, f"response_format '{response_format}' is not compatible with model '{model}'. "
                            f"Use {listed} instead.", param="response_format", code="unsupported_value")


def temperature(fields: Form) -> float:
    value = fields.one("temperature")
    if value is None:
        return 0.0
    try:
        number = float(value)
    except ValueError:
        raise invalid_type("temperature", value, "number") from None
    return float(bounded({"temperature": number}, "temperature", "number", 0, 1))


def granularities(fields: Form) -> tuple[str, ...]:
    chosen = fields.many("timestamp_granularities")
    for item in chosen:
        if item not in ("word", "segment"):
            raise invalid_value("timestamp_granularities[]", item, ("word", "segment"))
    return chosen


def stream(fields: Form) -> bool:
    value = (fields.one("stream") or "false").lower()
    if value not in ("true", "false"):
        raise invalid_type("stream", value, "boolean")
    return value == "true"


MAX_GPT_SECONDS = 1400  # the gpt-4o transcribe models' longest input; whisper-1 has none but the file size


def duration_limit(model: str, seconds: float) -> None:
    if model != "whisper-1" and seconds > MAX_GPT_SECONDS:
        raise APIError(400, f"audio duration {seconds} seconds is longer than {MAX_GPT_SECONDS} seconds which is the "
                            "maximum for this model", code="invalid_value")


def undecodable(filename: str) -> APIError:
    """A file FFmpeg cannot read: named by an extension the API does not take, or taken and unreadable."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FILE_FORMATS:
        return APIError(400, f"Invalid file format. Supported formats: {list(FILE_FORMATS)}")
    return APIError(400, "Audio file might be corrupted or unsupported", param="file", code="invalid_value")
