"""Input tokens of a Responses API request, calibrated on real recordings.

Messages cost what the chat cookbook formula says, less two tokens, plus one per message: a single
five-token message is 11 input tokens (simonw/llm "Reply with exactly: pong", chatlas "What is the weather?"),
instructions plus a twelve-token message 27 (crewAI). Function tools are rendered into the prompt the way the
model sees them, as TypeScript declarations in a `functions` namespace; counting that text gives the real
totals within a few tokens (chatlas get_weather: 47, DataDog get_current_weather: 75). Each web search tool
adds its fixed instructions (DataDog "Hello world" with web_search_preview: 303). Custom tools cost what
they cost in chat (generators.custom_tools.prompt).
"""
from __future__ import annotations

from typing import Any, Sequence

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.custom_tools.prompt import custom_tool_tokens
from dummy_openai_api.generators.tools.declarations import render_functions

WEB_SEARCH_TOKENS = 295


def prompt_tokens(messages: list[dict[str, Any]], model: str, tools: Sequence[dict[str, Any]] = ()) -> int:
    count = tokens.count_chat_prompt(messages, model) + len(messages) - 2
    functions = [tool for tool in tools if tool.get("type") == "function"]
    if functions:
        count += tokens.count(render_functions(functions), model)
    count += custom_tool_tokens(tools, tokens.encoding_for(model))
    count += WEB_SEARCH_TOKENS * sum(1 for tool in tools if str(tool.get("type", "")).startswith("web_search"))
    return max(count, 1)
