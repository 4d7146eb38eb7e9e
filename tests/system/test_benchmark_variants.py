"""The prototype patches of tests/benchmarks/variants.py still apply to the server as it is: all of them at
once start it, and it answers a chat completion and a stream."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import KEY, ROOT, chat_body
from tests.processes import READY, wait_for

VARIANTS = ROOT / "tests" / "benchmarks" / "variants.py"


def patch_names() -> list[str]:
    """The patches variants.py defines (importing it applies none of them)."""
    spec = importlib.util.spec_from_file_location("variants", VARIANTS)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return list(module.PATCHES)


def test_every_variant_applies_and_the_server_answers(tmp_path: Path) -> None:
    names = patch_names()
    assert {"accesslog", "uvloop", "keycache"} <= set(names)
    log = tmp_path / "variants.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, str(VARIANTS), "--patch", ",".join(names), "--", "--mode",
                                   "synthetic", "--port", "0"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        found = wait_for(lambda: READY.search(log.read_text()) or server.poll() is not None, 60)
        assert found and server.poll() is None, log.read_text()[-2000:]
        base = READY.search(log.read_text()).group(1) + "/v1"  # type: ignore[union-attr]
        headers = {"Authorization": f"Bearer {KEY}"}
        plain = httpx.post(base + "/chat/completions", json=chat_body(), headers=headers, timeout=60)
        streamed = httpx.post(base + "/chat/completions", json=chat_body(stream=True), headers=headers, timeout=60)
        assert plain.status_code == 200 and plain.json()["choices"]
        assert streamed.status_code == 200 and streamed.text.endswith("data: [DONE]\n\n")
    finally:
        server.terminate()
        server.wait(30)
    assert "Traceback" not in log.read_text()
