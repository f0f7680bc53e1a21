"""Board keys for closing the loop: flags, close and reopen, postmortem, stats, closed ones."""

from __future__ import annotations

import stat
from datetime import timedelta

from email_crisis.core.monitor import metrics
from email_crisis.core.own import incidents as ops
from email_crisis.core.plan import tasks as plan
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.board import board_flags
from email_crisis.tui.screens.close_dialog import CloseDialog
from email_crisis.tui.screens.forms import PromptForm
from email_crisis.tui.widgets.incident_table import IncidentTable
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text


def test_board_flags_combine_overdue_tasks_and_metric_status() -> None:
    assert board_flags({1: 2, 2: 0}, {2: "critical", 3: "warning", 4: "ok"}) == {
        1: "T2",
        2: "M!",
        3: "M",
    }
    assert board_flags({5: 1}, {5: "warning"}) == {5: "T1M"}


async def test_overdue_tasks_and_metric_alerts_show_on_the_row(
    store: Store, make_app: AppFactory
) -> None:
    incident = ops.declare(store, title="Flagged", kind="wrong-segment", operator="x")
    plan.add_task(
        store,
        incident,
        title="Rebuild the segment",
        kind="internal-fix",
        owner_role="marketing",
        operator="x",
        due_at=FROZEN_NOW - timedelta(hours=1),
    )
    metrics.add_point(
        store, incident.id, metric="spam_rate", at=FROZEN_NOW, value="0.5", operator="x"
    )
    app = make_app(store)
    async with app.run_test(size=(80, 24)):
        row = app.screen.query_one(IncidentTable).get_row(str(incident.id))
        assert "T1M!" in [cell.plain.strip() for cell in row]


async def test_close_then_reopen_with_a_reason(store: Store, make_app: AppFactory) -> None:
    incident = ops.declare(store, title="Over soon", kind="malformed", operator="x")
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        # One dialog: what argues against closing (core's list), the summary, the reason.
        assert isinstance(app.screen, CloseDialog)
        assert "apology is not marked sent" in " ".join(screen_text(app).split())
        await pilot.press(*"fixed template, no complaints", "enter")  # on to the reason
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CloseDialog)  # no reason: nothing closed
        assert "Say why you close it anyway" in screen_text(app)
        assert store.get_incident(incident.id).resolved_at is None
        await pilot.press(*"resent the right version instead", "enter")
        await pilot.pause()
        assert store.get_incident(incident.id).resolved_at is not None
        resolved = store.events(incident.id)[-1]
        assert resolved.details["summary"] == "fixed template, no complaints"
        assert resolved.details["reason"] == "resent the right version instead"
        table = app.screen.query_one(IncidentTable)
        assert table.row_count == 0  # only open incidents by default
        await pilot.press("o")  # show closed ones too
        await pilot.pause()
        assert table.row_count == 1
        assert "Closed" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"short", "enter")  # a reopen reason must say something
        await pilot.pause()
        assert isinstance(app.screen, PromptForm)
        await pilot.press("ctrl+u", *"complaints started again this morning", "enter")
        await pilot.pause()
        assert store.get_incident(incident.id).resolved_at is None
        assert [e.type for e in store.events(incident.id)][-2:] == ["resolved", "reopened"]


async def test_report_writes_private_markdown_and_html(
    demo_store: Store, make_app: AppFactory
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        folder = demo_store.path.parent / "reports"
        written = sorted(folder.iterdir())
        assert [p.suffix for p in written] == [".html", ".md"]
        for path in written:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "Subscriber export link" in written[1].read_text()
        assert any("Postmortem written" in n.message for n in app._notifications)


async def test_stats_toggle(demo_store: Store, make_app: AppFactory) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Time to acknowledge" not in screen_text(app)
        await pilot.press("m")
        await pilot.pause()
        text = screen_text(app)
        assert "Time to acknowledge" in text and "30d median" in text
        await pilot.press("m")
        await pilot.pause()
        assert "Time to acknowledge" not in screen_text(app)
