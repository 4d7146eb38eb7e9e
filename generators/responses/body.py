"""The Responses API's `response` object: the request's settings echoed the way the API echoes them.

Key order and defaults follow real recordings (2026: simonw/llm, chatlas, Arize, crewAI cassettes): `billing`
appears in plain JSON answers only, never in stream snapshots; `service_tier` is the requested tier (`auto`)
while a response is pending and the tier that served it (`default`) once it is done; function tools come back
normalised (`strict` true when the schema allows it, `additionalProperties: false` added).
"""
from __future__ import annotations

from typing import Any

from dummy_openai_api.generators.catalog.snapshots import served
from dummy_openai_api.generators.responses.request import ResponseRequest
from dummy_openai_api.generators.vector_search import file_search
from dummy_openai_api.generators.images import tool as image_tool

SERVED_TIER = {"flex": "flex", "priority": "priority", "fast": "priority", "scale": "scale"}
DEFAULT_LOCATION = {"type": "approximate", "city": None, "country": "US", "region": None, "timezone": None}


def usage(input_tokens: int, cached: int, output_tokens: int, reasoning_tokens: int) -> dict[str, Any]:
    return {"input_tokens": input_tokens,
            "input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": cached},
            "output_tokens": output_tokens, "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
            "total_tokens": input_tokens + output_tokens}


def response_object(request: ResponseRequest, *, response_id: str, created_at: int, status: str,
                    output: list[dict[str, Any]] | None = None, usage: dict[str, Any] | None = None,
                    completed_at: int | None = None, web_searches: int = 0,
                    image_usage: dict[str, Any] | None = None, snapshot: bool = False) -> dict[str, Any]:
    """The response object; `snapshot` is the form carried by stream events (no billing, requested tier)."""
    done = status in ("completed", "incomplete", "failed", "cancelled")
    echo = request.echo
    body: dict[str, Any] = {"id": response_id, "object": "response", "created_at": created_at, "status": status,
                            "background": request.background}
    if not snapshot:
        body["billing"] = {"payer": "developer"}
    tier = echo.service_tier
    body.update({
        "completed_at": completed_at, "error": None, "frequency_penalty": echo.frequency_penalty,
        "incomplete_details": {"reason": "max_output_tokens"} if status == "incomplete" else None,
        "instructions": request.prompt.instructions, "max_output_tokens": request.max_output_tokens,
        "max_tool_calls": echo.max_tool_calls, "model": served(request.model_name), "moderation": None,
        "output": output or [], "parallel_tool_calls": request.parallel_tool_calls,
        "presence_penalty": echo.presence_penalty, "previous_response_id": request.prompt.previous_response_id,
        "prompt_cache_key": echo.prompt_cache_key, "prompt_cache_retention": echo.prompt_cache_retention,
        "reasoning": reasoning_echo(request), "safety_identifier": echo.safety_identifier,
        "service_tier": SERVED_TIER.get(tier, "default") if done else tier, "store": request.store,
        "temperature": echo.temperature, "text": text_echo(request.text_format, request.verbosity),
        "tool_choice": request.tool_choice or "auto", "tool_usage": tool_usage(web_searches, image_usage),
        "tools": [tool_echo(tool) for tool in request.prompt.tools], "top_logprobs": request.top_logprobs,
        "top_p": echo.top_p, "truncation": request.truncation, "usage": usage, "user": echo.user,
        "metadata": echo.metadata or {},
    })
    if request.prompt.conversation:
        body["conversation"] = {"id": request.prompt.conversation}
    return body


def reasoning_echo(request: ResponseRequest) -> dict[str, Any]:
    """Reasoning settings; reasoning models also state the context and mode they ran with."""
    if not request.model.reasoning:
        return {"effort": None, "summary": None}
    summary = request.summary
    if summary == "auto":  # what `auto` resolves to (Mirascope gpt-5 recording)
        summary = "detailed"
    return {"context": "current_turn", "effort": request.effort, "mode": "standard", "summary": summary}


def text_echo(fmt: dict[str, Any] | None, verbosity: str) -> dict[str, Any]:
    shown = dict(fmt or {"type": "text"})
    if shown.get("type") == "json_schema":
        shown = {"type": "json_schema", "description": shown.get("description"), "name": shown.get("name"),
                 "schema": shown.get("schema"), "strict": bool(shown.get("strict"))}
    return {"format": shown, "verbosity": verbosity}


def tool_usage(web_searches: int, image_usage: dict[str, Any] | None = None) -> dict[str, Any]:
    zero = {"image_tokens": 0, "text_tokens": 0}
    image_gen = image_usage or {"input_tokens": 0, "input_tokens_details": dict(zero), "output_tokens": 0,
                                "output_tokens_details": dict(zero), "total_tokens": 0}
    return {"image_gen": image_gen, "web_search": {"num_requests": web_searches}}


def tool_echo(tool: dict[str, Any]) -> dict[str, Any]:
    """A tool as the API echoes it, with its defaults filled in."""
    kind = tool.get("type")
    if kind == "function":
        parameters = tool.get("parameters")
        strict = tool.get("strict")
        strict = strict_compatible(parameters) if strict is None else bool(strict)
        if strict and isinstance(parameters, dict) and "additionalProperties" not in parameters:
            parameters = {**parameters, "additionalProperties": False}
        return {"type": "function", "description": tool.get("description"), "name": tool.get("name"),
                "parameters": parameters, "strict": strict}
    if kind in ("web_search", "web_search_2025_08_26"):
        return {"type": kind, "filters": tool.get("filters"), "search_context_size":
                tool.get("search_context_size") or "medium", "user_location": _location(tool)}
    if kind == file_search.TOOL:
        return file_search.tool_echo(tool)
    if kind == image_tool.TOOL_TYPE:
        return image_tool.echo(tool)
    if kind in ("web_search_preview", "web_search_preview_2025_03_11"):
        return {"type": kind, "search_context_size": tool.get("search_context_size") or "medium",
                "user_location": _location(tool)}
    return dict(tool)


def _location(tool: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULT_LOCATION, **(tool.get("user_location") or {})}


def strict_compatible(schema: Any) -> bool:
    """Strict mode needs every object's properties all required (the API then defaults `strict` to true)."""
    if not isinstance(schema, dict):
        return schema is None
    properties = schema.get("properties")
    if isinstance(properties, dict):
        if set(properties) - set(schema.get("required") or []):
            return False
        if not all(strict_compatible(value) for value in properties.values()):
            return False
    items = schema.get("items")
    return strict_compatible(items) if isinstance(items, dict) else True
