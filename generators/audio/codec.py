"""The API's speech formats, encoded and decoded with PyAV (FFmpeg's codecs, shipped in its wheels).

PyAV covers every format the API answers in (mp3, opus, aac, flac, wav, pcm) and every format it accepts for
transcription (flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm); soundfile has no aac and lameenc only mp3.
Encoding and decoding are CPU work for seconds of audio: the handlers run them on the offload worker thread.
PyAV is imported on first use: loading FFmpeg's libraries costs a third of a second that start-up need not pay.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Iterator

import numpy as np

from dummy_openai_api.generators.audio.modem import RATE

if TYPE_CHECKING:
    import av

# format -> (container, codec, bit rate, Content-Type). Bit rates are those of common speech encodings; the
# modem survives far lower ones (see tests/benchmarks/bench_audio.py).
FORMATS: dict[str, tuple[str, str, int, str]] = {
    "mp3": ("mp3", "libmp3lame", 64000, "audio/mpeg"),
    "opus": ("ogg", "libopus", 48000, "audio/opus"),
    "aac": ("adts", "aac", 64000, "audio/aac"),
    "flac": ("flac", "flac", 0, "audio/flac"),
    "wav": ("wav", "pcm_s16le", 0, "audio/wav"),
    "pcm": ("", "", 0, "audio/pcm"),  # raw 16-bit little-endian samples, no header
}
MAX_KEPT_SECONDS = 1200  # decoded samples kept (58 MB): longer audio is measured from its packets, not held


def content_type(fmt: str) -> str:
    return FORMATS[fmt][3]


def pcm16(samples: np.ndarray) -> bytes:
    """As FFmpeg converts float to 16-bit (scale by 2^15, round, clip): pcm is the wav answer's samples."""
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype("<i2").tobytes()


def encode(samples: np.ndarray, fmt: str) -> bytes:
    """24 kHz mono float samples as a file of `fmt`."""
    if fmt == "pcm":
        return pcm16(samples)
    import av
    container_format, codec, bit_rate, _ = FORMATS[fmt]
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=RATE, layout="mono")
        assert isinstance(stream, av.audio.stream.AudioStream)
        if bit_rate:
            stream.bit_rate = bit_rate
        for frame in _frames(samples):  # PyAV converts each to the codec's sample format and frame size
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def _frames(samples: np.ndarray, size: int = 4096) -> Iterator[av.AudioFrame]:
    """The samples in frames, made one at a time: 18 minutes of speech is never held twice."""
    import av
    for at in range(0, len(samples), size):
        chunk = np.ascontiguousarray(samples[None, at:at + size], dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate, frame.pts = RATE, at
        yield frame


@dataclass(frozen=True)
class Decoded:
    samples: np.ndarray  # 24 kHz mono int16 (half the memory of floats), at most MAX_KEPT_SECONDS of it
    seconds: float  # the whole audio's duration
    digest: bytes  # of the file: what a transcript of audio not made here is derived from


class Undecodable(Exception):
    """Not audio FFmpeg can read (or no audio stream in it)."""


def decode(data: bytes) -> Decoded:
    """Any audio file FFmpeg reads, resampled to 24 kHz mono."""
    import av
    try:
        with av.open(io.BytesIO(data), "r") as container:
            if not container.streams.audio:
                raise Undecodable("no audio stream")
            chunks, counted = _decode_stream(container)
    except (av.FFmpegError, ValueError, IndexError) as error:
        raise Undecodable(str(error)) from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
    seconds = max(counted, len(samples) / RATE)
    if seconds <= 0:
        raise Undecodable("no samples")
    return Decoded(samples, seconds, hashlib.sha256(data).digest())


def _decode_stream(container: av.container.InputContainer) -> tuple[list[np.ndarray], float]:
    """The kept samples, and the duration counted from the packets past them (demuxed, not decoded)."""
    import av
    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks: list[np.ndarray] = []
    kept, extra = 0, Fraction(0)  # exact: thousands of packet durations summed as floats drift
    for packet in container.demux(stream):
        if kept >= MAX_KEPT_SECONDS * RATE:
            if packet.duration and packet.time_base:
                extra += packet.duration * packet.time_base
            continue
        for frame in packet.decode():
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
                kept += chunks[-1].size
    for out in resampler.resample(None):
        chunks.append(out.to_ndarray().reshape(-1))
    return chunks, float(Fraction(sum(c.size for c in chunks), RATE) + extra)


def decode_pcm(data: bytes) -> np.ndarray:
    """The API's raw pcm (24 kHz 16-bit little-endian mono) as float samples."""
    return np.frombuffer(data[:len(data) // 2 * 2], "<i2").astype(np.float32) / 32768.0
