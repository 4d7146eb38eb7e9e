"""Speech encoding and decoding: time per format for a 200-character text (PyAV, and soundfile where it can),
the worst case the request bounds allow (4096 characters at speed 0.25), the worst `/health` wait while a
server makes that worst case, and the modem's bit errors through the lossy codecs at their configured and at
half their bit rates.

    python tests/benchmarks/bench_audio.py          # ~30 s
"""
from __future__ import annotations

import io
import time
from typing import Callable

import numpy as np

from dummy_openai_api.generators.audio import codec, modem, speech

TEXT = ("The quick brown fox jumps over the lazy dog. Then it naps under an old oak tree until the evening "
        "comes, and the farmer walks home. Tomorrow they will meet again by the river, as they always do!")
SOUNDFILE = {"flac": ("FLAC", "PCM_16"), "wav": ("WAV", "PCM_16"), "mp3": ("MP3", "MPEG_LAYER_III"),
             "opus": ("OGG", "OPUS")}


def best_ms(work: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def with_soundfile(samples: np.ndarray, fmt: str) -> bytes:
    import soundfile
    out = io.BytesIO()
    container, subtype = SOUNDFILE[fmt]
    soundfile.write(out, samples, modem.RATE, format=container, subtype=subtype)
    return out.getvalue()


def per_format() -> None:
    samples = modem.modulate(TEXT, speech.speaking_seconds(TEXT, 1.0))
    print(f"200 characters, {len(samples) / modem.RATE:.1f} s of audio\n")
    print("| format | bytes | modulate+encode ms (PyAV) | encode ms (soundfile) | decode+demodulate ms |")
    print("|---|---|---|---|---|")
    for fmt in codec.FORMATS:
        made = speech.speak(TEXT, 1.0, fmt)
        encode = best_ms(lambda f=fmt: speech.speak(TEXT, 1.0, f))
        other = f"{best_ms(lambda f=fmt: with_soundfile(samples, f)):.1f}" if fmt in SOUNDFILE else "n/a"
        readable = made if fmt != "pcm" else codec.encode(codec.decode_pcm(made), "wav")
        decode = best_ms(lambda r=readable: modem.demodulate(codec.decode(r).samples))
        assert modem.demodulate(codec.decode(readable).samples) == TEXT
        print(f"| {fmt} | {len(made)} | {encode:.1f} | {other} | {decode:.1f} |")


def worst_case() -> None:
    text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80)[:4096]
    print("\n4096 characters at speed 0.25\n\n| format | audio s | bytes | encode s | decode s |\n|---|---|---|---|---|")
    for fmt in ("mp3", "opus", "aac", "wav"):
        start = time.perf_counter()
        made = speech.speak(text, 0.25, fmt)
        encoded = time.perf_counter() - start
        start = time.perf_counter()
        decoded = codec.decode(made)
        assert modem.demodulate(decoded.samples) == text
        print(f"| {fmt} | {decoded.seconds:.0f} | {len(made)} | {encoded:.2f} | {time.perf_counter() - start:.2f} |")


def bit_errors() -> None:
    data = np.random.default_rng(1).integers(0, 256, 600, dtype=np.uint8).tobytes()
    print("\nBit errors in 4,800 bits at the shortest symbol (40 ms)\n\n| codec | configured rate | half rate |"
          "\n|---|---|---|")
    n = modem.MIN_UNITS * modem.UNIT
    signal = np.concatenate([modem.chirp(), np.zeros(modem.Layout(modem.MIN_UNITS, 0).start - len(modem.chirp())),
                             modem._symbols(data, n), np.zeros(4800)]).astype(np.float32) * np.float32(0.1)
    for fmt in ("mp3", "opus", "aac"):
        row = []
        for share in (1.0, 0.5):
            container, name, rate, kind = codec.FORMATS[fmt]
            codec.FORMATS[fmt] = (container, name, int(rate * share), kind)
            heard = codec.decode(codec.encode(signal, fmt)).samples
            codec.FORMATS[fmt] = (container, name, rate, kind)
            origin = modem._find_chirp(heard) or 0
            got = modem._read(heard, origin + modem.Layout(modem.MIN_UNITS, 0).start, n, len(data) // 3) or b""
            errors = np.unpackbits(np.frombuffer(got, np.uint8) ^ np.frombuffer(data, np.uint8)).sum()
            row.append(f"{int(rate * share / 1000)} kbit/s: {errors}")
        print(f"| {fmt} | {row[0]} | {row[1]} |")


def health_while_encoding() -> None:
    """The worst `/health` wait while the server makes the longest speech: the work is on a worker thread."""
    import tempfile
    import threading

    import httpx

    from dummy_openai_api.proxy.testing.background import BackgroundServer
    from dummy_openai_api.proxy.core.config import Mode, Settings

    text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 80)[:4096]
    settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=tempfile.mkdtemp())
    with BackgroundServer(settings) as server, httpx.Client(timeout=120) as client:
        body = {"model": "tts-1", "voice": "alloy", "input": text, "speed": 0.25}
        worker = threading.Thread(target=lambda: client.post(server.base_url + "/audio/speech", json=body,
                                                             headers={"Authorization": "Bearer sk-dummy"}))
        start = time.perf_counter()
        worker.start()
        waits = []
        while worker.is_alive():
            begun = time.perf_counter()
            httpx.get(server.base_url.replace("/v1", "") + "/health")
            waits.append(time.perf_counter() - begun)
        print(f"\n/health during a {time.perf_counter() - start:.1f} s speech request: {len(waits)} answers, "
              f"worst {max(waits) * 1000:.0f} ms, median {sorted(waits)[len(waits) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    per_format()
    worst_case()
    health_while_encoding()
    bit_errors()
