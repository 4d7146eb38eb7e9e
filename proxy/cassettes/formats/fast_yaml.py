"""A fast path for reading cassette YAML: rapidyaml parses, orjson builds, and the result is PyYAML's, exactly.

PyYAML's safe loader costs over 1 ms per recorded interaction (its constructor is Python); libyaml's parser alone
(`raw_parse`, no Python objects) plus rapidyaml (C++) writing the document out as JSON for orjson cost a tenth.
libyaml checks the syntax, so whatever the safe loader refuses is refused here too; rapidyaml builds the values.
But rapidyaml reads YAML 1.2 and types plain scalars the JSON way, where PyYAML follows YAML 1.1 (`2020-10-01` is
a date, `yes` is True, `1e3` is a string), respells some (`inf`), and ignores tags, anchors and aliases. So `load`
takes a document only when nothing in it can be read two ways, and returns None otherwise; the caller then reads
it with the safe loader, which accepts or refuses it as it always did.

Why the checks suffice: a scalar is typed only when it is plain (unquoted, not a block). rapidyaml writes a
plain scalar bare when it is a JSON number, true, false or null, and quotes everything else, so the two readers
disagree only on (a) a quoted JSON string that PyYAML would type if it were plain and that rapidyaml would not
have written bare (`2020-10-01`, `yes`, `~`, `0x1F`; any typed key), or (b) a bare number PyYAML reads as text
or as a larger int (`1e3`, `-.5`; beyond 64 bits orjson makes a float). For (a), a plain scalar without
whitespace appears verbatim in the source after a separator, never right after a quote: if every occurrence of
the text is right after a quote, none was plain. Text without tabs cannot hold a plain scalar with a tab, and a
folded plain scalar holds a space, so whitespace in (a) means the safe loader. tests/test_fast_yaml.py compares
both readers on every real cassette, on written ones, on edge scalars and on thousands of damaged files.
"""
from __future__ import annotations

import re
from itertools import compress, repeat
from typing import Any

import orjson
import yaml

try:  # optional: without it (or without libyaml) every cassette is read by the safe loader
    import ryml
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - exercised by forcing `ryml = None` in tests
    ryml = CParser = None  # type: ignore[misc,assignment]

# Bytes PyYAML refuses or reads differently: C0 controls (tab and CR too: plain scalars and line ends then read
# the same), DEL; beyond ASCII, C1 controls (NEL breaks lines in YAML 1.1), U+2028/9, BOM and U+FFFE/F.
_ORDINARY_ASCII = b"\n" + bytes(range(0x20, 0x7F))
_HIGH_BYTES = bytes(range(0x80, 0x100))
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_SPECIAL_SEQUENCES = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
# Where a tag (!), an anchor (&) or an alias (*) could start: any such character after a separator. Text that
# merely looks like one (" **bold**") costs a walk over the parsed nodes, not the fast path.
# (The start of the text is checked apart: a pattern that opens with a character class lets sre scan fast.)
_PROPERTY = re.compile(rb"[!&*](?<=[\s\[{,:][!&*])")
# Characters YAML reserves (`@`, `` ` ``) or that start a directive (`%`), where a token starts: libyaml refuses
# them there, rapidyaml reads on.
_RESERVED = re.compile(rb"[@`%](?<=[\s\[{,:][@`%])")
# rapidyaml writes some scalars in its own spelling: `inf` as `.inf` (even quoted, as a key), `-.5` (text to
# PyYAML) as the number -0.5.
_RESPELLED = re.compile(r"[-+]?\.?(?:inf|nan)", re.IGNORECASE)
_BARE_FRACTION = re.compile(rb"\.(?<=-\.)[0-9]")
# A tag for certain (`!!binary`, `!!python/...`): the safe loader's, without parsing twice.
_TAG = re.compile(rb"!!(?<=[\s\[{,:]!!)")
# A comment: `#` after a space or a line break.
_COMMENT = re.compile(rb"#(?<=[ \n]#)")
# (Each pattern opens with one literal character, which sre finds fast; `b"-." in raw` and other two-byte
# searches scan text full of spaces and dashes several times slower, a tenth of a large file's parse.)
# The first characters of every scalar PyYAML's implicit resolvers may type (bool, null, int, float, timestamp,
# merge, value; "" is the empty scalar).
_TYPED_FIRST = frozenset((b"", *(bytes([c]) for c in b"yYnNtTfFoO-+0123456789.<~=!&*")))
# Indicators no plain scalar may start with, which rapidyaml reads as text all the same (`- ]x`): such a string
# must have been quoted. (`[` and `{` open collections in both; `!`, `&` and `*` are node properties.)
_INDICATOR_FIRST = frozenset(bytes([c]) for c in b"]},#|>%@`")
_INDICATOR_TEXT = re.compile(rb"[\]},#|>%@`][^\s,\[\]{}'\"]*")  # no separator past its first character
_CHECKED_FIRST = _TYPED_FIRST | _INDICATOR_FIRST
# A bare number PyYAML may read otherwise: an exponent (YAML 1.1 wants a dot and a signed exponent) or 19+ digits
# (orjson makes a float of an int beyond 64 bits). Text inside strings that looks like one only costs the safe loader.
_BARE_NUMBER_RISK = re.compile(rb"[\[:,]\s*-?(?:[0-9]{19}|(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]*\s*[,\]}\n])")
# What rapidyaml writes bare when plain: a quoted JSON string of this form was quoted in the source.
_DIGITS_AS_NINES = bytes.maketrans(b"0123456789", b"9" * 10)
_WRITTEN_BARE = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?|true|false|null")
# Values that are never plain here: "" (rapidyaml writes a plain empty value as null), and `!`, `&`, `*`, which
# as plain scalars are node properties that `_plain_mapping` refused.
_NEVER_PLAIN = frozenset(("", "!", "&", "*"))
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_ESCAPED_BACKSLASH = re.compile(rb"\\\\")  # in JSON text: sre finds it faster than `in` does


def load(raw: bytes) -> Any | None:
    """The document PyYAML's safe loader would build from `raw`, or None when only that loader can tell."""
    if ryml is None or not _ordinary_text(raw) or _unusual(raw):
        return None
    try:
        CParser(raw).raw_parse()  # libyaml's own syntax check, in C (no Python objects): what it refuses, we do
        tree = ryml.parse_in_arena(raw)
    except Exception:  # noqa: BLE001 - whatever either refuses, the safe loader judges (and words the error)
        return None
    if not _plain_mapping(tree, raw):
        return None
    text = _json(tree, len(raw))
    strings, keys, between = _split_strings(text)
    if _risky_numbers(between) or not _typed_alike(strings, keys, raw):
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _json(tree: Any, size_hint: int) -> bytes:
    """The tree as JSON, written into our own buffer (`emit_json_malloc` never frees the one it makes)."""
    buffer = bytearray(2 * size_hint + 4096)  # escapes and indentation: JSON runs to about 1.3 times the YAML
    try:
        return bytes(ryml.emit_json_in_place(tree, buffer))
    except IndexError:  # more than twice: measure, then write
        return bytes(ryml.emit_json_in_place(tree, bytearray(ryml.compute_json_length(tree))))


def _ordinary_text(raw: bytes) -> bool:
    """UTF-8 without a character PyYAML refuses or reads as a line break (bytes methods: a regex is 20x slower)."""
    if raw.translate(None, _ORDINARY_ASCII + _HIGH_BYTES):
        return False
    if raw.isascii():
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _C1.search(raw) and not any(sequence in raw for sequence in _SPECIAL_SEQUENCES)


def _unusual(raw: bytes) -> bool:
    """Comments, tags, reserved characters, `-.5`: what the safe loader reads, or refuses, unlike rapidyaml."""
    return ((b"#" in raw and _COMMENT.search(raw) is not None)  # in a flow collection libyaml ends it at the line's end
            or raw[:1] in (b"!", b"&", b"*", b"@", b"`", b"%", b"#")  # a property or reserved character first
            or (b"!" in raw and _TAG.search(raw) is not None)
            or ((b"@" in raw or b"`" in raw or b"%" in raw) and _RESERVED.search(raw) is not None)
            or _BARE_FRACTION.search(raw) is not None)


def _risky_numbers(between: bytes) -> bool:
    """Whether the text outside JSON strings may hold a bare number PyYAML reads otherwise (case b)."""
    exponent = b"E" in between or between.count(b"e") != between.count(b"true") + between.count(b"false")
    if not exponent and b"9" * 19 not in between.translate(_DIGITS_AS_NINES):
        return False
    return _BARE_NUMBER_RISK.search(between) is not None


def _plain_mapping(tree: Any, raw: bytes) -> bool:
    """One document, a mapping, without tags, anchors or aliases (checked node by node only if the text has any)."""
    root = tree.root_id()
    if not tree.is_map(root) or tree.is_stream(root) or tree.is_doc(root):
        return False
    if not (b"!" in raw or b"&" in raw or b"*" in raw) or not _PROPERTY.search(raw):
        return True
    properties = ryml.KEYTAG | ryml.VALTAG | ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF
    node_type = tree.type
    return not any(node_type(node) & properties for node in range(tree.size()))


def _split_strings(text: bytes) -> tuple[set[bytes], set[bytes], bytes]:
    """(strings of the JSON that start like a typed scalar, those among them used as keys, the text outside).

    Cut at quotes once escapes are gone, and sieved by sets: C work, where a walk over the parsed values took
    three times as long. A typed plain scalar holds no quote, backslash or control character: it survives.
    """
    if _ESCAPED_BACKSLASH.search(text) is not None:  # rare; replace() would scan the text all the same
        text = text.replace(b"\\\\", b"")
    parts = text.replace(b'\\"', b"").split(b'"')
    strings = parts[1::2]
    keys = set(compress(strings, map(bytes.startswith, parts[2::2], repeat(b":"))))
    typed = {string for string in set(strings) if string[:1] in _CHECKED_FIRST}
    return typed, keys & typed, b"".join(parts[0::2])


def _typed_alike(strings: set[bytes], keys: set[bytes], raw: bytes) -> bool:
    """Whether PyYAML types every string of the JSON as rapidyaml did (see the module docstring, case a)."""
    for value in strings:
        if value[:1] in _INDICATOR_FIRST:
            if not _INDICATOR_TEXT.fullmatch(value) or not _always_after_quote(value, raw):
                return False
            continue
        text = value.decode("utf-8")
        if value not in keys and (text in _NEVER_PLAIN or _WRITTEN_BARE.fullmatch(text)):
            continue  # rapidyaml writes such a plain value bare (a number) or flags it (`*`): this one was quoted
        if _RESPELLED.fullmatch(text):
            return False
        if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR:
            continue
        if not value or b" " in value or not _always_after_quote(value, raw):
            return False
    return True


def _always_after_quote(value: bytes, raw: bytes) -> bool:
    """Whether every occurrence of `value` in `raw` directly follows a quote (so none is a plain scalar).

    Counted, not searched: `count` never lets one occurrence hide another that starts after a separator, since
    `value` (typed-looking, without whitespace, commas, brackets or quotes) holds none of those characters.
    """
    found = raw.count(value)  # 0: the text is rapidyaml's spelling or an escape's result, not the file's
    return found > 0 and found == raw.count(b"'" + value) + raw.count(b'"' + value)
