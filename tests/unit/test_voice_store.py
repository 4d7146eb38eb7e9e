"""The voice store's bound: past its limit a new consent or voice is refused with a 429, not kept."""
from __future__ import annotations

import pytest

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.state.voices import VoiceStore


def test_bounded_and_reset() -> None:
    store = VoiceStore(limit=2)
    consent = store.add_consent("a", "en")
    store.add_consent("b", "en")
    with pytest.raises(APIError) as refused:
        store.add_consent("c", "en")
    assert refused.value.status == 429 and len(store.consents) == 2
    store.add_voice("v", consent["id"], None)
    store.add_voice("w", None, "a prompt")
    with pytest.raises(APIError):
        store.add_voice("x", None, "a prompt")
    store.reset()
    assert not store.consents and not store.voices
