"""A 10 MB line through every door: refused in one line, or stored and shown bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from email_crisis.core.base.clock import frozen
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.contain import esp
from email_crisis.core.notify import drafts as notify
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.contain.esp.cases import CASES, planned_for
from tests.core.contain.esp.fake_server import APIS, FakeEsp
from tests.hostile.strings import LONG
from tests.tui.cli.helpers import run_cli

run = run_cli


def _one_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("email-crisis: "), result.stderr[:500]
    assert len(lines[0]) < 2_000  # the 10 MB value is not echoed back
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "long.db"
    with Store.open(path, clock=frozen(FROZEN_NOW)) as store:
        ops.declare(store, title="Long lines", kind="wrong-segment", operator="sam")
    return path


def test_a_title_of_10_mb_is_refused(db: Path) -> None:
    result = run("--db", str(db), "new", "--title", LONG, "--kind", "other")
    assert result.exit_code == 1
    assert "Title is 10485760 characters long; the limit is 200." in _one_line(result)


def test_an_operator_name_of_10_mb_is_refused(db: Path) -> None:
    result = run("--db", str(db), "--operator", LONG, "ack", "1")
    assert result.exit_code == 1 and "operator name" in _one_line(result)


@pytest.mark.parametrize(
    ("command", "content"),
    [
        ("audience", f"email,note\nana@example.com,{LONG}\n"),
        ("audience", f"email\n{LONG}@example.com\n"),
        ("metrics", f"time,metric,value,note\n2026-11-20T10:00Z,volume,5,{LONG}\n"),
        ("metrics", f'{{"x": "{LONG}"}}\n'),
    ],
    ids=["audience-cell", "audience-address", "metrics-note", "metrics-json"],
)
def test_imported_files_with_a_10_mb_line(
    db: Path, tmp_path: Path, command: str, content: str
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(content)
    if command == "audience":
        out = tmp_path / "out.csv"
        result = run("--db", str(db), "audience", "1", "--affected", str(path), "--out", str(out))
    else:
        result = run("--db", str(db), "metrics", "import", "1", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:  # read, and every output stays small
        assert len(result.stdout) < 10_000
        shown = run("--db", str(db), "show", "1")
        assert shown.exit_code == 0 and len(shown.stdout) < 100_000
    else:
        _one_line(result)


def test_lint_reads_a_10_mb_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(f"We are sorry.\n{LONG}\n")
    result = run("lint", str(draft), "--format", "json")
    assert "Traceback" not in result.stderr
    json.loads(result.stdout)


def test_an_esp_error_body_of_10_mb_is_cut_after_masking(tmp_path: Path) -> None:
    secret = "SG.long-line-secret-0123456789"
    with FakeEsp(APIS["sendgrid"], secret) as server:
        server.reply = (500, (LONG + secret).encode(), {"Content-Type": "text/plain"})
        result = esp.execute(planned_for(CASES[1], server.base_url), secret)
    assert not result.ok and len(result.esp_message) <= 500


def test_an_apology_body_of_10_mb_is_refused(db: Path) -> None:
    with Store.open(db, clock=frozen(FROZEN_NOW)) as store:
        incident = store.get_incident(1)
        with pytest.raises(ValidationError, match="characters long; the limit is 50000"):
            notify.save_draft(store, incident, {"body": LONG}, "sam")
