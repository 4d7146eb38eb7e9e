"""Running a user's test suite with the plugin, in this process (pytester's inline runs).

pytester restores `sys.modules` after each inline run, so a module first imported inside one would be
imported afresh by the next, while modules that stay (the SDK's HTTP transport) still hold the classes of
the first import: httpcore's exceptions would then go unrecognised. Importing them here, before any run,
keeps one copy.
"""
from __future__ import annotations

import contextlib
import importlib
import textwrap

import pytest

for _module in ("httpcore", "httpcore2", "h11", "anyio", "numpy"):  # numpy refuses a second import
    with contextlib.suppress(ImportError):
        importlib.import_module(_module)

OPTIONS = ("-p", "dummy_openai_api.proxy.testing.pytest_plugin", "-q", "-p", "no:cacheprovider")


def run(pytester: pytest.Pytester, source: str, *args: str, name: str = "test_app") -> pytest.RunResult:
    """Write `source` as test module `name` and run pytest on it with the plugin and `args`."""
    pytester.makepyfile(**{name: textwrap.dedent(source)})
    return pytester.runpytest(*OPTIONS, *args)
