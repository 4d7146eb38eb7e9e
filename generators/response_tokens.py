"""Input tokens of a Responses API request, calibrated on real recordings.

Messages cost what the chat cookbook formula says, less two tokens, plus one per message: a single
five-token message is 11 input tokens (simonw/llm "Reply with exactly: pong", chatlas "What is the weather?"),
instructions plus a twelve-token message 27 (crewAI). Function tools are rendered into the prompt the way the
model sees them, as TypeScript declarations in a `functions` namespace; counting that text gives the real
totals within a few tokens (chatlas get_weather: 47, DataDog get_current_weather: 75). Each web search tool
adds its fixed instructions (DataDog "Hello world" with web_search_preview: 303).
"""
from __future__ import annotations

from typing import Any

from generators import tokens

WEB_SEARCH_TOKENS = 295


def prompt_tokens(messages: list[dict[str, Any]], model: str, tools: list[dict[str, Any]] | None = None) -> int:
    count = tokens.count_chat_prompt(messages, model) + len(messages) - 2
    functions = [tool for tool in tools or [] if tool.get("type") == "function"]
    if functions:
        count += tokens.count(render_functions(functions), model)
    count += WEB_SEARCH_TOKENS * sum(1 for tool in tools or [] if str(tool.get("type", "")).startswith("web_search"))
    return max(count, 1)


def render_functions(functions: list[dict[str, Any]]) -> str:
    """Function tools as the model reads them: `type name = (_: {...}) => any;` with descriptions as comments."""
    blocks = []
    for function in functions:
        lines = [f"// {function['description']}"] if function.get("description") else []
        parameters = function.get("parameters") or {}
        if isinstance(parameters.get("properties"), dict) and parameters["properties"]:
            lines.append(f"type {function.get('name', '')} = (_: {{")
            lines.extend(_properties(parameters))
            lines.append("}) => any;")
        else:
            lines.append(f"type {function.get('name', '')} = () => any;")
        blocks.append("\n".join(lines))
    return "# Tools\n\n## functions\n\nnamespace functions {\n\n" + "\n\n".join(blocks) + \
        "\n\n} // namespace functions"


def _properties(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    lines = []
    for name, spec in (schema.get("properties") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        if spec.get("description"):
            lines.append(f"// {spec['description']}")
        lines.append(f"{name}{'' if name in required else '?'}: {_type(spec)},")
    return lines


def _type(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return " | ".join(f'"{value}"' if isinstance(value, str) else str(value).lower() for value in spec["enum"])
    kind = spec.get("type")
    if isinstance(kind, list):
        return " | ".join(_type({**spec, "type": each}) for each in kind)
    if kind == "array":
        return f"{_type(spec.get('items') or {})}[]"
    if kind == "object" and isinstance(spec.get("properties"), dict) and spec["properties"]:
        return "{\n" + "\n".join(_properties(spec)) + "\n}"
    return {"integer": "number", "object": "object", "null": "null"}.get(kind, kind if isinstance(kind, str) else "any")
