"""The "Tools and structured outputs" examples of docs/endpoints.md run against the server and print what they
promise (what each `print(...)  # comment` says); tests/system/test_readme.py runs every other SDK snippet."""
from __future__ import annotations

from typing import Any

import pytest

from tests import doc_blocks

DOC = "docs/endpoints.md"
BLOCKS = doc_blocks.blocks(DOC, "python", "Tools and structured outputs")


def expected_prints(code: str) -> list[str | None]:
    """What each `print(...)  # comment` promises; None where the comment says "e.g." (wording may vary)."""
    comments = [line.split("  # ", 1)[1] for line in code.splitlines() if line.startswith("print(") and "  # " in line]
    return [None if c.startswith("e.g.") else c for c in comments]


def test_the_section_has_the_tool_loop_and_parse_examples() -> None:
    assert len(BLOCKS) == 2 and "tool_calls" in BLOCKS[0] and ".parse(" in BLOCKS[1]


@pytest.mark.parametrize("code", BLOCKS, ids=["tool loop", "parse"])
def test_readme_example_runs_and_prints_what_it_promises(server, code: str) -> None:
    printed: list[str] = []
    namespace: dict[str, Any] = {"print": lambda *args: printed.append(" ".join(str(a) for a in args)),
                                 "__name__": "readme_example"}
    exec(compile(code.replace("http://127.0.0.1:8000/v1", server.base_url), DOC, "exec"), namespace)
    expected = expected_prints(code)
    assert len(printed) == len(expected)
    for line, promise in zip(printed, expected, strict=True):
        assert line == promise if promise is not None else line
    if "tool_calls" in code:
        assert "Paris" in printed[-1] and "18°C" in printed[-1]
