"""Settings: flags and environment variables, flags winning; bad values stop start-up with one line."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dummy_openai_api.proxy import __version__
from dummy_openai_api.proxy.core.config import (
    COMMAND_HELP, ENV_PREFIX, GROUPS, Latency, Mode, Settings, SettingsError, _env, _flag, build_parser, parse_settings, startup_warnings,
)
from tests import doc_blocks
from tests.conftest import ROOT


def test_defaults() -> None:
    settings = parse_settings([], {})
    assert (settings.host, settings.port, settings.api_key) == ("127.0.0.1", 8000, "sk-dummy")
    assert settings.mode is Mode.REPLAY and settings.latency is Latency.NONE and settings.auth


def test_environment_then_flags_win() -> None:
    env = {"PORT": "9000", "API_KEY": "env-key", "DUMMY_OPENAI_HOST": "0.0.0.0", "DUMMY_OPENAI_AUTH": "true",
           "DUMMY_OPENAI_MODE": "synthetic", "DUMMY_OPENAI_UPSTREAM_KEY": "sk-upstream-0123456789"}
    assert parse_settings([], env).port == 9000
    settings = parse_settings(["--port", "9100", "--api-key", "flag-key"], env)
    assert (settings.port, settings.api_key, settings.host, settings.auth) == (9100, "flag-key", "0.0.0.0", True)
    assert settings.mode is Mode.SYNTHETIC and settings.upstream_key == "sk-upstream-0123456789"


def test_only_port_and_api_key_are_read_without_the_prefix() -> None:
    """A stray HOST=0.0.0.0 AUTH=false in a shell or container must not expose the server, nor OPENAI_API_KEY
    (the clients' variable) become the upstream key."""
    stray = {"HOST": "0.0.0.0", "AUTH": "false", "MODE": "record", "WORKERS": "4", "ADMIN_KEY": "x",
             "CORS_ORIGINS": "http://evil.test", "OPENAI_API_KEY": "sk-proj-real0123456789",
             "UPSTREAM": "http://x.test"}
    assert parse_settings([], stray) == Settings()
    names = {_env(field) for field in dataclasses.fields(Settings)}
    assert {name for name in names if not name.startswith(ENV_PREFIX)} == {"PORT", "API_KEY"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.test"])
def test_auth_off_beyond_loopback_needs_an_explicit_flag(host: str) -> None:
    with pytest.raises(SettingsError, match="--expose-without-auth"):
        parse_settings(["--host", host, "--auth", "false"], {})
    assert not parse_settings(["--host", host, "--auth", "false", "--expose-without-auth", "true"], {}).auth
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert not parse_settings(["--host", loopback, "--auth", "false"], {}).auth


@pytest.mark.parametrize("client_key", ["--api-key", "--admin-key"])
def test_the_upstream_key_cannot_be_a_key_clients_send(client_key: str) -> None:
    with pytest.raises(SettingsError, match="upstream key must differ"):
        parse_settings([client_key, "sk-proj-same0123456789"], {"DUMMY_OPENAI_UPSTREAM_KEY": "sk-proj-same0123456789"})
    chained = parse_settings([], {"DUMMY_OPENAI_UPSTREAM_KEY": "sk-dummy"})  # one mock recording from another
    assert chained.upstream_key == chained.api_key == "sk-dummy"


def test_start_up_warns_about_exposure_a_key_in_the_process_list_and_recording_without_a_key() -> None:
    assert startup_warnings(parse_settings([], {}), {}) == []
    wide = startup_warnings(parse_settings(["--host", "0.0.0.0"], {}), {})
    assert len(wide) == 1 and "0.0.0.0" in wide[0] and "sk-dummy" in wide[0]
    open_wide = parse_settings(["--host", "0.0.0.0", "--auth", "false", "--expose-without-auth", "true"], {})
    assert "no key at all" in startup_warnings(open_wide, {})[0]
    env = {"DUMMY_OPENAI_UPSTREAM_KEY": "sk-proj-env0123456789"}
    assert startup_warnings(parse_settings(["--mode", "record"], env), env) == []
    flagged = startup_warnings(parse_settings(["--mode", "record", "--upstream-key", "sk-proj-flag0123456789"], {}), {})
    assert len(flagged) == 1 and "process list" in flagged[0] and "DUMMY_OPENAI_UPSTREAM_KEY" in flagged[0]
    keyless = startup_warnings(parse_settings(["--mode", "record"], {}), {})
    assert len(keyless) == 1 and "without an upstream key" in keyless[0]


def test_main_refuses_auth_off_beyond_loopback_before_it_binds() -> None:
    result = subprocess.run([sys.executable, "main.py", "--host", "0.0.0.0", "--auth", "false", "--port", "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DUMMY_OPENAI_MODE": "synthetic"})
    assert result.returncode == 2 and "--expose-without-auth" in result.stderr
    assert result.stderr.strip().count("\n") == 0


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


def _documented_default(field: dataclasses.Field) -> str:
    """A default as the settings table writes it: `true`, `429,500`, (none) for an empty value."""
    value = getattr(Settings(), field.name)
    if value in ("", ()):
        return "(none)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return "`" + ",".join(map(str, value)) + "`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{getattr(value, 'value', value)}`"


def test_the_settings_table_matches_the_settings() -> None:
    """docs/settings.md has one row per field, with its flag, its variable and its default, and nothing else."""
    rows = re.findall(r"^\| `(--[a-z-]+)` \| `(\w+)` \| (.*?) \|", doc_blocks.text("docs/settings.md"), re.M)
    documented = {flag: (env, default) for flag, env, default in rows}
    assert len(documented) == len(rows)
    assert documented == {_flag(f): (_env(f), _documented_default(f)) for f in dataclasses.fields(Settings)}


def test_main_refuses_a_bad_value_in_one_line() -> None:
    result = subprocess.run([sys.executable, "main.py", "--mode", "nonsense"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--mode" in result.stderr


def test_switches_need_no_value() -> None:
    assert parse_settings(["--any-model"], {}).any_model is True
    assert parse_settings(["--no-auth", "--record-errors"], {}).auth is False
    assert parse_settings(["--no-any-model"], {"DUMMY_OPENAI_ANY_MODEL": "true"}).any_model is False
    assert parse_settings(["--any-model", "false"], {}).any_model is False  # a value still reads as before
    assert parse_settings([], {"DUMMY_OPENAI_ANY_MODEL": "yes"}).any_model is True
    with pytest.raises(SettingsError, match="--no-auth takes no value"):
        parse_settings(["--no-auth", "true"], {})


@pytest.mark.parametrize("argv,fragment", [
    (["--mo", "synthetic", "--po", "18846"], "--mo (did you mean --mode?)"),
    (["--chaos-rat", "0.5"], "--chaos-rat (did you mean --chaos-rate?)"),
    (["--any-modle"], "--any-modle (did you mean --any-model?)"),
    (["casettes", "list"], "casettes (did you mean cassettes?) list"),
])
def test_unknown_and_abbreviated_options_are_refused_in_one_line(argv: list[str], fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(argv, {})
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_help_is_grouped_and_lists_the_commands() -> None:
    text = build_parser().format_help()
    for title in ("server:", "mode and cassettes:", "matching:", "upstream:", "faults and limits:",
                  "admin and dashboard:", "commands:"):
        assert f"\n{title}\n" in text
    assert "cassettes --help" in text and "tiktoken-cache" in text
    assert "--any-model, --no-any-model" in text
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(f.name for f in dataclasses.fields(Settings))  # each once, none left out
    from dummy_openai_api.proxy.launch import cli as main
    assert set(COMMAND_HELP) == set(main.COMMANDS)


def test_main_reports_unknown_options_version_and_its_name(tmp_path) -> None:
    refused = subprocess.run([sys.executable, "main.py", "--mo", "synthetic", "--po", "18846"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("main.py: unrecognized arguments: --mo (did you mean --mode?)")
    version = subprocess.run([sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"main.py {__version__}"
    script = Path(sys.executable).with_name("dummy-openai-api")
    if not script.exists():
        pytest.skip("the console script is not installed in this environment")
    helped = subprocess.run([str(script), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert helped.stdout.startswith("usage: dummy-openai-api [options]")
    assert "dummy-openai-api cassettes --help" in helped.stdout


def test_start_up_logs_its_warnings(tmp_path) -> None:
    from tests.processes import ServerProcess
    with ServerProcess(tmp_path, "--mode", "record", "--upstream-key", "sk-proj-flag0123456789abcdef",
                       "--cassettes", str(tmp_path / "cassettes")) as server:
        output = server.output()
    assert "process list" in output and "DUMMY_OPENAI_UPSTREAM_KEY" in output
    assert "sk-proj-flag0123456789abcdef" not in output
