"""core/ never imports Textual: the domain must work without the terminal face."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import email_crisis.core

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = "textual"


def imported_names(source: str) -> set[str]:
    """Every module name an Import or ImportFrom in ``source`` refers to."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def is_forbidden(name: str) -> bool:
    return name == FORBIDDEN or name.startswith(FORBIDDEN + ".")


def test_the_checker_catches_textual_imports() -> None:
    source = "import os\nimport textual.app\nfrom textual.widgets import Button\nimport rich\n"
    assert sorted(n for n in imported_names(source) if is_forbidden(n)) == [
        "textual.app",
        "textual.widgets",
    ]
    assert not is_forbidden("textualize_helpers")


def test_no_file_under_core_imports_textual() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert CORE / "store" / "database.py" in files  # the folder is the one we think it is
    offenders = {
        str(path.relative_to(CORE)): sorted(n for n in names if is_forbidden(n))
        for path in files
        if (names := imported_names(path.read_text(encoding="utf-8")))
        and any(is_forbidden(n) for n in names)
    }
    assert offenders == {}


def test_installed_package_is_this_core_folder() -> None:
    assert Path(email_crisis.core.__file__).resolve().parent == CORE


IMPORT_ALL = """
import importlib, json, pkgutil, sys
import email_crisis.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "email_crisis.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "textual": sorted(
    m for m in sys.modules if m == "textual" or m.startswith("textual."))}))
"""


def test_importing_every_core_module_does_not_load_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)
    assert "email_crisis.core.store.database" in report["modules"]
    assert len(report["modules"]) >= 10
    assert report["textual"] == []
