"""README's pytest examples run as written, as a user's test suite (through pytester)."""
from __future__ import annotations

import re

import pytest

from proxy.config import Mode
from tests.conftest import ROOT
from tests.plugin_runs import run

pytest_plugins = ["pytester"]


def example_files() -> dict[str, str]:
    """README's python blocks that start with `# test_<name>.py`, by file name."""
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n# (test_\w+\.py)\n(.*?)```", readme, re.S)
    return {name: code for name, code in blocks}


def test_the_readme_has_the_examples() -> None:
    assert set(example_files()) == {"test_journal_example.py", "test_resilience_example.py",
                                    "test_recorded_example.py"}


@pytest.mark.parametrize("name", ["test_journal_example.py", "test_resilience_example.py"])
def test_examples_pass(pytester: pytest.Pytester, name: str) -> None:
    result = run(pytester, example_files()[name], name=name[:-3])
    result.assert_outcomes(passed=example_files()[name].count("\ndef test_"))


def test_record_then_replay_example(pytester: pytest.Pytester, make_server, monkeypatch) -> None:
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-upstream-0123456789")  # in place of the real API
    monkeypatch.setenv("DUMMY_OPENAI_UPSTREAM_KEY", "sk-upstream-0123456789")
    source = example_files()["test_recorded_example.py"]
    run(pytester, source, "--openai-mode", "record", "--openai-upstream", upstream.base_url
        ).assert_outcomes(passed=1)
    assert (pytester.path / "cassettes" / "haiku.yaml").is_file()
    upstream.stop()
    run(pytester, source, "--openai-mode", "strict").assert_outcomes(passed=1)
