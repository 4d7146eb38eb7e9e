"""Transcripts in the API's shapes: words and segments timed over the audio, json, verbose_json, diarized_json,
text, srt and vtt bodies, logprobs, usage and the streaming events.

Timings are spread over the span of the audio that holds speech in proportion to the characters before each
word, as a steady speaker would say them.
"""
from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

from dummy_openai_api.generators import tokens

TOKENS_MODEL = "gpt-4o"  # whose tokenizer counts and splits transcript text (o200k_base)
AUDIO_TOKENS_PER_SECOND = 10  # gpt-4o audio input is billed one token per 100 ms
_SENTENCE = re.compile(r"[^.!?。！？]+(?:[.!?。！？]+|$)")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Timed:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    seconds: float  # the whole audio's duration
    span: tuple[float, float]  # where speech lies in it
    language: str  # the API's name for it: "english"
    digest: bytes  # what the deterministic scores derive from

    def _time(self, offset: int) -> float:
        start, end = self.span
        return round(start + (end - start) * offset / max(1, len(self.text)), 2)

    def words(self) -> list[Timed]:
        return [Timed(m.group().strip(".,!?;:\"()"), self._time(m.start()), self._time(m.end()))
                for m in _WORD.finditer(self.text) if m.group().strip(".,!?;:\"()")]

    def sentences(self) -> list[Timed]:
        found = [m for m in _SENTENCE.finditer(self.text) if m.group().strip()]
        return [Timed(m.group().strip(), self._time(m.start() + len(m.group()) - len(m.group().lstrip())),
                      self._time(m.end())) for m in found]


def _score(digest: bytes, index: int, low: float, high: float) -> float:
    """A deterministic number in [low, high) for the index-th score of this audio."""
    byte = digest[index % len(digest)] ^ (index * 37 & 0xFF)
    return round(low + (high - low) * byte / 256, 6)


def whisper_segments(transcript: Transcript, temperature: float) -> list[dict[str, Any]]:
    encoding = tokens.encoding_for(TOKENS_MODEL)
    segments = []
    for index, sentence in enumerate(transcript.sentences()):
        text = " " + sentence.text
        raw = text.encode()
        segments.append({
            "id": index, "seek": int(sentence.start * 100) // 3000 * 3000, "start": sentence.start,
            "end": sentence.end, "text": text, "tokens": encoding.encode(text), "temperature": temperature,
            "avg_logprob": _score(transcript.digest, index, -0.45, -0.15),
            "compression_ratio": round(len(raw) / len(zlib.compress(raw)), 6),
            "no_speech_prob": _score(transcript.digest, index + 7, 0.0, 0.05),
        })
    return segments


def verbose_body(transcript: Transcript, temperature: float, granularities: tuple[str, ...], task: str,
                 usage: dict[str, Any] | None) -> dict[str, Any]:
    """whisper-1's `verbose_json`: segments by default, words when asked (then segments only if asked too)."""
    body: dict[str, Any] = {"task": task, "language": transcript.language,
                            "duration": round(transcript.seconds, 2), "text": transcript.text}
    if "word" in granularities:
        body["words"] = [{"word": w.text, "start": w.start, "end": w.end} for w in transcript.words()]
    if "segment" in granularities or not granularities:
        body["segments"] = whisper_segments(transcript, temperature)
    if usage is not None:
        body["usage"] = usage
    return body


def diarized_body(transcript: Transcript, speaker: str, usage: dict[str, Any]) -> dict[str, Any]:
    return {"task": "transcribe", "duration": round(transcript.seconds, 2), "text": transcript.text,
            "segments": diarized_segments(transcript, speaker), "usage": usage}


def diarized_segments(transcript: Transcript, speaker: str) -> list[dict[str, Any]]:
    return [{"type": "transcript.text.segment", "id": f"seg_{i:03d}", "start": s.start, "end": s.end,
             "text": s.text, "speaker": speaker} for i, s in enumerate(transcript.sentences())]


def _stamp(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}{separator}{millis % 1000:03d}"


def srt(transcript: Transcript) -> str:
    return "".join(f"{i}\n{_stamp(s.start, ',')} --> {_stamp(s.end, ',')}\n{s.text}\n\n"
                   for i, s in enumerate(transcript.sentences(), 1))


def vtt(transcript: Transcript) -> str:
    return "WEBVTT\n\n" + "".join(f"{_stamp(s.start, '.')} --> {_stamp(s.end, '.')}\n{s.text}\n\n"
                                  for s in transcript.sentences())


def duration_usage(seconds: float) -> dict[str, Any]:
    """whisper-1 is billed by the second, rounded up."""
    return {"type": "duration", "seconds": math.ceil(seconds)}


def token_usage(transcript: Transcript, prompt: str | None) -> dict[str, Any]:
    audio = math.ceil(transcript.seconds * AUDIO_TOKENS_PER_SECOND)
    text = tokens.count(prompt, TOKENS_MODEL) if prompt else 0
    output = tokens.count(transcript.text, TOKENS_MODEL)
    return {"type": "tokens", "input_tokens": audio + text,
            "input_token_details": {"text_tokens": text, "audio_tokens": audio},
            "output_tokens": output, "total_tokens": audio + text + output}


def logprobs(transcript: Transcript) -> list[dict[str, Any]]:
    """One entry per token of the text, confident as a clean recording makes a model."""
    return [{"token": piece, "logprob": -_score(transcript.digest, i, 0.0, 0.05), "bytes": list(piece.encode())}
            for i, piece in enumerate(tokens.text_pieces(transcript.text, TOKENS_MODEL))]


def stream_events(transcript: Transcript, prompt: str | None, with_logprobs: bool, speaker: str | None,
                  extra: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`transcript.text.delta` per token (for the diarizing model, each with its `segment_id` and each segment
    followed by its `transcript.text.segment`), then `transcript.text.done` with `extra` and the usage."""
    scores = logprobs(transcript) if with_logprobs else []
    pieces = list(tokens.text_pieces(transcript.text, TOKENS_MODEL))
    segments = diarized_segments(transcript, speaker) if speaker else []
    owner = _sentence_of(transcript.text, pieces)
    for index, piece in enumerate(pieces):
        event: dict[str, Any] = {"type": "transcript.text.delta", "delta": piece}
        if with_logprobs:
            event["logprobs"] = [scores[index]]
        if segments:
            event["segment_id"] = segments[owner[index]]["id"]
        yield event
        if segments and (index + 1 == len(pieces) or owner[index + 1] != owner[index]):
            yield segments[owner[index]]
    done: dict[str, Any] = {"type": "transcript.text.done", "text": transcript.text, **extra}
    if with_logprobs:
        done["logprobs"] = scores
    done["usage"] = token_usage(transcript, prompt)
    yield done


def _sentence_of(text: str, pieces: list[str]) -> list[int]:
    """The sentence each piece of `text` starts in."""
    ends = [m.end() for m in _SENTENCE.finditer(text) if m.group().strip()]
    owners, offset, current = [], 0, 0
    for piece in pieces:
        while current < len(ends) - 1 and offset >= ends[current]:
            current += 1
        owners.append(current)
        offset += len(piece)
    return owners
