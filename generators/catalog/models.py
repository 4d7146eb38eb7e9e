"""The model catalogue: which models exist, what each is for, and their `/v1/models` entries.

The catalogue is the original four models, today's models with the `created` and `owned_by` values the
real API lists, and every chat, embedding and responses model named by the installed `openai` SDK's
`Literal` types (read from its source files, not imported: importing the SDK would cost start-up time).
"""
from __future__ import annotations

import calendar
import importlib.util
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from dummy_openai_api.generators.catalog.retired import RETIRED

CHAT, EMBEDDING, COMPLETION, MODERATION = "chat", "embedding", "completion", "moderation"
IMAGE = "image"  # served by /v1/images (generators.images.catalog says what each one accepts)
RESPONSES_ONLY = "responses"  # served by /v1/responses but not /v1/chat/completions (o1-pro, ...)
SPEECH, TRANSCRIPTION = "speech", "transcription"  # /v1/audio/speech; /v1/audio/transcriptions and translations


@dataclass(frozen=True, slots=True)
class Model:
    id: str
    kind: str
    created: int
    owned_by: str = "system"

    def entry(self) -> dict[str, Any]:
        return {"id": self.id, "object": "model", "created": self.created, "owned_by": self.owned_by}

    @property
    def limits(self) -> tuple[int, int]:
        """(context window, most completion tokens), by the model's family."""
        base = self.id.removeprefix("ft:")
        for prefix, window, output in LIMITS:
            if base.startswith(prefix):
                return window, output
        return DEFAULT_LIMITS

    @property
    def input_limited(self) -> bool:
        """gpt-5 and newer cap the input on its own and word the error differently."""
        return self.id.removeprefix("ft:").startswith(("gpt-5", "gpt-6"))

    @property
    def embedding_size(self) -> int:
        return 3072 if "large" in self.id else 1536

    @property
    def reasoning(self) -> bool:
        """o-series and gpt-5 family models think before answering (reasoning tokens, no temperature)."""
        return _reasons(self.id)


@lru_cache(maxsize=1024)
def _reasons(model_id: str) -> bool:
    """Model.reasoning, asked on every chat request: remembered per id."""
    base = model_id.removeprefix("ft:")
    return bool(re.match(r"o\d", base)) or (base.startswith("gpt-5") and "chat" not in base)


# (prefix, context window, most completion tokens): the first matching prefix wins.
LIMITS: tuple[tuple[str, int, int], ...] = (
    ("gpt-3.5-turbo-instruct", 4096, 4096), ("gpt-3.5", 16385, 4096), ("gpt-4-32k", 32768, 8192),
    ("gpt-4-turbo", 128000, 4096), ("gpt-4-1106", 128000, 4096), ("gpt-4-0125", 128000, 4096),
    ("gpt-4-vision", 128000, 4096), ("gpt-4o", 128000, 16384), ("chatgpt-4o", 128000, 16384),
    ("gpt-4.1", 1047576, 32768), ("gpt-4.5", 128000, 16384), ("gpt-4", 8192, 8192), ("o1-mini", 128000, 65536),
    ("o1-preview", 128000, 32768), ("o1", 200000, 100000), ("o3", 200000, 100000), ("o4", 200000, 100000),
    ("gpt-5", 272000, 128000), ("gpt-6", 272000, 128000), ("davinci-002", 16384, 4096), ("babbage-002", 16384, 4096),
)
DEFAULT_LIMITS = (272000, 128000)

# (id, kind, created, owned_by) as the real /v1/models lists them.
KNOWN: tuple[tuple[str, str, int, str], ...] = (
    ("gpt-3.5-turbo", CHAT, 1677610602, "openai"),
    ("gpt-3.5-turbo-16k", CHAT, 1683758102, "openai-internal"),
    ("gpt-3.5-turbo-0125", CHAT, 1706048358, "system"),
    ("gpt-3.5-turbo-1106", CHAT, 1698959748, "system"),
    ("gpt-4", CHAT, 1687882411, "openai"),
    ("gpt-4-0613", CHAT, 1686588896, "openai"),
    ("gpt-4-turbo", CHAT, 1712361441, "system"),
    ("gpt-4-turbo-2024-04-09", CHAT, 1712601677, "system"),
    ("gpt-4-turbo-preview", CHAT, 1706037777, "system"),
    ("gpt-4-0125-preview", CHAT, 1706037612, "system"),
    ("gpt-4-1106-preview", CHAT, 1698957206, "system"),
    ("gpt-4o", CHAT, 1715367049, "system"),
    ("gpt-4o-2024-05-13", CHAT, 1715368132, "system"),
    ("gpt-4o-2024-08-06", CHAT, 1722814719, "system"),
    ("gpt-4o-2024-11-20", CHAT, 1739331543, "system"),
    ("gpt-4o-mini", CHAT, 1721172741, "system"),
    ("gpt-4o-mini-2024-07-18", CHAT, 1721172717, "system"),
    ("chatgpt-4o-latest", CHAT, 1723515131, "system"),
    ("gpt-4.1", CHAT, 1744316542, "system"),
    ("gpt-4.1-mini", CHAT, 1744318173, "system"),
    ("gpt-4.1-nano", CHAT, 1744321707, "system"),
    ("o1", CHAT, 1734375816, "system"),
    ("o1-mini", CHAT, 1725649008, "system"),
    ("o1-preview", CHAT, 1725648897, "system"),
    ("o3", CHAT, 1744225308, "system"),
    ("o3-mini", CHAT, 1737146383, "system"),
    ("o4-mini", CHAT, 1744225351, "system"),
    ("gpt-5", CHAT, 1754425777, "system"),
    ("gpt-5-mini", CHAT, 1754425928, "system"),
    ("gpt-5-nano", CHAT, 1754426384, "system"),
    ("text-embedding-ada-002", EMBEDDING, 1671217299, "openai-internal"),
    ("text-embedding-3-small", EMBEDDING, 1705948997, "system"),
    ("text-embedding-3-large", EMBEDDING, 1705953180, "system"),
    ("gpt-3.5-turbo-instruct", COMPLETION, 1692901427, "system"),
    ("gpt-3.5-turbo-instruct-0914", COMPLETION, 1694122472, "system"),
    ("davinci-002", COMPLETION, 1692634301, "system"),
    ("babbage-002", COMPLETION, 1692634615, "system"),
    ("omni-moderation-latest", MODERATION, 1731689265, "system"),
    ("omni-moderation-2024-09-26", MODERATION, 1732734466, "system"),
    ("text-moderation-latest", MODERATION, 1725985891, "system"),
    ("text-moderation-stable", MODERATION, 1725985891, "system"),
    ("dall-e-2", IMAGE, 1698798177, "system"),
    ("dall-e-3", IMAGE, 1698785189, "system"),
    ("gpt-image-1", IMAGE, 1745517030, "system"),
    ("tts-1", SPEECH, 1681940951, "openai-internal"),
    ("tts-1-hd", SPEECH, 1699046015, "system"),
    ("tts-1-1106", SPEECH, 1699053241, "system"),
    ("tts-1-hd-1106", SPEECH, 1699053533, "system"),
    ("gpt-4o-mini-tts", SPEECH, 1742403959, "system"),
    ("whisper-1", TRANSCRIPTION, 1677532384, "openai-internal"),
    ("gpt-4o-transcribe", TRANSCRIPTION, 1742068463, "system"),
    ("gpt-4o-mini-transcribe", TRANSCRIPTION, 1742068596, "system"),
    ("gpt-4o-transcribe-diarize", TRANSCRIPTION, 1750798887, "system"),
)

# Where the SDK lists model names, and what kind each file's names are.
_SDK_SOURCES = (
    ("types/shared/chat_model.py", CHAT),
    ("types/shared/responses_model.py", RESPONSES_ONLY),
    ("types/embedding_model.py", EMBEDDING),
    ("types/moderation_model.py", MODERATION),
    ("types/image_model.py", IMAGE),
    ("types/audio/speech_model.py", SPEECH),
    ("types/audio_model.py", TRANSCRIPTION),
)
_LITERAL = re.compile(r'Literal\[(.*?)\]', re.S)
_QUOTED = re.compile(r'"([^"]+)"')
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
_UNDATED_CREATED = 1735689600  # 2025-01-01, for SDK-listed models with no date in their name


def sdk_model_names() -> list[tuple[str, str]]:
    """(name, kind) for every model named in the installed openai SDK's model Literal types."""
    spec = importlib.util.find_spec("openai")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(list(spec.submodule_search_locations)[0])
    names: list[tuple[str, str]] = []
    for relative, kind in _SDK_SOURCES:
        try:
            source = (root / relative).read_text(encoding="utf-8")
        except OSError:
            continue
        for block in _LITERAL.findall(source):
            names.extend((name, kind) for name in _QUOTED.findall(block))
    return names


def _created_from_name(name: str) -> int:
    match = _DATE.search(name)
    if match:
        year, month, day = map(int, match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return calendar.timegm((year, month, day, 0, 0, 0))
    return _UNDATED_CREATED


class Catalogue:
    """Model ids -> `Model`, in listing order."""

    def __init__(self, models: Iterable[Model]) -> None:
        self.models: dict[str, Model] = {}
        for model in models:
            self.models.setdefault(model.id, model)

    @classmethod
    def default(cls) -> "Catalogue":
        known = [Model(*row) for row in KNOWN]
        from_sdk = [Model(name, kind, _created_from_name(name)) for name, kind in sdk_model_names()]
        return cls(model for model in known + from_sdk if model.id not in RETIRED)

    def get(self, model_id: str) -> Model | None:
        return self.models.get(model_id)

    def listing(self) -> dict[str, Any]:
        return {"object": "list", "data": [m.entry() for m in self.models.values()]}
