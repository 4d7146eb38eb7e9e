"""Hostile cassettes of a few KB each, as a pull request could add them: YAML alias bombs, compression bombs."""
from __future__ import annotations

import base64
import zlib

from dummy_openai_api.proxy.cassettes.formats import Interaction
from tests.cassette_factory import API

CHAT_URI = API + "/chat/completions"
REQUEST = f"{{method: POST, uri: '{CHAT_URI}', body: '{{}}', headers: {{}}}}"


def laughs(depth: int = 8, width: int = 9) -> list[str]:
    """The billion laughs: each list holds `width` aliases of the one before, `depth` levels down (9^9 strings)."""
    lines = [f"a0: &a0 [{','.join(['lol'] * width)}]"]
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * width)}]" for n in range(1, depth + 1)]
    return lines


def bomb_in_headers() -> str:
    """641 bytes: the last list as a recorded header's value (made text when the cassette is read)."""
    return "\n".join([*laughs(), "interactions:", f"- request: {REQUEST}",
                      "  response: {status: {code: 200, message: OK}, headers: {x-bomb: *a8}, "
                      "body: {string: '{}'}}", ""])


def bomb_in_parsed_body() -> str:
    """pydantic-ai's `parsed_body` (JSON kept as YAML data, written back out as JSON when read)."""
    return "\n".join([*laughs(), "interactions:", f"- request: {REQUEST}",
                      "  response: {status: {code: 200, message: OK}, headers: {}, parsed_body: {choices: *a8}}", ""])


def wide_bomb() -> str:
    """One 2 KB text named 2,000 times: 4 MB once expanded, from 8 KB."""
    refs = ",".join(["*t"] * 2000)
    return "\n".join([f"t: &t '{'x' * 2048}'", "interactions:", f"- request: {REQUEST}",
                      f"  response: {{status: {{code: 200, message: OK}}, headers: {{x-wide: [{refs}]}}, "
                      "body: {string: '{}'}}", ""])


def endless_bomb() -> str:
    """A list that holds itself: no end to expand to."""
    return "\n".join(["a: &a [*a, *a]", "interactions:", f"- request: {REQUEST}",
                      "  response: {status: {code: 200, message: OK}, headers: {x: *a}, body: {string: '{}'}}", ""])


YAML_BOMBS = {"laughs-in-headers": bomb_in_headers, "laughs-in-parsed-body": bomb_in_parsed_body,
              "wide": wide_bomb, "endless": endless_bomb}

# brotli.Compressor(quality=5) over 1 GiB of zero bytes: 1,617 bytes that decompress to 1 GiB.
BROTLI_GIB = base64.b64decode(
    "y///PwAkAOKxQHLv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4"
    "LADd+z/+//8BIAEQhwWge//H//8/ACQA4rAAdO//+P//B4AEQBwWgO79H////wCQAIjDAtC9/+P//x8AEgBxWAC693/8//8DQAIgDgtA9/6P//9/"
    "AEgAxGEB6N7/8f//DwAJgDgsAN37P/7//wEgARCHBaB7/8f//z8AJADisAB07//4//8HgARAHBaA7v0f////AJAAiMMC0L3/4///HwASAHFYALr3"
    "f/z//wNAAiAOC0D3/o///38ASADEYQHo3v/x//8PAAmAOCwA3fs//v//ASABEIcFoHv/x///PwAkAOKwAHTv//j//weABEAcFoDu/R////8AkACI"
    "wwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4LADd+z/+//8BIAEQhwWge//H//8/ACQA4rAAdO//+P//"
    "B4AEQBwWgO79H////wCQAIjDAtC9/+P//x8AEgBxWAC693/8//8DQAIgDgtA9/6P//9/AEgAxGEB6N7/8f//DwAJgDgsAN37P/7//wEgARCHBaB7"
    "/8f//z8AJADisAB07//4//8HgARAHBaA7v0f////AJAAiMMC0L3/4///HwASAHFYALr3f/z//wNAAiAOC0D3/o///38ASADEYQHo3v/x//8PAAmA"
    "OCwA3fs//v//ASABEIcFoHv/x///PwAkAOKwAHTv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///"
    "fwBIAMRhAeje//H//w8ACYA4LADd+z/+//8BIAEQhwWge//H//8/ACQA4rAAdO//+P//B4AEQBwWgO79H////wCQAIjDAtC9/+P//x8AEgBxWAC6"
    "93/8//8DQAIgDgtA9/6P//9/AEgAxGEB6N7/8f//DwAJgDgsAN37P/7//wEgARCHBaB7/8f//z8AJADisAB07//4//8HgARAHBaA7v0f////AJAA"
    "iMMC0L3/4///HwASAHFYALr3f/z//wNAAiAOC0D3/o///38ASADEYQHo3v/x//8PAAmAOCwA3fs//v//ASABEIcFoHv/x///PwAkAOKwAHTv//j/"
    "/weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4LADd+z/+//8BIAEQhwWg"
    "e//H//8/ACQA4rAAdO//+P//B4AEQBwWgO79H////wCQAIjDAtC9/+P//x8AEgBxWAC693/8//8DQAIgDgtA9/6P//9/AEgAxGEB6N7/8f//DwAJ"
    "gDgsAN37P/7//wEgARCHBaB7/8f//z8AJADisAB07//4//8HgARAHBaA7v0f////AJAAiMMC0L3/4///HwASAHFYALr3f/z//wNAAiAOC0D3/o//"
    "/38ASADEYQHo3v/x//8PAAmAOCwA3fs//v//ASABEIcFoHv/x///PwAkAOKwAHTv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgA"
    "uvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4LADd+z/+//8BIAEQhwWge//H//8/ACQA4rAAdO//+P//B4AEQBwWgO79H////wCQ"
    "AIjDAtC9/+P//x8AEgBxWAC693/8//8DQAIgDgtA9/6P//9/AEgAxGEB6N7/8f//DwAJgDgsAN37P/7//wEgARCHBaB7/8f//z8AJADisAB07//4"
    "//8HgARAHBaA7v0f////AJAAiMMC0L3/4///HwASAHFYALr3f/z//wNAAiAOC0D3/o///38ASADEYQHo3v/x//8PAAmAOCwA3fs//v//ASABEIcF"
    "oHv/x///PwAkAOKwAHTv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8A"
    "CYA4LADd+z/+//8BIAEQhwWge/83"
)


def gzip_bomb(members: int = 128, size: int = 8 * 2**20) -> bytes:
    """About 1 MB of gzip that decompresses to 1 GiB: `members` gzip members of `size` zero bytes in a row."""
    engine = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = engine.compress(bytes(size)) + engine.flush()
    return member * members


def compressed_answer(body: bytes, encoding: str, content: str = "bomb") -> Interaction:
    """A recorded chat answer whose body is `body`, labelled with the content-encoding `encoding`."""
    return Interaction("POST", CHAT_URI, {"content-type": ["application/json"]},
                       b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"' + content.encode() + b'"}]}',
                       200, "OK", {"content-type": ["application/json"], "content-encoding": [encoding]}, body)
