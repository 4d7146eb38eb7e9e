"""The Audio API through the official SDK: speech in every format decodes (FFmpeg and libsndfile) at a speaker's
pace, transcribes back to its text, and every transcription format, stream and error has the API's shape."""
from __future__ import annotations

import base64
import io
import json
import math
import re
import wave

import av
import httpx
import numpy as np
import openai
import pytest
import soundfile

from dummy_openai_api.proxy.cassettes.formats import read_cassette
from dummy_openai_api.proxy.core.config import Mode
from tests.conftest import KEY, sdk_client

TEXT = ("The quick brown fox jumps over the lazy dog. Then it naps under an old oak tree until the evening "
        "comes, and the farmer walks home. Tomorrow they will meet again by the river, as they always do!")
FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
CONTENT_TYPES = {"mp3": "audio/mpeg", "opus": "audio/opus", "aac": "audio/aac", "flac": "audio/flac",
                 "wav": "audio/wav", "pcm": "audio/pcm"}
PACE = 15.0  # characters a second at speed 1.0
SRT_BLOCK = re.compile(r"(\d+)\n(\d\d:\d\d:\d\d,\d{3}) --> (\d\d:\d\d:\d\d,\d{3})\n(.+)\n")
VTT_CUE = re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)\n")


def speak(client: openai.OpenAI, fmt: str = "mp3", text: str = TEXT, **changes) -> bytes:
    params = {"model": "gpt-4o-mini-tts", "voice": "alloy", "input": text, "response_format": fmt, **changes}
    return client.audio.speech.create(**params).content


def as_wav(pcm: bytes) -> bytes:
    """Raw 24 kHz 16-bit mono samples in a WAV header, as a user uploads them (the API takes no raw pcm)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(24000)
        file.writeframes(pcm)
    return out.getvalue()


def upload(fmt: str, audio: bytes) -> tuple[str, bytes]:
    return ("speech.wav", as_wav(audio)) if fmt == "pcm" else (f"speech.{fmt}", audio)


def seconds_with_pyav(audio: bytes) -> float:
    with av.open(io.BytesIO(audio)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
        return samples / container.streams.audio[0].sample_rate


def decoded_seconds(fmt: str, audio: bytes) -> float:
    """The duration by a standard decoder: libsndfile where it reads the format, FFmpeg for aac, none for pcm."""
    if fmt == "pcm":
        return len(audio) / 2 / 24000
    if fmt == "aac":
        return seconds_with_pyav(audio)
    data, rate = soundfile.read(io.BytesIO(audio))
    assert data.ndim == 1 and rate in (24000, 48000)  # mono; libopus decodes at 48 kHz
    return len(data) / rate


def sine_wav(seconds: float, frequency: float = 440.0, level: float = 0.3) -> bytes:
    t = np.arange(int(seconds * 16000)) / 16000
    samples = (level * np.sin(2 * np.pi * frequency * t) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(16000)
        file.writeframes(samples.tobytes())
    return out.getvalue()


@pytest.fixture(scope="module")
def spoken(session_server, admin_session) -> dict[str, bytes]:
    """TEXT said once in each format (by the session's server: speech is stateless). Made before the first test's
    own reset: the server is reset here too, or a rule or mode a test before left there would answer instead."""
    admin_session.post("/_mock/reset").raise_for_status()
    with sdk_client(session_server) as client:
        return {fmt: speak(client, fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_decodes_at_the_pace_of_speech(client, fmt) -> None:
    response = client.audio.speech.with_raw_response.create(model="tts-1", voice="nova", input=TEXT,
                                                            response_format=fmt)
    assert response.headers["content-type"] == CONTENT_TYPES[fmt]
    seconds = decoded_seconds(fmt, response.content)
    assert seconds == pytest.approx(len(TEXT) / PACE, rel=0.1)


@pytest.mark.parametrize("speed", [0.25, 0.5, 2.0, 4.0])
def test_speed_scales_the_duration(client, speed) -> None:
    normal = decoded_seconds("wav", speak(client, "wav"))
    faster = decoded_seconds("wav", speak(client, "wav", speed=speed))
    assert faster == pytest.approx(normal / speed, rel=0.12)


def test_pcm_is_24khz_16bit_mono_without_a_header(spoken) -> None:
    pcm, wav = spoken["pcm"], spoken["wav"]
    with wave.open(io.BytesIO(wav)) as file:
        assert (file.getframerate(), file.getsampwidth(), file.getnchannels()) == (24000, 2, 1)
        frames = file.readframes(file.getnframes())
    assert pcm == frames  # the same samples: pcm is wav less its header


@pytest.mark.parametrize("model", ["whisper-1", "gpt-4o-transcribe"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_speech_transcribes_back_to_its_text(client, spoken, fmt, model) -> None:
    result = client.audio.transcriptions.create(model=model, file=upload(fmt, spoken[fmt]))
    assert result.text == TEXT


@pytest.mark.parametrize("text", ["Hi", "Привет! Как дела?", "日本語の音声です。", "A" * 4096])
def test_any_text_survives_the_lossiest_format(client, text) -> None:
    audio = speak(client, "opus", text, speed=4.0)
    assert client.audio.transcriptions.create(model="whisper-1", file=("a.ogg", audio)).text == text


def test_sse_speech_stream(client) -> None:
    with client.audio.speech.with_streaming_response.create(
            model="gpt-4o-mini-tts", voice="coral", input=TEXT, stream_format="sse", instructions="Cheerful") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(line[6:]) for line in stream.iter_lines() if line.startswith("data: ")]
    deltas, done = events[:-1], events[-1]
    assert deltas and all(e["type"] == "speech.audio.delta" for e in deltas)
    assert done["type"] == "speech.audio.done"
    usage = done["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] and usage["output_tokens"] > 0
    audio = b"".join(base64.b64decode(e["audio"]) for e in deltas)
    assert decoded_seconds("mp3", audio) == pytest.approx(len(TEXT) / PACE, rel=0.1)
    assert client.audio.transcriptions.create(model="whisper-1", file=("s.mp3", audio)).text == TEXT


def test_text_srt_and_vtt(client, spoken) -> None:
    file = ("speech.mp3", spoken["mp3"])
    assert client.audio.transcriptions.create(model="whisper-1", file=file, response_format="text") == TEXT + "\n"
    srt = client.audio.transcriptions.create(model="whisper-1", file=file, response_format="srt")
    blocks = SRT_BLOCK.findall(srt)
    assert [int(b[0]) for b in blocks] == [1, 2, 3] and " ".join(b[3] for b in blocks) == TEXT
    assert all(start < end for _, start, end, _ in blocks)
    assert srt == "".join(f"{n}\n{s} --> {e}\n{t}\n\n" for n, s, e, t in blocks)
    vtt = client.audio.transcriptions.create(model="whisper-1", file=file, response_format="vtt")
    assert vtt.startswith("WEBVTT\n\n")
    cues = VTT_CUE.findall(vtt)
    assert len(cues) == 3 and " ".join(c[2] for c in cues) == TEXT
    assert [c[:2] for c in cues] == [(s.replace(",", "."), e.replace(",", ".")) for _, s, e, _ in blocks]


def test_verbose_json_segments_and_words(client, spoken) -> None:
    duration = decoded_seconds("wav", spoken["wav"])
    result = client.audio.transcriptions.create(model="whisper-1", file=("s.wav", spoken["wav"]),
                                                response_format="verbose_json",
                                                timestamp_granularities=["word", "segment"])
    assert result.duration == pytest.approx(duration, abs=0.01) and result.language == "english"
    assert result.usage.type == "duration" and result.usage.seconds == math.ceil(result.duration)
    assert "".join(s.text for s in result.segments).strip() == TEXT
    assert [s.id for s in result.segments] == [0, 1, 2]
    words = result.words
    assert [w.word for w in words] == re.findall(r"[\w']+", TEXT)
    assert all(0 <= w.start < w.end <= result.duration for w in words)
    assert all(a.end <= b.start for a, b in zip(words, words[1:], strict=False))
    assert words[0].start == result.segments[0].start and words[-1].end == result.segments[-1].end


def test_verbose_json_words_alone_have_no_segments(client, spoken) -> None:
    result = client.audio.transcriptions.create(model="whisper-1", file=("s.wav", spoken["wav"]),
                                                response_format="verbose_json", timestamp_granularities=["word"])
    assert result.words and result.segments is None


def test_diarized_json(client, spoken) -> None:
    result = client.audio.transcriptions.create(model="gpt-4o-transcribe-diarize", file=("s.flac", spoken["flac"]),
                                                response_format="diarized_json", chunking_strategy="auto")
    assert result.task == "transcribe" and result.text == TEXT and result.usage.type == "tokens"
    assert " ".join(s.text for s in result.segments) == TEXT
    assert {s.speaker for s in result.segments} == {"A"} and result.segments[-1].end <= result.duration


def test_usage_by_model(client, spoken) -> None:
    file = ("s.mp3", spoken["mp3"])
    whisper = client.audio.transcriptions.create(model="whisper-1", file=file)
    assert whisper.usage.type == "duration" and whisper.usage.seconds == math.ceil(len(TEXT) / PACE)
    gpt = client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=file, prompt="A fable.")
    usage = gpt.usage
    assert usage.type == "tokens" and usage.input_token_details.text_tokens > 0
    assert usage.input_tokens == usage.input_token_details.audio_tokens + usage.input_token_details.text_tokens
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens


def test_logprobs(client, spoken) -> None:
    result = client.audio.transcriptions.create(model="gpt-4o-transcribe", file=("s.mp3", spoken["mp3"]),
                                                include=["logprobs"])
    assert "".join(p.token for p in result.logprobs) == TEXT
    assert all(p.logprob <= 0 and bytes(int(b) for b in p.bytes) == p.token.encode() for p in result.logprobs)


@pytest.mark.parametrize("include", [[], ["logprobs"]])
def test_streaming_transcription(client, spoken, include) -> None:
    events = list(client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=("s.aac", spoken["aac"]),
                                                     stream=True, include=include))
    deltas, done = events[:-1], events[-1]
    assert all(e.type == "transcript.text.delta" for e in deltas) and len(deltas) > 10
    assert "".join(e.delta for e in deltas) == TEXT
    assert done.type == "transcript.text.done" and done.text == TEXT and done.usage.output_tokens == len(deltas)
    assert (done.logprobs is not None) == bool(include)


def test_whisper_ignores_stream(server, spoken) -> None:
    """"Streaming is not supported for the whisper-1 model and will be ignored": one JSON answer."""
    response = httpx.post(server.base_url + "/audio/transcriptions", headers={"Authorization": f"Bearer {KEY}"},
                          data={"model": "whisper-1", "stream": "true"}, files={"file": ("s.mp3", spoken["mp3"])})
    assert response.headers["content-type"].startswith("application/json") and response.json()["text"] == TEXT


def test_translations(client, spoken) -> None:
    file = ("s.opus.ogg", spoken["opus"])
    assert client.audio.translations.create(model="whisper-1", file=file).text == TEXT
    verbose = client.audio.translations.create(model="whisper-1", file=file, response_format="verbose_json")
    assert verbose.language == "english" and verbose.text == TEXT and verbose.segments
    assert client.audio.translations.create(model="whisper-1", file=file, response_format="text") == TEXT + "\n"


def test_audio_made_elsewhere_gets_a_deterministic_transcript_timed_by_its_duration(client) -> None:
    file = ("tone.wav", sine_wav(6.0))
    first = client.audio.transcriptions.create(model="whisper-1", file=file, response_format="verbose_json")
    again = client.audio.transcriptions.create(model="whisper-1", file=file, response_format="verbose_json")
    assert first.text and first.text == again.text and first.duration == pytest.approx(6.0, abs=0.01)
    other = client.audio.transcriptions.create(model="whisper-1", file=("tone.wav", sine_wav(6.0, 880.0)))
    assert other.text != first.text
    assert first.segments[-1].end <= 6.0


def test_silence_says_nothing(client) -> None:
    assert client.audio.transcriptions.create(model="whisper-1", file=("quiet.wav", sine_wav(2.0, level=0))).text == ""


def test_models_are_listed(client) -> None:
    listed = {m.id for m in client.models.list()}
    assert {"tts-1", "tts-1-hd", "gpt-4o-mini-tts", "whisper-1", "gpt-4o-transcribe",
            "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize"} <= listed


def error_of(call) -> openai.APIStatusError:
    with pytest.raises(openai.APIStatusError) as caught:
        call()
    return caught.value


SPEECH_ERRORS = [  # (changes to a valid request, status, param, code)
    ({"input": "x" * 4097}, 400, "input", "string_above_max_length"),
    ({"voice": "bob"}, 400, "voice", "invalid_value"),
    ({"response_format": "ogg"}, 400, "response_format", "invalid_value"),
    ({"speed": 4.5}, 400, "speed", "decimal_above_max_value"),
    ({"speed": 0.1}, 400, "speed", "decimal_below_min_value"),
    ({"model": "tts-1", "instructions": "Whisper"}, 400, "instructions", "unsupported_parameter"),
    ({"model": "tts-1-hd", "stream_format": "sse"}, 400, "stream_format", "unsupported_value"),
    ({"model": "no-such-tts"}, 404, None, "model_not_found"),
    ({"model": "gpt-4o-mini"}, 404, "model", None),
]


@pytest.mark.parametrize("changes,status,param,code", SPEECH_ERRORS)
def test_speech_errors(client, changes, status, param, code) -> None:
    params = {"model": "gpt-4o-mini-tts", "voice": "alloy", "input": "Hello", **changes}
    error = error_of(lambda: client.audio.speech.create(**params))
    assert (error.status_code, error.body["param"], error.body["code"]) == (status, param, code)


def test_missing_speech_fields(server) -> None:
    response = httpx.post(server.base_url + "/audio/speech", headers={"Authorization": f"Bearer {KEY}"},
                          json={"model": "tts-1", "voice": "alloy"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "input"


def test_transcription_errors(client, spoken) -> None:
    mp3 = ("s.mp3", spoken["mp3"])
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=("s.mp3", b"\0" * 4000)))
    assert error.status_code == 400 and error.message.endswith("Audio file might be corrupted or unsupported")
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=("notes.txt", b"hello")))
    assert "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3'" in error.message
    error = error_of(lambda: client.audio.transcriptions.create(model="gpt-4o-transcribe", file=mp3,
                                                                response_format="verbose_json"))
    assert error.body == {"message": "response_format 'verbose_json' is not compatible with model "
                          "'gpt-4o-transcribe'. Use 'json' or 'text' instead.", "type": "invalid_request_error",
                          "param": "response_format", "code": "unsupported_value"}
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=mp3,
                                                                response_format="diarized_json"))
    assert error.body["param"] == "response_format"
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=mp3, include=["logprobs"]))
    assert error.status_code == 400 and error.body["param"] == "include[]"
    assert error.body["code"] == "unsupported_parameter"
    error = error_of(lambda: client.audio.transcriptions.create(model="gpt-4o-transcribe", file=mp3,
                                                                include=["logprobs"], response_format="text"))
    assert error.body["param"] == "response_format" and error.body["code"] == "unsupported_value"
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=mp3, temperature=1.5))
    assert error.body["param"] == "temperature"
    error = error_of(lambda: client.audio.translations.create(model="gpt-4o-transcribe", file=mp3))
    assert error.body["param"] == "model"
    error = error_of(lambda: client.audio.transcriptions.create(model="text-embedding-3-small", file=mp3))
    assert error.status_code in (400, 404)


def test_over_25_mb_is_413(server) -> None:
    files = {"file": ("big.wav", b"\0" * (25 * 1024 * 1024 + 1))}
    response = httpx.post(server.base_url + "/audio/transcriptions", headers={"Authorization": f"Bearer {KEY}"},
                          data={"model": "whisper-1"}, files=files, timeout=60)
    error = response.json()["error"]
    assert response.status_code == 413 and error["type"] == "server_error"
    assert re.fullmatch(r"Maximum content size limit \(26214400\) exceeded \(\d+ bytes read\)", error["message"])


def test_missing_file_and_model(server) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    response = httpx.post(server.base_url + "/audio/transcriptions", headers=headers, data={"model": "whisper-1"},
                          files={"other": ("a", b"x")})
    assert response.status_code == 400 and response.json()["error"]["param"] == "file"
    response = httpx.post(server.base_url + "/audio/transcriptions", headers=headers, json={"model": "whisper-1"})
    assert response.status_code == 400 and "multipart/form-data" in response.json()["error"]["message"]


def test_speech_and_transcriptions_record_and_replay(make_server, tmp_path, spoken) -> None:
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream")
    recorder = make_server(mode=Mode.RECORD, cassettes=str(tmp_path / "tapes"), upstream=upstream.base_url,
                           upstream_key="sk-upstream")
    with sdk_client(recorder) as client:
        audio = speak(client, "opus", "Recorded once.")
        srt = client.audio.transcriptions.create(model="whisper-1", file=("s.mp3", spoken["mp3"]),
                                                 response_format="srt")
    assert srt.startswith("1\n00:00:00,")
    recorded = read_cassette(tmp_path / "tapes" / "recorded.yaml")
    assert [r.uri.rsplit("/v1", 1)[1] for r in recorded] == ["/audio/speech", "/audio/transcriptions"]
    assert recorded[1].response_body == srt.encode()
    upstream.stop()  # from here on, only the cassette can answer
    replayer = make_server(mode=Mode.STRICT, cassettes=str(tmp_path / "tapes"))  # a miss is an error
    with sdk_client(replayer) as client:
        assert speak(client, "opus", "Recorded once.") == audio
        again = client.audio.transcriptions.create(model="whisper-1", file=("s.mp3", spoken["mp3"]),
                                                   response_format="srt")  # the SDK draws a new boundary
    assert again == srt


def test_diarized_stream_names_each_segment(client, spoken) -> None:
    events = list(client.audio.transcriptions.create(
        model="gpt-4o-transcribe-diarize", file=("s.wav", spoken["wav"]), stream=True,
        response_format="diarized_json", known_speaker_names=["agent"],
        known_speaker_references=["data:audio/wav;base64,AAAA"]))
    segments = [e for e in events if e.type == "transcript.text.segment"]
    assert len(segments) == 3  # TEXT's three sentences
    assert " ".join(s.text for s in segments) == TEXT and {s.speaker for s in segments} == {"agent"}
    for segment in segments:  # the deltas before each segment event carry its id and spell its text
        index = events.index(segment)
        mine = [e for e in events[:index] if e.type == "transcript.text.delta" and e.segment_id == segment.id]
        assert "".join(e.delta for e in mine).strip() == segment.text
    assert events[-1].type == "transcript.text.done" and events[-1].text == TEXT


def test_gpt_transcribe_reports_languages(client) -> None:
    audio = speak(client, "mp3", "Привет, как дела?")
    result = client.audio.transcriptions.create(model="gpt-transcribe", file=("s.mp3", audio))
    assert result.text == "Привет, как дела?" and [lang.code for lang in result.languages] == ["ru"]


def transcode(data: bytes, fmt: str, codec_name: str, rate: int, layout: str) -> bytes:
    """What an application may do to speech before it uploads it: another container, codec and rate."""
    out = io.BytesIO()
    with av.open(io.BytesIO(data)) as source, av.open(out, "w", format=fmt) as target:
        stream = target.add_stream(codec_name, rate=rate, layout=layout)
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
        for frame in source.decode(audio=0):
            frame.pts = None
            for converted in resampler.resample(frame):
                target.mux(stream.encode(converted))
        target.mux(stream.encode(None))
    return out.getvalue()


@pytest.mark.parametrize("fmt,codec_name,rate,layout", [
    ("mp4", "aac", 44100, "stereo"), ("webm", "libopus", 48000, "mono"), ("wav", "pcm_s16le", 16000, "mono"),
    ("mp3", "libmp3lame", 22050, "mono")])
def test_speech_converted_by_the_application_still_transcribes_back(client, spoken, fmt, codec_name, rate,
                                                                    layout) -> None:
    converted = transcode(spoken["mp3"], fmt, codec_name, rate, layout)
    name = "speech.m4a" if fmt == "mp4" else f"speech.{fmt}"
    assert client.audio.transcriptions.create(model="whisper-1", file=(name, converted)).text == TEXT


def test_azure_clients_speak_and_transcribe_through_deployments(make_server) -> None:
    server = make_server(azure_deployments=(("voice", "gpt-4o-mini-tts"), ("ears", "whisper-1")))
    azure = openai.AzureOpenAI(azure_endpoint=server.base_url.removesuffix("/v1"), api_key=KEY,
                               api_version="2024-10-21", max_retries=0)
    with azure:
        audio = azure.audio.speech.create(model="voice", voice="alloy", input="Hello from a deployment.").content
        heard = azure.audio.transcriptions.create(model="ears", file=("hello.mp3", audio), response_format="verbose_json")
    assert heard.text == "Hello from a deployment." and heard.usage.type == "duration"  # whisper-1's usage


WAV_HEADER_ONLY = as_wav(b"")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize("name,data", [
    ("empty.wav", b""), ("noise.wav", bytes(range(256)) * 40), ("header.wav", WAV_HEADER_ONLY),
    ("image.mp4", PNG), ("notes.mp3", b"Just some text, not audio at all.\n" * 10)])
def test_files_that_are_not_audio_are_refused_in_the_api_words(client, name, data) -> None:
    error = error_of(lambda: client.audio.transcriptions.create(model="whisper-1", file=(name, data)))
    assert error.status_code == 400
    assert error.body == {"message": "Audio file might be corrupted or unsupported", "type": "invalid_request_error",
                          "param": "file", "code": "invalid_value"}


def test_a_cut_file_is_transcribed_as_audio_made_elsewhere(client, spoken) -> None:
    """Half of the speech still decodes, but its text no longer checks: a deterministic transcript of it."""
    half = spoken["mp3"][:len(spoken["mp3"]) // 2]
    first = client.audio.transcriptions.create(model="whisper-1", file=("cut.mp3", half), response_format="verbose_json")
    again = client.audio.transcriptions.create(model="whisper-1", file=("cut.mp3", half))
    assert first.text != TEXT and first.text == again.text
    assert first.duration == pytest.approx(len(TEXT) / PACE / 2, rel=0.15)


def test_translations_answer_in_english(client) -> None:
    audio = speak(client, "mp3", "Buenos días!")
    verbose = client.audio.translations.create(model="whisper-1", file=("s.mp3", audio), response_format="verbose_json")
    assert verbose.text == "Good morning!" and verbose.language == "english"
    said = client.audio.transcriptions.create(model="whisper-1", file=("s.mp3", audio), response_format="verbose_json")
    assert said.text == "Buenos días!" and said.language == "spanish"


def test_gpt_models_refuse_audio_over_1400_seconds(client) -> None:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:  # 1450 s of 8-bit silence at 4 kHz: 5.8 MB
        file.setnchannels(1)
        file.setsampwidth(1)
        file.setframerate(4000)
        file.writeframes(b"\x80" * (4000 * 1450))
    long = ("long.wav", out.getvalue())
    error = error_of(lambda: client.audio.transcriptions.create(model="gpt-4o-mini-transcribe", file=long))
    assert error.status_code == 400 and error.body["code"] == "invalid_value"
    assert re.fullmatch(r"audio duration 1450(\.\d+)? seconds is longer than 1400 seconds which is the maximum for "
                        r"this model", error.body["message"])
    whisper = client.audio.transcriptions.create(model="whisper-1", file=long, response_format="verbose_json")
    assert whisper.duration == pytest.approx(1450, abs=0.05) and whisper.text == ""
