"""README's examples work as written: its curl commands and SDK snippets run against a real server."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import subprocess

import pytest

from proxy.tiktoken_cache import write_cache
from tests.conftest import ROOT
from tests.test_readme_tools import BLOCKS as CHECKED_FOR_THEIR_PRINTS

README = (ROOT / "README.md").read_text()
DEFAULT_ROOT = "http://127.0.0.1:8000"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def curl_commands() -> list[str]:
    commands = []
    for block in code_blocks("bash"):
        joined = block.replace("\\\n", " ")
        commands += [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]
    return commands


def sdk_snippets() -> list[str]:
    """The Python blocks that talk to the server, each once (tests/test_readme_tools.py runs its section's)."""
    return [block for block in code_blocks("python") if DEFAULT_ROOT in block and block not in CHECKED_FOR_THEIR_PRINTS]


def test_the_readme_has_examples() -> None:
    assert len(curl_commands()) >= 4 and len(sdk_snippets()) >= 5


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("command", curl_commands())
def test_curl_examples(server, command: str) -> None:
    argv = [part.replace(DEFAULT_ROOT, server.root_url) for part in shlex.split(command)]
    result = subprocess.run(argv + ["--silent", "--show-error", "--fail-with-body"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() and '"error"' not in result.stdout


@pytest.mark.parametrize("snippet", sdk_snippets())
def test_sdk_examples(server, snippet: str, tmp_path, monkeypatch) -> None:
    if "langchain" in snippet:
        pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
    write_cache(tmp_path)  # as README's offline section tells users to
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    code = snippet.replace(DEFAULT_ROOT, server.root_url)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    assert out.getvalue().strip()
