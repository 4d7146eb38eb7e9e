"""Function tools as the model reads them in its prompt: TypeScript declarations in a `functions` namespace.

Counting this text (rather than the tools' JSON) gives the prompt tokens real recordings show, within a few
tokens: Mirascope's gpt-4o get_weather call, 74 against a recorded 75; chatlas' Responses call, 45 against 47.
"""
from __future__ import annotations

from typing import Any


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
    return {"integer": "number", "object": "object", "null": "null"}.get(kind, kind) if isinstance(kind, str) else "any"
