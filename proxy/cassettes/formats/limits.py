"""Bounds on what a cassette file may cost to read: cassettes come from other people's pull requests.

Two ways a small file becomes a large load: YAML aliases (a 641-byte "billion laughs" names one list from
another eight levels deep, 10^8 strings once expanded) and compressed bodies (1.6 KB of brotli inflates to
gigabytes). Aliases are counted over the node graph before anything is built from it, each shared node
once, so a bomb is refused in microseconds; decompression streams into a `Budget` and stops at its limit.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import brotli
import yaml

from dummy_openai_api.proxy.cassettes.formats.interaction import Invalid

DEFAULT_BODY_LIMIT = 64 * 2**20  # the largest real OpenAI bodies (images as b64_json, long embeddings) are tens of MB
# A file may decompress to this many times its own size (or to the body limit, whichever is more): well above
# what compressed JSON and SSE reach, far below what a crafted stream reaches.
DECOMPRESSION_RATIO = 100
# Aliases may make a document this many times its own size (plus ALIAS_SLACK): real cassettes that share a
# header block through an anchor stay far below, a bomb is refused at once.
ALIAS_RATIO, ALIAS_SLACK = 10, 2**20
CHUNK = 2**16
# gzip members read one after another; each costs a copy of the rest of the input, so a file of a million
# empty members would cost hours. Real bodies have one.
GZIP_MEMBERS = 256


class TooLarge(Invalid):
    """A cassette expands beyond its limits."""


@dataclass
class Budget:
    """Bytes a file's decompressed content may still take; each body at most `body_limit` of them."""

    body_limit: int
    remaining: int

    @classmethod
    def for_file(cls, size: int, body_limit: int = DEFAULT_BODY_LIMIT) -> "Budget":
        return cls(body_limit, max(body_limit, DECOMPRESSION_RATIO * size))

    def allowance(self) -> int:
        return min(self.body_limit, self.remaining)

    def spend(self, size: int) -> None:
        self.remaining -= size

    def refuse(self) -> TooLarge:
        if self.remaining < self.body_limit:
            return TooLarge(f"a body decompresses beyond this file's budget ({DECOMPRESSION_RATIO} times its size "
                            f"or the body limit of {self.body_limit} bytes, whichever is more)")
        return TooLarge(f"a body decompresses to more than the body limit of {self.body_limit} bytes "
                        "(the --cassette-body-mb setting)")


def _bounded(pieces: Iterable[bytes], budget: Budget) -> bytes:
    limit, out, size = budget.allowance(), [], 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise budget.refuse()
        out.append(piece)
    budget.spend(size)
    return b"".join(out)


def inflate(data: bytes, wbits: int, budget: Budget) -> bytes:
    """zlib/gzip/raw deflate (by `wbits`), every gzip member, never more than the budget allows."""
    return _bounded(_inflate_pieces(data, wbits), budget)


def _inflate_pieces(data: bytes, wbits: int) -> Iterable[bytes]:
    for _ in range(GZIP_MEMBERS):
        engine = zlib.decompressobj(wbits)
        pending = data
        while pending and not engine.eof:
            piece = engine.decompress(pending, CHUNK)
            pending = engine.unconsumed_tail
            yield piece
        while not engine.eof and (piece := engine.decompress(b"", CHUNK)):
            yield piece
        if not engine.eof:
            raise zlib.error("incomplete or truncated stream")
        data = engine.unused_data if wbits > 16 else b""  # gzip allows several members in a row
        if not data.strip(b"\x00"):
            return
    raise zlib.error(f"more than {GZIP_MEMBERS} gzip members")


def unbrotli(data: bytes, budget: Budget) -> bytes:
    """Brotli, never more than the budget allows (brotli >= 1.2 bounds each step's output)."""
    return _bounded(_brotli_pieces(data), budget)


def _brotli_pieces(data: bytes) -> Iterable[bytes]:
    engine = brotli.Decompressor()
    piece = engine.process(data, output_buffer_limit=CHUNK)
    yield piece
    while not engine.is_finished():
        piece = engine.process(b"", output_buffer_limit=CHUNK)
        if not piece and engine.can_accept_more_data():
            raise brotli.error("incomplete or truncated stream")
        yield piece


# An anchor is `&` and a name: without one there can be no alias (an alias names an anchor), and the node walk
# (about a tenth of a parse) is skipped. Any byte but a space or flow indicator counts as a name here, so text
# in other encodings (UTF-16's zero bytes) and URLs (`?a=1&b=2`) only cost the walk.
_ANCHOR = re.compile(rb"&[^\s,\[\]{}]")


def may_alias(raw: bytes) -> bool:
    """False when the YAML in `raw` certainly holds no anchor, so no alias can expand it."""
    return b"&" in raw and _ANCHOR.search(raw) is not None  # the plain search first: 30x faster


def check_expansion(root: yaml.Node, source_size: int) -> None:
    """Refuse a document whose aliases expand it beyond ALIAS_RATIO times its size (plus ALIAS_SLACK).

    The size of a node is its scalar's length, or one plus its children's sizes; a node an alias shares is
    measured once and counted at every use, so this is linear in the file however far it would expand.
    """
    limit = ALIAS_RATIO * source_size + ALIAS_SLACK
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # being measured: meeting one again is an alias to its own ancestor
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            size = 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else sum(sizes[id(c)] for c in children))
            if size > limit:
                raise TooLarge(f"YAML aliases expand it beyond {ALIAS_RATIO} times its size (an alias bomb?)")
            sizes[id(node)] = size
            open_nodes.discard(id(node))
            continue
        if id(node) in open_nodes:
            raise TooLarge("a YAML alias refers to a node that contains it (a structure without end)")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []
