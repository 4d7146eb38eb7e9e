"""Voice consents and custom voices through the official SDK: the consent lifecycle and its pagination, voices from
an audio sample (with a consent that must exist) or a text prompt, speech in a custom voice, the API's errors, and
the reset that clears them."""
from __future__ import annotations

import asyncio

import openai
import pytest

from tests.api.test_audio import TEXT, speak

WAV = ("consent.wav", b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav")


@pytest.fixture
def consent(client):
    return client.audio.voice_consents.create(name="John Doe", language="en-US", recording=WAV)


def test_consent_lifecycle(client, consent) -> None:
    assert consent.object == "audio.voice_consent" and consent.id.startswith("cons_")
    assert (consent.name, consent.language) == ("John Doe", "en-US") and consent.created_at > 0
    assert client.audio.voice_consents.retrieve(consent.id) == consent
    renamed = client.audio.voice_consents.update(consent.id, name="Jane Doe")
    assert (renamed.id, renamed.name, renamed.language) == (consent.id, "Jane Doe", "en-US")
    assert client.audio.voice_consents.retrieve(consent.id).name == "Jane Doe"
    deleted = client.audio.voice_consents.delete(consent.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (consent.id, True, "audio.voice_consent")
    with pytest.raises(openai.NotFoundError):
        client.audio.voice_consents.retrieve(consent.id)
    with pytest.raises(openai.NotFoundError):
        client.audio.voice_consents.delete(consent.id)


def test_consents_page_newest_first(client) -> None:
    made = [client.audio.voice_consents.create(name=f"n{i}", language="fr-CA", recording=WAV).id for i in range(5)]
    page = client.audio.voice_consents.list(limit=2)
    assert [c.id for c in page.data] == made[::-1][:2] and page.has_more
    assert [c.id for c in client.audio.voice_consents.list(limit=2)] == made[::-1]  # auto-paging follows `after`
    assert [c.id for c in client.audio.voice_consents.list(after=made[1]).data] == [made[0]]
    with pytest.raises(openai.NotFoundError):
        client.audio.voice_consents.list(after="cons_gone")


def test_voice_from_sample_speaks(client, consent) -> None:
    voice = client.audio.voices.create(name="My voice", consent=consent.id,
                                       audio_sample=("sample.mp3", speak(client), "audio/mpeg"))
    assert voice.object == "audio.voice" and voice.id.startswith("voice_")
    assert (voice.name, voice.type, voice.prompt) == ("My voice", "audio_sample", None)
    audio = speak(client, "wav", voice={"id": voice.id})
    assert client.audio.transcriptions.create(model="whisper-1", file=("a.wav", audio)).text == TEXT
    client.audio.voice_consents.delete(consent.id)  # the consent authorized the voice's creation only
    assert speak(client, "wav", voice={"id": voice.id})
    deleted = client.audio.voices.delete(voice.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (voice.id, True, "audio.voice.deleted")
    with pytest.raises(openai.NotFoundError) as gone:
        speak(client, voice={"id": voice.id})
    assert gone.value.body["param"] == "voice"
    with pytest.raises(openai.NotFoundError):
        client.audio.voices.delete(voice.id)


def test_voice_needs_an_existing_consent(client) -> None:
    with pytest.raises(openai.NotFoundError) as refused:
        client.audio.voices.create(name="x", consent="cons_1234", audio_sample=WAV)
    assert refused.value.body["param"] == "consent"


def test_voice_from_prompt(client, http) -> None:
    voice = client.audio.voices.create(name="Calm", prompt="A calm, low voice", type="prompt", model="auto",
                                       script_hint="Hello there, and welcome.")
    assert (voice.type, voice.prompt, voice.name) == ("prompt", "A calm, low voice", "Calm")
    as_json = http.post("/v1/audio/voices", json={"type": "prompt", "name": "Bright", "prompt": "A bright voice"})
    assert as_json.status_code == 200 and as_json.json()["type"] == "prompt"
    with pytest.raises(openai.BadRequestError) as refused:  # prompt voices speak only in Live
        speak(client, voice={"id": voice.id})
    assert refused.value.body["param"] == "voice"


@pytest.mark.parametrize("form, files, param", [
    ({"name": "n", "language": "en-US"}, {}, "recording"),
    ({"name": "n"}, {"recording": WAV}, "language"),
    ({"language": "en-US"}, {"recording": WAV}, "name"),
    ({"name": "n", "language": "english please"}, {"recording": WAV}, "language"),
    ({"name": "n", "language": "en-US"}, {"recording": ("a.png", b"\x89PNG", "image/png")}, "recording"),
    ({"name": "n", "language": "en-US"}, {"recording": ("a.wav", bytes(10 * 1024 * 1024 + 1), "audio/wav")},
     "recording"),
])
def test_consent_form_errors(http, form, files, param) -> None:
    parts = {**{name: (None, value) for name, value in form.items()}, **files}  # multipart even without a file
    answer = http.post("/v1/audio/voice_consents", files=parts)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param


@pytest.mark.parametrize("body, param", [
    ({"type": "prompt", "name": "n", "prompt": "   "}, "prompt"),
    ({"type": "prompt", "name": "n"}, "prompt"),
    ({"type": "prompt", "name": "n", "prompt": "p", "model": "tts-2"}, "model"),
    ({"type": "prompt", "name": "n", "prompt": "p", "script_hint": " "}, "script_hint"),
    ({"type": "clone", "name": "n"}, "type"),
    ({"type": "prompt", "prompt": "p"}, "name"),
    ({"type": "prompt", "name": 3, "prompt": "p"}, "name"),
    ({"name": "n", "consent": "cons_1"}, "audio_sample"),  # JSON carries no sample
])
def test_voice_errors(http, body, param) -> None:
    answer = http.post("/v1/audio/voices", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param


def test_list_and_update_errors(http, consent) -> None:
    assert http.get("/v1/audio/voice_consents?limit=0").json()["error"]["param"] == "limit"
    assert http.get("/v1/audio/voice_consents?limit=101").status_code == 400
    answer = http.post(f"/v1/audio/voice_consents/{consent.id}", json={})
    assert answer.status_code == 400 and answer.json()["error"]["param"] == "name"


def test_async_client_and_reset(async_client, admin) -> None:
    async def run() -> None:
        async with async_client:
            made = await async_client.audio.voice_consents.create(name="a", language="de", recording=WAV)
            assert [c.id async for c in async_client.audio.voice_consents.list()] == [made.id]
            admin.post("/_mock/reset").raise_for_status()
            assert [c async for c in async_client.audio.voice_consents.list()] == []
            with pytest.raises(openai.NotFoundError):
                await async_client.audio.voice_consents.retrieve(made.id)
    asyncio.run(run())
