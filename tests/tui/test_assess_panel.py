"""The Assess panel, keyboard only: validation as typed, live decisions, save, severity, lock."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess import form as assess
from email_crisis.core.base.clock import frozen
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.board import BoardScreen
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.screens.forms import PromptForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.assess_panel import AssessPanel
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text


def _declared(store: Store, kind: str) -> int:
    return ops.declare(store, title=f"A {kind} incident", kind=kind, operator="x").id


async def _open_assess(pilot, app, incident_id: int) -> AssessPanel:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    app.screen.action_show_tab("assess")
    await pilot.pause()
    panel = app.screen.query_one(AssessPanel)
    app.screen.query_one("#field-affected_count").focus()
    await pilot.pause()
    return panel


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


async def test_fields_are_checked_as_typed_and_saved_with_f2(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _open_assess(pilot, app, incident_id)
        await pilot.press(*"12,5x0")
        await pilot.pause()
        assert "whole number" in _flat(app)
        assert panel.has_unsaved
        await pilot.press("backspace", "backspace", "0", "0")  # 12,500
        await pilot.pause()
        assert "whole number" not in _flat(app)
        assert "1 unsaved change" in _flat(app)
        await pilot.press("f2")
        await pilot.pause()
        saved = assess.load_assessment(store, store.get_incident(incident_id))
        assert saved.affected_count == 12500
        assert not panel.has_unsaved
        event = store.events(incident_id)[-1]
        assert (event.type, event.operator) == ("assessment_updated", "lea")
        assert "Saved (version 1)" in _flat(app)


async def test_exposed_personal_data_starts_the_clocks_live(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"email-addresses, names")
        app.screen.query_one("#field-regions").focus()
        await pilot.press(*"eu-eea")
        await pilot.pause()
        text = _flat(app)
        assert "GDPR" in text
        assert "not legal advice" in text
        await pilot.press("f2")
        await pilot.pause()
        assert "Deadlines:" in _flat(app)  # the header counts down once saved


async def test_f3_takes_the_suggested_severity(store: Store, make_app: AppFactory) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"credentials", "f2")
        await pilot.pause()
        assert "t (F3) takes it" in _flat(app)
        await pilot.press("f3")
        await pilot.pause()
        assert store.get_incident(incident_id).severity == "SEV1"
        assert store.events(incident_id)[-1].type == "severity_changed"


async def test_suppression_list_send_is_locked_until_overridden_with_a_reason(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "suppression-list-send")
    app = make_app(store, operator="noor")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        assert "DO NOT SEND" in _flat(app)
        incident = store.get_incident(incident_id)
        assert not apology_lock.gate(store, incident).allowed
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        await pilot.press(*"too short", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)  # refused: the reason is on the record
        await pilot.press("ctrl+u", *"Legal requires a correction notice to these people", "enter")
        await pilot.pause()
        assert apology_lock.gate(store, incident).allowed
        assert "ALLOWED WITH OVERRIDE" in _flat(app)
        assert store.events(incident_id)[-1].operator == "noor"


async def test_escape_with_unsaved_changes_asks_first(store: Store, make_app: AppFactory) -> None:
    incident_id = _declared(store, "malformed")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident_id)
        await pilot.press(*"300")
        await pilot.press("escape")  # stops editing: letters are commands again
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")  # leaving asks about the unsaved change
        await pilot.pause()
        assert isinstance(app.screen, KeyDialog)
        assert "the assessment (3 Assess)" in screen_text(app)
        await pilot.press("escape")  # neither: stay
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # leave and throw it away
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert assess.load_assessment(store, store.get_incident(incident_id)).version == 0


def _decisions(app) -> str:  # type: ignore[no-untyped-def]
    """The whole decisions column, scrolled or not."""
    return str(app.screen.query_one("#assess-decisions-text", Static).render())


async def test_counts_per_place_are_checked_read_back_and_used_per_jurisdiction(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        await pilot.press(*"600")  # subscribers affected
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"email, passwords")
        app.screen.query_one("#field-affected_by_place").focus()
        await pilot.press(*"CA 60 TX 10")
        await pilot.pause()
        assert "separate the places with commas" in _flat(app)
        await pilot.press("ctrl+u", *"CA 60, TX 10, EU 530")
        await pilot.pause()
        text = _flat(app)
        assert "= EU/EEA 530, California 60, Texas 10" in text
        decisions = _decisions(app)
        # Cal. Civ. Code § 1798.82(f): more than 500 *California* residents, not 600 in all.
        assert "CA AG (60 affected in California; from 501)" in decisions
        assert "Cal. Civ. Code § 1798.82(a)(1)" in decisions
        assert "checked only against secondary sources" in decisions
        assert "not legal advice" in decisions
        await pilot.press("f2")
        await pilot.pause()
        saved = assess.load_assessment(store, store.get_incident(incident_id))
        assert saved.affected_by_place == (("eu-eea", 530), ("US-CA", 60), ("US-TX", 10))
        assert saved.places_source == "typed"


async def test_a_clock_waiting_for_an_event_says_so_in_the_header_until_it_is_recorded(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "data-breach")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_assess(pilot, app, incident_id)
        app.screen.query_one("#field-data_exposed").focus()
        await pilot.press(*"credentials")
        app.screen.query_one("#field-regions").focus()
        await pilot.press(*"singapore", "f2")
        await pilot.pause()
        assert "PDPC, SG people: waiting for assessment" in _flat(app)  # the header
        assert "waiting for: the assessment that it must be reported" in _decisions(app)
        app.screen.query_one("#field-assessed_at").focus()
        await pilot.press(*"2026-11-27 09:30", "f2")
        await pilot.pause()
        assert "waiting for" not in _flat(app)
        assert "PDPC 72h 00m" in _flat(app)  # PDPA s 26D(1): 3 days from the assessment


def test_text_from_an_organisation_rules_file_cannot_drive_the_terminal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Labels, conditions and citations are data: shown literally, escapes made visible."""
    from datetime import datetime, timezone

    from email_crisis.core.assess.assessment import Assessment
    from email_crisis.core.assess.breach_rules import load_rules
    from email_crisis.core.assess.clocks import breach_clocks
    from email_crisis.tui.widgets.assess_decisions import clock_text

    org = tmp_path / "org.toml"
    org.write_text(
        """
[[obligation]]
id = "acme-dpo"
region = "eu-eea"
label = "DPO [bold]\\u001b[2J"
obligation = "Tell the DPO"
audience = "our DPO [link=x]"
window = { kind = "hours", amount = 4 }
condition = "Always \\u001b]0;owned\\u0007"
source = "Internal policy [red]7"
url = "https://example.org/policy"
last_reviewed = 2026-11-20
""",
        encoding="utf-8",
    )
    aware = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
    rules = load_rules(org=org)
    result = breach_clocks(
        Assessment(
            aware_at=aware, data_exposed=frozenset({"names"}), regions=frozenset({"eu-eea"})
        ),
        aware,
        rules,
    )
    (clock,) = [c for c in result.clocks if c.obligation.id == "acme-dpo"]
    text = clock_text(clock).plain
    assert "\x1b" not in text and "\x07" not in text
    assert "[link=x]" in text and "Internal policy [red]7" in text
    assert "from your organisation's rules file; not checked by email-crisis" in text


def _warnings(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications if "saved the assessment" in n.message]


async def test_saving_ten_times_in_a_row_never_says_someone_else_saved(
    store: Store, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        panel = await _open_assess(pilot, app, incident_id)
        for count in range(1, 11):
            await pilot.press("ctrl+a", "ctrl+k", *str(count * 100), "f2")
            await pilot.pause()
            assert not panel.has_unsaved
        saved = assess.load_assessment(store, store.get_incident(incident_id))
        assert (saved.version, saved.affected_count) == (10, 1000)
        assert _warnings(app) == []
        assert "Saved (version 10)" in _flat(app)


async def test_a_save_by_another_operator_is_reported_once_with_their_name(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident_id = _declared(store, "wrong-segment")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_assess(pilot, app, incident_id)
        await pilot.press(*"300", "f2")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"350")  # typed, not saved yet
        await pilot.pause()
        with Store.open(db_path, clock=frozen(FROZEN_NOW)) as other:
            incident = other.get_incident(incident_id)
            assess.update_assessment(other, incident, {"cause": "human-error"}, operator="marc")
        app.refresh_screens()  # as the live refresh does when another process writes
        await pilot.pause()
        app.refresh_screens()
        await pilot.pause()
        assert _warnings(app) == [
            "marc saved the assessment (version 2) since you loaded it; your unsaved edits "
            "are kept on screen."
        ]
        assert app.screen.query_one("#field-affected_count", Input).value == "350"


def test_every_header_status_from_core_has_a_style() -> None:
    """A broken organisation rules file must stand out in the header like an overdue clock."""
    from email_crisis.core.assess import clocks
    from email_crisis.tui.widgets.assess_decisions import HEADER_STYLE

    assert "red" in HEADER_STYLE[clocks.RULES_PROBLEM]
