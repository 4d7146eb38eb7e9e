"""POST /v1/audio/speech, /v1/audio/transcriptions and /v1/audio/translations.

Encoding and decoding audio takes tens to hundreds of milliseconds: every answer is made on the offload worker
thread. Speech carries its text in the signal (generators.audio.modem), so a transcription of it gives the text
back in every format, lossy ones included.
"""
from __future__ import annotations

import base64
from typing import Any, Iterator

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.audio import transcript as shapes
from dummy_openai_api.generators.catalog.models import SPEECH, TRANSCRIPTION
from dummy_openai_api.proxy.core import sse
from dummy_openai_api.proxy.handlers.base import Handler, synthetic
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation import audio as checks
from dummy_openai_api.proxy.state.voices import VoiceStore
from dummy_openai_api.proxy.validation import model_name
from dummy_openai_api.proxy.validation.voices import prompt_voice_refused

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
SSE_CHUNK = 16 * 1024  # audio bytes per `speech.audio.delta` event
AUDIO_TOKENS_PER_SECOND = 20  # gpt-4o audio output is billed one token per 50 ms
# generators.audio.codec and .speech are imported where they are used: they load numpy and PyAV (about 100 ms),
# which a server that never hears an audio request should not wait for at start-up.


class Speech(Handler):
    """/v1/audio/speech"""

    @synthetic(offload="always")  # audio codecs are costly whatever the body says
    def post(self) -> Reply:
        from dummy_openai_api.generators.audio import codec, speech
        body = self.body()
        model = self.model(model_name(body), SPEECH)
        request = checks.speech_request(body, model.id)
        if isinstance(body["voice"], dict):
            self.custom_voice(request.voice)
        audio = speech.speak(request.input, request.speed, request.response_format)
        if request.stream_format == "sse":
            events = _speech_events(audio, request, speech.speaking_seconds(request.input, request.speed))
            return self.event_stream(events, "audio")
        return Reply(body=audio, content_type=codec.content_type(request.response_format))

    def custom_voice(self, voice_id: str) -> None:
        """A voice made by `/v1/audio/voices` from an audio sample; voices from text prompts speak only in Live."""
        voices: VoiceStore = self.services.voices
        if voices.voice(voice_id, "voice").get("type") == "prompt":
            raise prompt_voice_refused(voice_id)


def _speech_events(audio: bytes, request: checks.SpeechRequest, seconds: float) -> Iterator[bytes]:
    for at in range(0, len(audio), SSE_CHUNK):
        yield sse.event({"type": "speech.audio.delta", "audio": base64.b64encode(audio[at:at + SSE_CHUNK]).decode()})
    text = tokens.count(request.input + (request.instructions or ""), shapes.TOKENS_MODEL)
    output = round(seconds * AUDIO_TOKENS_PER_SECOND)
    yield sse.event({"type": "speech.audio.done",
                     "usage": {"input_tokens": text, "output_tokens": output, "total_tokens": text + output}})


class Transcriptions(Handler):
    """/v1/audio/transcriptions"""

    translation = False

    @synthetic(offload="always")  # audio codecs are costly whatever the body says
    def post(self) -> Reply:
        from dummy_openai_api.generators.audio import codec, speech
        form = checks.form(self.request.body, self.request.headers)
        model = self.model(self.request.context.get("deployment_model") or checks.model_field(form), TRANSCRIPTION)
        if self.translation and model.id != "whisper-1":
            raise checks.invalid_value("model", model.id, ("whisper-1",))
        request = checks.transcription_request(form, model.id, self.translation)
        try:
            decoded = codec.decode(request.data)
        except codec.Undecodable:
            raise checks.undecodable(request.filename) from None
        checks.duration_limit(model.id, decoded.seconds)
        heard = speech.listen(decoded, request.language)
        if self.translation:
            heard = speech.translated(heard)
        if request.stream:
            return self.event_stream(_transcript_events(heard, request), "audio")
        return self.answer(heard, request)

    def answer(self, heard: shapes.Transcript, request: checks.TranscriptionRequest) -> Reply:
        fmt = request.response_format
        if fmt in ("text", "srt", "vtt"):
            text = {"text": heard.text + "\n", "srt": shapes.srt(heard), "vtt": shapes.vtt(heard)}[fmt]
            return Reply(body=text.encode(), content_type=TEXT_CONTENT_TYPE)
        whisper = request.model == "whisper-1"
        usage = shapes.duration_usage(heard.seconds) if whisper else shapes.token_usage(heard, request.prompt)
        if fmt == "verbose_json":
            task = "translate" if self.translation else "transcribe"
            return Reply.json(shapes.verbose_body(heard, request.temperature, request.granularities, task,
                                                  None if self.translation else usage))
        if fmt == "diarized_json":
            return Reply.json(shapes.diarized_body(heard, _speaker(request), usage))
        body: dict[str, Any] = {"text": heard.text, **_languages(heard, request)}
        if request.logprobs:
            body["logprobs"] = shapes.logprobs(heard)
        if not self.translation:
            body["usage"] = usage
        return Reply.json(body)


def _speaker(request: checks.TranscriptionRequest) -> str:
    """One voice speaks throughout: the first known speaker's name, else the API's first label."""
    return request.speakers[0] if request.speakers else "A"


def _languages(heard: shapes.Transcript, request: checks.TranscriptionRequest) -> dict[str, Any]:
    """gpt-transcribe reports the languages it heard."""
    if not request.model.startswith("gpt-transcribe"):
        return {}
    from dummy_openai_api.generators.audio import speech
    return {"languages": [{"code": speech.language_code(heard.language)}] if heard.text else []}


def _transcript_events(heard: shapes.Transcript, request: checks.TranscriptionRequest) -> Iterator[bytes]:
    speaker = _speaker(request) if request.response_format == "diarized_json" else None
    for event in shapes.stream_events(heard, request.prompt, request.logprobs, speaker, _languages(heard, request)):
        yield sse.event(event)


class Translations(Transcriptions):
    """/v1/audio/translations: the transcript in English (generators.audio.speech.translated)."""

    translation = True
