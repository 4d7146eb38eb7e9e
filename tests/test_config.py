"""Settings: flags and environment variables, flags winning; bad values stop start-up with one line."""
from __future__ import annotations

import subprocess
import sys

import pytest

import dataclasses

from proxy.config import Latency, Mode, Settings, SettingsError, _env, _flag, build_parser, parse_settings
from tests.conftest import ROOT


def test_defaults() -> None:
    settings = parse_settings([], {})
    assert (settings.host, settings.port, settings.api_key) == ("127.0.0.1", 8000, "sk-dummy")
    assert settings.mode is Mode.REPLAY and settings.latency is Latency.NONE and settings.auth


def test_environment_then_flags_win() -> None:
    env = {"PORT": "9000", "API_KEY": "env-key", "HOST": "0.0.0.0", "AUTH": "false", "MODE": "synthetic"}
    assert parse_settings([], env).port == 9000
    settings = parse_settings(["--port", "9100", "--api-key", "flag-key"], env)
    assert (settings.port, settings.api_key, settings.host, settings.auth) == (9100, "flag-key", "0.0.0.0", False)
    assert settings.mode is Mode.SYNTHETIC


@pytest.mark.parametrize("argv,env,fragment", [
    (["--port", "abc"], {}, "--port"), ([], {"PORT": "70000"}, "PORT"), (["--mode", "replya"], {}, "expected one of"),
    (["--auth", "maybe"], {}, "true or false"), (["--ttft-ms", "-5"], {}, ">= 0"),
])
def test_bad_values_are_one_line_errors(argv, env, fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(argv, env)
    message = str(caught.value)
    assert fragment in message and "\n" not in message


def test_help_documents_every_setting() -> None:
    text = build_parser().format_help()
    for field in dataclasses.fields(Settings):
        assert _flag(field) in text and _env(field) in text


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    for field in dataclasses.fields(Settings):
        assert f"`{_flag(field)}`" in readme and f"`{_env(field)}`" in readme, field.name


def test_main_refuses_a_bad_value_in_one_line() -> None:
    result = subprocess.run([sys.executable, "main.py", "--mode", "nonsense"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--mode" in result.stderr
