"""End to end in a real terminal: the installed `email-crisis` under tmux."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from email_crisis.core.store.database import Store
from tests.e2e.tmux import Tmux, tmux_env

pytestmark = pytest.mark.e2e


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is not installed; .ci/run should install it")
        pytest.skip("tmux is not installed")
    driver = Tmux(tmp_path)
    yield driver
    driver.stop()


def _console_script() -> str:
    script = Path(sys.executable).with_name("email-crisis")
    assert script.exists(), f"the package is not installed in this environment ({script})"
    return str(script)


def test_declare_and_acknowledge_with_keystrokes(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "e2e.db"
    tmux.start(
        [_console_script(), "--db", str(db), "--operator", "e2e-operator"],
        env=tmux_env("xterm-256color"),
    )
    tmux.wait_for("No open incidents")

    tmux.keys("n")
    tmux.wait_for("Declare an incident")
    tmux.keys("[bold]Spring[/bold] sale: wrong list", literal=True)
    tmux.keys("Tab")
    tmux.keys("Enter")  # open the Kind list
    tmux.keys("Down", "Down", "Down")
    tmux.keys("Enter")  # Sent to the wrong segment
    tmux.keys("F2")
    screen = tmux.wait_for("declared")
    assert "[bold]Spring[/bold] sale" in screen  # markup in a title shows literally
    assert "UNACKED" in screen

    with Store.open(db) as store:
        (incident,) = store.list_incidents()
    assert incident.kind == "wrong-segment"
    assert incident.acknowledged_at is None

    tmux.keys("Enter")
    tmux.wait_for("NOT ACKNOWLEDGED")
    tmux.keys("a")
    tmux.wait_for("Acknowledged in")
    tmux.keys("c")
    tmux.wait_for("Incident commander")
    tmux.keys("t")  # a name not listed yet
    tmux.keys("rosa", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("Commander: rosa")
    tmux.keys("Escape")
    tmux.wait_for("2 Contain")
    tmux.keys("q")
    tmux.wait_for("EXITED:0")

    with Store.open(db) as store:
        incident = store.get_incident(incident.id)
        events = store.events(incident.id)
    assert incident.acknowledged_at is not None
    assert incident.commander == "rosa"
    assert incident.step == "contain"
    assert [e.type for e in events] == [
        "declared",
        "acknowledged",
        "commander_set",
        "step_advanced",
    ]
    assert {e.operator for e in events} == {"e2e-operator"}


@pytest.mark.parametrize(
    ("term", "extra"),
    [
        ("screen-256color", {}),
        ("linux", {}),
        ("xterm-256color", {"NO_COLOR": "1"}),
    ],
    ids=["screen-256color", "linux", "NO_COLOR"],
)
def test_every_screen_works_in_other_terminals(
    tmux: Tmux, tmp_path: Path, term: str, extra: dict[str, str]
) -> None:
    db = tmp_path / "demo.db"
    with Store.open(db) as store:
        from email_crisis.core.base.clock import utc_now
        from email_crisis.core.demo import scenes as demo

        demo.populate(store, now=utc_now())
    tmux.start([_console_script(), "--db", str(db)], env=tmux_env(term, **extra))
    board = tmux.wait_for("CMDR")
    assert "Subscriber export link" in board
    tmux.keys("F1")
    tmux.wait_for("Keys: Incident board")
    tmux.keys("Escape")
    tmux.keys("Enter")
    tmux.wait_for("[>] Contain")
    tmux.keys("l")
    tmux.wait_for("WHEN              WHO         WHAT")  # the log (it follows its end)
    tmux.keys("Escape")
    tmux.wait_for("CMDR")  # back on the board
    tmux.keys("n")
    tmux.wait_for("Declare an incident")
    tmux.keys("Escape")
    tmux.wait_for("CMDR")
    tmux.keys("q")
    tmux.wait_for("EXITED:0")


def test_keys_typed_faster_than_the_app_reads_them_are_applied_in_order(
    tmux: Tmux, tmp_path: Path
) -> None:
    """Over a slow SSH link a fast typist's keys reach the app in one read: letters,
    backspaces and ctrl+u must still apply in the order they were typed. Each
    ``tmux.keys`` call below is one write to the terminal."""
    from email_crisis.core.notify.drafts import latest_draft

    db = tmp_path / "burst.db"
    with Store.open(db) as store:
        from email_crisis.core.own import incidents as ops

        incident = ops.declare(
            store, title="Shop database copied", kind="data-breach", operator="x"
        )
    tmux.start([_console_script(), "--db", str(db)], env=tmux_env("xterm-256color"))
    tmux.wait_for("Shop database copied")
    tmux.keys("Enter")
    tmux.wait_for("NOT ACKNOWLEDGED")
    tmux.keys("5")
    tmux.wait_for("Preheader")
    # Subject: up twice from the body, edit, clear, type with a typo and fix it.
    tmux.keys("Up", "Up", "Enter", "C-u", "Notice of a data breach: your pasword")
    tmux.keys("BSpace", "BSpace", "BSpace", "BSpace", "sword", "Escape")
    tmux.wait_for("your password")
    # The body: a word typed wrong, deleted with ctrl+w and typed again, in one write.
    tmux.keys("Down", "Down", "i", "Kind regrads", "C-w", "regards", "Escape")
    tmux.keys("s")
    tmux.wait_for("version 1")
    with Store.open(db) as store:
        saved = latest_draft(store, incident.id)
    assert saved is not None
    assert saved.subject == "Notice of a data breach: your password"
    assert saved.body.endswith("Kind regards")
    tmux.keys("q")
    tmux.wait_for("EXITED:0")
