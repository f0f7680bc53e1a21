"""The wheel built from this repository installs and runs in a fresh virtual environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.version_info < (3, 11), reason="email-crisis needs Python >= 3.11"),
]

REPO = Path(__file__).resolve().parent.parent
# Copied into the build folder; caches and earlier builds are left behind.
IGNORED = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".venv*"
)


def _project_version() -> str:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, flags=re.M)
    assert found, "no version in pyproject.toml"
    return found.group(1)


def _run(args: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=600, check=False, **kw
    )  # type: ignore[call-overload]
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy so the build/ and egg-info folders never land in the work tree.
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(REPO, source, ignore=IGNORED)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", source])
    (built,) = (work / "dist").glob("email_crisis-*.whl")
    return built


def test_wheel_holds_only_the_email_crisis_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    strays = [
        n for n in names if not re.match(r"(email_crisis/|email_crisis-[^/]+\.dist-info/)", n)
    ]
    assert strays == []
    for expected in (
        "email_crisis/core/store/database.py",
        "email_crisis/tui/cli/__init__.py",
        "email_crisis/templates/internal/statement.en.md.j2",
        "email_crisis/templates/internal/statement.fr.md.j2",
    ):
        assert expected in names
    # Every module, stylesheet, data file and template of the repository is in the wheel
    # (a new subpackage or data folder must be declared in pyproject.toml).
    shipped = ("core", "tui", "templates")
    missing = [
        str(path.relative_to(REPO))
        for folder in shipped
        for path in (REPO / folder).rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".tcss", ".toml", ".j2", ".sql")
        and "__pycache__" not in path.parts
        and f"email_crisis/{path.relative_to(REPO)}" not in names
    ]
    assert missing == []


def test_wheel_works_in_a_fresh_virtualenv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bindir / "python", "-m", "pip", "install", "--disable-pip-version-check", wheel])

    outside = tmp_path / "elsewhere"  # not the repository, so nothing is imported from it
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_CRISIS_")}
    env.pop("PYTHONPATH", None)
    env["EMAIL_CRISIS_TEMPLATES"] = str(tmp_path / "no-org-templates")
    exe = bindir / "email-crisis"

    def crisis(*args: str) -> str:
        return _run([exe, *args], cwd=outside, env=env).stdout

    assert crisis("--version") == f"email-crisis {_project_version()}\n"

    listing = crisis("templates")
    shipped = [line for line in listing.splitlines() if line.startswith("Shipped templates (")]
    assert len(shipped) == 1
    folder = Path(shipped[0][len("Shipped templates (") : -len("):")])
    assert folder.is_relative_to(venv.resolve()) and "site-packages" in folder.parts
    assert str(REPO) not in listing
    assert "  internal/statement.en.md.j2" in listing
    assert "  internal/statement.fr.md.j2" in listing

    db = str(tmp_path / "w.db")
    crisis("--db", db, "demo")
    records = json.loads(crisis("--db", db, "list", "--format", "json"))
    assert len(records) == 8  # nine demo scenes, one of them resolved
