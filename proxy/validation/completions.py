"""Legacy completions (`/v1/completions`): the prompt forms, the parameters that do not go together, the context.

`completion_request` is the one entry point: it runs every check in the API's order and returns the typed,
frozen `TextRequest` the generator takes.
"""
from __future__ import annotations

from typing import Any, Callable

from dummy_openai_api.generators import tokens
from dummy_openai_api.generators.chat.completion import request_digest
from dummy_openai_api.generators.legacy.completions import TextRequest
from dummy_openai_api.generators.catalog.models import Model
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.validation import (
    array_too_long, bounded, empty_array, invalid_type, model_name, only_when_enabled, required, typed,
)
from dummy_openai_api.proxy.validation.chat import MAX_STOPS

_COMPLETION_RANGES = (  # (field, kind, minimum, maximum), in the order of the API's schema
    ("best_of", "integer", 0, 20), ("frequency_penalty", "number", -2, 2), ("logprobs", "integer", 0, None),
    ("max_tokens", "integer", 0, None), ("n", "integer", 1, 128), ("presence_penalty", "number", -2, 2),
    ("seed", "integer", None, None), ("temperature", "number", 0, 2), ("top_p", "number", 0, 1),
)
_COMPLETION_TYPES = (
    ("echo", ("boolean",)), ("logit_bias", ("object",)), ("stop", ("string", "array")), ("stream", ("boolean",)),
    ("stream_options", ("object",)), ("suffix", ("string",)), ("user", ("string",)),
)
MAX_PROMPTS = 2048
# Ours, not the API's: every prompt gets max(n, best_of) completions. 2048 prompts of one completion, or 16
# prompts of n=128, are answered; 256 prompts x 128 would take the generator minutes.
MAX_COMPLETIONS = 2048
MAX_COMPLETION_TOKENS = 262_144  # completions x max_tokens: the work of writing them (and their logprobs)
LAST_TOKEN = 100257  # <|endoftext|>: the highest id the API accepts in a token prompt (cl100k_base models)


def completion_request(body: dict[str, Any], resolve: Callable[[str], Model]) -> TextRequest:
    """A `/v1/completions` body, checked as the API checks it, as the `TextRequest` the generator takes.

    `resolve` finds the model by name (refusing unknown ones) before anything else: a chat model here gets the
    API's pointer to chat completions. This runs in the synthetic source only, after the cassette and upstream
    sources: a recording of a request this server would refuse still replays, and record mode forwards it to
    get the real API's error.
    """
    model = resolve(model_name(body))
    prompts = prompt_list(body)
    for name, kinds in _COMPLETION_TYPES:
        typed(body, name, *kinds)
    for name, kind, low, high in _COMPLETION_RANGES:
        bounded(body, name, kind, low, high)
    stops = _stops(body.get("stop"))
    n, best_of = body.get("n") or 1, body.get("best_of") or 1
    _combinations(body, model, n, best_of)
    for prompt in prompts:
        if isinstance(prompt, list):
            _token_range(prompt)
    max_tokens = 16 if body.get("max_tokens") is None else body["max_tokens"]
    _total(len(prompts), max(n, best_of), max_tokens)
    used = _context(prompts, model, max_tokens)
    if body.get("echo"):  # echoed prompts are written out (with their logprobs) once per completion
        _echoed(sum(used) * max(n, best_of), len(prompts) * max(n, best_of) * max_tokens)
    streamed = bool(body.get("stream"))
    return TextRequest(model=model.id, prompts=tuple(p if isinstance(p, str) else tuple(p) for p in prompts),
                       max_tokens=max_tokens, n=n, best_of=max(best_of, n), stops=tuple(stops),
                       echo=bool(body.get("echo")), suffix=body.get("suffix"), logprobs=body.get("logprobs"),
                       seed=body.get("seed"), digest=request_digest(body), stream=streamed,
                       include_usage=streamed and bool((body.get("stream_options") or {}).get("include_usage")))


def prompt_list(body: dict[str, Any]) -> list[str | list[int]]:
    """`prompt` as a list of texts or token arrays (a string, strings, a token array, token arrays)."""
    prompt = required(body, "prompt", "string", "array")
    if isinstance(prompt, str):
        return [prompt]
    if not prompt:
        raise empty_array("prompt")
    if all(_is_int(t) for t in prompt):
        return [prompt]
    if len(prompt) > MAX_PROMPTS:
        raise array_too_long("prompt", MAX_PROMPTS, len(prompt))
    kind = "string" if isinstance(prompt[0], str) else "array"
    for index, item in enumerate(prompt):
        if kind == "string" and not isinstance(item, str):
            raise invalid_type(f"prompt[{index}]", item, "string")
        if kind == "array" and not (isinstance(item, list) and item and all(_is_int(t) for t in item)):
            raise invalid_type(f"prompt[{index}]", item, "array")
    return list(prompt)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _stops(stop: Any) -> list[str]:
    if isinstance(stop, list) and len(stop) > MAX_STOPS:
        raise array_too_long("stop", MAX_STOPS, len(stop))
    stops = [stop] if isinstance(stop, str) else stop or []
    return [s for s in stops if isinstance(s, str) and s]


def _combinations(body: dict[str, Any], model: Model, n: int, best_of: int) -> None:
    """Parameters that do not go together. Only the echo/logprobs wording was seen on the real API."""
    only_when_enabled(body, "stream_options", "stream")
    if body.get("best_of") is not None and best_of < n:
        raise APIError(400, "best_of must be greater than or equal to n.", param="best_of")
    if body.get("stream") and best_of > n:
        raise APIError(400, "Cannot stream results with best_of greater than n.", param="best_of")
    instruct = model.id.startswith("gpt-3.5-turbo-instruct")
    if body.get("suffix") is not None and not instruct:
        raise APIError(400, "Unsupported parameter: 'suffix' is not supported with this model.", param="suffix",
                       code="unsupported_parameter")
    if instruct and body.get("echo") and body.get("logprobs") is not None:
        raise APIError(400, "Setting 'echo' and 'logprobs' at the same time is not supported for this model.",
                       code="invalid_parameter_combination")


def _total(prompts: int, each: int, max_tokens: int) -> None:
    """Bounds of ours on the work one request asks for; the API's n, best_of and prompt limits allow far more."""
    made = prompts * each
    if made > MAX_COMPLETIONS:
        raise APIError(400, f"This request asks for {made} completions ({prompts} prompts x {each} each, the larger "
                            f"of n and best_of); this server makes at most {MAX_COMPLETIONS} completions per "
                            "request. Send fewer prompts or a smaller n or best_of.",
                       param="n", code="generation_limit_exceeded")
    if made * max_tokens > MAX_COMPLETION_TOKENS:
        raise APIError(400, f"This request asks for up to {made * max_tokens} completion tokens ({made} completions "
                            f"x max_tokens {max_tokens}); this server makes at most {MAX_COMPLETION_TOKENS} "
                            "completion tokens per request. Send fewer prompts or a smaller n, best_of or max_tokens.",
                       param="max_tokens", code="generation_limit_exceeded")


def _echoed(echoed: int, generated: int) -> None:
    if echoed + generated > MAX_COMPLETION_TOKENS:
        raise APIError(400, f"This request asks for up to {echoed + generated} tokens ({echoed} echoed prompt tokens "
                            f"and {generated} completion tokens); this server makes at most {MAX_COMPLETION_TOKENS} "
                            "tokens per request. Send fewer or shorter prompts, or leave out echo.",
                       param="echo", code="generation_limit_exceeded")


def _token_range(prompt: list[int]) -> None:
    for token in prompt:
        if not 0 <= token <= LAST_TOKEN:
            raise APIError(400, f"Invalid token in prompt: {token}. Minimum value is 0, maximum value is "
                                f"{LAST_TOKEN} (inclusive).")


def _context(prompts: list[str | list[int]], model: Model, max_tokens: int) -> list[int]:
    """Each prompt's tokens; the legacy endpoint's own wording for a prompt plus completion that does not fit."""
    window = model.limits[0]
    counts = []
    for prompt in prompts:
        used = len(prompt) if isinstance(prompt, list) else tokens.count(prompt, model.id)
        counts.append(used)
        if used + max_tokens > window:
            raise APIError(400, f"This model's maximum context length is {window} tokens, however you requested "
                                f"{used + max_tokens} tokens ({used} in your prompt; {max_tokens} for the "
                                "completion). Please reduce your prompt; or completion length.")
    return counts
