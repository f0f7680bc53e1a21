"""The Notify panel, keyboard only: live checking, jump, fix, preview, versions, export, sent."""

from __future__ import annotations

import email
import email.policy
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base.clock import frozen
from email_crisis.core.base.domain import Incident
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import BRAND_ENV
from email_crisis.core.own import incidents as ops
from email_crisis.core.store import working
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.screens.notify_preview import NotifyPreview, html_to_text
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.findings_list import FindingsTable
from email_crisis.tui.widgets.incident_table import IncidentTable
from email_crisis.tui.widgets.notify_editor import NotifyEditor, Underline, underlines_for
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text
from tests.tui.conftest import notify_checked as _checked

GOOD_BODY = (
    "Hello,\n\nYesterday we sent you an email meant for another group of customers.\n\n"
    "We are sorry. The mistake was ours.\n\nYou do not need to do anything.\n\n"
    "If you have a question, reply to this email: a person reads every reply.\n"
)


def _incident(store: Store, kind: str = "wrong-segment") -> Incident:
    incident = ops.declare(store, title=f"A {kind} incident", kind=kind, operator="x")
    incident = ops.acknowledge(store, incident, operator="x")
    return ops.set_commander(store, incident, "priya", operator="x")


async def _open(pilot, app, incident_id: int) -> NotifyPanel:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    await pilot.press("5")
    await pilot.pause()
    panel = app.screen.query_one(NotifyPanel)
    assert panel.has_focus  # command mode: no field has the focus, the cursor is on the body
    await pilot.press("i")  # edit the body: the cursor goes to its end (the one rule)
    await pilot.pause()
    assert panel.editor.cursor_location == panel.editor.document.end
    panel.editor.move_cursor((0, 0))  # the tests below type at the top of the body
    return panel


def _messages(app) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(n.message for n in app._notifications)


@pytest.fixture
def shop_brand(monkeypatch: pytest.MonkeyPatch) -> None:
    """An organisation's brand (the shipped example brand cannot be exported)."""
    monkeypatch.setenv(BRAND_ENV, str(Path(__file__).parents[1] / "data" / "shop_brand.toml"))


def _flat(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(screen_text(app).split())


async def _set_body(pilot, panel: NotifyPanel, text: str) -> None:  # type: ignore[no-untyped-def]
    panel.editor.load_text(text)
    await _checked(pilot, panel)


# -- pure helpers ------------------------------------------------------------------------


def test_underlines_split_multi_line_spans_and_mark_empty_ones() -> None:
    from email_crisis.core.notify.lint import Finding, Severity

    def finding(line: int, col: int, end_line: int, end_col: int) -> Finding:
        return Finding("humor", Severity.WARNING, "body", 0, 0, line, col, end_line, end_col, "m")

    lines = ["oops here", "and there", ""]
    assert underlines_for([finding(1, 1, 1, 5)], lines) == (Underline(0, 0, 4, "warning", "humor"),)
    assert underlines_for([finding(1, 6, 2, 4)], lines) == (
        Underline(0, 5, 9, "warning", "humor"),
        Underline(1, 0, 3, "warning", "humor"),
    )
    assert underlines_for([finding(2, 2, 2, 2)], lines) == (Underline(1, 1, 2, "warning", "humor"),)
    assert underlines_for([finding(3, 1, 3, 1)], lines) == ()  # nothing to underline there
    subject = Finding("humor", Severity.WARNING, "subject", 0, 4, 1, 1, 1, 5, "m")
    assert underlines_for([subject], lines) == ()


def test_a_fix_keeps_a_capital_at_the_start() -> None:
    from email_crisis.tui.screens.notify_fixes import match_case

    assert match_case("Sorry if", "sorry that") == "Sorry that"
    assert match_case("sorry if", "sorry that") == "sorry that"
    assert match_case("Oops", "") == ""


def test_html_is_shown_as_readable_text() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        '<div style="display:none">hidden preheader</div>'
        '<p>Hello,</p><p>Read <a href="https://x.example/a">our page</a>.</p>'
        "<ul><li>one</li><li>two</li></ul></body></html>"
    )
    text = html_to_text(html)
    assert "hidden" not in text and "T" not in text.split()
    assert text == "Hello,\n\nRead our page (https://x.example/a).\n\n- one\n- two"


# -- the editor --------------------------------------------------------------------------


async def test_the_starting_draft_appears_with_the_body_under_the_cursor(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)  # i: editing the body, cursor at the end
        panel = app.screen.query_one(NotifyPanel)
        await _checked(pilot, panel)
        assert panel.base is not None and panel.base.version == 0
        assert "We are sorry" in panel.editor.text
        assert panel.editor.has_focus and panel.editor.has_class("-cursor")
        assert panel.query_one("#field-from_address").value == notify.load_brand().from_address
        assert panel.findings == []
        text = _flat(app)
        assert "new draft, not saved" in text and "Findings: 0 errors" in text
        assert "f2 Save" in text and "f5 Export" in text


async def test_typing_a_joke_is_underlined_as_a_humor_finding(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press(*"oops ")
        await _checked(pilot, panel)
        humor = [f for f in panel.findings if f.rule == "humor"]
        assert humor and humor[0].field == "body"
        assert Underline(0, 0, 4, "warning", "humor") in panel.editor.underlines
        assert "humor" in _flat(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await _checked(pilot, panel)
        assert panel.editor.underlines == ()


async def test_enter_on_a_finding_moves_the_cursor_to_it(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press("down", "down", *"lol ")
        await _checked(pilot, panel)
        (finding,) = panel.findings
        assert (finding.rule, finding.line, finding.column) == ("humor", 3, 1)
        await pilot.press("tab")  # editing: tab goes on to the next field, still editing
        assert not panel.table.has_focus
        await pilot.press("escape", "tab")  # command mode: tab reaches the findings
        assert panel.table.has_focus
        await pilot.press("enter")
        await pilot.pause()
        editor = panel.editor
        assert editor.has_focus
        assert editor.cursor_location == (2, 0)
        assert editor.selected_text == "lol"


async def test_the_fix_key_applies_the_suggestion_in_the_body_and_a_header_field(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press(*"our bad ", "left")
        await _checked(pilot, panel)
        bad = next(f for f in panel.findings if f.rule == "humor")
        assert bad.suggestion
        await pilot.press("f4")  # the cursor sits at the end of the span
        await _checked(pilot, panel)
        assert panel.editor.text.startswith(bad.suggestion + " Hello,")
        assert not [f for f in panel.findings if f.rule == "humor"]
        subject = panel.query_one("#field-subject")
        subject.value = "Update"
        await _checked(pilot, panel)
        unclear = next(f for f in panel.findings if f.rule == "subject-unclear")
        assert unclear.suggestion
        panel.table.move_cursor(row=panel.findings.index(unclear))
        panel.table.focus()
        await pilot.press("f4")
        await _checked(pilot, panel)
        assert subject.value == unclear.suggestion


async def test_a_no_reply_sender_is_marked_by_its_field(store: Store, make_app: AppFactory) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press(*["shift+tab"] * 4)  # body -> Preheader, Subject, Reply-To, From
        assert panel.query_one("#field-from_address").has_focus
        await pilot.press("ctrl+u", *"noreply@x.fr")
        await _checked(pilot, panel)
        sender = [f for f in panel.findings if f.rule == "no-reply-sender"]
        assert sender and sender[0].field == "from"
        text = _flat(app)
        assert "! From" in text  # the marker by the field, not a colour
        assert "! From: " in text  # and the message under it


# -- versions ----------------------------------------------------------------------------


async def test_f2_saves_version_1_then_2_and_f6_brings_one_back(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press("f2")
        await pilot.pause()
        first = notify.latest_draft(store, incident.id)
        assert first is not None and (first.version, first.operator) == (1, "lea")
        assert not panel.has_unsaved
        await pilot.press(*"Dear all, ")
        await _checked(pilot, panel)
        assert panel.has_unsaved and "UNSAVED" in _flat(app)
        await pilot.press("f2")
        await pilot.pause()
        assert [d.version for d in notify.draft_versions(store, incident.id)] == [1, 2]
        assert notify.draft(store, incident.id, 2).body.startswith("Dear all, Hello,")
        assert "v2 " in _flat(app)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceMenu)
        await pilot.press("down", "enter")  # newest first: v2, then v1
        await pilot.pause()
        assert panel.editor.text.startswith("Hello,")
        assert panel.has_unsaved and panel.base is not None and panel.base.version == 2


async def test_a_stale_save_is_reported_and_keeps_the_text(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store, operator="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press(*"Mine ")
        other = Store.open(db_path, clock=frozen(FROZEN_NOW))
        try:
            notify.save_draft(other, incident, {"subject": "Theirs"}, "lea", base_version=0)
        finally:
            other.close()
        app.refresh_screens()  # the poll noticed: the edits stay, a warning says why
        await _checked(pilot, panel)
        assert "lea saved version 1 while you were editing" in _messages(app)
        assert panel.editor.text.startswith("Mine Hello,")
        await pilot.press("f2")
        await pilot.pause()
        assert "saved version 1 of this apology while you were editing" in _messages(app)
        assert panel.editor.text.startswith("Mine Hello,")
        assert notify.latest_draft(store, incident.id).subject == "Theirs"  # type: ignore[union-attr]
        await pilot.press("f2")  # told: F2 again saves on top of theirs
        await pilot.pause()
        latest = notify.latest_draft(store, incident.id)
        assert latest is not None and latest.version == 2 and latest.body.startswith("Mine")
        assert [d.operator for d in notify.draft_versions(store, incident.id)] == ["lea", "sam"]


# -- preview -----------------------------------------------------------------------------


async def test_preview_renders_for_the_sample_recipient_and_reports_missing_fields(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(100, 60)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(pilot, panel, "Hello {{ first_name }},\n\nOrder {{ order_id }}.\n")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, NotifyPreview)
        text = _flat(app)
        assert "alex.martin@example.com" in text
        assert "'order_id' has no value" in text
        assert "Hello Alex," in text
        assert "approximation" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_preview_uses_the_first_address_of_the_audience(
    store: Store, tmp_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    listed = tmp_path / "affected.csv"
    listed.write_text("email\nzoe@example.org\nadam@example.org\n", encoding="utf-8")
    audience.import_list(store, incident, listed, role="affected", operator="x")
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("f3")
        await pilot.pause()
        text = _flat(app)
        assert "To: adam@example.org" in text
        assert "first address of the incident's audience" in text
        assert "Renders cleanly" in text


async def test_another_operators_version_replaces_an_unchanged_editor(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        other = Store.open(db_path, clock=frozen(FROZEN_NOW))
        try:
            notify.save_draft(other, incident, {"subject": "Theirs"}, "lea", base_version=0)
        finally:
            other.close()
        app.refresh_screens()  # what the poll does when another process writes
        await _checked(pilot, panel)
        assert panel.base is not None and panel.base.version == 1
        assert panel.header.field("subject").value == "Theirs"
        assert not panel.has_unsaved


async def test_f10_walks_the_findings_and_f7_explains_the_single_template(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(pilot, panel, "Hello,\n\nOops, we may have sent it twice. lol\n")
        assert [f.field for f in panel.findings[:2]] == ["body", "body"]
        await pilot.press("f10")  # the first finding at or after the cursor (0, 0)
        await pilot.pause()
        assert panel.table.highlighted() == panel.findings[0]
        await pilot.press("f10")
        await pilot.pause()
        second = panel.findings[1]
        assert panel.table.highlighted() == second
        assert panel.editor.cursor_location == (second.line - 1, second.column - 1)
        await pilot.press("f7")
        await pilot.pause()
        assert "only brand template" in _messages(app)
        assert panel.template == "default"


# -- export ------------------------------------------------------------------------------


def _exports(db_path: Path) -> Path:
    return db_path.parent / "exports"


async def test_export_with_errors_needs_a_written_reason_which_is_recorded(
    shop_brand: None, store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(pilot, panel, "Hello,\n\nWe sent the wrong email yesterday.\n")
        assert any(f.rule == "no-apology" for f in panel.findings)
        await pilot.press("f5")
        await pilot.pause()
        assert "Save first" in _messages(app)
        await pilot.press("f2", "f5")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "no-apology" in _flat(app)
        await pilot.press(*"ok", "enter")  # too short: the core refuses, the form says why
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "full sentence" in _flat(app)
        assert notify.exports(store, incident.id) == []
        await pilot.press("escape")
        await pilot.pause()
        assert not _exports(db_path).exists() or not any(_exports(db_path).iterdir())
        reason = "Legal approved this exact wording at 10:00 today"
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#prompt", Input).value = reason  # typed: see "ok" above
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        (record,) = notify.exports(store, incident.id)
        assert record.override_reason == reason
        assert (_exports(db_path) / record.file_name).exists()
        override, exported = store.events(incident.id)[-2:]
        assert (override.type, override.operator) == ("notify_export_override", "lea")
        assert override.details["reason"] == reason
        assert "no-apology" in override.details["rules"]
        assert (exported.type, exported.details["overridden"]) == ("apology_exported", True)


async def test_a_clean_export_writes_the_eml_and_the_audience_beside_it(
    shop_brand: None, store: Store, db_path: Path, tmp_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    listed = tmp_path / "affected.csv"
    listed.write_text("email\nb@example.org\na@example.org\n", encoding="utf-8")
    audience.import_list(store, incident, listed, role="affected", operator="x")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(pilot, panel, GOOD_BODY)
        assert not [f for f in panel.findings if f.severity.value == "error"]
        await pilot.press("f2", "f5")
        await pilot.pause()
        eml = _exports(db_path) / f"incident-{incident.id}-apology-v1.eml"
        csv = _exports(db_path) / f"incident-{incident.id}-apology-v1-audience.csv"
        assert eml.exists() and csv.exists(), _messages(app)
        for path in (eml, csv):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert csv.read_text(encoding="utf-8") == "email\na@example.org\nb@example.org\n"
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert message["Subject"] == panel.query_one("#field-subject").value
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/alternative"
        assert "We are sorry" in message.get_body(preferencelist=("plain",)).get_content()
        (record,) = notify.exports(store, incident.id)
        assert (record.audience_file, record.audience_count, record.override_reason) == (
            csv.name,
            2,
            None,
        )
        assert str(eml) in _messages(app) and str(csv) in _messages(app)


async def test_an_export_refusal_is_shown_plainly_and_writes_nothing(
    shop_brand: None, store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        panel.header.field("from").value = "noreply@example.com"
        await _set_body(pilot, panel, GOOD_BODY)
        await pilot.press("f2", "f5")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)  # no-reply-sender is an error
        app.screen.query_one("#prompt", Input).value = "Approved by legal this morning"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        assert "no-reply address" in _flat(app)
        assert notify.exports(store, incident.id) == []
        assert not _exports(db_path).exists() or not any(_exports(db_path).iterdir())


async def test_a_lifted_lock_opens_the_editor_without_the_lock_error(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store, "suppression-list-send")
    apology_lock.override_lock(
        store, incident, "Legal asked us to confirm the removal to each person", operator="x"
    )
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _checked(pilot, panel)
        assert panel.base is not None and "We are sorry" in panel.editor.text
        assert not [f for f in panel.findings if f.rule == "apology-not-allowed"]
        assert "No apology is to be sent" not in _flat(app)


async def test_a_suppression_list_send_gets_no_apology_and_no_export(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store, "suppression-list-send")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        text = _flat(app)
        assert "No apology is to be sent for this incident" in text
        assert "press o (F4)" in text and "Assess" in text
        assert "press d to record the decision not to send one" in text
        assert "Export" not in text and "Save" not in text
        assert panel.query_one("#notify-work").display is False
        assert not panel.editor.focusable
        await pilot.press("f5", "f2")
        await pilot.pause()
        assert notify.exports(store, incident.id) == []
        assert notify.latest_draft(store, incident.id) is None
        assert not _exports(db_path).exists()


async def test_mark_sent_asks_then_sets_notified_at(store: Store, make_app: AppFactory) -> None:
    incident = _incident(store)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, incident.id)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceMenu)
        await pilot.press("down", "enter")  # "No, not yet"
        await pilot.pause()
        assert store.get_incident(incident.id).notified_at is None
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")  # "Yes"
        await pilot.pause()
        assert store.get_incident(incident.id).notified_at == FROZEN_NOW
        assert store.events(incident.id)[-1].type == "apology_sent"
        assert "SENT" in _flat(app)


async def test_f8_restarts_an_untouched_draft_in_french(store: Store, make_app: AppFactory) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press("f8")
        await _checked(pilot, panel)
        assert panel.language == "fr"
        assert "désolés" in panel.editor.text
        assert "French (g)" in _flat(app)


async def test_leaving_with_unsaved_changes_asks_once(store: Store, make_app: AppFactory) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await pilot.press(*"Dear all ")
        await _checked(pilot, panel)
        assert panel.has_unsaved
        await pilot.press("escape")  # stops editing: digits switch tabs again
        await pilot.pause()
        assert not panel.editor.has_focus
        await pilot.press("escape")  # leaving asks
        await pilot.pause()
        assert isinstance(app.screen, KeyDialog)
        assert "the apology (5 Notify)" in _flat(app)
        await pilot.press("k")  # leave, keeping it as a working copy
        await pilot.pause()
        assert not isinstance(app.screen, WorkspaceScreen)
        copy = working.find(store, incident.id, operator="sam", slot="notify.draft")
        assert copy is not None and copy.fields["body"].startswith("Dear all Hello,")


async def test_the_shipped_example_brand_is_refused_with_the_reason(
    store: Store, db_path: Path, make_app: AppFactory
) -> None:
    incident = _incident(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(pilot, panel, GOOD_BODY)
        await pilot.press("f2", "f5")
        await pilot.pause()
        said = _messages(app)
        assert "still the shipped example" in said and "1 Example Street" in said
        assert "unsubscribe_token" in said  # the one-click URL cannot be made either
        assert notify.exports(store, incident.id) == []


# -- snapshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_notify_panel_snapshot(snap_compare, store: Store, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    incident = _incident(store)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        panel = await _open(pilot, pilot.app, incident.id)
        await pilot.press(*"oops ")
        await _checked(pilot, panel)
        panel.query_one(NotifyEditor).cursor_blink = False
        assert isinstance(panel.query_one(FindingsTable), FindingsTable)

    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


# -- issue 12: the same engine, live ------------------------------------------------------


async def test_the_advice_asked_of_a_breach_notice_follows_the_assessed_data(
    store: Store, make_app: AppFactory
) -> None:
    """The assessment says card data was exposed: a notice that only asks for a new
    password is told to add bank-statement and fraud advice, in the panel, as typed."""
    from dataclasses import replace

    from email_crisis.core.assess import store as assessments

    incident = _incident(store, "data-breach")
    assessed = assessments.load_assessment(store, incident)
    assessments.save_assessment(
        store,
        incident,
        replace(assessed, data_exposed=frozenset({"payment-data", "email-addresses"})),
        operator="x",
        details={"data_exposed": "payment-data, email-addresses"},
    )
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(
            pilot,
            panel,
            "Hello,\n\nWe are sorry: on Monday an attacker copied your card number and email "
            "address from our shop.\n\nPlease change your password.\n\nReply to this email.\n",
        )
        (advice,) = [f for f in panel.findings if f.rule == "missing-action-steps"]
        assert advice.severity.value == "warning"
        assert "statements" in advice.message and "phishing" in advice.message
        await _set_body(
            pilot,
            panel,
            "Hello,\n\nWe are sorry: on Monday an attacker copied your card number and email "
            "address from our shop.\n\nWatch your bank statements and report any payment you "
            "did not make; be wary of phishing emails.\n\nReply to this email.\n",
        )
        assert [f for f in panel.findings if f.rule == "missing-action-steps"] == []


async def test_a_quoted_broken_greeting_is_flagged_and_shown_literally_in_the_preview(
    store: Store, make_app: AppFactory
) -> None:
    incident = _incident(store, "broken-personalization")
    app = make_app(store)
    async with app.run_test(size=(100, 60)) as pilot:
        panel = await _open(pilot, app, incident.id)
        await _set_body(
            pilot,
            panel,
            'Hello,\n\nWe are sorry: yesterday\'s email began "Dear {{ first_name }}" because '
            "your name was missing.\n\nReply to this email.\n",
        )
        assert "quoted-merge-tag" in [f.rule for f in panel.findings]
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, NotifyPreview)
        text = _flat(app)
        assert 'began "Dear {{ first_name }}" because' in text
        assert "Dear Alex" not in text
