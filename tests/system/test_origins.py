"""Web pages cannot reach the admin API or spend the upstream key: requests sent as a browser sends them
(an Origin header, Sec-Fetch-Site, preflights, simple text/plain POSTs, a rebound Host name) to a real server."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import httpx
import orjson
import pytest

from tornado.httputil import HTTPHeaders

from dummy_openai_api.proxy.core.config import Mode, Settings
from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.http import Request
from dummy_openai_api.proxy.server.origins import Gate
from tests.conftest import KEY, chat_body
from tests.processes import ServerProcess
from tests.upstreams import Scenario, ScenarioServer

UPSTREAM_KEY = "sk-proj-ORIGINSupstream0123456789abcdef"
EVIL = "http://evil.example"
APP = "http://localhost:3000"  # a web app in development that is allowed to record
TEXT = {"Content-Type": "text/plain;charset=UTF-8"}  # what a page's simple fetch or form-like POST sends


def preflight(url: str, origin: str, method: str = "POST", headers: str = "authorization, content-type",
              host: str | None = None) -> httpx.Response:
    sent = {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers,
            "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site"}
    return httpx.options(url, headers={**sent, **({"Host": host} if host else {})})


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def code(response: httpx.Response) -> str | None:
    return response.json()["error"]["code"]


@pytest.fixture(scope="module")
def upstream() -> Iterator[ScenarioServer]:
    with ScenarioServer() as running:
        yield running


def start(tmp_path: Path, upstream: ScenarioServer, *args: str, auth: bool = False) -> ServerProcess:
    """A server process for a `with` block (which starts it, and stops it at the end). By default the worst case
    the old code allowed: auth off (on loopback), the developer's real key in the environment."""
    Scenario.seen.clear()
    return ServerProcess(tmp_path, "--auth", str(auth).lower(), "--cassettes", str(tmp_path / "cassettes"),
                         "--upstream", upstream.base_url, *args,
                         env={"OPENAI_API_KEY": UPSTREAM_KEY, "DUMMY_OPENAI_UPSTREAM_KEY": UPSTREAM_KEY})


@pytest.fixture
def open_server(tmp_path: Path, upstream: ScenarioServer) -> Iterator[ServerProcess]:
    with start(tmp_path, upstream) as server:
        yield server


def test_the_reported_attack_with_the_public_default_key(tmp_path: Path, upstream: ScenarioServer) -> None:
    """A page preflights /_mock/mode, switches to record with sk-dummy, then calls /v1 with the developer's key."""
    with start(tmp_path, upstream, auth=True) as server:
        root, key = server.root_url, {"Authorization": f"Bearer {KEY}"}
        answer = preflight(root + "/_mock/mode", EVIL)
        assert "access-control-allow-origin" not in answer.headers
        switched = httpx.post(root + "/_mock/mode", json={"mode": "record"},
                              headers={**key, "Origin": EVIL, "Sec-Fetch-Site": "cross-site"})
        assert switched.status_code == 403
        assert httpx.post(root + "/_mock/mode", json={"mode": "record"}, headers=key).status_code == 200  # the dev
        assert "access-control-allow-origin" not in preflight(root + "/v1/chat/completions", EVIL).headers
        spent = httpx.post(root + "/v1/chat/completions", json=chat_body(),
                           headers={**key, "Origin": EVIL, "Sec-Fetch-Site": "cross-site"})
        assert spent.status_code == 403 and "access-control-allow-origin" not in spent.headers
    assert Scenario.seen == []


def test_a_page_cannot_switch_the_mode_with_a_simple_post(open_server: ServerProcess) -> None:
    """No preflight, no key (auth is off): a text/plain POST a page may send to any origin."""
    url = open_server.root_url + "/_mock/mode"
    for browser in ({"Origin": EVIL}, {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"}, {"Sec-Fetch-Site": "same-site"}):  # a sandboxed frame; another port
        refused = httpx.post(url, content=b'{"mode": "record"}', headers={**TEXT, **browser})
        assert refused.status_code == 403 and code(refused) == "origin_not_allowed", browser
        assert not cors_headers(refused)
    assert httpx.get(url).json() == {"mode": "replay"}
    for path in ("/_mock/journal", "/_mock/dashboard", "/_mock/health"):  # reads too: nothing for another page
        assert httpx.get(open_server.root_url + path, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_admin_preflights_get_no_allow_headers(open_server: ServerProcess) -> None:
    answer = preflight(open_server.root_url + "/_mock/mode", EVIL)
    assert answer.status_code == 403 and not cors_headers(answer)
    same = httpx.options(open_server.root_url + "/_mock/mode")
    assert not cors_headers(same)


def test_the_dashboard_and_the_server_itself_still_use_the_admin_api(open_server: ServerProcess) -> None:
    """Same-origin requests (the dashboard page) and requests from no page at all (curl, SDKs) are answered."""
    own = open_server.root_url
    for headers in ({}, {"Origin": own, "Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "same-origin"},
                    {"Sec-Fetch-Site": "none"}):
        answer = httpx.post(own + "/_mock/mode", json={"mode": "synthetic"}, headers=headers)
        assert answer.status_code == 200 and not cors_headers(answer), headers
    page = httpx.get(own + "/", headers={"Accept": "text/html"})
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"] and not cors_headers(page)


def test_in_record_mode_another_origin_cannot_cause_an_upstream_call(open_server: ServerProcess) -> None:
    root = open_server.root_url
    assert httpx.post(root + "/_mock/mode", json={"mode": "record"}).status_code == 200  # the developer did this
    chat = orjson.dumps(chat_body())
    for browser in ({"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://localhost:3001"}):
        refused = httpx.post(root + "/v1/chat/completions", content=chat, headers={**TEXT, **browser})
        assert refused.status_code == 403 and code(refused) == "origin_not_allowed", browser
        assert "--record-origins" in refused.json()["error"]["message"] and not cors_headers(refused)
    assert not cors_headers(preflight(root + "/v1/chat/completions", EVIL))
    assert Scenario.seen == []  # nothing reached the upstream
    assert [e["status"] for e in httpx.get(root + "/_mock/journal").json()["data"]] == [403, 403, 403]


def test_an_origin_on_the_record_list_records(tmp_path: Path, upstream: ScenarioServer) -> None:
    with start(tmp_path, upstream, "--mode", "record", "--record-origins", APP) as server:
        root = server.root_url
        allowed = httpx.post(root + "/v1/chat/completions", json=chat_body(), headers={"Origin": APP})
        refused = httpx.post(root + "/v1/chat/completions", json=chat_body(), headers={"Origin": EVIL})
        ok = preflight(root + "/v1/chat/completions", APP)
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == APP
    assert refused.status_code == 403 and ok.headers["access-control-allow-origin"] == APP
    assert len(Scenario.seen) == 1 and Scenario.seen[0]["headers"]["Authorization"] == f"Bearer {UPSTREAM_KEY}"


def test_a_rebound_name_reaches_nothing(open_server: ServerProcess) -> None:
    """DNS rebinding: evil.example resolves to 127.0.0.1, so its page is same-origin with the server."""
    host = f"rebind.evil.example:{open_server.port}"
    same_origin = {"Host": host, "Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"}
    for method, path, body in [("POST", "/_mock/mode", b'{"mode": "record"}'), ("GET", "/_mock/journal", None),
                               ("POST", "/v1/chat/completions", orjson.dumps(chat_body())), ("GET", "/health", None),
                               ("GET", "/", None), ("OPTIONS", "/v1/models", None)]:
        refused = httpx.request(method, open_server.root_url + path, content=body, headers=same_origin)
        assert refused.status_code == 403 and code(refused) == "host_not_allowed", path
    assert httpx.get(open_server.root_url + "/_mock/mode").json() == {"mode": "replay"}
    assert Scenario.seen == []


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:{port}", "127.0.0.1:{port}", "127.0.0.1", "127.9.9.9:{port}",
                                  "[::1]:{port}", "[::1]"])
def test_loopback_names_are_answered(server, host: str) -> None:
    answer = httpx.get(server.root_url + "/health", headers={"Host": host.format(port=server.port)})
    assert answer.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example:{port}", "127.0.0.1.nip.io", "0.0.0.0",
                                  "192.168.1.5:{port}", "mock.internal"])
def test_other_names_are_refused_unless_allowed(make_server, host: str) -> None:
    server = make_server(allowed_hosts=("mock.internal",))
    answer = httpx.get(server.root_url + "/v1/models", headers={"Host": host.format(port=server.port),
                                                                "Authorization": f"Bearer {KEY}"})
    expected = 200 if host == "mock.internal" else 403
    assert answer.status_code == expected


@pytest.mark.parametrize("allowed_hosts,host,answered", [
    ((), "rebind.evil.example:8000", True),  # bound wider, names are not known: the keys are what protect it
    (("mock",), "mock:8000", True), (("mock",), "192.168.1.5:8000", True), (("mock",), "[fd00::5]:8000", True),
    (("mock",), "localhost:8000", True), (("mock",), "rebind.evil.example:8000", False)])
def test_beyond_loopback_the_host_check_is_on_once_names_are_listed(allowed_hosts: tuple, host: str,
                                                                     answered: bool) -> None:
    """Unit-level: tests bind loopback only."""
    gate = Gate(Settings(host="0.0.0.0", allowed_hosts=allowed_hosts), recording=lambda: False)
    request = Request("GET", "/health", HTTPHeaders({"Host": host}), b"")
    if answered:
        gate.check_host(request)
    else:
        with pytest.raises(APIError):
            gate.check_host(request)


def test_api_preflights_allow_only_the_headers_clients_send(server) -> None:
    answer = preflight(server.base_url + "/chat/completions", "http://localhost:5173",
                       headers="authorization, content-type, x-stainless-os, x-stainless-retry-count, "
                               "openai-organization, x-cassette, x-forwarded-for, x-evil")
    allowed = {name.strip().lower() for name in answer.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "x-stainless-os", "x-stainless-retry-count", "openai-organization",
            "x-cassette"} <= allowed
    assert not {"x-forwarded-for", "x-evil"} & allowed
    assert answer.headers["access-control-allow-origin"] == "*"  # web apps keep CORS outside record modes
    assert "access-control-allow-credentials" not in answer.headers


def test_admin_answers_carry_no_cors_headers(server, admin) -> None:
    for path in ("/_mock/health", "/_mock/journal", "/_mock/dashboard"):
        assert not cors_headers(admin.get(path)), path
    assert cors_headers(admin.get("/v1/models", headers={"Origin": "http://localhost:5173"}))


def test_record_mode_cors_goes_to_record_origins_only(make_server) -> None:
    recording = make_server(mode=Mode.RECORD, record_origins=(APP,), upstream="http://127.0.0.1:9")
    models = recording.root_url + "/health"
    assert httpx.get(models, headers={"Origin": APP}).headers["access-control-allow-origin"] == APP
    assert not cors_headers(httpx.get(models, headers={"Origin": EVIL}))
