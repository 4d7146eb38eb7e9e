"""Secrets never reach a file or a log; loopback by default; keys compared in constant time; no code runs from
a cassette or a config file; dependencies at releases with their security fixes."""
from __future__ import annotations

import ast
import hmac
import re
import socket
from importlib import metadata
from pathlib import Path

import httpx
import pytest

from dummy_openai_api.proxy.handlers import base as base_handler
from dummy_openai_api.generators import replies
from dummy_openai_api.proxy.core.config import Mode, Settings, parse_settings
from tests.conftest import KEY, ROOT, chat_body
from tests.processes import ServerProcess
from tests.upstreams import Scenario, ScenarioServer

UPSTREAM_KEY = "sk-proj-SECRETupstream0123456789abcdefABCDEF"
BODY_KEY = "sk-live-BODYsecret0123456789abcdef"
WRONG_KEY = "sk-proj-WRONGclient0123456789abcdefXYZ"
SECRETS = (UPSTREAM_KEY, BODY_KEY, WRONG_KEY, "org-SECRETorganization", "proj_SECRETproject", "hunter2-cookie")


def every_written_text(directory: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in directory.rglob("*") if p.is_file())


def test_a_record_session_with_real_looking_keys_writes_them_nowhere(tmp_path: Path) -> None:
    """Also: the server, started without --host, can be reached on loopback only."""
    cassettes = tmp_path / "cassettes"
    with ScenarioServer() as upstream:
        Scenario.seen.clear()
        with ServerProcess(tmp_path, "--mode", "record", "--cassettes", str(cassettes), "--upstream",
                           upstream.base_url, "--access-log", "true", "--record-errors", "true",
                           env={"DUMMY_OPENAI_UPSTREAM_KEY": UPSTREAM_KEY}) as server:
            secret_headers = {"Authorization": f"Bearer {KEY}", "OpenAI-Organization": SECRETS[3],
                              "OpenAI-Project": SECRETS[4], "Cookie": f"session={SECRETS[5]}"}
            for scenario, body in [("ok", {**chat_body(), "api_key": BODY_KEY}), ("echo-key", chat_body()),
                                   ("stream", chat_body(stream=True, user=BODY_KEY)), ("error", chat_body()),
                                   ("echo-key", {**chat_body(), "nested": {"apiKey": BODY_KEY}})]:
                response = httpx.post(server.base_url + "/chat/completions", json=body, timeout=30,
                                      headers={**secret_headers, "X-Scenario": scenario})
                assert response.status_code in (200, 500)
            wrong = httpx.get(server.base_url + "/models", headers={"Authorization": f"Bearer {WRONG_KEY}"})
            assert wrong.status_code == 401 and WRONG_KEY not in wrong.text  # shown masked, as the real API does
            assert_loopback_only(server)
        assert Scenario.seen[0]["headers"]["Authorization"] == f"Bearer {UPSTREAM_KEY}"  # it was used
    written = every_written_text(tmp_path)  # cassettes and the server's whole log
    assert "POST /v1/chat/completions 200 upstream" in written and len(list(cassettes.rglob("*.yaml"))) == 1
    for secret in (*SECRETS, KEY):
        assert secret not in written, secret
    assert not re.search(r"authorization|cookie", (cassettes / "recorded.yaml").read_text(), re.I)


def test_the_server_binds_loopback_unless_told_otherwise() -> None:
    assert Settings().host == "127.0.0.1" and parse_settings([], {}).host == "127.0.0.1"


def assert_loopback_only(server: ServerProcess) -> None:
    """A server started without --host answers on loopback and on no other address of the machine."""
    assert server.root_url.startswith("http://127.0.0.1:")
    address = outward_address()
    if address is not None:
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=5).close()


def outward_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent, the kernel only picks a route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_keys_are_compared_in_constant_time(server, monkeypatch) -> None:
    compared, original = [], hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return original(a, b)
    monkeypatch.setattr(base_handler.hmac, "compare_digest", spy)
    for key in (KEY, "sk-dummz", "x" * 500):
        httpx.get(server.base_url + "/models", headers={"Authorization": f"Bearer {key}"})
    assert [a for a, _ in compared] == [KEY.encode(), b"sk-dummz", b"x" * 500]


PAYLOADS = ["!!python/object/apply:os.system ['touch {marker}']",
            "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
            "!!python/object/new:os.system ['touch {marker}']",
            "!!python/name:os.system", "!!python/module:os"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cassette_cannot_run_code(make_server, tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / "evil.yaml").write_text("interactions:\n- request:\n    body: " + payload.format(marker=marker)
                                         + "\n    headers: {}\n    method: POST\n    uri: https://api.openai.com/v1/"
                                         "chat/completions\n  response:\n    body: {string: '{}'}\n    headers: {}\n"
                                         "    status: {code: 200, message: OK}\nversion: 1\n")
    server = make_server(mode=Mode.REPLAY, cassettes=str(cassettes))
    counters = httpx.get(server.root_url + "/_mock/counters", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert len(counters["unreadable"]) == 1 and "evil.yaml" in counters["unreadable"][0]
    assert not marker.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_replies_file_cannot_run_code(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    rules = tmp_path / "replies.yaml"
    rules.write_text("rules:\n- match: " + payload.format(marker=marker) + "\n  reply: hi\n")
    with pytest.raises(ValueError):
        replies.load_rules(rules)
    assert not marker.exists()


def test_no_dynamic_code_execution_in_the_server() -> None:
    """No eval/exec/pickle/marshal and no YAML loader but the safe ones, anywhere in the server's code."""
    sources = [*ROOT.glob("proxy/**/*.py"), *ROOT.glob("generators/**/*.py"), ROOT / "main.py"]
    banned_calls = {"eval", "exec", "compile", "__import__"}
    for path in sources:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned_calls, f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                assert node.attr not in ("load", "load_all", "unsafe_load", "full_load", "Loader", "UnsafeLoader",
                                         "FullLoader", "CLoader"), f"{path}:{node.lineno}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                assert not {"pickle", "marshal", "shelve", "dill"} & set(names), f"{path}:{node.lineno}"


# The oldest release of each dependency that carries the security fix that matters here.
SECURITY_FLOORS = {
    "vcrpy": ("8.2.1", "loads cassettes with a safe YAML loader (GHSA-rpj2-4hq8-938g)"),
    "PyYAML": ("5.4", "full_load no longer runs code (CVE-2020-14343)"),
    "orjson": ("3.9.15", "limits the nesting of parsed JSON (CVE-2024-27454)"),
    "tornado": ("6.6.0", "header and multipart DoS fixes, max_body_size on decompressed bodies (CVE-2026-49855)"),
    "brotli": ("1.2.0", "bounded decompression (CVE-2025-6176)"),
    "pillow": ("11.3.0", "decodes uploaded images; the bundled image libraries' fixes and CVE-2025-48379"),
}


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("package", SECURITY_FLOORS)
def test_dependencies_are_pinned_at_or_above_their_security_fixes(package: str) -> None:
    floor, why = SECURITY_FLOORS[package]
    setup = (ROOT / "setup.py").read_text()
    pinned = re.search(rf'"{package}>=([\d.]+)"', setup, re.I)
    assert pinned and version(pinned.group(1)) >= version(floor), f"setup.py must require {package}>={floor}: {why}"
    assert version(metadata.version(package)) >= version(floor), f"installed {package} predates: {why}"


ADMIN_KEY = "sk-admin-SECRET0123456789abcdef"


def admin_calls() -> list[tuple[str, str]]:
    """(method, path) of every verb of every /_mock/ route (path parameters filled in): new ones included."""
    from dummy_openai_api.proxy.handlers import admin
    calls = []
    for pattern, handler in admin.ROUTES:
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)
        calls += [(verb.upper(), path) for verb in ("get", "post", "put", "patch", "delete")
                  if callable(getattr(handler, verb, None))]
    return calls


@pytest.mark.parametrize("admin_key", [ADMIN_KEY, ""], ids=["admin-key", "api-key"])
def test_the_admin_api_cannot_be_reached_without_its_key(make_server, admin_key: str) -> None:
    from dummy_openai_api.proxy.handlers import admin
    server = make_server(admin_key=admin_key)
    open_paths = {re.sub(r"\(\?P<\w+>[^)]*\)", "1", p) for p, h in admin.ROUTES if not h.requires_key}
    right = admin_key or KEY
    wrong = [None, "sk-wrong-0123456789", KEY if admin_key else ADMIN_KEY]  # the API key does not open it
    for method, path in admin_calls():
        if path in open_paths:
            continue
        for key in wrong:
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            refused = httpx.request(method, server.root_url + path, headers=headers, json={})
            assert refused.status_code == 401, (method, path, key)
        allowed = httpx.request(method, server.root_url + path, headers={"Authorization": f"Bearer {right}"},
                                json={})
        assert allowed.status_code != 401, (method, path)
