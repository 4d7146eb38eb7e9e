"""client_example.py walks through the API of a running server and succeeds."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_client_example_passes_against_the_server(server) -> None:
    result = subprocess.run([sys.executable, "client_example.py", "--base-url", server.base_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all steps passed" in result.stdout
    assert result.stdout.count("[ok  ]") == 11
