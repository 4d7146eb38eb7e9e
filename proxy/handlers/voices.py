"""/v1/audio/voice_consents and /v1/audio/voices: consent recordings and the custom voices they authorize.

They are this server's own state in every mode (proxy.state.voices), like files and vector stores: never
forwarded or replayed. A voice made here is then taken by `/v1/audio/speech` as `voice: {"id": ...}`.
"""
from __future__ import annotations

from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.state.voices import VoiceStore
from dummy_openai_api.proxy.validation import audio
from dummy_openai_api.proxy.validation import voices as checks


class VoiceHandler(Handler):
    @property
    def voices(self) -> VoiceStore:
        return self.services.voices

    def form(self) -> audio.Form:
        return audio.form(self.request.body, self.request.headers)


class VoiceConsents(VoiceHandler):
    """/v1/audio/voice_consents"""

    def post(self) -> Reply:
        name, language = checks.consent_form(self.form())
        return Reply.json(self.voices.add_consent(name, language))

    def get(self) -> Reply:
        return Reply.json(self.voices.consent_page(checks.consent_query(self.request.query)))


class VoiceConsent(VoiceHandler):
    """/v1/audio/voice_consents/{consent_id}"""

    @property
    def consent_id(self) -> str:
        return self.request.path_args["consent_id"]

    def get(self) -> Reply:
        return Reply.json(self.voices.consent(self.consent_id))

    def post(self) -> Reply:
        return Reply.json(self.voices.rename_consent(self.consent_id, checks.consent_update(self.body())))

    def delete(self) -> Reply:
        return Reply.json(self.voices.delete_consent(self.consent_id))


class Voices(VoiceHandler):
    """/v1/audio/voices: from an audio sample and a consent (multipart), or from a text prompt (multipart or
    JSON)."""

    def post(self) -> Reply:
        is_json = self.request.headers.get("Content-Type", "").lower().startswith("application/json")
        request = checks.voice_form(checks.json_form(self.body()) if is_json else self.form())
        return Reply.json(self.voices.add_voice(request.name, request.consent, request.prompt))


class Voice(VoiceHandler):
    """/v1/audio/voices/{voice_id}"""

    def delete(self) -> Reply:
        return Reply.json(self.voices.delete_voice(self.request.path_args["voice_id"]))
