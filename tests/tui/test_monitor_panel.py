"""The Monitor panel (step 6), keyboard only: chart, windows, metrics, cursor, manual entry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Input

from email_crisis.core.assess import form as assess
from email_crisis.core.base.clock import frozen
from email_crisis.core.monitor import metrics
from email_crisis.core.monitor.metrics import points
from email_crisis.core.monitor.thresholds import load
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from email_crisis.tui.screens.forms import ChoiceMenu
from email_crisis.tui.screens.monitor_forms import PointForm
from email_crisis.tui.screens.workspace import WorkspaceScreen
from email_crisis.tui.widgets import monitor_panel
from email_crisis.tui.widgets.incident_table import IncidentTable
from email_crisis.tui.widgets.monitor_chart import (
    ChartData,
    Milestone,
    MonitorChart,
    Row,
    _bars,
    draw,
    fetch,
)
from email_crisis.tui.widgets.monitor_panel import MonitorPanel, window_bounds
from email_crisis.tui.widgets.monitor_sections import (
    checklist_text,
    compare_text,
    empty_message,
    thresholds_text,
    timeline_text,
)
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import AppFactory, screen_text

DETECTED = FROZEN_NOW - timedelta(hours=6)
UTC = timezone.utc


def _csv(folder: Path) -> Path:
    """Three days of hourly figures: calm before detection, bad after it."""
    rows = ["time,metric,value"]
    for hour in range(72, 0, -1):
        at = FROZEN_NOW - timedelta(hours=hour)
        after = at >= DETECTED
        stamp = at.strftime("%Y-%m-%dT%H:%MZ")
        rows.append(f"{stamp},complaint_rate,{0.45 if after else 0.05}")
        rows.append(f"{stamp},hard_bounce_rate,{2.5 if after else 0.5}")
        if hour % 6 == 0:
            rows.append(f"{stamp},domain_reputation,{'LOW' if after else 'HIGH'}")
    path = folder / "signals.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _incident(store: Store, folder: Path | None) -> int:
    """An acknowledged incident detected six hours ago, with the CSV imported if given."""
    store.clock = frozen(DETECTED + timedelta(minutes=10))
    incident = ops.declare(
        store, title="Spring sale to the wrong list", kind="wrong-segment", operator="x",
        detected_at=DETECTED,
    )  # fmt: skip
    ops.acknowledge(store, incident, operator="x")
    store.clock = frozen(FROZEN_NOW)
    if folder is not None:
        metrics.import_file(store, incident.id, _csv(folder), operator="x")
    return incident.id


async def _open_monitor(pilot, app, incident_id: int) -> MonitorPanel:  # type: ignore[no-untyped-def]
    app.screen.query_one(IncidentTable).select(incident_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WorkspaceScreen)
    await pilot.press("6")
    await pilot.pause()
    panel = app.screen.query_one(MonitorPanel)
    assert panel.has_focus
    return panel


def _chart(app) -> MonitorChart:  # type: ignore[no-untyped-def]
    return app.screen.query_one(MonitorChart)


def _count_fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = monitor_panel.fetch

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["window"])
        return real(*args, **kwargs)

    monkeypatch.setattr(monitor_panel, "fetch", counting)
    return calls


# -- the panel, driven by keys -------------------------------------------------------------


async def test_chart_shows_metrics_status_words_and_milestones(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident_id = _incident(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        text = screen_text(app)
        assert "6 Monitor" in text
        assert "Window 7d from 11-20 09:30" in text
        lines = text.splitlines()
        title = next(line for line in lines if "spam-complaint rate" in line)
        assert "now 0.45% CRITICAL" in title
        assert "now 2.5% WARNING" in next(line for line in lines if "hard bounce rate" in line)
        assert "now LOW CRITICAL" in next(line for line in lines if "domain reputation" in line)
        axis = next(line for line in lines if "─" in line and "D" in line)
        assert axis.index("D") < axis.index("A")  # detected, then acknowledged
        assert "D detected  A acknowledged  ! warning  X critical" in text
        assert "w Window" in text and "m Metrics" in text and "+ Add value" in text


async def test_empty_incident_says_how_to_import(store: Store, make_app: AppFactory) -> None:
    incident_id = _incident(store, None)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        text = screen_text(app)
        assert f"email-crisis metrics import {incident_id} FILE" in text
        assert "press + to record a value" in " ".join(text.split())
        await pilot.press("m")  # nothing to pick yet: a message, no menu
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceMenu)


async def test_w_cycles_windows_and_fetches_each_window_once(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = _incident(store, tmp_path)
    calls = _count_fetches(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await _open_monitor(pilot, app, incident_id)
        assert calls == ["7d"]
        seen = []
        for _ in range(4):
            await pilot.press("w")
            await pilot.pause()
            seen.append(panel.window)
            assert f"Window {panel.window} from" in screen_text(app)
        assert seen == ["30d", "all", "24h", "7d"]
        assert calls == ["7d", "30d", "all", "24h"]  # the second 7d came from the cache
        for _ in range(4):
            await pilot.press("w")
        assert calls == ["7d", "30d", "all", "24h"]
        # "all" starts at the first point, 72 hours before now.
        await pilot.press("w", "w")
        await pilot.pause()
        assert panel.window == "all"
        assert "Window all from 11-24 09:30" in screen_text(app)


async def test_m_picks_the_metrics_drawn(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident_id = _incident(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        await pilot.press("m")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ChoiceMenu)
        options = menu.query_one("OptionList")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0] == "All metrics (3)  (shown now)"
        assert "Complaints and bounces (2)" in labels
        assert "Only hard bounce rate" in labels
        options.highlighted = labels.index("Only hard bounce rate")
        await pilot.press("enter")
        await pilot.pause()
        data = _chart(app).data
        assert data is not None and [row.metric for row in data.rows] == ["hard_bounce_rate"]
        text = screen_text(app)
        assert "· hard bounce rate" in text
        assert "now 0.45% CRITICAL" not in text
        await pilot.press("m")
        await pilot.pause()
        options = app.screen.query_one("OptionList")
        options.highlighted = 1  # complaints and bounces
        await pilot.press("enter")
        await pilot.pause()
        data = _chart(app).data
        assert data is not None
        assert [row.metric for row in data.rows] == ["complaint_rate", "hard_bounce_rate"]
        assert "complaints and bounces (2)" in screen_text(app)


async def test_cursor_steps_through_columns_without_queries(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = _incident(store, tmp_path)
    calls = _count_fetches(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        chart = _chart(app)
        assert chart.data is not None
        last = chart.data.columns - 1
        assert chart.cursor == last
        await pilot.press("right")  # already at the newest column
        assert chart.cursor == last
        await pilot.press("left", "left")
        await pilot.pause()
        assert chart.cursor == last - 2
        detail = next(line for line in screen_text(app).splitlines() if "→" in line)
        first, _ = chart.data.column_span(last - 2)
        assert detail.strip().startswith(f"▲ {first.strftime('%m-%d %H:%M')} →")
        await pilot.press("home")
        await pilot.pause()
        assert chart.cursor == 0
        assert "no points" in screen_text(app)  # a week ago: before the first point
        await pilot.press("end")
        assert chart.cursor == last
        # Step back to the hours before detection, when complaints were calm.
        for _ in range(6):
            if chart.data.rows[0].values.get(chart.cursor) == 0.05:
                break
            await pilot.press("left")
        await pilot.pause()
        title = next(line for line in screen_text(app).splitlines() if "spam-complaint" in line)
        assert "▲ 0.05%" in title and "worst 0.45%" in title
        assert calls == ["7d"]


async def test_manual_entry_refuses_a_bad_value_and_saves_a_good_one(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident_id = _incident(store, tmp_path)
    app = make_app(store, operator="lea")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        await pilot.press("plus")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PointForm)
        assert form.query_one("#value", Input).has_focus
        assert form.query_one("#at", Input).value == "2026-11-27 09:30"
        await pilot.press(*"150", "enter")
        await pilot.pause()
        assert app.screen is form  # refused: the form stays with what was typed
        assert "impossible" in screen_text(app)
        assert not [p for p in points(store, incident_id) if p.source == "manual"]
        await pilot.press("backspace", "backspace", "backspace", *"0.2", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PointForm)
        (manual,) = [p for p in points(store, incident_id) if p.source == "manual"]
        assert (manual.metric, manual.value, manual.at) == ("complaint_rate", 0.2, FROZEN_NOW)
        event = store.events(incident_id)[-1]
        assert (event.type, event.operator) == ("metric_added", "lea")
        title = next(line for line in screen_text(app).splitlines() if "spam-complaint" in line)
        assert "now 0.2% WARNING" in title  # the chart was redrawn from fresh data


async def test_manual_entry_refuses_a_time_it_cannot_read(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    incident_id = _incident(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        await pilot.press("plus")
        await pilot.pause()
        form = app.screen
        form.query_one("#at", Input).value = "yesterday"
        await pilot.press(*"0.3", "f2")
        await pilot.pause()
        assert app.screen is form
        assert "Time must be a date and time like" in " ".join(screen_text(app).split())
        assert form.query_one("#at", Input).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not [p for p in points(store, incident_id) if p.source == "manual"]


async def test_no_color_keeps_words_flags_and_letters(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = _incident(store, tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_monitor(pilot, app, incident_id)
        text = screen_text(app)
        for word in ("CRITICAL", "WARNING", "▲", "D detected", "A acknowledged"):
            assert word in text
        flags = [
            line
            for line in text.splitlines()
            if line.strip() and set(line.strip()) <= {"X", "!", " "}
        ]
        assert any("X" in line for line in flags) and any("!" in line for line in flags)
        # Textual turns colours into greys (red: dark grey on dark): no colour is used,
        # the worst word stands out in reverse video instead.
        drawn = _chart(app).render()
        assert not [s for s in drawn.spans if any(c in str(s.style) for c in ("red", "yellow"))]
        words = [s for s in drawn.spans if drawn.plain[s.start : s.end] == "CRITICAL"]
        assert words and all("reverse" in str(s.style) for s in words)


async def test_sections_below_the_chart(store: Store, make_app: AppFactory, tmp_path: Path) -> None:
    incident_id = _incident(store, tmp_path)
    incident = store.get_incident(incident_id)
    assess.update_assessment(store, incident, {"send_start": "2026-11-27 02:00"}, operator="x")
    app = make_app(store)
    async with app.run_test(size=(80, 60)) as pilot:
        panel = await _open_monitor(pilot, app, incident_id)
        text = " ".join(screen_text(app).split())
        assert "S send start D detected A acknowledged" in text
        assert "CRITICAL Spam complaints rose from 0.05% to 0.45%" in text
        assert "Proceed with caution" in text and "Keep volume low" in text
        assert "source https://support.google.com/a/answer/81126 (checked 2026-11-27)" in text
        panel.scroll_end(animate=False)
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Milestones and events in this window" in text
        assert "11-27 03:40 x: declared SEV3" in text
        assert "11-27 03:30 D detected" in text
        assert "11-27 03:40 A x: acknowledged the incident" in text
        assert "11-27 09:30 x: imported signals.csv (csv)" in text
        # The 24 h window starts after the send: its letter is listed as earlier.
        await pilot.press("w", "w", "w")
        await pilot.pause()
        assert panel.window == "24h"
        assert "S send start" in screen_text(app)  # still inside 24 h (7.5 h ago)


async def _shown_after_import(
    store: Store, make_app: AppFactory, tmp_path: Path, fixture: str, absent: str
) -> tuple[str, metrics.ImportReport]:
    """The Monitor panel's text once ``fixture`` (a v2 spec sample) is imported; ``absent``
    must not be on screen before."""
    incident_id = _incident(store, tmp_path)
    spec = Path(__file__).parents[1] / "core" / "monitor" / "fixtures" / "spec"
    app = make_app(store)
    async with app.run_test(size=(80, 60)) as pilot:
        panel = await _open_monitor(pilot, app, incident_id)
        assert absent not in " ".join(screen_text(app).split())
        report = metrics.import_file(store, incident_id, spec / fixture, operator="x")
        panel.load(store.get_incident(incident_id), active=True)
        await pilot.pause()
        return " ".join(screen_text(app).split()), report


async def test_gmail_compliance_shows_only_once_imported(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    text, _ = await _shown_after_import(
        store, make_app, tmp_path, "postmaster_v2_complianceStatus.json", "Gmail sender"
    )
    assert "Gmail sender requirements (Postmaster Tools v2, as of 11-27 09:30)" in text
    assert "TO FIX one-click unsubscribe · Google's reason: NO_UNSUB_PROMO_SPAM_REPORTS" in text
    assert "TO FIX user-reported spam rate" in text
    assert "ok SPF" in text and "ok SPF and DKIM (subdomain)" in text
    assert "no domain or IP reputation any more" in text


async def test_v2_domain_stats_alone_say_what_v2_no_longer_reports(
    store: Store, make_app: AppFactory, tmp_path: Path
) -> None:
    # Issue 15: a Postmaster Tools v2 domainStats answer without Gmail's compliance status
    # still says, in the panel as in the import summary, that v2 has no reputation.
    text, report = await _shown_after_import(
        store, make_app, tmp_path, "postmaster_v2_query_then_response.json", "reputation any"
    )
    assert report.points and any("no domain or IP reputation" in n for n in report.notes)
    assert "Gmail sender requirements" not in text  # no compliance status imported
    assert "Postmaster Tools v2 (imported) reports no domain or IP reputation any more" in text


async def test_hidden_tab_waits_and_new_points_empty_the_cache(
    store: Store, make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = _incident(store, None)
    calls = _count_fetches(monkeypatch)
    reads: list[int] = []
    real_latest = monitor_panel.latest_points
    monkeypatch.setattr(
        monitor_panel, "latest_points", lambda *a: reads.append(1) or real_latest(*a)
    )
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one(IncidentTable).select(incident_id)
        await pilot.press("enter")
        await pilot.pause()
        metrics.import_file(store, incident_id, _csv(tmp_path), operator="x")
        app.refresh_screens()  # what the poll does when another process writes
        await pilot.pause()
        assert calls == [] and reads == []  # the Monitor tab is hidden: nothing is read
        await pilot.press("6")
        await pilot.pause()
        assert calls == ["7d"]
        assert "now 0.45% CRITICAL" in screen_text(app)
        metrics.add_point(
            store, incident_id, metric="complaint_rate", at=FROZEN_NOW, value="0.05", operator="y"
        )
        app.refresh_screens()
        await pilot.pause()
        assert calls == ["7d", "7d"]  # a new event empties the cache
        assert "now 0.05% ok" in screen_text(app)


# -- drawing, without the app ---------------------------------------------------------------


def _data(rows: tuple[Row, ...], marks: tuple[Milestone, ...] = (), columns: int = 10) -> ChartData:
    start = int(FROZEN_NOW.timestamp()) - columns * 3600
    return ChartData("24h", start, start + columns * 3600, 3600, columns, rows, marks)


def test_bars_scale_rates_from_zero_levels_on_their_scale_and_dips_from_the_lowest() -> None:
    assert _bars("complaint_rate", {0: 0.0, 1: 0.25, 3: 0.5}, 4) == "▁▅ █"
    assert _bars("domain_reputation", {0: 3.0, 1: 1.0, 2: 0.0}, 3) == "█▃▁"
    assert _bars("delivery_rate", {0: 99.0, 1: 90.0}, 2) == "█▁"  # the dip shows
    assert _bars("complaint_rate", {}, 3) == "   "


def test_milestones_in_one_column_stay_in_time_order_even_at_the_end() -> None:
    at = datetime.fromtimestamp(int(FROZEN_NOW.timestamp()) - 1800, UTC)  # last column
    marks = (
        Milestone("D", "detected", at),
        Milestone("A", "acknowledged", at + timedelta(minutes=5)),
        Milestone("C", "contained", at + timedelta(minutes=9)),
        Milestone("S", "send start", at - timedelta(days=3)),  # before the window
    )
    text = draw(_data((), marks), 0, "header").plain.splitlines()
    axis = next(line for line in text if "─" in line)
    assert axis.endswith("DAC")
    assert "S send start (earlier)" in text[-1]


def test_fetch_flags_columns_over_thresholds(store: Store, tmp_path: Path) -> None:
    incident_id = _incident(store, tmp_path)
    since, until = window_bounds("24h", FROZEN_NOW, None, ())
    latest = {
        p.metric: p for p in points(store, incident_id) if p.at == FROZEN_NOW - timedelta(hours=1)
    }
    data = fetch(
        store, incident_id, ("complaint_rate", "hard_bounce_rate"), window="24h",
        since=since, until=until, width=24, latest=latest, rules=load(),
    )  # fmt: skip
    complaints, bounces = data.rows
    assert data.columns == 24
    assert complaints.flags.endswith("XXXXXX ")  # the last 6 hours (the newest column is empty)
    assert bounces.flags.endswith("!!!!!! ")
    assert set(complaints.flags[:17]) == {" "}
    assert complaints.latest == "now 0.45%" and complaints.latest_status == "critical"


def test_window_bounds() -> None:
    first = FROZEN_NOW - timedelta(days=40)
    since, until = window_bounds("24h", FROZEN_NOW, first, ())
    assert until == datetime(2026, 11, 27, 9, 31, tzinfo=UTC)  # a value typed "now" shows
    assert since == FROZEN_NOW - timedelta(hours=24)
    assert window_bounds("all", FROZEN_NOW, first, ())[0] == first
    marks = (Milestone("S", "send start", first - timedelta(days=1)),)
    assert window_bounds("all", FROZEN_NOW, first, marks)[0] == first - timedelta(days=1)
    assert window_bounds("all", FROZEN_NOW, None, ())[0] == until - timedelta(days=1)


def test_section_texts(store: Store, tmp_path: Path) -> None:
    from email_crisis.core.monitor import caution

    incident_id = _incident(store, tmp_path)
    incident = store.get_incident(incident_id)
    rules = load()
    compared = _render(compare_text(caution.compare(store, incident), rules))
    assert "WARNING Hard bounces rose from 0.5% to 2.5%" in compared
    gone = caution.Comparison(
        "domain_reputation", "csv", 3.0, None, None, "ok", None, "gone", "Gone before."
    )
    assert (
        _render(compare_text([gone], rules)) == "Before and after the incident no data Gone before."
    )
    listed = _render(checklist_text(caution.checklist(store, incident)))
    assert listed.index("CRITICAL") < listed.index("tip")
    shown = _render(thresholds_text(rules, ("complaint_rate", "inbox_placement")))
    assert "WARNING from 0.1%" in shown and "CRITICAL from 0.3%" in shown
    assert "inbox placement: no threshold" in shown
    assert "CRITICAL at or below LOW" in _render(thresholds_text(rules, ("domain_reputation",)))
    assert "email-crisis metrics import 7 FILE" in empty_message(7).plain
    many = timeline_text(store.events(incident_id) * 10, (), None, None)
    assert "earlier in this window: l shows the whole log" in _render(many)


def _render(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return " ".join(console.export_text().split())


# -- snapshot ---------------------------------------------------------------------------------


def test_monitor_snapshot(snap_compare, store: Store, make_app: AppFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _incident(store, tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("6", "left", "left", "left")
        await pilot.pause()

    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=run_before)
