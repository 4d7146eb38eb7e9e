"""What custom tool definitions cost in prompt tokens.

One real recording (gpt-5, 2025: one custom tool with a 56-token lark grammar, a 4-token description and a
2-token name) took 241 prompt tokens where the message alone takes 18: the tool costs 223, of which 161 are
not its own words. They are counted once, as the text that introduces custom tools to the model, and each
tool adds its name, description and grammar definition.
"""
from __future__ import annotations

from typing import Any, Protocol, Sequence

from dummy_openai_api.generators.custom_tools.inputs import grammar_of

CUSTOM_TOOLS_PREAMBLE = 161


class Encoding(Protocol):
    def encode_ordinary(self, text: str) -> list[int]: ...


def custom_definition(tool: Any) -> dict[str, Any] | None:
    """A custom tool's definition, from chat's nested form or the Responses API's flat one; None for others."""
    if not isinstance(tool, dict) or tool.get("type") != "custom":
        return None
    nested = tool.get("custom")
    definition = nested if isinstance(nested, dict) else tool
    return definition if isinstance(definition.get("name"), str) else None


def custom_tool_tokens(tools: Sequence[Any], enc: Encoding) -> int:
    definitions = [d for d in map(custom_definition, tools) if d is not None]
    if not definitions:
        return 0
    return CUSTOM_TOOLS_PREAMBLE + sum(len(enc.encode_ordinary(text)) for d in definitions for text in _words(d))


def _words(definition: dict[str, Any]) -> list[str]:
    grammar = grammar_of(definition.get("format"))
    texts = [definition["name"], definition.get("description")]
    if isinstance(grammar, dict):
        texts.append(grammar.get("definition"))
    return [t for t in texts if isinstance(t, str)]
