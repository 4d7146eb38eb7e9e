"""The Responses API's `image_generation` tool: when the model draws, and the `image_generation_call` it writes.

The model draws when the tool is forced (`tool_choice` `{"type": "image_generation"}` or `required`) or when the
latest user message asks for a picture ("draw", "an image of", ...). The call's picture is made as the Images
API makes a GPT image model's, from the tool's settings (model, size, quality, format, background), so the
same request gives the same picture; its token usage is the response's `tool_usage.image_gen`.
"""
from __future__ import annotations

import base64
import re
from typing import Any, Sequence

from dummy_openai_api.generators.images import answers, catalog
from dummy_openai_api.generators.images.request import GENERATIONS, ImageRequest
from dummy_openai_api.generators.responses.request import ResponseRequest

TOOL_TYPE = "image_generation"
DEFAULT_MODEL = "gpt-image-1"
ASKS = re.compile(r"\b(draw|paint|sketch|illustrate|render)\b|\b(image|picture|drawing|illustration|logo|icon)s?\b"
                  r"\s+(of|for|showing)\b|\b(generate|create|make|design)\b.{0,40}\b(image|picture|logo|icon)s?\b",
                  re.IGNORECASE | re.DOTALL)


def echo(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool as a response echoes it, with its defaults filled in."""
    defaults = {"background": "auto", "model": DEFAULT_MODEL, "moderation": "auto", "output_compression": 100,
                "output_format": "png", "quality": "auto", "size": "auto"}
    return {"type": TOOL_TYPE, **defaults, **{k: v for k, v in tool.items() if v is not None}}


def offered(tools: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The request's `image_generation` tool, if it offers one."""
    return next((tool for tool in tools if tool.get("type") == TOOL_TYPE), None)


def wanted(request: ResponseRequest, prompt: str) -> dict[str, Any] | None:
    """The tool, when this turn draws with it."""
    tool = offered(request.prompt.tools)
    choice = request.tool_choice
    if tool is None or choice == "none":
        return None
    forced = choice == "required" or (isinstance(choice, dict) and choice.get("type") == TOOL_TYPE)
    return tool if forced or ASKS.search(prompt) else None


def request(tool: dict[str, Any], prompt: str) -> ImageRequest:
    """The tool's settings as a GPT image request (checked with the response's other fields)."""
    model = catalog.spec(tool.get("model") or DEFAULT_MODEL)
    size = tool.get("size") or "auto"
    width, height = catalog.auto_size(prompt) if size == "auto" else map(int, size.split("x"))
    background = tool.get("background") or "auto"
    if background == "auto":
        background = "transparent" if "transparent" in prompt.lower() else "opaque"
    quality = tool.get("quality") or "auto"
    return ImageRequest(GENERATIONS, model, prompt, 1, width, height, "medium" if quality == "auto" else quality,
                        "b64_json", tool.get("output_format") or "png", _compression(tool),
                        background, partial_images=tool.get("partial_images") or 0,
                        fields={"tool": tool, "prompt": prompt})


def _compression(tool: dict[str, Any]) -> int:
    value = tool.get("output_compression")
    return 100 if value is None else value


def call_item(item_id: str, tool: dict[str, Any], prompt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the `image_generation_call` output item, the image usage it adds to `tool_usage.image_gen`)."""
    made = request(tool, prompt)
    item = {"id": item_id, "type": "image_generation_call", "status": "completed", "action": "generate",
            "background": made.background, "output_format": made.output_format, "quality": made.quality,
            "result": base64.b64encode(answers.picture(made, 0)).decode(), "revised_prompt": prompt, "size": made.size}
    usage = answers.usage(made)
    usage["output_tokens_details"] = {"image_tokens": usage["output_tokens"], "text_tokens": 0}
    return item, usage


def partial_pictures(item: dict[str, Any], tool: dict[str, Any]) -> list[str]:
    """The partial images a stream sends before the call completes (the tool's `partial_images`, 0-3)."""
    made = request(tool, item.get("revised_prompt") or "")
    count = made.partial_images
    return [base64.b64encode(answers.picture(made, 0, (done + 1, count + 1))).decode() for done in range(count)]


def call_events(item: dict[str, Any], where: dict[str, Any], tools: list[dict[str, Any]]
                ) -> list[dict[str, Any]]:
    """The stream events of an `image_generation_call`, between its `output_item.added` and `.done`."""
    prefix = "response.image_generation_call"
    tool = next((t for t in tools if t.get("type") == TOOL_TYPE), {})
    settings = {name: item.get(name) for name in ("background", "output_format", "quality", "size")}
    events = [{"type": f"{prefix}.in_progress", **where}, {"type": f"{prefix}.generating", **where}]
    events += [{"type": f"{prefix}.partial_image", "partial_image_b64": picture, "partial_image_index": index,
                **settings, **where} for index, picture in enumerate(partial_pictures(item, tool))]
    return [*events, {"type": f"{prefix}.completed", **where}]
