"""The official Node SDK (`openai` from npm) against the server, on the machine's Node.js."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import KEY

NODE_DIR = Path(__file__).parents[1] / "node"
pytestmark = pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None,
                                reason="Node.js and npm are not installed")


def sdk_package() -> str:
    """The newest SDK major this Node.js supports (openai 7 needs Node 22)."""
    major = int(subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()[1:].split(".")[0])
    return "openai@7" if major >= 22 else "openai@6"


@pytest.fixture(scope="module")
def node_results(session_server) -> dict[str, dict]:
    package = sdk_package()
    marker = NODE_DIR / "node_modules" / ".installed"
    if not marker.exists() or marker.read_text() != package:
        install = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error",
                                  package], cwd=NODE_DIR, capture_output=True, text=True, timeout=300)
        if install.returncode != 0:
            pytest.fail(f"npm install {package} failed: {install.stderr[-2000:]}")
        marker.write_text(package)
    env = {**os.environ, "OPENAI_BASE_URL": session_server.base_url, "OPENAI_API_KEY": KEY}
    run = subprocess.run(["node", "sdk_check.mjs"], cwd=NODE_DIR, env=env, capture_output=True, text=True,
                         timeout=120)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, run.stderr
    return {line["check"]: line for line in lines}


@pytest.mark.parametrize("check", ["models", "chat", "chatStream", "embeddings", "tools", "responsesStream",
                                   "images", "imageEdit", "wrongKey"])
def test_node_sdk(node_results, check: str) -> None:
    result = node_results[check]
    assert result["ok"], result


def test_node_sees_the_request_id(node_results) -> None:
    assert node_results["chat"]["requestId"].startswith("req_")


def test_node_wrong_key_is_authentication_error(node_results) -> None:
    assert node_results["wrongKey"]["code"] == "invalid_api_key"
