"""`python main.py tiktoken-cache DIR` makes client-side tiktoken work with no network."""
from __future__ import annotations

import os
import subprocess
import sys

from dummy_openai_api.proxy.launch.tiktoken_cache import cache_file_name, write_cache
from tests.conftest import ROOT

CLIENT = """
import tiktoken
assert tiktoken.get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
assert tiktoken.encoding_for_model("gpt-4o").encode("hello world") == [24912, 2375]
assert tiktoken.encoding_for_model("text-embedding-3-small").name == "cl100k_base"
print("ok")
"""


def test_the_command_writes_the_files(tmp_path) -> None:
    result = subprocess.run([sys.executable, "main.py", "tiktoken-cache", str(tmp_path / "cache")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TIKTOKEN_CACHE_DIR=" in result.stderr
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {cache_file_name(n) for n in ("cl100k_base",
                                                                                            "o200k_base")}


def test_client_tiktoken_loads_from_the_cache_without_network(tmp_path) -> None:
    write_cache(tmp_path)
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9"}  # any download attempt would fail
    result = subprocess.run([sys.executable, "-c", CLIENT], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def test_writing_twice_is_harmless(tmp_path) -> None:
    first = write_cache(tmp_path)
    assert write_cache(tmp_path) == first
