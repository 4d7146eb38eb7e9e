"""Secrets out of recordings: credential headers dropped, API keys inside bodies replaced.

Cassettes get committed to public repositories, so nothing that authenticates (the upstream key, the
client's key, cookies, organisation and project ids) may reach one.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from dummy_openai_api.proxy.cassettes.formats import Interaction

REQUEST_SECRETS = frozenset({"authorization", "api-key", "openai-organization", "openai-project", "cookie",
                             "proxy-authorization", "x-api-key"})
RESPONSE_SECRETS = frozenset({"set-cookie", "openai-organization", "openai-project"})
REDACTED = "REDACTED"
# OpenAI-style keys (sk-..., sk-proj-..., sk-svcacct-...) anywhere in a body or URL.
KEY_PATTERN = re.compile(rb"sk-[A-Za-z0-9_\-]{8,}")
# JSON fields that carry keys: "api_key": "...", "apiKey": "...", also as JSON quoted inside a JSON string
# (an error message that echoes a request's field: \"api_key\":\"...\")
KEY_FIELD_PATTERN = re.compile(rb'(\\?"(?:api[_-]?key|apiKey|access_token|secret)\\?"\s*:\s*\\?")([^"\\]*)(\\?")',
                               re.I)


def scrub_bytes(data: bytes, secrets: Iterable[str] = ()) -> bytes:
    for secret in secrets:
        if secret:
            data = data.replace(secret.encode(), REDACTED.encode())
    data = KEY_FIELD_PATTERN.sub(rb"\1" + REDACTED.encode() + rb"\3", data)
    return KEY_PATTERN.sub(b"sk-" + REDACTED.encode(), data)


def scrub_interaction(interaction: Interaction, secrets: Iterable[str] = ()) -> Interaction:
    """A copy of `interaction` that is safe to write to a cassette."""
    secrets = tuple(secrets)
    return replace(
        interaction,
        uri=scrub_bytes(interaction.uri.encode(), secrets).decode(),
        request_headers={k: v for k, v in interaction.request_headers.items() if k.lower() not in REQUEST_SECRETS},
        response_headers={k: v for k, v in interaction.response_headers.items()
                          if k.lower() not in RESPONSE_SECRETS},
        request_body=scrub_bytes(interaction.request_body, secrets),
        response_body=scrub_bytes(interaction.response_body, secrets),
    )


def secrets_in(interaction: Interaction) -> list[str]:
    """What a checker should flag: credential headers present, key-like strings in bodies or the URL."""
    found = [f"request header {k}" for k in interaction.request_headers if k.lower() in REQUEST_SECRETS
             and not _placeholder(interaction.request_headers[k])]
    found += [f"response header {k}" for k in interaction.response_headers if k.lower() in ("set-cookie",)]
    for where, data in (("url", interaction.uri.encode()), ("request body", interaction.request_body),
                        ("response body", interaction.response_body)):
        if any(match.group() != b"sk-" + REDACTED.encode() for match in KEY_PATTERN.finditer(data)):
            found.append(f"API key in {where}")
    return found


def _placeholder(values: list[str]) -> bool:
    """`Bearer <redacted>`-style values that recorders put in place of a real credential."""
    text = " ".join(values).lower()
    return not text or any(word in text for word in ("redacted", "filtered", "xxx", "dummy", "fake", "placeholder", "test", "<"))
