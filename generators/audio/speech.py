"""Speech from text and text from speech: the modem's signal at the pace of a speaker, and transcripts of any
audio (the text carried by speech made here, or a deterministic one derived from audio made elsewhere)."""
from __future__ import annotations

import dataclasses
import hashlib
import unicodedata

import numpy as np

from dummy_openai_api.generators.audio import codec, modem
from dummy_openai_api.generators.audio.transcript import Transcript
from dummy_openai_api.generators.replies.phrasebook.translation import TRANSLATIONS

CHARS_PER_SECOND = 15.0  # about 150 words a minute, the pace of the API's voices at speed 1.0
WIDE_CHAR_WEIGHT = 3  # a Chinese or Japanese character is a syllable: it takes as long as three letters
WORDS_PER_SECOND = 2.5  # how much a synthetic transcript says per second of audio made elsewhere
MAX_SECONDS = codec.MAX_KEPT_SECONDS - 30  # 4096 letters at speed 0.25 take 1094 s; wide characters would not fit
SILENCE = 3  # RMS, in 16-bit steps, below which audio made elsewhere holds no speech  # RMS below which audio made elsewhere holds no speech
LANGUAGES = {  # ISO-639-1 code -> the name verbose_json reports (a few of Whisper's 99)
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "ru": "russian", "uk": "ukrainian", "pl": "polish", "ja": "japanese", "zh": "chinese",
    "ko": "korean", "ar": "arabic", "hi": "hindi", "tr": "turkish", "sv": "swedish", "el": "greek",
}
_SCRIPTS = (("CJK", "chinese"), ("HIRAGANA", "japanese"), ("KATAKANA", "japanese"), ("HANGUL", "korean"),
            ("CYRILLIC", "russian"), ("ARABIC", "arabic"), ("GREEK", "greek"), ("DEVANAGARI", "hindi"))
_VOCABULARY = (
    "the meeting starts at nine and we will review the plan for next week before lunch so please bring your "
    "notes about the budget the schedule and the new design our team finished most of the work yesterday but "
    "a few questions remain open about testing the release and the documentation thank you all for joining "
    "today let us begin with a short update from each group then discuss the risks and agree on next steps"
).split()


def speaking_seconds(text: str, speed: float) -> float:
    """How long a speaker takes to say `text` at `speed`."""
    weight = sum(WIDE_CHAR_WEIGHT if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return weight / CHARS_PER_SECOND / speed


def speak(text: str, speed: float, fmt: str) -> bytes:
    """`text` said at `speed`, as a file of `fmt`; never longer than a transcription reads back."""
    return codec.encode(modem.modulate(text, min(speaking_seconds(text, speed), MAX_SECONDS)), fmt)


def listen(decoded: codec.Decoded, language: str | None) -> Transcript:
    """What `decoded` says: its own text when made here, otherwise a deterministic transcript of its content."""
    text = modem.demodulate(decoded.samples)
    if text is not None:
        span = (modem.Layout(modem.MIN_UNITS, 0).data_start / modem.RATE, decoded.seconds - modem.TAIL_SECONDS)
    else:
        text, span = _made_up(decoded), (0.0, decoded.seconds)
    name = LANGUAGES.get(language or "", language) if language else detect_language(text)
    return Transcript(text, decoded.seconds, span, name or "english", hashlib.sha256(text.encode()).digest())


def _made_up(decoded: codec.Decoded) -> str:
    """Sentences of words picked by the file's digest, as many as the duration holds; silence says nothing."""
    samples = decoded.samples
    probe = samples[::16].astype(np.float32)  # a sparse sample of the signal: enough to hear silence
    if not len(probe) or float(np.sqrt(np.mean(probe * probe))) < SILENCE:
        return ""
    count = max(1, round(decoded.seconds * WORDS_PER_SECOND))
    stream = hashlib.shake_256(decoded.digest).digest(count * 2)
    words = [_VOCABULARY[int.from_bytes(stream[2 * i:2 * i + 2], "big") % len(_VOCABULARY)] for i in range(count)]
    sentences = [words[i:i + 9] for i in range(0, count, 9)]
    return " ".join(" ".join(s).capitalize() + "." for s in sentences)


# The phrasebook's French, Spanish, German and Italian phrases, back to English: what a translation can know.
_TO_ENGLISH = {foreign.lower(): english for english, row in TRANSLATIONS.items() for foreign in row}


def translated(heard: Transcript) -> Transcript:
    """`heard` in English, as `/v1/audio/translations` answers: a phrase the phrasebook knows is translated,
    anything else is kept as said (speech made here is mostly English already)."""
    phrase = heard.text.strip()
    core = phrase.rstrip("!?.")
    english = _TO_ENGLISH.get(core.lower())
    text = english[:1].upper() + english[1:] + phrase[len(core):] if english else heard.text
    return dataclasses.replace(heard, text=text, language="english")


def language_code(name: str) -> str:
    """The ISO-639-1 code of a language the API names in full ("english" -> "en")."""
    return next((code for code, full in LANGUAGES.items() if full == name), name[:2])


_COMMON_WORDS = {  # a few of each language's most frequent words: enough to tell Latin-script languages apart
    "english": "the and is of to a in it you that this for with are was".split(),
    "spanish": "el los las que y es por para con una buenos días hola gracias está".split(),
    "french": "le les et est une vous je pas pour avec bonjour merci c'est dans".split(),
    "german": "der die das und ist nicht ich sie mit ein eine guten morgen danke".split(),
    "italian": "il gli che è non sono per una con ciao grazie buongiorno della".split(),
}


def detect_language(text: str) -> str:
    """The language a transcript is in: by the script of its first letter outside Latin, else by its most
    common words."""
    for char in text:
        if char.isalpha() and ord(char) > 0x24F:
            name = unicodedata.name(char, "")
            for script, language in _SCRIPTS:
                if name.startswith(script):
                    return language
    words = [w.strip(".,!?;:\"()¡¿") for w in text.lower().split()]
    scores = {language: sum(w in common for w in words) for language, common in _COMMON_WORDS.items()}
    best = max(scores, key=lambda language: scores[language])
    return best if scores[best] > scores["english"] else "english"
