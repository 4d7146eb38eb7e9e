"""The README's SDK examples (the code blocks marked `<!-- example -->`) run against the server as written."""
from __future__ import annotations

import contextlib
import io
import re

import pytest

from tests.conftest import ROOT

README_URL = "http://127.0.0.1:8000/v1"
EXAMPLES = re.findall(r"<!-- example -->\n```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_example_runs(server, code: str) -> None:
    assert README_URL in code
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code.replace(README_URL, server.base_url), "README.md", "exec"), {})  # noqa: S102
    assert output.getvalue()
