"""Custom voices and the consent recordings that authorize them (`/v1/audio/voice_consents`, `/v1/audio/voices`).

Only their metadata is kept (the recordings themselves are never read back through the API). Bounded, and cleared by
`/_mock/reset`.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.chat_store import paged
from dummy_openai_api.proxy.state.file_store import new_id

MOST_OBJECTS = 10_000  # of each kind


def consent_not_found(consent_id: str, param: str = "consent_id") -> APIError:
    return APIError(404, f"No voice consent found with id '{consent_id}'.", param=param)


def voice_not_found(voice_id: str, param: str = "voice_id") -> APIError:
    return APIError(404, f"No voice found with id '{voice_id}'.", param=param)


class VoiceStore:
    """Consents and voices by id, oldest first; lists are newest first, as the API's lists default to."""

    def __init__(self, limit: int = MOST_OBJECTS) -> None:
        self.limit = limit
        self.consents: Any = OrderedDict()  # id -> consent (a TableMapping when shared: proxy.state.shared)
        self.voices: Any = OrderedDict()

    def reset(self) -> None:
        self.consents.clear()
        self.voices.clear()

    def add_consent(self, name: str, language: str) -> dict[str, Any]:
        consent = {"object": "audio.voice_consent", "id": new_id("cons_"), "name": name, "language": language,
                   "created_at": int(time.time())}
        return self._keep(self.consents, consent, "voice consents")

    def consent(self, consent_id: str) -> dict[str, Any]:
        found = self.consents.get(consent_id)
        if found is None:
            raise consent_not_found(consent_id)
        return found

    def rename_consent(self, consent_id: str, name: str) -> dict[str, Any]:
        consent = {**self.consent(consent_id), "name": name}
        self.consents[consent_id] = consent  # written back: a shared store keeps a copy
        return consent

    def delete_consent(self, consent_id: str) -> dict[str, Any]:
        """Voices made with the consent stay usable: the consent authorized their creation only."""
        if self.consents.pop(consent_id, None) is None:
            raise consent_not_found(consent_id)
        return {"object": "audio.voice_consent", "id": consent_id, "deleted": True}

    def consent_page(self, args: dict[str, Any]) -> dict[str, Any]:
        return paged(list(self.consents.values()), args, lambda after: consent_not_found(after, "after"))

    def add_voice(self, name: str, consent_id: str | None, prompt: str | None) -> dict[str, Any]:
        """A voice from an audio sample (`consent_id` must exist) or, without one, from a text prompt."""
        if consent_id is not None and consent_id not in self.consents:
            raise consent_not_found(consent_id, "consent")
        voice: dict[str, Any] = {"object": "audio.voice", "id": new_id("voice_"), "name": name,
                                 "created_at": int(time.time()),
                                 "type": "audio_sample" if prompt is None else "prompt"}
        if prompt is not None:
            voice["prompt"] = prompt
        return self._keep(self.voices, voice, "custom voices")

    def voice(self, voice_id: str, param: str = "voice_id") -> dict[str, Any]:
        found = self.voices.get(voice_id)
        if found is None:
            raise voice_not_found(voice_id, param)
        return found

    def delete_voice(self, voice_id: str) -> dict[str, Any]:
        if self.voices.pop(voice_id, None) is None:
            raise voice_not_found(voice_id)
        return {"object": "audio.voice.deleted", "id": voice_id, "deleted": True}

    def _keep(self, kept: Any, item: dict[str, Any], what: str) -> dict[str, Any]:
        if len(kept) >= self.limit:
            raise APIError(429, f"This server keeps at most {self.limit} {what}; delete some or reset it.",
                           type="rate_limit_error", code="rate_limit_exceeded")
        kept[item["id"]] = item
        return item
