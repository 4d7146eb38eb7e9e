"""Text carried in the audio itself, so that speech made here transcribes back to its text in every format.

The signal is a multi-carrier modem tuned to what lossy speech codecs keep: 48 steady tones from 500 to 5200 Hz,
taken in adjacent pairs, each pair one bit (which of the two sounds). Comparing the two tones of a pair, rather
than one tone against a threshold, survives any gain, tilt or loudness the codec applies. A chirp opens the
signal so that a decoder finds where the data starts whatever delay the codec added (mp3 and aac prime a frame
of silence). Two fixed header symbols give the symbol length and the byte count; a CRC-32 closes the payload, so
that audio made elsewhere (or damaged) is told apart from ours.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

RATE = 24000  # the API's speech is 24 kHz mono
PAIRS = 24  # bits per symbol
BYTES_PER_SYMBOL = PAIRS // 8
CARRIERS = 500.0 + 100.0 * np.arange(2 * PAIRS)  # Hz: pair i is carriers 2i (bit 0) and 2i + 1 (bit 1)
_PHASES = np.random.default_rng(24).uniform(0, 2 * np.pi, 2 * PAIRS)  # fixed: a low crest factor
CHIRP_SECONDS = 0.25
GAP_SECONDS = 0.05  # between the chirp and the header: the chirp's tail never overlaps a symbol
HEADER_SYMBOL = 0.08  # seconds; header symbols have a fixed length, known to the decoder
UNIT = 96  # payload symbol lengths are multiples of 4 ms (96 samples), up to 255 units
MIN_UNITS, MAX_UNITS = 10, 255  # 40 ms to 1.02 s a symbol: shorter ones blur in 32 kbit/s opus
MAGIC = b"\xa5\x3c"
LEVEL = 0.7  # the loudest sample: headroom for codecs that overshoot
TAIL_SECONDS = 0.2  # silence after the data, as speech ends: an encoder's last frame never holds a symbol


@dataclass(frozen=True)
class Layout:
    """Where the parts of a signal lie, in samples."""

    units: int  # payload symbol length, in UNITs
    symbols: int  # payload symbols

    @property
    def start(self) -> int:
        return int((CHIRP_SECONDS + GAP_SECONDS) * RATE)

    @property
    def data_start(self) -> int:
        return self.start + 2 * int(HEADER_SYMBOL * RATE)

    @property
    def length(self) -> int:
        return self.data_start + self.symbols * self.units * UNIT


def chirp() -> np.ndarray:
    t = np.arange(int(CHIRP_SECONDS * RATE)) / RATE
    low, high = CARRIERS[0], CARRIERS[-1]
    return np.sin(2 * np.pi * (low * t + (high - low) / (2 * CHIRP_SECONDS) * t * t)) * _taper(len(t))


def _taper(n: int, edge: float = 0.1) -> np.ndarray:
    """A raised-cosine fade in and out: hard symbol edges splatter across the spectrum and cost codec bits."""
    ramp = max(1, int(n * edge))
    window = np.ones(n)
    fade = 0.5 - 0.5 * np.cos(np.pi * np.arange(ramp) / ramp)
    window[:ramp], window[n - ramp:] = fade, fade[::-1]
    return window


def _tones(n: int) -> np.ndarray:
    """(carriers, n): each carrier over one symbol, tapered."""
    t = np.arange(n) / RATE
    return np.sin(2 * np.pi * CARRIERS[:, None] * t + _PHASES[:, None]) * _taper(n)


def _bits(data: bytes) -> np.ndarray:
    """(symbols, PAIRS) of 0/1, padded with zero bytes to whole symbols."""
    padded = data + b"\0" * (-len(data) % BYTES_PER_SYMBOL)
    return np.unpackbits(np.frombuffer(padded, np.uint8)).reshape(-1, PAIRS)


def _symbols(data: bytes, n: int) -> np.ndarray:
    """The samples of `data` in symbols of `n` samples: one matrix product, whatever the length."""
    bits = _bits(data)
    on = np.zeros((len(bits), 2 * PAIRS), np.float32)
    on[:, 0::2], on[:, 1::2] = 1 - bits, bits
    return (on @ _tones(n).astype(np.float32)).reshape(-1)


def layout_for(size: int, seconds: float) -> Layout:
    """The symbol length that spreads `size` bytes (and the CRC) over about `seconds` of audio."""
    symbols = -(-(size + 4) // BYTES_PER_SYMBOL)
    spare = (seconds - TAIL_SECONDS) * RATE - Layout(MIN_UNITS, 0).data_start
    units = int(round(spare / symbols / UNIT)) if symbols else MIN_UNITS
    return Layout(min(MAX_UNITS, max(MIN_UNITS, units)), symbols)


def modulate(text: str, seconds: float) -> np.ndarray:
    """About `seconds` of float32 samples in [-1, 1] that carry `text`."""
    payload = text.encode()
    payload += zlib.crc32(payload).to_bytes(4, "big")
    layout = layout_for(len(payload) - 4, seconds)
    header = MAGIC + bytes([layout.units]) + (len(payload) - 4).to_bytes(3, "big")
    parts = [chirp(), np.zeros(layout.start - len(chirp())), _symbols(header, int(HEADER_SYMBOL * RATE)),
             _symbols(payload, layout.units * UNIT), np.zeros(int(TAIL_SECONDS * RATE))]
    signal = np.concatenate(parts).astype(np.float32)
    return signal * np.float32(LEVEL / max(1e-9, float(np.abs(signal).max())))


def demodulate(samples: np.ndarray) -> str | None:
    """The text a signal made by `modulate` carries (24 kHz mono, float or int16: only ratios count), or None when
    it carries none intact."""
    origin = _find_chirp(samples)
    if origin is None:
        return None
    start = origin + Layout(MIN_UNITS, 0).start
    header = _read(samples, start, int(HEADER_SYMBOL * RATE), 2)
    if header is None or header[:2] != MAGIC or not MIN_UNITS <= header[2] <= MAX_UNITS:
        return None
    size = int.from_bytes(header[3:6], "big")
    layout = Layout(header[2], -(-(size + 4) // BYTES_PER_SYMBOL))
    data = _read(samples, origin + layout.data_start, layout.units * UNIT, layout.symbols)
    if data is None:
        return None
    payload, crc = data[:size], data[size:size + 4]
    if zlib.crc32(payload).to_bytes(4, "big") != crc:
        return None
    return payload.decode("utf-8", "replace")


def _find_chirp(samples: np.ndarray) -> int | None:
    """Where the opening chirp starts: the peak of the cross-correlation over the first second."""
    template = chirp()
    head = samples[:RATE + len(template)].astype(np.float64)
    if len(head) < len(template):
        return None
    size = 1 << int(np.ceil(np.log2(len(head) + len(template))))
    spectrum = np.fft.rfft(head, size) * np.conj(np.fft.rfft(template, size))
    correlation = np.fft.irfft(spectrum, size)[:len(head) - len(template) + 1]
    peak = int(np.argmax(correlation))
    energy = float(np.sqrt(np.dot(head[peak:peak + len(template)], head[peak:peak + len(template)])))
    if energy == 0 or correlation[peak] / (energy * np.linalg.norm(template)) < 0.5:
        return None  # nothing chirp-like: not our audio
    return peak


def _read(samples: np.ndarray, start: int, n: int, count: int) -> bytes | None:
    """`count` symbols of `n` samples from `start`, each judged on its middle (edges blur in codecs)."""
    block = samples[start:start + n * count]
    if len(block) < n * count:
        return None
    middle = slice(int(n * 0.2), int(n * 0.8))
    t = np.arange(n)[middle] / RATE
    probes = np.exp(-2j * np.pi * CARRIERS[None, :] * t[:, None]).astype(np.complex64)
    levels = np.abs(block.reshape(count, n)[:, middle].astype(np.float32) @ probes)
    bits = (levels[:, 1::2] > levels[:, 0::2]).astype(np.uint8)
    return np.packbits(bits.reshape(-1)).tobytes()
