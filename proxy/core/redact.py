"""Secrets out of what the server shows: the journal, the dashboard, logs and error messages.

Recordings have their own, stricter scrubbing (proxy.cassettes.scrub); this is for text shown to people, where an
`sk-...` key, the value of a query parameter named like a credential, or one of the configured keys may turn
up in a path, a query string or a message that echoes what a client sent.
"""
from __future__ import annotations

import re
from typing import Iterable

REDACTED = "REDACTED"
KEY = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")  # OpenAI-style keys: sk-..., sk-proj-..., sk-svcacct-...
QUERY_SECRET = re.compile(r"((?:^|[?&;])(?:api[_-]?key|apikey|key|access[_-]?token|token|secret|password|sig)=)"
                          r"[^&;#]*", re.I)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with configured secrets and `sk-...` keys replaced; cheap when there is none."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return KEY.sub("sk-" + REDACTED, text) if "sk-" in text else text


def redact_query(query: str, secrets: Iterable[str] = ()) -> str:
    """A query string with keys redacted, and the values of `api_key=`, `key=`, `token=`... too."""
    return QUERY_SECRET.sub(r"\1" + REDACTED, redact(query, secrets)) if query else query
