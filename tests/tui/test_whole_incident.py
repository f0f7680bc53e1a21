"""A whole incident in the console, by keys alone, from the board to the postmortem.

No helper sets a step or writes to the store: every stage is keys pressed on the board
and in the workspace (Pilot, 80x24). After each stage the test checks where the step
rules put the incident; at the end the event log, the clocks and the postmortem
(written with the board's ``r``). It mirrors ``tests/core/steps/test_whole_incident.py``
(core API) and ``tests/tui/cli/test_whole_incident.py`` (command line).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import OptionList

from email_crisis.core.close.events_text import describe
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.close_dialog import CloseDialog
from email_crisis.tui.screens.forms import ChoiceMenu, NewIncidentForm
from email_crisis.tui.screens.owner_picker import OwnerPicker
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.assess_panel import AssessPanel
from tests.core.support import MovingClock
from tests.tui.conftest import screen_text

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
M = timedelta(minutes=1)


def _flat(app: EmailCrisisApp) -> str:
    return " ".join(screen_text(app).split())


async def _choose(pilot, app: EmailCrisisApp, words: str) -> None:  # type: ignore[no-untyped-def]
    """In an open menu, move down to the option that says ``words`` and take it."""
    options = app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = next(i for i, prompt in enumerate(prompts) if words in prompt)
    start = options.highlighted or 0
    await pilot.press(*["down"] * (index - start), "enter")
    await pilot.pause()


async def test_a_whole_incident_by_keys_alone(db_path: Path) -> None:
    clock = MovingClock(T0)
    store = Store.open(db_path, clock=clock)
    app = EmailCrisisApp(store, operator="priya", clock=clock, poll_seconds=600)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _respond(pilot, app, store, clock)
    finally:
        store.close()


def _step(store: Store) -> str:
    (incident,) = store.list_incidents(include_resolved=True)
    return incident.step


async def _respond(pilot, app: EmailCrisisApp, store: Store, clock: MovingClock) -> None:  # type: ignore[no-untyped-def]
    # Declared on the board: n, a title, the kind from its list, F2.
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NewIncidentForm)
    await pilot.press(*"VIP preview sent to everyone", "tab", "enter")
    await pilot.pause()
    await _choose(pilot, app, "wrong segment")
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)
    assert _step(store) == "own"
    (incident,) = store.list_incidents()

    # 1 Own it: enter opens the workspace; a acknowledges, c then m names me commander.
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    assert "COMMAND" in _flat(app)
    assert "Own it:" in _flat(app)  # the header says what is missing
    clock.advance(4 * M)
    await pilot.press("a")
    await pilot.pause()
    clock.advance(M)
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, OwnerPicker)
    await pilot.press("m")
    await pilot.pause()
    assert _step(store) == "contain"
    assert "now at 2 Contain" in " ".join(n.message for n in app._notifications)

    # 2 Contain: the harm-stopping action (marked *) done, from its menu.
    await pilot.press("2")
    await pilot.pause()
    assert "2 Contain: [ ] the harm stopped" in _flat(app)  # the header: what completes it
    assert "Missing: the harm is not marked stopped yet" in _flat(app)
    clock.advance(15 * M)
    await pilot.press("enter")  # the cursor starts on the first action: stop the send
    await pilot.pause()
    assert isinstance(app.screen, ChoiceMenu)
    await _choose(pilot, app, "Mark done")
    assert _step(store) == "assess"
    assert store.get_incident(incident.id).contained_at == T0 + 20 * M

    # 3 Assess: down to a field, i edits it, escape stops, s saves.
    await pilot.press("3")
    await pilot.pause()
    panel = app.screen.query_one(AssessPanel)
    names = [field.id for field in panel.edit_fields()]
    clock.advance(10 * M)
    at = 0
    for name, value in (
        ("field-affected_count", "480000"),
        ("field-data_exposed", "none"),
        ("field-regions", "eu-eea"),
    ):
        target = names.index(name)
        await pilot.press(*["down"] * (target - at), "i", *value, "escape")
        at = target
    await pilot.pause()
    assert "COMMAND" in _flat(app)
    await pilot.press("s")
    await pilot.pause()
    assert _step(store) == "plan"

    # 4 Plan: g adds the playbook's tasks (with due times), o then m owns each one.
    await pilot.press("4")
    await pilot.pause()
    clock.advance(5 * M)
    await pilot.press("g")
    await pilot.pause()
    tasks = plan.list_tasks(store, incident.id)
    assert tasks and _step(store) == "plan"
    assert f"Missing: {len(tasks)} open tasks have no owner" in _flat(app)
    for _task in tasks:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OwnerPicker)
        await pilot.press("m", "down")
        await pilot.pause()
    assert {t.owner for t in plan.list_tasks(store, incident.id)} == {"priya"}
    assert _step(store) == "notify"

    # 5 Notify: a line added to the apology, s saves version 1, m marks it sent.
    await pilot.press("5")
    await pilot.pause()
    await pilot.press("i", *" Nothing else is needed from you.", "escape", "s")
    await pilot.pause()
    assert "v1 " in _flat(app)
    assert _step(store) == "notify"
    clock.moment = T0 + 2 * timedelta(hours=1)
    await pilot.press("m")
    await pilot.pause()
    await _choose(pilot, app, "Yes")
    assert _step(store) == "monitor"
    assert store.get_incident(incident.id).notified_at == T0 + 2 * timedelta(hours=1)

    # 6 Monitor: the seven days watch; a week later it is over.
    await pilot.press("6")
    await pilot.pause()
    assert "Missing: the 7 days watch runs until 2026-12-04 11:00" in _flat(app)
    clock.advance(timedelta(days=7))
    app.refresh_screens()
    await pilot.pause()
    assert "6 Monitor: [x] the watch window over" in _flat(app)
    assert "Missing:" not in _flat(app)

    # Closing: the plan's tasks are still open, so x lists them and asks for a reason.
    clock.advance(M)
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(app.screen, CloseDialog)
    assert "plan tasks are still open" in _flat(app) or "plan task is still open" in _flat(app)
    await pilot.press(*"Quiet for a week", "enter", *"Tasks tracked in the team board", "f2")
    await pilot.pause()
    closed = store.get_incident(incident.id)
    assert (closed.step, closed.resolved_at) == ("monitor", clock.moment)

    # The event log: each step moved on by the rules, with words, not ids.
    events = store.events(incident.id)
    moves = [(e.details["from"], e.details["to"]) for e in events if e.type == "step_advanced"]
    assert moves == [
        ("own", "contain"),
        ("contain", "assess"),
        ("assess", "plan"),
        ("plan", "notify"),
        ("notify", "monitor"),
    ]
    assert all(e.details.get("by") == "rules" for e in events if e.type == "step_advanced")
    texts = [describe(e) for e in events]
    assert "marked Stop the send (playbook) done" in texts
    assert "step 5 Notify complete; now at 6 Monitor" in texts
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)

    # The postmortem, from the board (r, with closed incidents shown by o).
    await pilot.press("o", "r")
    await pilot.pause()
    (markdown,) = (store.path.parent / "reports").glob("*.md")
    written = markdown.read_text(encoding="utf-8")
    for line in (
        "- **Step reached:** Monitor",
        "- **Time to acknowledge:** 4m",
        "- **Time to contain:** 20m",
        "- **Time to notify:** 2h 00m",
        "- **Time to resolve:** 7d 02h",
        "Tasks tracked in the team board",
    ):
        assert line in written, line
