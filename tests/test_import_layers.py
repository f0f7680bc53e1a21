"""Imports go one way: no cycle between modules, and core's packages follow their layers.

Every import counts, wherever it is written (module level, inside a function, under
``if TYPE_CHECKING``): a late import hides a cycle from Python, not from a reader.
The allowed directions are read from the table in ``core/__init__.py``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOTS = ("core", "tui")


def module_name(path: Path) -> str:
    parts = ["email_crisis", *path.relative_to(REPO).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for root in ROOTS for p in sorted((REPO / root).rglob("*.py"))}


def imports_of(source: str, known: Iterable[str]) -> set[str]:
    """The modules of ``known`` that ``source`` imports (``from pkg import submodule``
    counts as an import of the submodule, not of the package)."""
    names = set(known)
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in names:
                    found.add(sub)
                elif node.module in names:
                    found.add(node.module)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: imports_of(path.read_text(encoding="utf-8"), known) - {name}
        for name, path in known.items()
    }


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for child in sorted(edges.get(node, ())):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(component) > 1:
                found.append(sorted(component))

    for root in sorted(edges):
        if root not in index:
            visit(root)
    return found


LAYER_LINE = re.compile(r"^\s{4}(\w+)\s+->\s*([\w,\s]*)$")


def layers() -> dict[str, set[str]]:
    """``package -> packages it may import`` from the table in core/__init__.py."""
    text = (REPO / "core" / "__init__.py").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        if found := LAYER_LINE.match(line):
            allowed = {n.strip() for n in found.group(2).split(",") if n.strip()}
            table[found.group(1)] = allowed
    return table


def core_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if parts[:2] == ["email_crisis", "core"] and len(parts) > 2 else None


def test_the_cycle_finder_finds_cycles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_core_or_tui() -> None:
    edges = graph()
    assert len(edges) > 100  # the tree we think it is
    assert cycles(edges) == []


def test_every_core_package_has_a_line_in_the_layer_table() -> None:
    table = layers()
    packages = {p.name for p in (REPO / "core").iterdir() if (p / "__init__.py").is_file()}
    assert set(table) == packages
    for allowed in table.values():
        assert allowed <= packages


def test_core_packages_import_only_what_their_layer_allows() -> None:
    table = layers()
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in graph().items()
        if (mine := core_package(source))
        for target in targets
        if (theirs := core_package(target)) and theirs != mine and theirs not in table[mine]
    )
    assert wrong == []


def test_core_never_imports_the_terminal_face() -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in graph().items()
        if source.startswith("email_crisis.core")
        for target in targets
        if target.startswith("email_crisis.tui")
    )
    assert wrong == []
