"""POST /v1/traces/ingest: where the OpenAI Agents SDK uploads its traces and spans.

Accepted quietly with the API's empty 204, in every mode (an upload is not a request to replay or record),
so offline agent runs log no tracing errors; what was sent stays in the journal for tests to read.
"""
from __future__ import annotations

from dummy_openai_api.proxy.handlers.base import Handler
from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.validation.traces import ingest_body


class TracesIngest(Handler):
    """/v1/traces/ingest"""

    def post(self) -> Reply:
        ingest_body(self.body())
        return Reply(status=204)
