"""The package layout keeps its architecture: arrows point down only, the Java-free answer side never
reaches the build or a heavy library at import, the CLI stays thin, and modules stay small.

Imports are read with ``ast`` (every import, including the ones inside functions), so these rules hold
for every code path, not only the ones a test happens to run."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "spinekg"
SHARED = {"collector", "errors", "paths", "namespaces", "vocab", "tsv", "files", "version", "memo"}
HEAVY = {"rdflib", "owlready2", "networkx", "pyshacl"}
# The subpackages from the top down: a module may import only from its own subpackage or one below it.
ORDER = ["cli", "views", "api", "stores", "cases", "shacl", "sparql", "build", "codes", "answer", "rdf", "shared"]
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> list[tuple[str, bool]]:
    """(imported module, at module level) for every import in module ``name``."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{module}.{alias.name}"
                found.append((sub if sub in MODULES else module, id(node) in top))
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "api"  # spinekg/__init__.py re-exports the public API
    return "shared" if parts[1] in SHARED else parts[1]


def internal_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name in MODULES:
        for target, _ in imports(name):
            if target in MODULES and target != name:
                graph.add_edge(name, target)
    return graph


def test_every_module_belongs_to_a_known_layer():
    assert {layer(m) for m in MODULES} <= set(ORDER)


def test_no_import_cycles_between_modules():
    assert list(nx.simple_cycles(internal_graph())) == []


def test_arrows_between_subpackages_point_down_only():
    upward = sorted(f"{a} -> {b}" for a, b in internal_graph().edges
                    if ORDER.index(layer(a)) > ORDER.index(layer(b)))
    assert upward == []


def test_the_answer_side_never_imports_the_build_or_a_heavy_library_at_import():
    wrong = []
    for name in MODULES:
        if layer(name) not in ("answer", "codes"):
            continue
        for target, at_top in imports(name):
            if target.startswith("spinekg.build"):
                wrong.append(f"{name} imports {target}")
            if at_top and target.split(".")[0] in HEAVY | {"pyarrow", "pandas"}:
                wrong.append(f"{name} imports {target} at module level")
    assert wrong == []


def test_the_cli_only_parses_calls_the_api_and_prints():
    """A command module defines its NAME, HELP, add_arguments and run (and small private helpers), and
    imports no library that does the work: that lives behind the Python API."""
    wrong = []
    for name, path in MODULES.items():
        if layer(name) != "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong += [f"{name} defines class {n.name}" for n in tree.body if isinstance(n, ast.ClassDef)]
        wrong += [f"{name} imports {t}" for t, _ in imports(name) if t.split(".")[0] in HEAVY | {"pyoxigraph", "pyarrow"}]
        if len(path.read_text(encoding="utf-8").splitlines()) > 150:
            wrong.append(f"{name} is over 150 lines")
    assert wrong == []


def test_no_module_is_over_the_size_limit():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
