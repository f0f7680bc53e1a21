"""Each CLI command, in-process, against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import sys
import types
from contextlib import closing
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from email_crisis.core.base.errors import StoreError
from email_crisis.core.demo.scenes import SCENES
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import NewIncident, Store
from tests.tui.cli.helpers import Invoke

INCIDENT_KEYS = {
    "id",
    "title",
    "kind",
    "severity",
    "step",
    "commander",
    "detected_at",
    "acknowledged_at",
    "contained_at",
    "notified_at",
    "resolved_at",
    "version",
}
TIME_KEYS = ("detected_at", "acknowledged_at", "contained_at", "notified_at", "resolved_at")


def declare(store: Store, title: str = "Wrong offer in the newsletter", **kw: Any) -> int:
    kw.setdefault("kind", "wrong-content")
    kw.setdefault("operator", "sam")
    return ops.declare(store, title=title, **kw).id


def listed(invoke: Invoke, db: Path, *extra: str) -> list[dict[str, Any]]:
    result = invoke("--db", str(db), "list", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- version, help, the console ------------------------------------------------------------


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"email-crisis {version('email-crisis')}\n"


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["list", "--help"], ["new", "--help"]])
def test_help_exits_zero(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: email-crisis")


def test_help_lists_every_command(invoke: Invoke) -> None:
    text = invoke("--help").stdout
    for name in ("demo", "new", "list", "show", "ack", "commander", "severity", "backup"):
        assert f"  {name} " in text
    assert "templates" in text


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for email_crisis.tui.app so the console can be opened without Textual."""
    calls: list[dict[str, Any]] = []

    def run_app(store: Store, *, operator: str) -> None:
        calls.append({"store": store, "path": store.path, "operator": operator})
        assert store.list_incidents() == []  # the store is open while the app runs

    module = types.ModuleType("email_crisis.tui.app")
    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "email_crisis.tui.app", module)
    monkeypatch.setattr("email_crisis.tui.cli.has_terminal", lambda: True)
    return calls


def test_console_refuses_to_start_without_a_terminal(
    invoke: Invoke, fake_app: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual would spin on a stdin that is /dev/null or a pipe; say so instead."""
    monkeypatch.setattr("email_crisis.tui.cli.has_terminal", lambda: False)
    db = tmp_path / "never.db"
    result = invoke("--db", str(db))
    assert result.exit_code == 1
    assert "needs a terminal" in result.stderr
    assert fake_app == []
    assert not db.exists()


def test_no_command_opens_the_console(
    invoke: Invoke, fake_app: list[dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "tui.db"
    result = invoke("--db", str(db), "--operator", "priya")
    assert result.exit_code == 0, result.stderr
    assert [(c["path"], c["operator"]) for c in fake_app] == [(db, "priya")]
    with pytest.raises(StoreError):  # closed once the app returns
        fake_app[0]["store"].list_incidents()


def test_console_takes_db_and_operator_from_the_environment(
    invoke: Invoke, fake_app: list[dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "env.db"
    env = {"EMAIL_CRISIS_DB": str(db), "EMAIL_CRISIS_OPERATOR": "noor"}
    assert invoke(env=env).exit_code == 0
    assert [(c["path"], c["operator"]) for c in fake_app] == [(db, "noor")]


# -- demo ----------------------------------------------------------------------------------


def test_demo_adds_scenes_and_generated_incidents(invoke: Invoke, db_path: Path) -> None:
    result = invoke("demo", "--db", str(db_path), "--incidents", "50")
    assert result.exit_code == 0, result.stderr
    assert "59" in result.stdout
    assert str(db_path) in result.stdout
    assert f"email-crisis --db {db_path}" in result.stdout
    assert len(listed(invoke, db_path, "--all")) == len(SCENES) + 50 == 59


def test_demo_refuses_a_database_with_incidents(invoke: Invoke, store: Store) -> None:
    declare(store)
    result = invoke("--db", str(store.path), "demo")
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert len(store.list_incidents()) == 1
    forced = invoke("--db", str(store.path), "demo", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert len(store.list_incidents(include_resolved=True)) == 1 + len(SCENES)


def test_demo_with_ten_thousand_incidents_fills_the_board(invoke: Invoke, db_path: Path) -> None:
    # How long this takes is measured by benchmarks/demo_large.py, not asserted here.
    result = invoke("--db", str(db_path), "demo", "--incidents", "10000")
    assert result.exit_code == 0, result.stderr
    assert f"Added 10009 demo incidents ({len(SCENES)} scenes + 10000 generated)" in result.stdout
    with Store.open(db_path) as opened:
        everything = opened.list_incidents(include_resolved=True)
        assert len(everything) == 10_009
        generated = [i for i in everything if i.id > len(SCENES)]
        assert len(generated) == 10_000
        assert all(i.step == "own" and i.is_open for i in generated)
        on_board = {i.id for i in opened.list_incidents()}
        assert on_board >= {i.id for i in generated}
    # Each incident has its declaration in the event log.
    with closing(sqlite3.connect(db_path)) as conn:
        declared = conn.execute("SELECT COUNT(*) FROM events WHERE type = 'declared'")
        assert declared.fetchone()[0] == 10_009


# -- new -----------------------------------------------------------------------------------


def test_new_prints_only_the_id(invoke: Invoke, store: Store) -> None:
    result = invoke(
        "--db", str(store.path), "new", "--title", "Promo sent twice", "--kind", "other"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().isdigit()
    incident = store.get_incident(int(result.stdout))
    assert (incident.title, incident.kind, incident.severity) == (
        "Promo sent twice",
        "other",
        "SEV3",
    )
    assert incident.step == "own"


@pytest.mark.parametrize(("given", "stored"), [("1", "SEV1"), ("sev2", "SEV2"), ("SEV4", "SEV4")])
def test_new_accepts_severity_forms(invoke: Invoke, store: Store, given: str, stored: str) -> None:
    result = invoke(
        "new", "--db", str(store.path), "--title", "t", "--kind", "malformed", "--severity", given
    )
    assert result.exit_code == 0, result.stderr
    assert store.get_incident(int(result.stdout)).severity == stored


def test_new_detected_time_and_operator(invoke: Invoke, store: Store, now: datetime) -> None:
    result = invoke(
        "new",
        "--db",
        str(store.path),
        "--operator",
        "lea",
        "--title",
        "Dear <FirstName>",
        "--kind",
        "broken-personalization",
        "--detected",
        "2026-11-27T08:15Z",
    )
    assert result.exit_code == 0, result.stderr
    incident = store.get_incident(int(result.stdout))
    assert incident.detected_at == now - timedelta(minutes=75)
    assert incident.created_by == "lea"


# -- precedence of --db / --operator / environment ------------------------------------------


def test_db_precedence(invoke: Invoke, tmp_path: Path) -> None:
    env_db, group_db, command_db = (tmp_path / f"{n}.db" for n in ("env", "group", "command"))
    env = {"EMAIL_CRISIS_DB": str(env_db)}
    new = ("new", "--title", "x", "--kind", "other")
    assert invoke(*new, env=env).exit_code == 0
    assert invoke("--db", str(group_db), *new, env=env).exit_code == 0
    assert invoke("--db", str(group_db), *new, "--db", str(command_db), env=env).exit_code == 0
    for db in (env_db, group_db, command_db):
        assert len(listed(invoke, db)) == 1


def test_operator_precedence(invoke: Invoke, store: Store) -> None:
    db = str(store.path)
    env = {"EMAIL_CRISIS_OPERATOR": "from-env"}
    new = ("new", "--title", "x", "--kind", "other")
    ids = [
        invoke("--db", db, *new, env=env).stdout,
        invoke("--db", db, "--operator", "group", *new, env=env).stdout,
        invoke("--db", db, "--operator", "group", *new, "--operator", "command", env=env).stdout,
    ]
    creators = [store.get_incident(int(i)).created_by for i in ids]
    assert creators == ["from-env", "group", "command"]


# -- list ----------------------------------------------------------------------------------


def test_list_json_schema_and_board_order(invoke: Invoke, store: Store) -> None:
    declare(store, "minor", severity="SEV4")
    worst = declare(store, "worst", severity="SEV1", kind="data-breach")
    records = listed(invoke, store.path)
    assert [r["title"] for r in records] == ["worst", "minor"]
    for record in records:
        assert set(record) >= INCIDENT_KEYS
        assert record["detected_at"].endswith("+00:00")
        for key in TIME_KEYS:
            assert record[key] is None or datetime.fromisoformat(
                record[key]
            ).utcoffset() == timedelta(0)
    assert records[0]["id"] == worst
    assert records[0]["acknowledged_at"] is None
    assert records[0]["version"] == 1


def test_list_all_includes_resolved(invoke: Invoke, store: Store, now: datetime) -> None:
    open_id = declare(store, "still open")
    done = store.get_incident(declare(store, "done"))
    store.update_incident(
        done.id,
        expected_version=done.version,
        operator="sam",
        changes={"resolved_at": now},
        events=[("resolved", {})],
    )
    assert [r["id"] for r in listed(invoke, store.path)] == [open_id]
    everything = listed(invoke, store.path, "--all")
    assert {r["id"] for r in everything} == {open_id, done.id}
    assert [r["resolved_at"] for r in everything if r["id"] == done.id] == [
        "2026-11-27T09:30:00+00:00"
    ]
    table = invoke("--db", str(store.path), "list", "--all").stdout
    assert "resolved" in table


def test_list_table(invoke: Invoke, store: Store, now: datetime) -> None:
    declare(store, "Newsletter sent twice", detected_at=now - timedelta(hours=3, minutes=5))
    result = invoke("--db", str(store.path), "list")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header.split() == ["ID", "SEV", "STEP", "KIND", "COMMANDER", "AGE", "TITLE"]
    assert row.split()[:7] == ["1", "SEV3", "own", "wrong-content", "-", "3h", "05m"]
    assert row.endswith("Newsletter sent twice")
    assert row.index("Newsletter") == header.index("TITLE")


def test_list_table_fits_the_terminal(
    invoke: Invoke, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    declare(store, "A very long title " * 8)
    monkeypatch.setenv("COLUMNS", "80")
    lines = invoke("--db", str(store.path), "list").stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[1].endswith("…")


def test_list_empty(invoke: Invoke, store: Store, db_path: Path) -> None:
    result = invoke("--db", str(db_path), "list")
    assert (result.exit_code, result.stdout) == (0, "No open incidents.\n")
    assert listed(invoke, db_path) == []


def test_reading_commands_do_not_create_a_mistyped_database(invoke: Invoke, tmp_path: Path) -> None:
    """A typo in --db must not answer "no incidents" from a brand-new empty file."""
    typo = tmp_path / "incidnets.db"
    for args in (["list"], ["show", "1"], ["ack", "1"], ["backup", str(tmp_path / "b.db")]):
        result = invoke("--db", str(typo), *args)
        assert result.exit_code == 1
        assert "there is no database at" in result.stderr
    assert not typo.exists()


# -- escapes and markup in user text -------------------------------------------------------


@pytest.fixture
def hostile(store: Store, now: datetime) -> tuple[int, int]:
    """One title with a terminal escape (stored raw, past core's checks), one with markup."""
    (escaped,) = store.create_incidents(
        [NewIncident("Red \x1b[31malert\x1b[0m\x07 title", "other", "SEV2", now, "ev\x1bil")]
    )
    return escaped, declare(store, "[bold]x[/bold] sent")


def test_list_shows_escapes_as_stand_ins(
    invoke: Invoke, store: Store, hostile: tuple[int, int]
) -> None:
    out = invoke("--db", str(store.path), "list").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Red ␛[31malert␛[0m␇ title" in out
    assert "[bold]x[/bold] sent" in out


def test_show_shows_escapes_as_stand_ins(
    invoke: Invoke, store: Store, hostile: tuple[int, int]
) -> None:
    escaped, markup = hostile
    out = invoke("--db", str(store.path), "show", str(escaped)).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("Red ␛[31malert␛[0m␇ title") == 2  # heading and the declared event
    assert "ev␛il" in out
    assert "[bold]x[/bold] sent" in invoke("--db", str(store.path), "show", str(markup)).stdout


def test_json_escapes_control_characters(
    invoke: Invoke, store: Store, hostile: tuple[int, int]
) -> None:
    out = invoke("--db", str(store.path), "list", "--format", "json").stdout
    assert "\x1b" not in out
    titles = {r["title"] for r in json.loads(out)}
    assert "Red \x1b[31malert\x1b[0m\x07 title" in titles


# -- show ----------------------------------------------------------------------------------


def test_show_text(invoke: Invoke, store: Store, now: datetime) -> None:
    incident = ops.declare(store, title="Wrong list", kind="wrong-segment", operator="sam")
    incident = ops.acknowledge(store, incident, operator="sam")
    ops.write_statement(store, incident, "We sent the VIP preview to everyone.", operator="sam")
    out = invoke("--db", str(store.path), "show", str(incident.id)).stdout
    assert out.startswith(f"Incident {incident.id}: Wrong list\n")
    assert "acknowledged  2026-11-27 09:30" in out
    assert "Internal statement (version 1, by sam" in out
    assert "  We sent the VIP preview to everyone." in out
    assert "Event log (3):" in out
    assert "sam: acknowledged the incident" in out


def test_show_json(invoke: Invoke, store: Store) -> None:
    incident_id = declare(store)
    result = invoke("--db", str(store.path), "show", str(incident_id), "--format", "json")
    record = json.loads(result.stdout)
    assert set(record) >= INCIDENT_KEYS | {"statement", "events"}
    assert record["statement"] is None
    (event,) = record["events"]
    assert event["type"] == "declared"
    assert event["operator"] == "sam"
    assert event["text"].startswith("declared SEV3")


# -- ack, commander, severity --------------------------------------------------------------


def test_own_it_from_the_command_line(invoke: Invoke, store: Store) -> None:
    db, incident_id = str(store.path), str(declare(store))
    acked = invoke("--db", db, "--operator", "marc", "ack", incident_id)
    assert acked.exit_code == 0, acked.stderr
    assert acked.stdout == f"Incident {incident_id} acknowledged.\n"
    named = invoke("--db", db, "commander", incident_id, "priya", "--operator", "marc")
    assert named.exit_code == 0, named.stderr
    assert "priya" in named.stdout and "now at step 2 Contain" in named.stdout
    raised = invoke("--db", db, "severity", incident_id, "1")
    assert raised.exit_code == 0, raised.stderr
    incident = store.get_incident(int(incident_id))
    assert (incident.commander, incident.severity, incident.step) == ("priya", "SEV1", "contain")
    operators = [e.operator for e in store.events(incident.id)]
    assert operators[1:3] == ["marc", "marc"]


def test_ack_twice_is_refused(invoke: Invoke, store: Store) -> None:
    incident_id = str(declare(store))
    assert invoke("--db", str(store.path), "ack", incident_id).exit_code == 0
    again = invoke("--db", str(store.path), "ack", incident_id)
    assert again.exit_code == 1
    assert "already acknowledged" in again.stderr


# -- backup, templates ---------------------------------------------------------------------


def test_backup(invoke: Invoke, store: Store, tmp_path: Path) -> None:
    declare(store)
    dest = tmp_path / "copies" / "copy.db"
    result = invoke("--db", str(store.path), "backup", str(dest))
    assert (result.exit_code, result.stdout) == (0, f"{dest}\n")
    with Store.open(dest) as copy:
        assert [i.title for i in copy.list_incidents()] == ["Wrong offer in the newsletter"]
    again = invoke("--db", str(store.path), "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr  # never overwritten
    nightly = [invoke("--db", str(store.path), "backup", str(tmp_path / "copies")) for _ in "12"]
    assert [r.exit_code for r in nightly] == [0, 0]  # the second night works too
    names = [Path(r.stdout.strip()).name for r in nightly]
    assert names[0].startswith("incidents-") and names[0].endswith(".db")
    assert len(set(names)) == 2
    assert all((tmp_path / "copies" / name).is_file() for name in names)


def test_templates_lists_organisation_then_shipped(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke("templates")
    assert result.exit_code == 0
    assert "Organisation templates" in result.stdout and "none" in result.stdout
    org = tmp_path / "org"
    (org / "internal").mkdir(parents=True)
    (org / "internal" / "statement.en.md.j2").write_text("ours\n")
    (org / "breach.en.md.j2").write_text("notice\n")
    monkeypatch.setenv("EMAIL_CRISIS_TEMPLATES", str(org))
    lines = invoke("templates").stdout.splitlines()
    assert lines[0] == f"Organisation templates ({org}):"
    assert lines[1:3] == ["  breach.en.md.j2", "  internal/statement.en.md.j2"]
    assert lines[3].startswith("Shipped templates (") and lines[3].endswith("templates):")
    assert "  internal/statement.en.md.j2  (overridden by the organisation's)" in lines
    assert "  internal/statement.fr.md.j2" in lines
