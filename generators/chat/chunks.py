"""The `chat.completion.chunk` objects of a streamed chat completion, shaped as the real API's streams.

A text answer: `{"role": "assistant", "content": "", "refusal": null}`, then the content on token boundaries,
then an empty delta with the finish reason. Tool calls (as recorded from gpt-4o in 2025): `{"role":
"assistant", "content": null}`, then per call a delta naming it (`index`, `id`, `type`, `function.name`,
`arguments: ""`) and its arguments in token-sized fragments, then `finish_reason: "tool_calls"`. A legacy
`function_call` streams the same way inside `delta.function_call`. With `logprobs`, the first chunk carries
`{"content": [], "refusal": null}` and each content chunk the entries of its own tokens. Every chunk ends with
`obfuscation` padding (recorded since August 2025, usage chunk included) unless the request turned it off.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.responses.events import padding

if TYPE_CHECKING:
    from dummy_openai_api.generators.chat.completion import Choice, Completion


def completion_chunks(completion: Completion, model: str, include_usage: bool,
                      obfuscate: bool = True) -> Iterator[dict[str, Any]]:
    """Role first, then content or calls, then the finish; with `include_usage`, the usage chunk last."""
    chunks = _plain_chunks(completion, model, include_usage)
    if not obfuscate:
        return chunks
    return ({**chunk, "obfuscation": padding(_text(chunk), number)} for number, chunk in enumerate(chunks))


def _plain_chunks(completion: Completion, model: str, include_usage: bool) -> Iterator[dict[str, Any]]:
    head = {"id": completion.id, "object": "chat.completion.chunk", "created": completion.created,
            "model": completion.model, "service_tier": "default", "system_fingerprint": completion.fingerprint}
    if include_usage:
        head["usage"] = None
    for index, choice in enumerate(completion.choices):
        for delta, logprobs, finish in _choice_deltas(choice, model):
            yield {**head, "choices": [{"index": index, "delta": delta, "logprobs": logprobs,
                                        "finish_reason": finish}]}
    if include_usage:
        yield {**head, "choices": [], "usage": completion.usage()}


def _text(chunk: dict[str, Any]) -> str:
    """The generated text a chunk carries (content or call arguments): what its padding hides the size of."""
    delta = chunk["choices"][0]["delta"] if chunk["choices"] else {}
    calls = [call.get("function") or call.get("custom") or {} for call in delta.get("tool_calls") or []]
    pieces = [delta.get("content"), (delta.get("function_call") or {}).get("arguments"),
              *(call.get("arguments") or call.get("input") for call in calls)]
    return "".join(piece for piece in pieces if piece)


Delta = tuple[dict[str, Any], Any, Any]  # (delta, logprobs, finish_reason)


def _choice_deltas(choice: Choice, model: str) -> Iterator[Delta]:
    if choice.tool_calls:
        yield from _call_deltas(choice, model)
    else:
        yield from _content_deltas(choice, model)
    yield {}, None, choice.finish_reason


def _content_deltas(choice: Choice, model: str) -> Iterator[Delta]:
    entries = choice.logprobs
    yield ({"role": "assistant", "content": "", "refusal": None},
           {"content": [], "refusal": None} if entries is not None else None, None)
    for piece, start, end in tokens.pieces(choice.token_ids, model):
        logprobs = {"content": entries[start:end], "refusal": None} if entries is not None else None
        yield {"content": piece}, logprobs, None


def _call_deltas(choice: Choice, model: str) -> Iterator[Delta]:
    if choice.legacy:
        call = choice.tool_calls[0]
        yield {"role": "assistant", "content": None, "function_call": {"name": call.name, "arguments": ""}}, None, None
        for piece in tokens.text_pieces(call.arguments, model):
            yield {"function_call": {"arguments": piece}}, None, None
        return
    yield {"role": "assistant", "content": None}, None, None
    for index, call in enumerate(choice.tool_calls):
        if call.custom:  # the wire shape of a streamed custom call; the SDK's chunk types lag behind it
            yield {"tool_calls": [{"index": index, "id": call.id, "type": "custom",
                                   "custom": {"name": call.name, "input": ""}}]}, None, None
            for piece in tokens.text_pieces(call.arguments, model):
                yield {"tool_calls": [{"index": index, "custom": {"input": piece}}]}, None, None
            continue
        yield {"tool_calls": [{"index": index, "id": call.id, "type": "function",
                               "function": {"name": call.name, "arguments": ""}}]}, None, None
        for piece in tokens.text_pieces(call.arguments, model):
            yield {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}, None, None

