"""The Contain panel, keyboard only: actions from the playbook, statuses, escalation, exit."""

from __future__ import annotations

from email_crisis.core.contain import actions as contain
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.contain_panel import ActionTable
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.tui.conftest import AppFactory, screen_text


def _owned(store: Store, kind: str) -> int:
    incident = ops.declare(store, title=f"A {kind} incident", kind=kind, operator="x")
    incident = ops.acknowledge(store, incident, operator="x")
    incident = ops.set_commander(store, incident, "priya", operator="x")
    assert incident.step == "contain"
    return incident.id


async def _open(pilot, app, incident_id: int) -> WorkspaceScreen:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen


async def _choose(pilot, app, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open the highlighted action's menu and pick the entry that starts with ``label``."""
    await pilot.press("enter")
    await pilot.pause()
    menu = app.screen
    assert isinstance(menu, ChoiceMenu)
    options = menu.query_one("OptionList")
    for index in range(options.option_count):
        if str(options.get_option_at_index(index).prompt).startswith(label):
            options.highlighted = index
            break
    else:
        raise AssertionError(f"no menu entry starts with {label!r}")
    await pilot.press("enter")
    await pilot.pause()


async def test_opens_on_the_contain_step_with_the_playbook_actions(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _owned(store, "wrong-segment")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        await pilot.pause()
        actions = contain.list_actions(store, incident_id)
        assert actions, "the first look creates the playbook's actions"
        table = app.screen.query_one(ActionTable)
        assert table.row_count == len(actions)
        assert table.has_focus
        text = screen_text(app)
        assert "Not contained yet" in text
        assert "enter Act" in text and "e Escalate" in text


async def test_marking_the_harm_stopped_contains_and_moves_on(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _owned(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        actions = contain.list_actions(store, incident_id)
        stopper = next(a for a in actions if a.stops_harm)
        app.screen.query_one(ActionTable).move_cursor(row=actions.index(stopper))
        await _choose(pilot, app, "Start")
        assert contain.get_action(store, stopper.id).status == "in-progress"
        await _choose(pilot, app, "Mark done")
        incident = store.get_incident(incident_id)
        assert contain.get_action(store, stopper.id).status == "done"
        assert incident.contained_at is not None
        assert incident.step == "assess"  # nothing else required for this kind
        assert any(e.type == "contained" and e.operator == "lea" for e in store.events(incident_id))


async def test_a_breach_stays_in_contain_until_security_is_told(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _owned(store, "data-breach")
    app = make_app(store, operator="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        actions = contain.list_actions(store, incident_id)
        stopper = next(a for a in actions if a.stops_harm)
        app.screen.query_one(ActionTable).move_cursor(row=actions.index(stopper))
        await _choose(pilot, app, "Done by hand")
        assert isinstance(app.screen, PromptForm)
        await pilot.press(*"closed the bucket in the console", "enter")
        await pilot.pause()
        incident = store.get_incident(incident_id)
        assert incident.contained_at is not None
        assert incident.step == "contain"
        assert "Still needed to leave Contain: Security has not been told yet" in " ".join(
            screen_text(app).split()
        )
        # Escalate to security: role list first, then whom and how.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # open the role list
        await pilot.press("down", "down", "enter")  # marketing (selected), it, security
        await pilot.press("tab", *"Ana (security on-call), phone", "f2")
        await pilot.pause()
        (escalation,) = contain.list_escalations(store, incident_id)
        assert escalation.to == "security"
        assert store.get_incident(incident_id).step == "assess"


async def test_skip_needs_a_reason_and_notes_are_kept(store: Store, make_app: AppFactory) -> None:
    incident_id = _owned(store, "wrong-content")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        first = contain.list_actions(store, incident_id)[0]
        await _choose(pilot, app, "Skip")
        await pilot.press("enter")  # empty reason
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert contain.get_action(store, first.id).status == "todo"
        await pilot.press(*"campaign had already finished", "enter")
        await pilot.pause()
        skipped = contain.get_action(store, first.id)
        assert (skipped.status, skipped.reason) == ("skipped", "campaign had already finished")
        await _choose(pilot, app, "Add a note")
        await pilot.press(*"checked with the ESP", "enter")
        await pilot.pause()
        assert [n.body for n in contain.get_action(store, first.id).notes] == [
            "checked with the ESP"
        ]
        assert "checked with the ESP" in screen_text(app)


async def test_add_a_custom_action(store: Store, make_app: AppFactory) -> None:
    incident_id = _owned(store, "malformed")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        before = len(contain.list_actions(store, incident_id))
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("tab", *"Tell the support desk what to answer", "f2")
        await pilot.pause()
        assert "Give the new action an owner" in screen_text(app)  # nothing saved yet
        assert len(contain.list_actions(store, incident_id)) == before
        await pilot.press("shift+tab", "enter", "down", "enter", "f2")  # role: Marketing
        await pilot.pause()
        actions = contain.list_actions(store, incident_id)
        assert len(actions) == before + 1
        assert any(
            a.custom and a.title.startswith("Tell the support desk") and a.owner_role == "marketing"
            for a in actions
        )
        assert app.screen.query_one(ActionTable).row_count == before + 1


async def test_an_action_title_with_markup_opens_its_menu_literally(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _owned(store, "other")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        incident = store.get_incident(incident_id)
        contain.add_custom_action(
            store, incident, title="Fix [red the [b]x[/b]", role="it", operator="x"
        )
        app.screen.refresh_data()
        await pilot.pause()
        actions = contain.list_actions(store, incident_id)
        app.screen.query_one(ActionTable).move_cursor(row=len(actions) - 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceMenu)
        assert "Fix [red the [b]x[/b]" in screen_text(app)


# An ESP's answer pasted as it came: SES's reply to a wrongly signed request, as quoted in
# nodemailer/nodemailer-ses-transport#10 (the canonical-request part shortened).
PASTED_ERROR = (
    "SignatureDoesNotMatch: The request signature we calculated does not match the "
    "signature you provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details. The Canonical String for this request should "
    "have been 'POST / host:email.us-east-1.amazonaws.com x-amz-content-sha256:ac34d97cb3"
    "6664b163c98008c85430ff8515a01484440098acdb3c1155aed997 x-amz-date:20150716T094548Z' "
    "The String-to-Sign should have been 'AWS4-HMAC-SHA256 20150716T094548Z 20150716/"
    "us-east-1/ses/aws4_request 7edd663040d569449ffe8588caa6365ca83caefa8554c0d5bba79481cb"
    "3aa669'"
)


async def test_a_long_pasted_error_is_cut_in_the_pane_and_space_reads_it_whole(
    store: Store, make_app: AppFactory
) -> None:
    """Issue 11, item 6: the pane under the actions has six lines at 80x24; a pasted
    error is longer. The pane says so, ``space`` shows every word, ``enter`` there opens
    the action's menu."""
    from textual import events

    incident_id = _owned(store, "wrong-content")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident_id)
        first = contain.list_actions(store, incident_id)[0]
        await _choose(pilot, app, "Mark failed")
        assert isinstance(app.screen, PromptForm)
        app.screen.focused.post_message(events.Paste(PASTED_ERROR))  # type: ignore[union-attr]
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        failed = contain.get_action(store, first.id)
        assert (failed.status, failed.reason) == ("failed", PASTED_ERROR)
        shown = " ".join(screen_text(app).split())
        assert "Error: SignatureDoesNotMatch" in shown and "space: read it all" in shown
        assert "7edd663040d5" not in "".join(shown.split())  # its end is past the pane
        await pilot.press("space")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadDialog"
        inside = [
            line.split("│")[1] for line in screen_text(app).splitlines() if line.count("│") >= 2
        ]
        # Long hex runs wrap mid-word: compare without the spaces.
        assert f"Error: {PASTED_ERROR}".replace(" ", "") in "".join("".join(inside).split())
        assert f"Action 1 of {len(contain.list_actions(store, incident_id))}" in screen_text(app)
        await pilot.press("enter")  # what to do with it: the action's menu
        await pilot.pause()
        assert isinstance(app.screen, ChoiceMenu)
