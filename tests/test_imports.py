"""nnlib's import graph has no cycle: imports only ever run downward (CONTRIBUTING.md).

The graph is read from the source with :mod:`ast`, without importing anything. A module is
a node (a package is its ``__init__.py``); an edge goes from a module to every nnlib module
it imports:

- ``import nnlib.a.b`` and ``from nnlib.a import b`` point at ``nnlib.a.b`` when that is a
  module, and ``from nnlib.a import name`` at ``nnlib.a`` otherwise; relative imports are
  resolved against the importing module's package.
- Imports inside functions count too. They do not run at import time, but they run the
  first time the function is called, so they are dependencies all the same; a deferred
  import is exactly how a cycle hides (``tensor.py`` and ``autograd/engine.py`` imported
  each other that way, each at the other's call time, which a graph of import-time edges
  alone would not see).
- Imports under ``if TYPE_CHECKING:`` never run, so they do not count.
- Importing ``nnlib.a.b`` also runs ``nnlib/a/__init__.py``; that implicit edge is left out,
  since every package ``__init__`` re-exports what is below it (counting it would make every
  module depend on ``nnlib/__init__.py`` and so on everything). Each ``__init__`` is a node
  with its own explicit imports instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nnlib

NNLIB = Path(nnlib.__file__).parent


def module_files(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under ``package_dir``."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(tree: ast.Module, package: str) -> set[tuple[str, str | None]]:
    """What ``tree`` imports, as ``(module, name)``: ``name`` is ``None`` for ``import m``."""
    names: set[tuple[str, str | None]] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                pending.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                names.update((alias.name, None) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                names.update((base, alias.name) for alias in child.names)
            pending.append(child)
    return names


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Every module of the package and the package's modules it imports."""
    modules = module_files(package_dir)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        names = imported_names(ast.parse(path.read_text(encoding="utf-8")), package)
        # ``from a import b``: the edge goes to the module a.b if there is one, else to a.
        targets = {f"{m}.{n}" if f"{m}.{n}" in modules else m for m, n in names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) through each back edge a depth-first search meets."""
    found: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" afterwards
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_nnlib_has_no_import_cycle():
    found = cycles(import_graph(NNLIB))
    assert not found, "import cycles in nnlib:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_graph_sees_the_ground_floor():
    graph = import_graph(NNLIB)
    assert "nnlib._graph" in graph["nnlib.ops.pointwise"]
    assert "nnlib.ops.pointwise" in graph["nnlib._tensor"]  # Tensor's methods call the ops
    assert "nnlib.autograd.engine" in graph["nnlib._tensor"]  # a deferred import counts
    assert "nnlib._tensor" not in graph["nnlib.autograd.engine"]  # TYPE_CHECKING does not
    assert "nnlib._tensor" not in graph["nnlib.ops.pointwise"]
    assert "nnlib.nn.functional" in graph["nnlib.nn.modules.loss"]  # from nnlib.nn import F


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_deferred_import_is_found(tmp_path):
    package = write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/tensor.py": "def backward():\n    from pkg.engine import run\n",
            "pkg/engine.py": "from .tensor import backward\n",
        },
    )
    assert cycles(import_graph(package)) == [["pkg.engine", "pkg.tensor", "pkg.engine"]]


def test_type_checking_imports_and_plain_names_make_no_edge(tmp_path):
    package = write_package(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.low import helper\n",
            "pkg/low.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.high import X\n"
                "def helper():\n    pass\n"
            ),
            "pkg/high.py": "from pkg import low\nfrom pkg.low import helper\n",
        },
    )
    graph = import_graph(package)
    assert graph == {"pkg": {"pkg.low"}, "pkg.low": set(), "pkg.high": {"pkg.low"}}
    assert cycles(graph) == []
