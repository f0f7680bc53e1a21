"""The findings table shows the highlighted finding in full (issue 11, item 6).

At 80x24 the Notify panel's findings table cuts each message to a few words; the
details line below it shows the highlighted finding's severity, rule, place and whole
message, and follows the cursor as the operator moves through the list.
"""

from __future__ import annotations

from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.app import EmailCrisisApp
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets.findings_list import where
from email_crisis.tui.widgets.notify_panel import NotifyPanel
from tests.tui.conftest import AppFactory, screen_text
from tests.tui.conftest import notify_checked as _checked

TYPED = " Oops, lol. We apologize for any inconvenience."
OOPS = '"Oops" sounds like a joke; an apology reads best plain and serious.'
LOL = '"lol" sounds like a joke; an apology reads best plain and serious.'
CONDITIONAL = (
    '"apologize for any" is a conditional apology, which reads as no apology; '
    "say plainly that you are sorry."
)


def _flat(app: EmailCrisisApp) -> str:
    return " ".join(screen_text(app).split())


async def test_the_details_line_shows_the_highlighted_finding_in_full_and_follows_the_cursor(
    store: Store, make_app: AppFactory
) -> None:
    ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("5", "i", *TYPED)  # typed at the end of the body
        panel = app.screen.query_one(NotifyPanel)
        await _checked(pilot, panel)
        assert [f.rule for f in panel.findings] == ["humor", "humor", "no-apology"]
        await pilot.press("escape", "tab")  # command mode: tab reaches the findings
        await pilot.pause()
        assert panel.table.has_focus
        text = _flat(app)
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if line.lstrip()[:1].isdigit() and "body 13:" in line]
        assert len(rows) == 3 and all(OOPS not in row for row in rows)  # the table cuts them
        assert f"warning humor (body 13:2): {OOPS}" in text
        assert LOL not in text
        await pilot.press("down")
        await pilot.pause()
        text = _flat(app)
        assert f"warning humor (body 13:8): {LOL}" in text and OOPS not in text
        await pilot.press("down")
        await pilot.pause()
        text = _flat(app)
        assert f"info no-apology (body 13:16): {CONDITIONAL}" in text
        assert LOL not in text
        await pilot.press("up", "up")
        await pilot.pause()
        assert OOPS in _flat(app) and CONDITIONAL not in _flat(app)


# -- long findings at 80x24 ---------------------------------------------------------------

BREACH_BODY = (
    "Hello,\n\nWe are sorry: on Monday an attacker copied your password, your card number "
    "and your email address from our shop.\n\nReply to this email.\n"
)
NEW_SUBJECT = "Notice of a data breach affecting your account"


def _boxed(app: EmailCrisisApp) -> str:
    """The words inside the dialog's frame, one space between them."""
    inside = [line.split("│")[1] for line in screen_text(app).splitlines() if line.count("│") >= 2]
    return " ".join(" ".join(inside).split())


def _breach(store: Store) -> int:
    """A breach whose assessment says which data went: the checker's advice names each."""
    from dataclasses import replace

    from email_crisis.core.assess import store as assessments

    incident = ops.declare(store, title="Shop database copied", kind="data-breach", operator="x")
    assessed = assessments.load_assessment(store, incident)
    assessments.save_assessment(
        store,
        incident,
        replace(
            assessed,
            data_exposed=frozenset({"credentials", "payment-data", "email-addresses", "names"}),
        ),
        operator="x",
        details={"data_exposed": "credentials, payment-data, email-addresses, names"},
    )
    return incident.id


async def _breach_notice(pilot) -> NotifyPanel:  # type: ignore[no-untyped-def]
    """From the board: the breach's Notify tab, its body a notice with no advice, checked."""
    await pilot.pause()
    await pilot.press("enter", "5")
    await pilot.pause()
    panel = pilot.app.screen.query_one(NotifyPanel)
    panel.editor.load_text(BREACH_BODY)
    await _checked(pilot, panel)
    return panel


async def test_at_80x24_the_list_opens_over_the_editor_and_shows_a_long_finding_with_its_fix(
    store: Store, make_app: AppFactory
) -> None:
    """A subject-unclear finding is four lines with its "F4 replaces it with" line: too
    long for the two lines under the editor, whole once the list has the focus."""
    _breach(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _breach_notice(pilot)
        await pilot.press("up", "up", "enter", "ctrl+u", *"Account update", "escape")
        await _checked(pilot, panel)
        unclear = next(f for f in panel.findings if f.rule == "subject-unclear")
        assert unclear.suggestion == NEW_SUBJECT
        await pilot.press("tab")  # command mode: tab reaches the findings list
        await pilot.pause()
        assert panel.table.has_focus and not panel.editor.display  # the list took its place
        row = [f.rule for f in panel.findings].index("subject-unclear")
        await pilot.press(*["down"] * row)
        await pilot.pause()
        text = _flat(app)
        assert f"warning subject-unclear (Subject): {unclear.message}" in text
        assert f"F4 replaces it with: {NEW_SUBJECT}" in text
        assert "space: read it all" not in text
        await pilot.press("f")  # the fix acts on the highlighted finding
        await _checked(pilot, panel)
        assert panel.query_one("#field-subject").value == NEW_SUBJECT
        await pilot.press("shift+tab")  # leaving the list gives the editor back
        await pilot.pause()
        assert panel.editor.display and not panel.table.has_focus


async def test_a_finding_longer_than_the_pane_says_so_and_space_shows_it_whole(
    store: Store, make_app: AppFactory
) -> None:
    """The advice for four kinds of exposed data is about 600 characters; the pane shows
    what fits and says ``space`` reads it all; the dialog shows every word, and its
    ``enter`` jumps to the finding in the draft."""
    _breach(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _breach_notice(pilot)
        advice = next(f for f in panel.findings if f.rule == "missing-action-steps")
        assert len(advice.message) > 500
        row = [f.rule for f in panel.findings].index("missing-action-steps")
        assert row == 0 and "space: read it all" not in _flat(app)  # space acts in the list
        await pilot.press("tab")
        await pilot.pause()
        text = _flat(app)
        head = f"{advice.severity.value} missing-action-steps ({where(advice)}): "
        assert head + advice.message[:40] in text and "space: read it all" in text
        assert advice.message not in text
        await pilot.press("space")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReadDialog"
        text = _boxed(app)
        assert advice.message in text and "Jump to it in the draft" in text
        assert "esc Close" in text
        assert "space: read it all" not in text  # the dialog holds every word
        assert f"Finding {row + 1} of {len(panel.findings)}" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        # Editing, at the finding: the subject's "change your password" is the anchor.
        assert advice.field == "subject" and panel.editor.display
        assert app.focused is panel.query_one("#field-subject")


async def test_space_with_no_finding_says_so(store: Store, make_app: AppFactory) -> None:
    ops.declare(store, title="Wrong list", kind="wrong-segment", operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "5")
        await pilot.pause()
        panel = app.screen.query_one(NotifyPanel)
        await _checked(pilot, panel)
        assert panel.findings == []
        await pilot.press("tab")
        await pilot.pause()
        assert panel.table.has_focus
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert "No finding: the checker is happy." in _flat(app)


# -- the cut ------------------------------------------------------------------------------


def test_fit_rows_keeps_text_that_fits_and_says_where_it_cut() -> None:
    from rich.console import Console
    from rich.text import Text

    from email_crisis.tui.render import MORE, fit_rows

    console = Console(width=200)
    short = Text("warning humor (body 1:1): a short message")
    assert fit_rows(short, 40, 2, console) is short
    words = Text(" ".join(f"word{n}" for n in range(60)), style="yellow")
    cut = fit_rows(words, 30, 3, console)
    lines = cut.plain.split("\n")
    assert len(lines) == 3 and lines[-1].endswith(MORE)
    assert all(len(line) <= 30 for line in lines)
    assert lines[0] == words.wrap(console, 30)[0].plain.rstrip()
    assert cut.spans[0].style == "yellow"  # the words keep their colour


# -- snapshots ----------------------------------------------------------------------------


def test_findings_list_with_the_focus_at_80x24_snapshot(  # type: ignore[no-untyped-def]
    snap_compare, store: Store, make_app: AppFactory
) -> None:
    """The list over the editor, a long finding cut with its pointer to ``space``."""
    _breach(store)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _breach_notice(pilot)
        await pilot.press("tab")
        await pilot.pause()

    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=run_before)


def test_a_finding_read_in_full_at_80x24_snapshot(  # type: ignore[no-untyped-def]
    snap_compare, store: Store, make_app: AppFactory
) -> None:
    _breach(store)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _breach_notice(pilot)
        await pilot.press("tab", "space")
        await pilot.pause()

    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=run_before)
