"""End to end in a real terminal (tmux, 80x24): a whole incident by keys alone, and typed
text that survives a SIGKILL.

The installed ``email-crisis`` runs under tmux; the test only sends keys and reads the
screen, then reads the database and the postmortem the console wrote. The clock is the
real one, so times are checked for their presence, not their value (the Pilot test in
``tests/tui/test_whole_incident.py`` checks them with a frozen clock).
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from email_crisis.core.contain import actions as contain
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store import working
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.contain_forms import menu_choices
from tests.e2e.test_terminal import _console_script
from tests.e2e.test_terminal import tmux as tmux  # the fixture: a private tmux server
from tests.e2e.tmux import Tmux, tmux_env

pytestmark = pytest.mark.e2e

FIELDS_BEFORE = {"affected_count": 5, "data_exposed": 8, "regions": 9}
"""Where the Assess fields sit in the panel's cursor order (checked below)."""


def _step(db: Path) -> str:
    with Store.open(db, create=False) as store:
        (incident,) = store.list_incidents(include_resolved=True)
    return incident.step


def _wait_step(db: Path, step: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while _step(db) != step:
        assert time.monotonic() < deadline, f"the incident never reached {step}"
        time.sleep(0.1)


def _start(tmux: Tmux, db: Path, term: str = "xterm-256color", **extra: str) -> None:
    tmux.start(
        [_console_script(), "--db", str(db), "--operator", "priya"], env=tmux_env(term, **extra)
    )


def _declare(tmux: Tmux) -> None:
    tmux.wait_for("No open incidents")
    tmux.keys("n")
    tmux.wait_for("Declare an incident")
    tmux.keys("VIP preview sent to everyone", literal=True)
    tmux.keys("Tab")
    tmux.keys("Enter")  # the Kind list
    tmux.keys("Down", "Down", "Down")
    tmux.keys("Enter")  # Sent to the wrong segment
    tmux.keys("F2")
    tmux.wait_for("UNACKED")


@pytest.mark.parametrize(
    ("term", "extra"),
    [("xterm-256color", {}), ("screen-256color", {}), ("linux", {"NO_COLOR": "1"})],
    ids=["xterm-256color", "screen-256color", "linux-NO_COLOR"],
)
def test_a_whole_incident_by_keys_alone_at_80x24(
    tmux: Tmux, tmp_path: Path, term: str, extra: dict[str, str]
) -> None:
    from email_crisis.core.assess.form import FIELDS

    shown = [name for name, spec in FIELDS.items() if spec.shown]
    assert {name: shown.index(name) for name in FIELDS_BEFORE} == FIELDS_BEFORE

    db = tmp_path / "e2e.db"
    _start(tmux, db, term, **extra)
    _declare(tmux)
    assert _step(db) == "own"

    # 1 Own it.
    tmux.keys("Enter")
    tmux.wait_for("1 Own it: [ ] acknowledged")
    tmux.keys("a")
    tmux.wait_for("Acknowledged in")
    tmux.keys("c")
    tmux.wait_for("Incident commander")
    tmux.keys("m")  # me
    tmux.wait_for("2 Contain: [ ] the harm stopped")
    _wait_step(db, "contain")

    # 2 Contain: the first action (marked *) stops the send; its menu marks it done.
    tmux.keys("2")
    tmux.wait_for("Stop the send")
    with Store.open(db, create=False) as store:
        (incident,) = store.list_incidents()
        stopper = contain.list_actions(store, incident.id)[0]
    assert stopper.stops_harm
    choices = [choice for choice, _ in menu_choices(stopper)]
    tmux.keys("Enter")
    tmux.wait_for("Mark done")
    tmux.keys(*["Down"] * choices.index("done"), "Enter")
    tmux.wait_for("3 Assess:")
    _wait_step(db, "assess")

    # 3 Assess: the cursor down to each field, i edits, escape stops; s saves.
    tmux.keys("3")
    tmux.wait_for("Subscribers affected")
    at = 0
    for name, value in (("affected_count", "480000"), ("data_exposed", "none"), ("regions", "eu")):
        tmux.keys(*["Down"] * (FIELDS_BEFORE[name] - at), "i")
        tmux.wait_for("EDITING")
        tmux.keys(value, literal=True)
        tmux.keys("Escape")
        at = FIELDS_BEFORE[name]
    tmux.keys("s")
    tmux.wait_for("4 Plan:")
    _wait_step(db, "plan")

    # 4 Plan: the suggested tasks, each owned by me (o, then m).
    tmux.keys("4")
    tmux.keys("g")
    tmux.wait_for("open tasks have no owner")
    with Store.open(db, create=False) as store:
        count = len(plan.list_tasks(store, incident.id))
    for _ in range(count):
        tmux.keys("o")
        tmux.wait_for("Or type a name")
        tmux.keys("m")
        tmux.keys("Down")
    tmux.wait_for("5 Notify:")
    _wait_step(db, "notify")

    # 5 Notify: a sentence added to the apology, saved (s), then marked sent (m, yes).
    tmux.keys("5")
    tmux.wait_for("We are sorry")
    tmux.keys("i")
    tmux.wait_for("EDITING")
    tmux.keys(" Nothing else is needed from you.", literal=True)
    tmux.keys("Escape")
    tmux.keys("s")
    tmux.wait_for("v1 ")
    tmux.keys("m")
    tmux.wait_for("Has the apology been sent?")
    tmux.keys("Enter")
    tmux.wait_for("6 Monitor:")
    _wait_step(db, "monitor")

    # 6 Monitor: the commander ends the watch early, with a reason (>).
    tmux.keys("6")
    tmux.keys(">")
    tmux.wait_for("End the deliverability watch early")
    tmux.keys("Quiet after the apology, small list", literal=True)
    tmux.keys("F2")
    tmux.wait_for("6 Monitor: [x]")

    # Closing: the tasks are open, so x lists them and asks why.
    tmux.keys("x")
    tmux.wait_for("Not ready to close")
    tmux.keys("Watched and quiet", literal=True)
    tmux.keys("Enter")
    tmux.keys("Tasks tracked on the team board", literal=True)
    tmux.keys("F2")
    tmux.wait_for("Closed ")
    tmux.keys("Escape")
    tmux.wait_for("No open incidents")
    tmux.keys("o")  # closed incidents too
    tmux.wait_for("VIP preview")
    tmux.keys("r")
    tmux.wait_for("Postmortem written")
    tmux.keys("q")
    tmux.wait_for("EXITED:0")

    with Store.open(db, create=False) as store:
        final = store.get_incident(incident.id)
        moves = [
            (e.details["from"], e.details["to"], e.details["by"])
            for e in store.events(incident.id)
            if e.type == "step_advanced"
        ]
    assert final.step == "monitor" and final.resolved_at is not None
    assert None not in (final.acknowledged_at, final.contained_at, final.notified_at)
    assert moves == [
        ("own", "contain", "rules"),
        ("contain", "assess", "rules"),
        ("assess", "plan", "rules"),
        ("plan", "notify", "rules"),
        ("notify", "monitor", "rules"),
    ]
    (markdown,) = (tmp_path / "reports").glob("*.md")
    written = markdown.read_text(encoding="utf-8")
    assert "- **Step reached:** Monitor" in written
    for measure in ("acknowledge", "contain", "notify", "resolve"):
        assert re.search(rf"- \*\*Time to {measure}:\*\* \d+[smhd]", written), measure
    assert "Tasks tracked on the team board" in written


def test_the_apology_typed_before_a_sigkill_is_offered_back(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "e2e.db"
    _start(tmux, db)
    _declare(tmux)
    tmux.keys("Enter")
    tmux.wait_for("1 Own it:")
    tmux.keys("5")
    tmux.wait_for("We are sorry")
    tmux.keys("i")
    tmux.wait_for("EDITING")
    tmux.keys(" Call us on 0800 123 456.", literal=True)
    tmux.wait_for("Call us on 0800")

    # The autosave writes the working copy a few seconds after the last key.
    deadline = time.monotonic() + 20
    copy = None
    while copy is None:
        assert time.monotonic() < deadline, "no working copy was written"
        time.sleep(0.2)
        with Store.open(db, create=False) as store:
            copy = working.find(store, 1, operator="priya", slot="notify.draft")
    assert copy.fields["body"].endswith("Call us on 0800 123 456.")
    with Store.open(db, create=False) as store:
        assert [d for d in store.events(1) if d.type.startswith("draft")] == []  # no version

    os.kill(tmux.program_pid(), signal.SIGKILL)  # no chance to save anything
    tmux.wait_for("EXITED:137")

    again = Tmux(tmp_path / "again", name="again")  # a new terminal, as after a new login
    (tmp_path / "again").mkdir()
    try:
        _start(again, db)
        again.wait_for("VIP preview")
        again.keys("Enter")
        again.wait_for("Restore the unsaved apology from")
        again.keys("y")
        again.wait_for("5 Notify  6 Monitor")
        again.keys("i")  # editing: the cursor (and the view) at the end of the body
        screen = again.wait_for("Call us on 0800")
        assert "not saved" in screen  # back as unsaved changes of a new draft
        again.keys("Escape")
        again.keys("s")  # F2's letter: now it is a saved version; the working copy is gone
        again.wait_for("v1 ")
    finally:
        again.stop()
    with Store.open(db, create=False) as store:
        assert working.find(store, 1, operator="priya", slot="notify.draft") is None
        from email_crisis.core.notify import drafts as notify

        saved = notify.latest_draft(store, 1)
    assert saved is not None and saved.body.endswith("Call us on 0800 123 456.")
