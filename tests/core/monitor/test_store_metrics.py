"""Storage: idempotent imports, corrected values, the newest-point flag, indexes, privacy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.monitor.metrics import add_point, badge, import_file, points, status_of
from email_crisis.core.monitor.store import (
    LATEST_SQL,
    NewPoint,
    imports,
    latest_points,
    query_points,
    save_points,
    series_overview,
    timeline,
    timeline_buckets,
)
from email_crisis.core.store.database import Store
from tests.core.monitor.conftest import FIXTURES, fixture

ALL_FIXTURES = sorted(
    p.name for p in FIXTURES.iterdir() if p.is_file() and p.name != "sparkpost_webhook.json"
)


def plan(store: Store, sql: str, params: tuple) -> str:
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def test_reimporting_the_same_file_adds_nothing(store: Store, incident: Incident) -> None:
    first = import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    second = import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    assert (first.added, first.updated, first.unchanged) == (12, 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 12)
    assert len(points(store, incident.id)) == 12
    assert [(r.file_name, r.added) for r in imports(store, incident.id)] == [
        ("snds_data.csv", 12),
        ("snds_data.csv", 0),
    ]


def test_every_fixture_twice_is_idempotent(store: Store, incident: Incident) -> None:
    for name in ALL_FIXTURES:
        import_file(store, incident.id, fixture(name), operator="sam")
    total = len(points(store, incident.id))
    for name in ALL_FIXTURES:
        assert import_file(store, incident.id, fixture(name), operator="sam").added == 0
    assert len(points(store, incident.id)) == total


def test_a_corrected_export_updates_values(
    store: Store, incident: Incident, write: Callable[[str, str], Path]
) -> None:
    head = "time,metric,value\n"
    import_file(
        store,
        incident.id,
        write("a.csv", head + "2026-11-20T10:00Z,complaint_rate,0.1\n"),
        operator="sam",
    )
    again = import_file(
        store,
        incident.id,
        write(
            "a.csv",
            head + "2026-11-20T10:00Z,complaint_rate,0.2\n2026-11-20T11:00Z,complaint_rate,0.3\n",
        ),
        operator="sam",
    )
    assert (again.added, again.updated, again.unchanged) == (1, 1, 0)
    assert [p.value for p in points(store, incident.id)] == [0.2, 0.3]


def test_the_same_time_from_two_sources_is_two_points(store: Store, incident: Incident) -> None:
    import_file(store, incident.id, fixture("postmaster_traffic_stats.json"), operator="sam")
    import_file(
        store, incident.id, fixture("postmaster_export.csv"), operator="sam", source="postmaster"
    )
    day = datetime(2026, 11, 25, tzinfo=timezone.utc)
    # Same source id ("postmaster"), same domain: the CSV copy matches the JSON points.
    found = [p for p in points(store, incident.id, metrics=("complaint_rate",)) if p.at == day]
    assert len(found) == 1
    add_point(store, incident.id, metric="complaint_rate", at=day, value="0.5", operator="sam")
    found = [p for p in points(store, incident.id, metrics=("complaint_rate",)) if p.at == day]
    assert sorted(p.source for p in found) == ["manual", "postmaster"]


def test_latest_flag_follows_the_newest_point_of_each_series(
    store: Store, incident: Incident, write: Callable[[str, str], Path]
) -> None:
    head = "time,metric,value\n"
    import_file(
        store,
        incident.id,
        write("a.csv", head + "2026-11-21T10:00Z,complaint_rate,0.5\n"),
        operator="sam",
    )
    assert badge(store, incident.id) == "critical"
    import_file(
        store,
        incident.id,
        write("b.csv", head + "2026-11-22T10:00Z,complaint_rate,0.05\n"),
        operator="sam",
    )
    assert [p.value for p in latest_points(store, incident.id)] == [0.05]
    assert badge(store, incident.id) == "ok"
    # An older point imported later does not take the flag.
    import_file(
        store,
        incident.id,
        write("c.csv", head + "2026-11-20T10:00Z,complaint_rate,0.2\n"),
        operator="sam",
    )
    assert [p.value for p in latest_points(store, incident.id)] == [0.05]
    flagged = store._conn.execute(
        "SELECT count(*) FROM metric_points WHERE is_latest = 1"
    ).fetchone()
    assert flagged == (1,)


def test_badge_is_the_worst_latest_status(store: Store, incident: Incident) -> None:
    assert badge(store, incident.id) is None
    import_file(store, incident.id, fixture("plain.csv"), operator="sam")
    # Latest: complaint 0.41% (critical), inbox placement (no threshold), LOW (critical),
    # hard bounces 2.0% (warning).
    assert badge(store, incident.id) == "critical"
    statuses = {p.metric: status_of(p) for p in latest_points(store, incident.id)}
    assert statuses == {
        "complaint_rate": "critical",
        "domain_reputation": "critical",
        "hard_bounce_rate": "warning",
        "inbox_placement": "ok",
    }


def test_badge_and_timeline_queries_use_their_indexes(store: Store, incident: Incident) -> None:
    import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    latest = plan(store, LATEST_SQL, (incident.id,))
    assert "USING INDEX metric_points_latest" in latest
    window = plan(
        store,
        "SELECT at, value FROM metric_points WHERE incident_id = ? AND metric = ? AND at >= ? "
        "ORDER BY at",
        (incident.id, "complaint_rate", "2026-11-20"),
    )
    assert "metric_points_window" in window and "TEMP B-TREE" not in window


def test_timeline_gives_unix_seconds_in_order(store: Store, incident: Incident) -> None:
    import_file(store, incident.id, fixture("plain.csv"), operator="sam")
    rows = timeline(store, incident.id, "complaint_rate")
    assert rows == [(1795168800, 0.04), (1795600800, 0.41)]
    assert timeline(store, incident.id, "complaint_rate", source="snds") == []
    since = datetime(2026, 11, 21, tzinfo=timezone.utc)
    assert timeline(store, incident.id, "complaint_rate", since=since) == rows[1:]


def test_timeline_buckets_fit_a_chart(store: Store, incident: Incident) -> None:
    start = datetime(2026, 11, 20, tzinfo=timezone.utc)
    new = [
        NewPoint("complaint_rate", start + timedelta(minutes=10 * n), float(n % 7))
        for n in range(600)
    ]
    save_points(store, incident_id=incident.id, domain="", source="csv", points=new,
                operator="sam", event=None)  # fmt: skip
    rows = timeline_buckets(
        store,
        incident.id,
        "complaint_rate",
        since=start,
        until=start + timedelta(days=5),
        buckets=100,
    )
    assert len(rows) == 84  # 600 points x 10 min = 100 h: 84 of the 100 slices of 72 min
    first = rows[0]
    assert first[0] == int(start.timestamp())
    assert first[4] == 8 and (first[2], first[3]) == (0.0, 6.0)  # 8 points of 10 min in 72 min
    assert sum(row[4] for row in rows) == 600
    with pytest.raises(ValueError):
        timeline_buckets(store, incident.id, "complaint_rate", since=start, until=start, buckets=10)


def test_window_queries_and_series_overview(store: Store, incident: Incident) -> None:
    import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    day = datetime(2026, 11, 26, tzinfo=timezone.utc)
    later = points(store, incident.id, since=day)
    assert {p.at for p in later} == {day + timedelta(hours=8)}
    earlier = points(store, incident.id, until=day, metrics=("trap_hits",))
    assert [(p.subject, p.value) for p in earlier] == [("192.0.2.10", 0), ("192.0.2.11", 3)]
    overview = {(s.metric, s.subject): s.count for s in series_overview(store, incident.id)}
    assert overview[("volume", "192.0.2.10")] == 2 and overview[("volume", "192.0.2.11")] == 1


def test_points_can_belong_to_a_domain_only(store: Store, incident: Incident) -> None:
    report = import_file(store, None, fixture("postmaster_traffic_stats.json"), operator="sam")
    assert report.added == 20
    assert points(store, incident.id) == []
    found = query_points(store, domain="news.example.com", metrics=("domain_reputation",))
    assert [(p.incident_id, p.value) for p in found] == [(None, 3), (None, 2), (None, 1)]
    # The same file for the incident is a separate set of points (the key has the scope).
    assert (
        import_file(
            store, incident.id, fixture("postmaster_traffic_stats.json"), operator="sam"
        ).added
        == 20
    )
    again = import_file(store, None, fixture("postmaster_traffic_stats.json"), operator="sam")
    assert again.added == 0
    with pytest.raises(ValidationError, match="need a sending domain"):
        import_file(store, None, fixture("plain.csv"), operator="sam")


def test_manual_entry(store: Store, incident: Incident, now: datetime) -> None:
    at = now - timedelta(hours=1)
    point = add_point(
        store,
        incident.id,
        metric="spam_rate",
        at=at,
        value="0.35%",
        operator="lea",
        note="seed test",
    )
    assert (point.metric, point.value, point.source, point.note) == (
        "complaint_rate",
        0.35,
        "manual",
        "seed test",
    )
    event = store.events(incident.id)[-1]
    assert (event.type, event.operator, event.details["value"]) == ("metric_added", "lea", 0.35)
    with pytest.raises(ValidationError, match="already has a manual value"):
        add_point(store, incident.id, metric="complaint_rate", at=at, value=0.4, operator="lea")
    with pytest.raises(ValidationError, match="in the future"):
        add_point(
            store,
            incident.id,
            metric="complaint_rate",
            at=now + timedelta(hours=1),
            value=0.4,
            operator="lea",
        )
    with pytest.raises(ValidationError, match="time zone"):
        add_point(
            store,
            incident.id,
            metric="complaint_rate",
            at=datetime(2026, 11, 27, 8),
            value=0.4,
            operator="lea",
        )
    with pytest.raises(ValidationError, match="impossible"):
        add_point(store, incident.id, metric="complaint_rate", at=at, value="-1", operator="lea")
    with pytest.raises(ValidationError, match="unknown metric"):
        add_point(store, incident.id, metric="mood", at=at, value="1", operator="lea")


ADDRESS = re.compile(rb"[A-Za-z0-9._%+-]+@example\.(?:org|net|com)")


def test_no_recipient_address_is_ever_stored(
    store: Store, incident: Incident, db_path: Path
) -> None:
    addresses = set()
    for name in [*ALL_FIXTURES, "sparkpost_webhook.json"]:
        text = fixture(name).read_bytes()
        addresses |= {a for a in ADDRESS.findall(text) if not a.startswith((b"news@", b"bounce@"))}
        import_file(store, incident.id, fixture(name), operator="sam")
    assert b"jane.doe@example.org" in addresses  # the scan below can fail
    store._conn.execute("PRAGMA wal_checkpoint(FULL)")
    files = [db_path, *db_path.parent.glob(db_path.name + "-*")]
    content = b"".join(path.read_bytes() for path in files)
    assert content.count(b"news.example.com") > 0  # the file really is the database we filled
    leaked = sorted(a.decode() for a in addresses if a in content)
    assert leaked == []
