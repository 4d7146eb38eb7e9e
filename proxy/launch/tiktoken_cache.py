"""`python main.py tiktoken-cache DIR`: the official BPE files, laid out as tiktoken's TIKTOKEN_CACHE_DIR expects.

Client-side tiktoken (LangChain, LlamaIndex, your own code) downloads these files on first use, which fails
offline. With `TIKTOKEN_CACHE_DIR=DIR` it reads them from here instead: each file is named by the sha1 of the
URL tiktoken would download it from, and holds exactly the bytes it would have downloaded (checked against
the sha256 tiktoken pins).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from dummy_openai_api.generators.tokens import OFFICIAL_SHA256, bpe_file_bytes
from dummy_openai_api.proxy.core.atomic import atomic_write

BLOB_URLS = {name: f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken" for name in OFFICIAL_SHA256}


def cache_file_name(name: str) -> str:
    """tiktoken's cache key for an encoding: sha1 of its download URL (tiktoken.load.read_file_cached)."""
    return hashlib.sha1(BLOB_URLS[name].encode()).hexdigest()


def write_cache(directory: str | os.PathLike) -> list[Path]:
    """Write every bundled encoding into `directory` (atomically, file by file); returns the paths."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in BLOB_URLS:
        path = target / cache_file_name(name)
        if not (path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == OFFICIAL_SHA256[name]):
            atomic_write(path, bpe_file_bytes(name))
        written.append(path)
    return written


def main(argv: list[str], prog: str = "main.py tiktoken-cache") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("directory", help="where to write the files (then set TIKTOKEN_CACHE_DIR to it)")
    args = parser.parse_args(argv)
    for path in write_cache(args.directory):
        print(path)
    print(f"export TIKTOKEN_CACHE_DIR={Path(args.directory).resolve()}", file=sys.stderr)
    return 0
