"""Synthetic legacy completions (`POST /v1/completions`): text that follows the prompt, its usage and chunks.

`TextCompleter.complete` takes a checked `TextRequest` and returns a `TextCompletion`; `completion_body` and
`completion_chunks` render it as the `text_completion` object or the stream of them the API sends. Texts come
from `replies.compose` with the prompt as the user's message (an instruct model answers after a blank line,
as gpt-3.5-turbo-instruct does; base models carry on the line). `best_of` candidates are ranked by their mean
token log probability and all of them are billed, as the API documents. The same request gives the same text.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from dummy_openai_api.generators import replies, tokens
from dummy_openai_api.generators.chat.completion import Choice, base62, cut, fingerprint
from dummy_openai_api.generators.legacy.logprobs import Scored, score

INSTRUCT_PREFIX = "\n\n"


@dataclass(frozen=True, slots=True)
class TextRequest:
    """A checked legacy completions request (proxy.validation.completions builds it): prompts as text or token
    ids, what shapes the answer, and how it travels."""

    model: str
    prompts: tuple[str | tuple[int, ...], ...]
    max_tokens: int = 16
    n: int = 1
    best_of: int = 1
    stops: tuple[str, ...] = ()
    echo: bool = False
    suffix: str | None = None
    logprobs: int | None = None
    seed: int | None = None
    digest: bytes = b""  # the body as sent, less how it travels: the answer's id and its variants' seeds
    stream: bool = False
    include_usage: bool = False  # stream_options.include_usage


@dataclass(slots=True)
class TextChoice:
    prompt: str
    choice: Choice
    scored: Scored | None  # token strings, log probabilities and alternatives, when asked for


@dataclass(slots=True)
class TextCompletion:
    id: str
    model: str
    choices: list[TextChoice]
    prompt_tokens: int
    completion_tokens: int  # every candidate counts, also the best_of ones not returned
    echo: bool
    logprobs: int | None
    created: int = field(default_factory=lambda: int(time.time()))

    def usage(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens}


class TextCompleter:
    def __init__(self, rules: replies.ReplyRules | None = None) -> None:
        self.rules = rules

    def complete(self, request: TextRequest) -> TextCompletion:
        enc = tokens.encoding_for(request.model)
        texts = [p if isinstance(p, str) else enc.decode(list(p)) for p in request.prompts]
        prompt_tokens = sum(len(enc.encode_ordinary(p)) if isinstance(p, str) else len(p) for p in request.prompts)
        choices, billed = [], 0
        for index, prompt in enumerate(texts):
            candidates = [self._candidate(request, prompt, index, v) for v in range(max(request.n, request.best_of))]
            billed += sum(len(c.choice.token_ids) for c in candidates)
            if request.best_of > request.n:
                candidates.sort(key=lambda c: -c.scored.mean)  # type: ignore[union-attr]
            choices += [TextChoice(prompt, c.choice, c.scored if request.logprobs is not None else None)
                        for c in candidates[:request.n]]
        return TextCompletion("cmpl-" + base62(request.digest, 29), request.model, choices, prompt_tokens, billed,
                              request.echo, request.logprobs)

    def _candidate(self, request: TextRequest, prompt: str, index: int, variant: int) -> TextChoice:
        reply = replies.compose([{"role": "user", "content": prompt}], seed=request.seed, rules=self.rules,
                                variant=variant)
        choice = cut(_lead(request.model, prompt) + reply, request.model, request.stops, request.max_tokens)
        ranked = request.logprobs is not None or request.best_of > request.n
        scored = score(choice.token_ids, request.model, request.digest + bytes([index % 256, variant % 256]),
                       top=request.logprobs or 0) if ranked else None
        return TextChoice(prompt, choice, scored)


def _lead(model: str, prompt: str) -> str:
    """What comes before the answer: a blank line for instruct models, a space for a base model mid-line."""
    if model.startswith("gpt-3.5-turbo-instruct"):
        return INSTRUCT_PREFIX
    return "" if not prompt or prompt[-1].isspace() else " "


def completion_body(completion: TextCompletion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "object": "text_completion",
        "created": completion.created,
        "model": completion.model,
        "choices": [{"text": _text(completion, c), "index": i, "logprobs": _logprobs(completion, c),
                     "finish_reason": c.choice.finish_reason} for i, c in enumerate(completion.choices)],
        "usage": completion.usage(),
        "system_fingerprint": fingerprint(completion.model),
    }


def _text(completion: TextCompletion, choice: TextChoice) -> str:
    text = choice.choice.text or ""  # always set: a completion never calls tools
    return choice.prompt + text if completion.echo else text


def _logprobs(completion: TextCompletion, choice: TextChoice) -> dict[str, Any] | None:
    if choice.scored is None:
        return None
    start = len(choice.prompt)
    scored = choice.scored
    if completion.echo:
        scored = score_prompt(choice.prompt, completion.model, completion.logprobs or 0) + scored
        start = 0
    return scored.legacy(start)


def score_prompt(prompt: str, model: str, top: int) -> Scored:
    """The prompt's own tokens, as `echo` shows them: the first has no log probability (nothing precedes it)."""
    ids = tokens.encoding_for(model).encode_ordinary(prompt)
    scored = score(ids, model, prompt.encode(), top)
    return scored.without_first()


def completion_chunks(completion: TextCompletion, include_usage: bool) -> Iterator[dict[str, Any]]:
    """The stream: `text_completion` objects with a piece of text each, a finishing one per choice, usage last."""
    head = {"id": completion.id, "object": "text_completion", "created": completion.created}
    tail: dict[str, Any] = {"model": completion.model, "system_fingerprint": fingerprint(completion.model)}
    if include_usage:
        tail["usage"] = None

    def chunk(index: int, text: str, logprobs: Any = None, finish: str | None = None) -> dict[str, Any]:
        return {**head, "choices": [{"text": text, "index": index, "logprobs": logprobs, "finish_reason": finish}],
                **tail}

    for index, choice in enumerate(completion.choices):
        offset = len(choice.prompt)
        if completion.echo:
            echoed = score_prompt(choice.prompt, completion.model, completion.logprobs or 0) \
                if choice.scored is not None else None
            yield chunk(index, choice.prompt, echoed.legacy(0) if echoed else None)
        for piece, start, end in tokens.pieces(choice.choice.token_ids, completion.model):
            part = choice.scored.slice(start, end).legacy(offset) if choice.scored is not None else None
            yield chunk(index, piece, part)
            offset += len(piece)
        yield chunk(index, "", None, choice.choice.finish_reason)
    if include_usage:
        yield {**head, "choices": [], **tail, "usage": completion.usage()}
