"""Start-up does not load numpy, PyAV or Pillow (about 100 ms): the first audio or image request does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import KEY, ROOT, chat_body
from tests.processes import ServerProcess

HEAVY = ("numpy", "av", "PIL")

# Run in a fresh interpreter: the test process itself has them loaded already.
SCRIPT = """
import json, sys, urllib.request
from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.testing.background import BackgroundServer

def loaded():
    return sorted(name for name in ("numpy", "av", "PIL") if name in sys.modules)

def post(server, path, body):
    request = urllib.request.Request(server.base_url + path, json.dumps(body).encode(),
                                     {"Authorization": "Bearer %s", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200, answer.status

seen = {}
with BackgroundServer(Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=sys.argv[1])) as server:
    seen["started"] = loaded()
    urllib.request.urlopen(server.root_url + "/health", timeout=60).read()
    post(server, "/chat/completions", %s)
    post(server, "/responses", {"model": "gpt-4o-mini", "input": "Hello"})
    seen["chat"] = loaded()
    post(server, "/images/generations", {"model": "dall-e-2", "prompt": "a red square", "size": "256x256"})
    seen["image"] = loaded()
    post(server, "/audio/speech", {"model": "tts-1", "voice": "alloy", "input": "hi"})
    seen["audio"] = loaded()
print(json.dumps(seen))
"""


def test_numpy_av_and_pillow_load_with_the_first_request_that_needs_them(tmp_path: Path) -> None:
    script = SCRIPT % (KEY, json.dumps(chat_body()))
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["started"] == seen["chat"] == []
    assert seen["image"] == ["PIL"]
    assert set(seen["audio"]) >= {"PIL", "numpy"}


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the server's memory map (Linux)")
def test_main_py_serves_without_mapping_their_libraries(tmp_path: Path) -> None:
    """The real launch path (`main.py`: settings, start-up summary, tokenizer preload): their compiled
    modules are not in the process's memory map once it answered."""
    with ServerProcess(tmp_path, "--mode", "synthetic", "--cassettes", str(tmp_path)) as server:
        assert httpx.get(server.root_url + "/health").status_code == 200
        answer = httpx.post(server.base_url + "/chat/completions", json=chat_body(),
                            headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
        assert answer.status_code == 200
        maps = Path(f"/proc/{server.pid}/maps").read_text()
    mapped = {line.split()[-1] for line in maps.splitlines() if "site-packages" in line}
    assert not [path for path in mapped if any(f"/site-packages/{package}" in path
                                               for package in ("numpy", "av/", "av.libs", "PIL", "pillow"))], mapped


# What only some requests need: the handler modules and the reply generators (about half the start-up time).
DEFERRED = ("dummy_openai_api.proxy.handlers.chat", "dummy_openai_api.proxy.handlers.responses",
            "dummy_openai_api.generators.replies", "dummy_openai_api.generators.chat.completion",
            "dummy_openai_api.proxy.state.responder")

DEFERRED_SCRIPT = """
import json, sys, urllib.request
from dummy_openai_api.generators import tokens
from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.testing.background import BackgroundServer

def loaded():
    return sorted(name for name in %s if name in sys.modules)

seen = {}
settings = Settings(port=0, mode=Mode.SYNTHETIC, access_log=False, cassettes=sys.argv[1],
                    preload_tokenizer=sys.argv[2] == "preload")
with BackgroundServer(settings) as server:
    urllib.request.urlopen(server.root_url + "/health", timeout=60).read()
    seen["health"] = loaded()
    loading = tokens.pending()
    if loading is not None:
        loading.result(120)
    seen["warmed"] = loaded()
    request = urllib.request.Request(server.base_url + "/chat/completions", json.dumps(%s).encode(),
                                     {"Authorization": "Bearer %s", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        seen["chat"] = [answer.status, loaded()]
print(json.dumps(seen))
"""


def deferred_imports(tmp_path: Path, preload: bool) -> dict:
    script = DEFERRED_SCRIPT % (DEFERRED, json.dumps(chat_body()), KEY)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), "preload" if preload else "lazy"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_handlers_and_generators_load_with_the_first_request_that_needs_them(tmp_path: Path) -> None:
    seen = deferred_imports(tmp_path, preload=False)
    assert seen["health"] == seen["warmed"] == []
    status, loaded = seen["chat"]
    assert status == 200
    assert {"dummy_openai_api.proxy.handlers.chat", "dummy_openai_api.generators.replies",
            "dummy_openai_api.generators.chat.completion"} <= set(loaded)
    assert "dummy_openai_api.proxy.handlers.responses" not in loaded


def test_the_background_load_imports_them_before_the_first_request(tmp_path: Path) -> None:
    seen = deferred_imports(tmp_path, preload=True)
    assert seen["warmed"] == sorted(DEFERRED)
    assert seen["chat"] == [200, sorted(DEFERRED)]
