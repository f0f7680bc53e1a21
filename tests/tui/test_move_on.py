"""Moving on when a criterion does not apply (issue 11, item 1), in the console.

``>`` moves on from the current step by hand with a written reason; the decision not to
apologise (``d`` on Notify, for a send to a suppression list) completes step 5. Both go
through core, so the step after each is the rules' answer, not a test helper's.
"""

from __future__ import annotations

from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.core import journey
from tests.tui.conftest import AppFactory, screen_text


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


async def _open(pilot, app, incident_id: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)


async def test_moving_on_from_contain_by_hand_needs_a_reason_and_sets_the_clock(
    store: Store, make_app: AppFactory
) -> None:
    incident = journey.owned(store, "wrong-segment")
    app = make_app(store, operator="priya")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        text = _flat(app)
        assert "Move on from step 2 Contain by hand" in text
        assert "Missing: the harm is not marked stopped yet" in text
        await pilot.press(*"done", "f2")  # too short for the record
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "at least 10 characters" in _flat(app)
        assert store.get_incident(incident.id).step == "contain"
        await pilot.press(*" in the ESP console at 09:20", "f2")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    moved = store.get_incident(incident.id)
    assert (moved.step, moved.contained_at) == ("assess", FROZEN_NOW)
    (event,) = [e for e in store.events(incident.id) if e.type == "step_advanced"][-1:]
    assert event.details["by"] == "hand"
    assert event.details["reason"] == "done in the ESP console at 09:20"


async def test_no_apology_after_a_suppression_list_send_completes_notify(
    store: Store, make_app: AppFactory
) -> None:
    incident = journey.planned(store, journey.at_plan(store, "suppression-list-send"))
    assert incident.step == "notify"
    app = make_app(store, operator="priya")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("5")
        await pilot.pause()
        assert "press d to record the decision not to send one" in _flat(app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        await pilot.press(*"Mailing these people again would make it worse", "f2")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert "6 Monitor:" in _flat(app)
    done = store.get_incident(incident.id)
    assert (done.step, done.notified_at) == ("monitor", None)  # time to notify: never
    assert [e.type for e in store.events(incident.id)][-2:] == ["apology_declined", "step_advanced"]
