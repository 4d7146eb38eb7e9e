"""Function tools and structured outputs for the Responses API (provisional minimum)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from generators.chat import base62


@dataclass(frozen=True)
class Call:
    id: str
    name: str
    arguments: str


def plan(messages: list[dict[str, Any]], tools: list[dict[str, Any]], tool_choice: Any, parallel: bool,
         seed: bytes) -> list[Call]:
    functions = [tool for tool in tools if isinstance(tool, dict) and tool.get("type") == "function"]
    if not functions or tool_choice == "none" or (messages and messages[-1].get("role") == "tool"):
        return []
    if isinstance(tool_choice, dict):
        functions = [f for f in functions if f.get("name") == tool_choice.get("name")]
    elif tool_choice != "required":
        text = " ".join(str(m.get("content")) for m in messages if m.get("role") == "user").lower()
        functions = [f for f in functions if any(w in text for w in re.findall(r"[a-z]{4,}", f["name"].lower()))]
    if not functions:
        return []
    chosen = functions if parallel else functions[:1]
    import json
    return [Call("call_" + base62(hashlib.sha256(seed + bytes([i])).digest(), 24), f["name"],
                 json.dumps(schema_instance(f.get("parameters") or {}, seed, messages), separators=(",", ":")))
            for i, f in enumerate(chosen)]


def schema_instance(schema: dict[str, Any], seed: bytes, messages: list[dict[str, Any]]) -> Any:
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        return {k: schema_instance(v, seed, messages) for k, v in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [schema_instance(schema.get("items") or {}, seed, messages)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return "example"
