"""Files as the API's file search reads them: their text, then overlapping windows of tokens.

The API documents the file types it can search (guides/tools-file-search#supported-files) and refuses other
extensions when a file is attached. Text types are decoded as UTF-8; Word and PowerPoint files are zip
archives of XML whose text runs are read here. PDF and the old binary .doc need a parser this server does not
have, so such files end `failed`, as a file the API cannot parse does. HTML is read as the text a browser
shows: scripts, styles and tags dropped, entities decoded.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import PurePosixPath

from dummy_openai_api.generators import tokens

SUPPORTED = (".c", ".cpp", ".cs", ".css", ".doc", ".docx", ".go", ".html", ".java", ".js", ".json", ".md", ".pdf",
             ".php", ".pptx", ".py", ".rb", ".sh", ".tex", ".ts", ".txt")
OFFICE = {".docx": "word/", ".pptx": "ppt/slides/"}  # where each archive keeps its text
UNPARSED = (".pdf", ".doc")
ENCODING_MODEL = "text-embedding-3-large"  # cl100k_base: the tokens chunk sizes are counted in
MAX_FILE_TOKENS = 5_000_000  # "no more than 5,000,000 tokens per file" (file search guide)
DEFAULT_STATIC = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}  # what `auto` uses
_RUN = re.compile(rb"<(?:w|a):t(?:\s[^>]*)?>([^<]*)</(?:w|a):t>")
_PARAGRAPH = re.compile(rb"</(?:w|a):p>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|pre|blockquote)\b[^>]*>",
                    re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


class Unreadable(ValueError):
    """A file whose text cannot be read: `code` is the API's `last_error.code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def extension(filename: str) -> str:
    """The lower-case extension with its dot, "" when there is none."""
    return PurePosixPath(filename).suffix.lower()


def supported(filename: str) -> bool:
    return extension(filename) in SUPPORTED


def text_of(filename: str, data: bytes) -> str:
    """The file's text; `Unreadable` when it has none this server can read."""
    kind = extension(filename)
    if kind in UNPARSED:
        raise Unreadable("unsupported_file", f"This server does not extract text from {kind} files; upload the "
                                             "text as .txt or .md.")
    if kind in OFFICE:
        return _office_text(data, OFFICE[kind])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("invalid_file", "The file could not be parsed: it is not UTF-8 text.") from None
    if "\x00" in text:
        raise Unreadable("invalid_file", "The file could not be parsed: it holds binary data.")
    return _page_text(text) if kind == ".html" else text


def _page_text(page: str) -> str:
    """An HTML page's visible text, a line per block."""
    text = _TAG.sub(" ", _BLOCK.sub("\n", _HIDDEN.sub("", page)))
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _office_text(data: bytes, folder: str) -> str:
    """The text runs of a .docx or .pptx, a paragraph per line."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = sorted(n for n in archive.namelist() if n.startswith(folder) and n.endswith(".xml"))
            xml = b"\n".join(archive.read(name) for name in parts)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise Unreadable("invalid_file", "The file could not be parsed: it is not a valid Office document.") from None
    paragraphs = [b"".join(_RUN.findall(piece)) for piece in _PARAGRAPH.split(xml)]
    return "\n".join(p.decode("utf-8", "replace") for p in paragraphs if p.strip())


def chunks(text: str, max_tokens: int, overlap: int) -> list[str]:
    """Windows of `max_tokens` tokens, each starting `max_tokens - overlap` tokens after the one before;
    `Unreadable` beyond the API's token limit per file."""
    encoding = tokens.encoding_for(ENCODING_MODEL)
    ids = encoding.encode_ordinary(text)
    if len(ids) > MAX_FILE_TOKENS:
        raise Unreadable("invalid_file", f"The file has {len(ids)} tokens; files may have at most "
                                         f"{MAX_FILE_TOKENS}.")
    if not ids:
        return []
    step = max_tokens - overlap
    starts = range(0, max(len(ids) - overlap, 1), step)
    return [encoding.decode(ids[start:start + max_tokens]) for start in starts]


def static_sizes(strategy: dict | None) -> dict[str, int]:
    """The static sizes a (validated) chunking strategy stands for: `auto` and none mean 800 / 400."""
    if strategy and strategy.get("type") == "static":
        return dict(strategy["static"])
    return dict(DEFAULT_STATIC)
