"""The Responses API's `response` object: the request's settings echoed the way the API echoes them.

Key order and defaults follow real recordings (2026: simonw/llm, chatlas, Arize, crewAI cassettes): `billing`
appears in plain JSON answers only, never in stream snapshots; `service_tier` is the requested tier (`auto`)
while a response is pending and the tier that served it (`default`) once it is done; function tools come back
normalised (`strict` true when the schema allows it, `additionalProperties: false` added).
"""
from __future__ import annotations

from typing import Any

from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.generators.catalog.snapshots import served
from dummy_openai_api.generators.vector_search import file_search
from dummy_openai_api.generators.images import tool as image_tool

SERVED_TIER = {"flex": "flex", "priority": "priority", "fast": "priority", "scale": "scale"}
DEFAULT_LOCATION = {"type": "approximate", "city": None, "country": "US", "region": None, "timezone": None}


def usage(input_tokens: int, cached: int, output_tokens: int, reasoning_tokens: int) -> dict[str, Any]:
    return {"input_tokens": input_tokens,
            "input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": cached},
            "output_tokens": output_tokens, "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
            "total_tokens": input_tokens + output_tokens}


def response_object(request: dict[str, Any], model: Model, *, response_id: str, created_at: int, status: str,
                    effort: str | None, output: list[dict[str, Any]] | None = None,
                    usage: dict[str, Any] | None = None, completed_at: int | None = None,
                    web_searches: int = 0, image_usage: dict[str, Any] | None = None,
                    snapshot: bool = False) -> dict[str, Any]:
    """The response object; `snapshot` is the form carried by stream events (no billing, requested tier)."""
    done = status in ("completed", "incomplete", "failed", "cancelled")
    body: dict[str, Any] = {"id": response_id, "object": "response", "created_at": created_at, "status": status,
                            "background": bool(request.get("background"))}
    if not snapshot:
        body["billing"] = {"payer": "developer"}
    tier = request.get("service_tier") or "auto"
    body.update({
        "completed_at": completed_at, "error": None,
        "frequency_penalty": float(request.get("frequency_penalty") or 0.0),
        "incomplete_details": {"reason": "max_output_tokens"} if status == "incomplete" else None,
        "instructions": request.get("instructions"), "max_output_tokens": request.get("max_output_tokens"),
        "max_tool_calls": request.get("max_tool_calls"), "model": served(request["model"]), "moderation": None,
        "output": output or [], "parallel_tool_calls": request.get("parallel_tool_calls", True) is not False,
        "presence_penalty": float(request.get("presence_penalty") or 0.0),
        "previous_response_id": request.get("previous_response_id"),
        "prompt_cache_key": request.get("prompt_cache_key"),
        "prompt_cache_retention": request.get("prompt_cache_retention"),
        "reasoning": reasoning_echo(model, request, effort), "safety_identifier": request.get("safety_identifier"),
        "service_tier": SERVED_TIER.get(tier, "default") if done else tier,
        "store": request.get("store") is not False,
        "temperature": float(_given(request.get("temperature"), 1.0)),
        "text": text_echo(request.get("text")), "tool_choice": request.get("tool_choice") or "auto",
        "tool_usage": tool_usage(web_searches, image_usage),
        "tools": [tool_echo(tool) for tool in request.get("tools") or []],
        "top_logprobs": request.get("top_logprobs") or 0, "top_p": float(_given(request.get("top_p"), 1.0)),
        "truncation": request.get("truncation") or "disabled", "usage": usage, "user": request.get("user"),
        "metadata": request.get("metadata") or {},
    })
    conversation = conversation_id(request.get("conversation"))
    if conversation:
        body["conversation"] = {"id": conversation}
    return body


def _given(value: Any, default: float) -> Any:
    return default if value is None else value


def conversation_id(value: Any) -> str | None:
    """`conversation` is an id or `{"id": ...}`."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def reasoning_echo(model: Model, request: dict[str, Any], effort: str | None) -> dict[str, Any]:
    """Reasoning settings; reasoning models also state the context and mode they ran with."""
    asked = request.get("reasoning") or {}
    summary = asked.get("summary") or asked.get("generate_summary")
    summary = "detailed" if summary == "auto" else summary  # what `auto` resolves to (Mirascope gpt-5 recording)
    if not model.reasoning:
        return {"effort": None, "summary": None}
    return {"context": "current_turn", "effort": effort, "mode": "standard", "summary": summary}


def text_echo(text: dict[str, Any] | None) -> dict[str, Any]:
    text = text or {}
    fmt = dict(text.get("format") or {"type": "text"})
    if fmt.get("type") == "json_schema":
        fmt = {"type": "json_schema", "description": fmt.get("description"), "name": fmt.get("name"),
               "schema": fmt.get("schema"), "strict": bool(fmt.get("strict"))}
    return {"format": fmt, "verbosity": text.get("verbosity") or "medium"}


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
