"""The documentation's pytest examples run as written, as a user's test suite (through pytester)."""
from __future__ import annotations

import re

import pytest

from dummy_openai_api.proxy.core.config import Mode
from tests import doc_blocks
from tests.conftest import ROOT
from tests.plugin_runs import run

pytest_plugins = ["pytester"]


def example_files() -> dict[str, str]:
    """The python blocks of README.md and docs/ that start with `# test_<name>.py`, by file name."""
    found = [re.match(r"# (test_\w+\.py)\n(.*)", block, re.S) for _, block in doc_blocks.all_blocks("python")]
    return {match.group(1): match.group(2) for match in found if match}


def test_the_documentation_has_the_examples() -> None:
    assert set(example_files()) == {"test_journal_example.py", "test_resilience_example.py",
                                    "test_recorded_example.py"}
    for quick_start in ("test_journal_example.py", "test_recorded_example.py"):  # the newcomer's walk-through
        doc_blocks.block("README.md", f"# {quick_start}")


@pytest.mark.parametrize("name", sorted(example_files()))
def test_examples_pass_as_written(pytester: pytest.Pytester, name: str) -> None:
    """In a project laid out as this repository is: with its cassettes/ (the recorded example needs one)."""
    for cassette in (ROOT / "cassettes").rglob("*.yaml"):
        target = pytester.path / "cassettes" / cassette.relative_to(ROOT / "cassettes")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cassette.read_bytes())
    result = run(pytester, example_files()[name], name=name[:-3])
    result.assert_outcomes(passed=example_files()[name].count("\ndef test_"))


def test_record_then_replay_example(pytester: pytest.Pytester, make_server, monkeypatch) -> None:
    """The README's two commands, in a project of one's own: record what is missing, then replay only."""
    upstream = make_server(mode=Mode.SYNTHETIC, api_key="sk-the-users-real-key")  # in place of the real API
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-users-real-key")
    source = example_files()["test_recorded_example.py"]
    run(pytester, source, "--openai-record-mode=once", "--openai-upstream", upstream.base_url
        ).assert_outcomes(passed=1)
    assert (pytester.path / "cassettes" / "haiku.yaml").is_file()
    upstream.stop()
    run(pytester, source).assert_outcomes(passed=1)
