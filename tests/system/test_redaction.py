"""Keys are redacted wherever the server shows what it received: the journal, the dashboard, the access log,
error messages; in paths and query strings as in bodies."""
from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import KEY
from tests.processes import ServerProcess, wait_for

QUERY_KEY = "sk-proj-QUERYsecret0123456789abcdefXYZ"
PATH_KEY = "sk-svcacct-PATHsecret0123456789abcdef"
TOKEN = "tok-Q7f3k9PlainSecretValue"  # not sk-shaped: redacted by its parameter name


def test_keys_in_paths_and_query_strings_are_shown_nowhere(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, "--access-log", "true", "--mode", "synthetic") as server:
        headers = {"Authorization": f"Bearer {KEY}"}
        httpx.get(server.base_url + f"/models?api_key={QUERY_KEY}&limit=2", headers=headers)
        httpx.get(server.base_url + f"/models?key={TOKEN}&access_token={TOKEN}", headers=headers)
        missing = httpx.get(server.base_url + f"/vector_stores/{PATH_KEY}/files?x={QUERY_KEY}", headers=headers)
        shown = [missing.text]
        shown.append(httpx.get(server.root_url + "/_mock/journal", headers=headers).text)
        shown.append(httpx.get(server.root_url + "/_mock/dashboard", headers=headers).text)
        for entry in httpx.get(server.root_url + "/_mock/journal", headers=headers).json()["data"]:
            shown.append(httpx.get(server.root_url + f"/_mock/journal/{entry['id']}", headers=headers).text)
        assert wait_for(lambda: server.output().count(" /v1/") >= 3, 30)  # the access log is written in bulk
        shown.append(server.output())
    everything = "\n".join(shown)
    assert missing.status_code == 404 and "sk-REDACTED" in missing.json()["error"]["message"]
    for secret in (QUERY_KEY, PATH_KEY, TOKEN):
        assert secret not in everything, secret
    assert "api_key=REDACTED&limit=2" in shown[1] and "key=REDACTED&access_token=REDACTED" in shown[1]
