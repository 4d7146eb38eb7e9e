"""The documentation's examples work as written: its curl commands and SDK snippets (Python, and Node where it
is installed) run against a real server, and every Python block of README.md and docs/ is run by one test."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from dummy_openai_api.proxy.launch.tiktoken_cache import write_cache
from tests import doc_blocks
from tests.doc_blocks import DEFAULT_ROOT
from tests.system.test_readme_plugin import example_files
from tests.api.test_readme_tools import BLOCKS as CHECKED_FOR_THEIR_PRINTS
from tests.api.test_responses_stream import readme_example as responses_example

FAULT = re.compile(r"-H \"X-Mock-Fault: (\d{3})\"")


def curl_commands() -> list[str]:
    commands = []
    for _, block in doc_blocks.all_blocks("bash"):
        joined = block.replace("\\\n", " ")
        commands += [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]
    return commands


def sdk_snippets() -> list[str]:
    """The Python blocks that talk to the server, each once (other tests run the ones that check their prints)."""
    elsewhere = {*CHECKED_FOR_THEIR_PRINTS, responses_example()}
    return [block for _, block in doc_blocks.all_blocks("python") if DEFAULT_ROOT in block and block not in elsewhere]


def test_the_documentation_has_examples() -> None:
    assert len(curl_commands()) >= 5 and len(sdk_snippets()) >= 5


def test_every_python_block_is_run_by_one_test() -> None:
    runs = [*sdk_snippets(), *CHECKED_FOR_THEIR_PRINTS, responses_example(),
            *(f"# {name}\n{code}" for name, code in example_files().items())]
    documented = [block for _, block in doc_blocks.all_blocks("python")]
    assert sorted(runs) == sorted(documented)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("command", curl_commands())
def test_curl_examples(server, command: str) -> None:
    """Each command answers as it promises: an answer, or the fault its `X-Mock-Fault` header asks for."""
    argv = [part.replace(DEFAULT_ROOT, server.root_url) for part in shlex.split(command)]
    fault = FAULT.search(command)
    checks = ["--write-out", "\n%{http_code}"] if fault else ["--fail-with-body"]
    result = subprocess.run(argv + ["--silent", "--show-error", *checks], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    if fault:
        body, status = result.stdout.rsplit("\n", 1)
        assert status == fault.group(1) and '"error"' in body
    else:
        assert result.stdout.strip() and '"error"' not in result.stdout


@pytest.mark.parametrize("snippet", sdk_snippets())
def test_sdk_examples(server, snippet: str, tmp_path, monkeypatch) -> None:
    if "langchain" in snippet:
        pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
    write_cache(tmp_path)  # as the offline tokenizers section tells users to
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    code = snippet.replace(DEFAULT_ROOT, server.root_url)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, "docs", "exec"), {"__name__": "readme_example"})
    assert out.getvalue().strip()


def node_modules_with_openai() -> Path | None:
    """A node_modules directory holding the `openai` npm package: one on NODE_PATH, else the global one."""
    npm = shutil.which("npm")
    candidates = [Path(p) for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60).stdout.strip()
        candidates += [Path(root)] if root else []
    return next((c for c in candidates if (c / "openai" / "package.json").is_file()), None)


@pytest.mark.parametrize("snippet", [block for _, block in doc_blocks.all_blocks("js")])
def test_node_examples(server, snippet: str, tmp_path) -> None:
    node, modules = shutil.which("node"), node_modules_with_openai()
    if node is None or modules is None:
        pytest.skip("node or the openai npm package is not installed (npm install -g openai)")
    (tmp_path / "node_modules").symlink_to(modules)  # ES modules resolve packages from the file's directory
    (tmp_path / "example.mjs").write_text(snippet.replace(DEFAULT_ROOT, server.root_url))
    result = subprocess.run([node, "example.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip(), result.stdout + result.stderr
