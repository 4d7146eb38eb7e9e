"""A structured-output request whose schema pattern backtracks catastrophically is answered, not left hanging."""
from __future__ import annotations

import json

import httpx

from tests.conftest import chat_body


def test_a_catastrophic_pattern_gets_an_answer(http: httpx.Client) -> None:
    schema = {"type": "object", "additionalProperties": False, "required": ["code"],
              "properties": {"code": {"type": "string", "pattern": r"^(?=(a+)+b)a{40}$"}}}
    body = chat_body(messages=[{"role": "user", "content": "Give me the code 1" + "a" * 60 + "b"}],
                     response_format={"type": "json_schema",
                                      "json_schema": {"name": "code", "strict": True, "schema": schema}})
    answer = http.post("/v1/chat/completions", json=body, timeout=120)
    assert answer.status_code == 200, answer.text
    assert "code" in json.loads(answer.json()["choices"][0]["message"]["content"])
