"""The code blocks of the documentation (README.md and docs/*.md), found by file and marker, so each test runs
the blocks it names and every block is run by one test."""
from __future__ import annotations

import re
from functools import cache

from tests.conftest import ROOT

DEFAULT_ROOT = "http://127.0.0.1:8000"


def doc_files() -> list[str]:
    """README.md first, then docs/ in name order: paths relative to the repository."""
    return ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))


@cache
def text(file: str) -> str:
    return (ROOT / file).read_text(encoding="utf-8")


def section(file: str, heading: str) -> str:
    """The text under `## heading` in `file`, up to the next heading of that level."""
    parts = text(file).split(f"\n## {heading}\n", 1)
    assert len(parts) == 2, f"{file} has no section {heading!r}"
    return parts[1].split("\n## ", 1)[0]


def blocks(file: str, language: str, heading: str | None = None) -> list[str]:
    """The `language` code blocks of `file`, or of one of its `## heading` sections, in order."""
    source = text(file) if heading is None else section(file, heading)
    return re.findall(rf"^```{language}\n(.*?)^```", source, re.S | re.M)


def block(file: str, marker: str, language: str = "python") -> str:
    """The one `language` block of `file` that contains `marker` (a `# test_x.py` first line, a call, ...)."""
    found = [b for b in blocks(file, language) if marker in b]
    assert len(found) == 1, f"{file}: {len(found)} {language} blocks contain {marker!r}"
    return found[0]


def all_blocks(language: str) -> list[tuple[str, str]]:
    """(file, block) for every `language` block of the documentation."""
    return [(file, b) for file in doc_files() for b in blocks(file, language)]
