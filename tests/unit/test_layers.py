"""The import graph of the product code: no cycles, and generators/ never reaches into proxy/."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("proxy", "generators")


def module_name(path: Path) -> str:
    """proxy/server/app.py -> dummy_openai_api.proxy.server.app: the name it is imported by (setup.py's package_dir)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("dummy_openai_api", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Project modules `path` imports anywhere in it, lazy imports and TYPE_CHECKING blocks included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(name for name in (node.module, *(f"{node.module}.{a.name}" for a in node.names))
                         if name in modules)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    return {name: imports_of(path, set(files)) - {name} for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None (depth-first search with colours)."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        path.append(name)
        for dep in sorted(graph[name]):
            if state.get(dep) == "open":
                return path[path.index(dep):] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        state[name] = "done"
        path.pop()
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "dummy_openai_api.proxy.server.app" in graph and "dummy_openai_api.generators.chat.completion" in graph["dummy_openai_api.proxy.pipeline.services"]


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_generators_never_import_the_server() -> None:
    upward = {(name, dep) for name, deps in import_graph().items() if name.startswith("dummy_openai_api.generators")
              for dep in deps if dep.startswith("dummy_openai_api.proxy")}
    assert not upward


# proxy/'s packages, lowest first: a module may import its own package and the ones before it, never a later one.
LAYERS = ("core", "validation", "cassettes", "state", "pipeline", "handlers", "server", "launch", "testing")


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[2]) if parts[:2] == ["dummy_openai_api", "proxy"] and len(parts) > 2 \
        and parts[2] in LAYERS else None


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(name, dep) for name, deps in graph.items() for dep in deps
            if (low := layer_of(name)) is not None and (high := layer_of(dep)) is not None and high > low}


def test_every_proxy_module_is_in_a_layer() -> None:
    loose = [name for name in import_graph() if name.startswith("dummy_openai_api.proxy.") and layer_of(name) is None]
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_layers_import_only_downwards() -> None:
    upward = upward_imports(import_graph())
    assert not upward, "imports from a lower layer to a higher one: " + ", ".join(f"{a} -> {b}" for a, b in sorted(upward))


def test_the_layer_check_sees_an_upward_import() -> None:
    graph = {"dummy_openai_api.proxy.core.http": {"dummy_openai_api.proxy.server.app"}}
    assert upward_imports(graph) == {("dummy_openai_api.proxy.core.http", "dummy_openai_api.proxy.server.app")}
