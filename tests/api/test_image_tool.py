"""The Responses API's image_generation tool through the SDK: the call item's picture, its stream events in the
SDK's types, tool_usage.image_gen, and the tool's settings checked as the Images API checks them."""
from __future__ import annotations

import base64
import io
from typing import Any

import openai
import pytest
from openai.types.responses import ResponseImageGenCallPartialImageEvent
from PIL import Image


def test_a_drawing_request_gets_an_image_generation_call(client: openai.OpenAI) -> None:
    tool: Any = {"type": "image_generation", "quality": "low", "output_format": "webp", "size": "1024x1536"}
    response = client.responses.create(model="gpt-4.1-mini", input="Draw a red fox in the snow", tools=[tool])
    call, message = response.output
    assert call.type == "image_generation_call" and call.status == "completed" and message.type == "message"
    image = Image.open(io.BytesIO(base64.b64decode(call.result or "")))
    assert (image.format, image.size) == ("WEBP", (1024, 1536))
    assert (call.size, call.quality, call.output_format, call.background) == ("1024x1536", "low", "webp", "opaque")
    assert response.tool_usage is not None and response.tool_usage.image_gen.output_tokens == 408
    assert response.tools[0].model == "gpt-image-1"  # type: ignore[union-attr]  # defaults echoed


def test_other_questions_are_answered_in_words(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4.1-mini", input="What is the capital of France?",
                                       tools=[{"type": "image_generation"}])
    assert [item.type for item in response.output] == ["message"]
    assert response.tool_usage is not None and response.tool_usage.image_gen.output_tokens == 0


def test_a_forced_tool_draws(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4.1-mini", input="hello", tools=[{"type": "image_generation"}],
                                       tool_choice={"type": "image_generation"})
    assert response.output[0].type == "image_generation_call"


@pytest.mark.parametrize("partial", [0, 2])
def test_the_stream_sends_the_calls_events(client: openai.OpenAI, partial: int) -> None:
    events = list(client.responses.create(model="gpt-4.1-mini", input="Draw a cat", stream=True,
                                          tools=[{"type": "image_generation", "partial_images": partial}]))
    kinds = [e.type for e in events if e.type.startswith("response.image_generation_call")]
    assert kinds == ["response.image_generation_call.in_progress", "response.image_generation_call.generating",
                     *["response.image_generation_call.partial_image"] * partial,
                     "response.image_generation_call.completed"]
    partials = [e for e in events if isinstance(e, ResponseImageGenCallPartialImageEvent)]
    assert [Image.open(io.BytesIO(base64.b64decode(e.partial_image_b64))).size for e in partials] == \
        [(1024, 1024)] * partial
    done = next(e for e in events if e.type == "response.output_item.done")
    assert done.item.type == "image_generation_call" and done.item.result  # type: ignore[union-attr]


@pytest.mark.parametrize("tool,param", [
    ({"size": "512x512"}, "tools[0].size"),
    ({"quality": "hd"}, "tools[0].quality"),
    ({"partial_images": 4}, "tools[0].partial_images"),
    ({"model": "dall-e-3"}, "tools[0].model"),
    ({"background": "transparent", "output_format": "jpeg"}, "tools[0].background"),
])
def test_the_tools_settings_are_checked(client: openai.OpenAI, tool: dict[str, Any], param: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4.1-mini", input="Draw a cat", tools=[{"type": "image_generation", **tool}])
    assert caught.value.body["param"] == param  # type: ignore[index]
