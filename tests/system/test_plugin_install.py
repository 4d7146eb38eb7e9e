"""The package as a user installs it: `pip install <repo>` alone (no extras) into a fresh virtualenv, then the
user's own test suite run with the `pytest` that virtualenv has. Our own suite always has the `test` extra
installed, so only this shows a plugin that imports what the install does not bring.

The virtualenv is kept under ~/.cache, keyed by setup.py's hash: the first run creates it (from PyPI, a few
minutes), later runs only reinstall this tree's code into it, without dependencies (seconds).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import ROOT

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dummy-openai-api-tests"
SOURCES = ("setup.py", "README.md", "main.py", "client_example.py", "proxy", "generators")
# The outer session's variables (its plugin points OPENAI_* at its own server) must not reach the user's run.
DROPPED = ("OPENAI_", "AZURE_OPENAI_", "TIKTOKEN_CACHE_DIR", "PYTEST_", "PYTHONPATH", "VIRTUAL_ENV")


def _pip(venv: Path, *args: str) -> None:
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q", *args],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr


def _this_tree(target: Path) -> Path:
    """The package's files only, so pip builds outside the repository (no build/ or egg-info written there)."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A virtualenv with `pip install <this tree> pytest` and nothing else (this module's while it runs)."""
    key = hashlib.sha256((ROOT / "setup.py").read_bytes()).hexdigest()[:16]
    venv = CACHE / f"venv-{sys.version_info[0]}.{sys.version_info[1]}-{key}"
    tree = _this_tree(tmp_path_factory.mktemp("package"))
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{venv.name}.lock", "w") as lock:  # sessions running at once (xdist) take turns
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / "ready").is_file():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
            _pip(venv, "install", str(tree), "pytest", "setuptools", "wheel")
            (venv / "ready").write_text(key)
        else:  # the dependencies are the same; the code may not be
            _pip(venv, "install", "--no-deps", "--no-build-isolation", "--force-reinstall", str(tree))
        yield venv


def run_project(venv: Path, project: Path, files: dict[str, str]) -> subprocess.CompletedProcess:
    """Write a user's project and run its tests the way its owner would: `pytest` from its directory."""
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(textwrap.dedent(text))
    env = {k: v for k, v in os.environ.items() if not k.startswith(DROPPED)}
    return subprocess.run([str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_install_brings_what_the_plugin_imports(venv: Path) -> None:
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                          capture_output=True, text=True, check=True)
    installed = {line.split("==")[0].lower() for line in done.stdout.split()}
    assert "dummy-openai-api" in installed and not {"hypothesis", "pytest-recording", "jsonschema"} & installed


def test_a_project_with_an_openai_test(venv: Path, tmp_path: Path) -> None:
    done = run_project(venv, tmp_path, {"test_app.py": """
        import openai

        client = openai.OpenAI()  # at import, with no key in the environment

        def test_module_client(openai_mock):
            answer = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
            assert answer.choices[0].message.content and openai_mock.journal.last.source == "synthetic"

        def test_fixture_client(openai_client, openai_mock):
            assert openai_client.embeddings.create(model="text-embedding-3-small", input="Hi").data
            openai_mock.fault("429", times=1)
            assert openai_client.models.list().data
            assert [entry.status for entry in openai_mock.journal][-2:] == [429, 200]
    """})
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr


def test_a_project_without_any_openai_test(venv: Path, tmp_path: Path) -> None:
    done = run_project(venv, tmp_path, {"test_plain.py": """
        import sys

        def test_nothing_of_the_server_loaded():
            assert not {"tornado", "dummy_openai_api.proxy.testing.mock_server", "dummy_openai_api.proxy.server.app",
                        "openai"} & set(sys.modules)
    """})
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
    assert "Error while loading plugin" not in done.stdout + done.stderr


def test_a_project_with_its_own_proxy_generators_and_main(venv: Path, tmp_path: Path) -> None:
    done = run_project(venv, tmp_path, {
        "proxy.py": "def forward(x):\n    return ('forwarded', x)\n",
        "generators/__init__.py": "def numbers():\n    yield from range(3)\n",
        "main.py": "def main():\n    return 'the project under test'\n",
        "test_own_modules.py": """
            import generators, main, proxy

            def test_own_modules(openai_client):
                assert proxy.forward(1) == ("forwarded", 1) and list(generators.numbers()) == [0, 1, 2]
                assert main.main() == "the project under test" and openai_client.models.list().data
        """})
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
