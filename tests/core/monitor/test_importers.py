"""Each importer on a file in its source's real export format; values checked by hand."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.importers import read_file
from email_crisis.core.monitor.metrics import import_file, points
from email_crisis.core.store.database import Store
from tests.core.monitor.conftest import fixture


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def stored(store: Store, incident: Incident) -> dict[tuple[str, str, datetime], tuple]:
    """(metric, subject, time) -> (value, qualifier, note, source) of every stored point."""
    return {
        (p.metric, p.subject, p.at): (p.value, p.qualifier, p.note, p.source)
        for p in points(store, incident.id)
    }


def rates(found: dict, hour: datetime) -> dict[str, float]:
    """The ESP metrics of one hour, subject '' only."""
    return {metric: v[0] for (metric, subject, when), v in found.items() if when == hour}


def test_sendgrid_event_webhook(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("sendgrid_events.json"), operator="sam")
    assert (report.source, report.detected, report.records) == ("sendgrid", True, 15)
    # 4 processed; 3 delivered (+1 repeat of the same sg_event_id) and 1 bounce: 4 outcomes.
    hour = rates(stored(store, incident), at("2026-11-25T14:00"))
    assert hour == pytest.approx(
        {
            "volume": 4,
            "delivery_rate": 75.0,
            "hard_bounce_rate": 25.0,
            "soft_bounce_rate": 0.0,
            "complaint_rate": 100 / 3,  # 1 spamreport / 3 delivered
            "unsubscribe_rate": 100 / 3,
        }
    )
    assert report.skipped == {
        "duplicate events (same event id seen earlier in the file)": 1,
        "engagement events (opens, clicks) are not deliverability signals": 2,
        "messages the ESP refused or suppressed before sending": 1,
        "temporary delays the ESP retried (the final outcome is counted instead)": 1,
    }


def test_sparkpost_events_api_page_with_offsets(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("sparkpost_events.json"), operator="sam")
    assert (report.source, report.records) == ("sparkpost", 26)
    # Times are written 11:xx+01:00: they land in the 10:00 UTC hour.
    hour = rates(stored(store, incident), at("2026-11-25T10:00"))
    # 10 injections; 8 deliveries, class 10 (hard), class 21 (soft): 10 outcomes;
    # class 25 is administrative (never sent) and is skipped.
    assert hour == pytest.approx(
        {
            "volume": 10,
            "delivery_rate": 80.0,
            "hard_bounce_rate": 10.0,
            "soft_bounce_rate": 10.0,
            "complaint_rate": 12.5,  # 1 / 8 delivered
            "unsubscribe_rate": 12.5,
        }
    )
    assert report.skipped["messages the ESP refused or suppressed before sending"] == 1
    assert report.skipped["engagement events (opens, clicks) are not deliverability signals"] == 2


def test_sparkpost_webhook_batch(store: Store, incident: Incident) -> None:
    parsed, detected = read_file(fixture("sparkpost_webhook.json"))
    assert detected and parsed.source == "sparkpost" and parsed.records == 3
    values = {p.metric: p.value for p in parsed.points}
    assert values == {
        "volume": 1,
        "delivery_rate": 100.0,
        "hard_bounce_rate": 0.0,
        "soft_bounce_rate": 0.0,
        "complaint_rate": 0.0,
        "unsubscribe_rate": 0.0,
    }
    assert {p.at for p in parsed.points} == {at("2026-11-25T10:00")}


def test_mailgun_events_page(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("mailgun_events.json"), operator="sam")
    assert (report.source, report.records) == ("mailgun", 14)
    hour = rates(stored(store, incident), at("2026-11-26T08:00"))
    # 5 accepted; 4 delivered + 1 permanent bounce = 5 outcomes; the temporary failure
    # (retried, then delivered) and the suppress-bounce are skipped.
    assert hour == pytest.approx(
        {
            "volume": 5,
            "delivery_rate": 80.0,
            "hard_bounce_rate": 20.0,
            "soft_bounce_rate": 0.0,
            "complaint_rate": 25.0,  # 1 / 4 delivered
            "unsubscribe_rate": 0.0,
        }
    )
    assert report.skipped == {
        "engagement events (opens, clicks) are not deliverability signals": 1,
        "messages the ESP refused or suppressed before sending": 1,
        "temporary delays the ESP retried (the final outcome is counted instead)": 1,
    }


def test_ses_notifications_envelopes_and_bare(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("ses_notifications.jsonl"), operator="sam")
    assert (report.source, report.records) == ("ses", 7)
    hour = rates(stored(store, incident), at("2026-11-24T09:00"))
    # Deliveries: 2 recipients + 1 (10:00+01:00); bounces: 1 permanent, 1 transient.
    assert hour == pytest.approx(
        {
            "volume": 5,
            "delivery_rate": 60.0,
            "hard_bounce_rate": 20.0,
            "soft_bounce_rate": 20.0,
            "complaint_rate": 100 / 3,  # the complaint SNS delivered twice counts once
            "unsubscribe_rate": 0.0,
        }
    )
    assert report.skipped["duplicate events (same event id seen earlier in the file)"] == 1
    assert report.skipped["other event types"] == 1  # the SubscriptionConfirmation


def test_postmaster_traffic_stats_json(store: Store, incident: Incident) -> None:
    report = import_file(
        store, incident.id, fixture("postmaster_traffic_stats.json"), operator="sam"
    )
    assert (report.source, report.domain, report.records, report.points) == (
        "postmaster",
        "news.example.com",
        3,
        20,
    )
    found = stored(store, incident)
    day = at("2026-11-25T00:00")
    assert found[("complaint_rate", "", day)][0] == pytest.approx(0.41)
    assert found[("complaint_rate", "", day)][2] == "Google's interval: 0.35% to 0.48%"
    assert found[("domain_reputation", "", day)][0] == 2  # MEDIUM
    assert found[("ip_reputation", "", day)][:3] == (1, "", "HIGH 1 IP(s), LOW 1 IP(s)")
    assert found[("spf_pass_rate", "", day)][0] == pytest.approx(98)
    assert found[("dkim_pass_rate", "", day)][0] == pytest.approx(92)
    assert found[("dmarc_pass_rate", "", day)][0] == pytest.approx(90)
    # errorRatio is per (class, type) against all traffic, with no sum constraint (v1
    # discovery document, DeliveryError): the larger class, permanent 1.2% or temporary 3%.
    assert found[("delivery_error_rate", "", day)][0] == pytest.approx(3.0)
    assert (
        found[("delivery_error_rate", "", day)][2]
        == "permanent 1.2%, temporary 3%; largest: RATE_LIMIT_EXCEEDED 3%"
    )
    assert found[("domain_reputation", "", at("2026-11-26T00:00"))][0] == 1  # LOW
    assert ("delivery_error_rate", "", at("2026-11-24T00:00")) not in found
    assert {p.domain for p in points(store, incident.id)} == {"news.example.com"}


def test_postmaster_csv_export(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("postmaster_export.csv"), operator="sam")
    assert (report.source, report.detected, report.records, report.points) == (
        "postmaster",
        True,
        3,
        11,
    )
    found = stored(store, incident)
    assert found[("complaint_rate", "", at("2026-11-25T00:00"))][0] == pytest.approx(0.41)
    assert found[("spf_pass_rate", "", at("2026-11-24T00:00"))][0] == 100  # ratio 1
    assert found[("spf_pass_rate", "", at("2026-11-25T00:00"))][0] == pytest.approx(98)
    assert found[("dkim_pass_rate", "", at("2026-11-25T00:00"))][0] == 92  # "92%"
    assert found[("domain_reputation", "", at("2026-11-26T00:00"))][0] == 1  # 20261126, LOW
    assert ("dkim_pass_rate", "", at("2026-11-26T00:00")) not in found  # empty cell
    assert "columns not used: Inbound encryption" in report.notes


def test_snds_data_csv(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    assert (report.source, report.records, report.points) == ("snds", 3, 12)
    found = stored(store, incident)
    first = at("2026-11-25T08:00")
    assert found[("volume", "192.0.2.10", first)][0] == 13025
    assert found[("snds_filter", "192.0.2.10", first)][0] == 2  # GREEN
    value, qualifier, note, _ = found[("complaint_rate", "192.0.2.10", first)]
    assert (value, qualifier) == (0.1, "<")
    assert "only a bound" in note
    second = at("2026-11-25T09:00")
    assert found[("complaint_rate", "192.0.2.11", second)][:2] == (0.4, "")
    assert found[("snds_filter", "192.0.2.11", second)][0] == 1  # YELLOW
    assert found[("trap_hits", "192.0.2.10", at("2026-11-26T08:00"))][0] == 41
    assert any("read as UTC" in note for note in report.notes)


def test_plain_csv_converts_offsets_to_utc(store: Store, incident: Incident) -> None:
    report = import_file(store, incident.id, fixture("plain.csv"), operator="sam")
    assert (report.source, report.records, report.points) == ("csv", 5, 5)
    found = stored(store, incident)
    assert found[("complaint_rate", "", at("2026-11-20T10:00"))][:3] == (0.04, "", "seed panel")
    assert found[("complaint_rate", "", at("2026-11-25T10:00"))][0] == 0.41  # 11:00+01:00
    assert found[("inbox_placement", "", at("2026-11-25T10:00"))][0] == 71.5
    assert found[("domain_reputation", "", at("2026-11-26T00:00"))][0] == 1  # a date = 00:00 UTC
    assert found[("hard_bounce_rate", "", at("2026-11-26T17:30"))][0] == 2.0  # 12:30-05:00


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("sendgrid_events.json", "sendgrid"),
        ("sparkpost_events.json", "sparkpost"),
        ("sparkpost_webhook.json", "sparkpost"),
        ("mailgun_events.json", "mailgun"),
        ("ses_notifications.jsonl", "ses"),
        ("postmaster_traffic_stats.json", "postmaster"),
        ("postmaster_export.csv", "postmaster"),
        ("snds_data.csv", "snds"),
        ("plain.csv", "csv"),
    ],
)
def test_detection_names_the_source(name: str, source: str) -> None:
    parsed, detected = read_file(fixture(name))
    assert (parsed.source, detected) == (source, True)


def test_a_given_source_is_used_as_is() -> None:
    parsed, detected = read_file(fixture("snds_data.csv"), "snds")
    assert (parsed.source, detected) == ("snds", False)


def test_the_import_event_records_counts_and_the_file_name_only(
    store: Store, incident: Incident
) -> None:
    import_file(store, incident.id, fixture("sendgrid_events.json"), operator="lea")
    event = store.events(incident.id)[-1]
    assert (event.type, event.operator) == ("metrics_imported", "lea")
    assert event.details["file"] == "sendgrid_events.json"
    assert event.details["added"] == 6 and event.details["records"] == 15
    assert "@" not in str(event.details)


def test_a_second_export_of_the_same_hour_replaces_it_and_says_so(
    store: Store, incident: Incident
) -> None:
    from email_crisis.core.monitor.metrics import describe_import

    import_file(store, incident.id, fixture("sparkpost_events.json"), operator="sam")
    report = import_file(store, incident.id, fixture("sparkpost_webhook.json"), operator="sam")
    assert report.updated == 6
    assert any("were replaced" in line for line in describe_import(report))
    hour = rates(stored(store, incident), at("2026-11-25T10:00"))
    assert hour["volume"] == 1  # the whole hour now comes from the second file
