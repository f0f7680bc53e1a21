"""Importers against sample exports written from the providers' published field lists.

The files are in ``fixtures/spec/`` (``SOURCES.md`` there names the document each one
was written from). Each test names the rule of the specification it checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.contain import esp
from email_crisis.core.contain.esp import EspSettings, StopTarget
from email_crisis.core.monitor.importers import (
    ImportHints,
    ImportProblem,
    Parsed,
    postmaster,
    read_file,
)
from email_crisis.core.monitor.importers._events import (
    SKIP_OPT_IN,
    SKIP_SUPPRESSED_BY_SES,
    SKIP_TEST,
)
from email_crisis.core.monitor.importers.postmaster_v2 import NOT_KEPT, UNKNOWN, V2_NOTE
from email_crisis.core.monitor.metrics import describe_import, import_file
from email_crisis.core.store.database import Store

SPEC = Path(__file__).parent / "fixtures" / "spec"


def read(name: str, hints: ImportHints | None = None) -> Parsed:
    parsed, detected = read_file(SPEC / name, None, hints)
    assert detected
    return parsed


def values(parsed: Parsed) -> dict[tuple[str, str], float]:
    return {(p.metric, p.subject): round(p.value, 3) for p in parsed.points}


# -- Amazon SES --------------------------------------------------------------------------


def test_ses_suppressed_bounces_and_complaints_are_not_counted() -> None:
    # event-publishing contents: OnAccountSuppressionList "does not count toward your bounce
    # rate metric"; complaintSubType OnAccountSuppressionList: SES "didn't attempt to send it".
    parsed = read("ses_event_publishing.jsonl")
    assert parsed.skipped[SKIP_SUPPRESSED_BY_SES] == 3  # two bounces, one complaint
    found = values(parsed)
    assert found[("hard_bounce_rate", "")] == 50.0  # 1 General bounce, 1 delivery
    assert found[("complaint_rate", "")] == 0.0
    # The Subscription event moves a topic from OptOut to OptIn: a re-subscribe.
    assert parsed.skipped[SKIP_OPT_IN] == 1
    assert found[("unsubscribe_rate", "")] == 0.0
    assert any("suppressed by SES" in line for line in _summary(parsed))


def test_ses_published_examples_sharing_a_feedback_id_are_both_counted() -> None:
    # The guide's Bounce and Complaint examples share feedbackId ...-000000.
    parsed = read("ses_docs_shared_feedbackid.jsonl")
    assert not parsed.skipped
    assert values(parsed)[("complaint_rate", "")] == 100.0


def test_ses_sns_envelope() -> None:
    assert values(read("ses_sns_envelope.json"))[("hard_bounce_rate", "")] == 100.0


# -- Mailgun -----------------------------------------------------------------------------


def test_mailgun_logs_api_page_and_storage_hosts() -> None:
    # mailgun.js lib/Types/Logs/Logs.ts: items carry "@timestamp"; storage.url is a list.
    parsed = read("mailgun_logs_api_page.json")
    assert parsed.source == "mailgun" and parsed.records == 2
    assert values(parsed)[("hard_bounce_rate", "")] == 50.0
    assert parsed.storage_hosts == {"example.org": {"storage-us-east4.api.mailgun.net"}}


def test_mailgun_events_page_skips_suppressions_and_retries() -> None:
    parsed = read("mailgun_events_page.json")
    assert parsed.skipped == {
        "messages the ESP refused or suppressed before sending": 1,  # suppress-bounce
        "temporary delays the ESP retried (the final outcome is counted instead)": 1,
    }
    assert parsed.storage_hosts == {"example.org": {"storage-us-east4.api.mailgun.net"}}


def test_a_mailgun_import_sends_the_next_stop_to_the_storage_host(
    store: Store, incident: Incident
) -> None:
    report = import_file(store, incident.id, SPEC / "mailgun_webhook.json", operator="sam")
    assert report.storage_hosts == {"example.org": ["storage-us-east4.api.mailgun.net"]}
    assert "storage-us-east4" in "\n".join(describe_import(report))
    target = StopTarget("mailgun", "delete-queued", domain="Example.org")
    settings = esp.known_hosts(store, target, EspSettings(esp="mailgun"))
    planned = esp.plan(target, settings)
    assert planned.urls == ("https://storage-us-east4.api.mailgun.net/v3/example.org/envelopes",)
    assert "mailgun_webhook.json" in planned.summary
    other = StopTarget("mailgun", "delete-queued", domain="other.example.org")
    assert len(esp.plan(other, esp.known_hosts(store, other, EspSettings(esp="mailgun"))).urls) == 2
    event = store.events(incident.id)[-1]
    assert "@" not in str(event.details)  # domains and hosts only, never an address


# -- SparkPost ---------------------------------------------------------------------------


def test_sparkpost_webhook_test_batch_is_skipped_not_an_error() -> None:
    # gosparkpost events/sample-webhook-validation.json, verbatim: [{"msys": {}}]
    parsed = read("sparkpost_webhook_test_batch.json")
    assert (parsed.records, parsed.points, dict(parsed.skipped)) == (1, [], {SKIP_TEST: 1})


def test_sparkpost_out_of_band_bounce_replaces_its_delivery() -> None:
    parsed = read("sparkpost_out_of_band.json")
    found = values(parsed)
    assert found[("volume", "")] == 2
    assert found[("delivery_rate", "")] == 50.0  # m-oob-2 stayed delivered
    assert found[("hard_bounce_rate", "")] == 50.0  # m-oob-1 bounced after delivery
    assert len({p.at for p in parsed.points}) == 1  # counted in the delivery's hour


def test_sparkpost_events_api_page_block_is_soft() -> None:
    # bounce-classification-codes.md: class 50 "Mail Block" is a Block (soft).
    assert values(read("sparkpost_events_api_page.json"))[("soft_bounce_rate", "")] == 50.0


def test_sparkpost_admin_cancellation_bounce_is_not_a_bounce() -> None:
    # transmissions.apib: a cancelled message bounces "554 5.7.1 [internal] Campaign
    # cancelled"; class 25 is Admin in the classification table.
    parsed = read("sparkpost_webhook_batch.json")
    assert parsed.skipped["messages the ESP refused or suppressed before sending"] == 1


# -- SendGrid ----------------------------------------------------------------------------


def test_sendgrid_batch_and_published_quirks() -> None:
    batch = values(read("sendgrid_webhook_batch.json"))
    assert batch[("hard_bounce_rate", "")] == pytest.approx(33.333)
    assert batch[("soft_bounce_rate", "")] == pytest.approx(33.333)  # type: blocked
    # The page's combined example uses sg_event_id "sg_event_id" for every event.
    placeholder = read("sendgrid_docs_placeholder_ids.json")
    assert placeholder.skipped["duplicate events (same event id seen earlier in the file)"] == 7
    awkward = read("sendgrid_awkward.json")  # "Processed" with a string timestamp
    assert awkward.skipped == {"other event types": 1}


# -- Google Postmaster Tools -------------------------------------------------------------


def test_postmaster_v1_day_with_errors_above_one_is_imported_per_class() -> None:
    # v1 DeliveryError: "The ratio of messages where the error occurred vs all
    # authenticated traffic", per (class, type): no rule that a day adds up to 1.
    parsed = read("postmaster_v1_trafficStats_list.json")
    days = sorted({p.at for p in parsed.points})
    assert len(days) == 2
    errors = [p for p in parsed.points if p.metric == "delivery_error_rate"]
    assert [round(p.value, 3) for p in errors] == [0.4, 62.0]
    assert errors[1].note.startswith("permanent 55%, temporary 62%")
    assert any("inboundEncryptionRatio" in note for note in parsed.notes)


def test_postmaster_v2_names_from_the_query_body_in_the_same_file() -> None:
    parsed = read("postmaster_v2_query_then_response.json")
    found = values(parsed)
    assert found[("complaint_rate", "")] == 0.61  # SPAM_RATE 0.0061
    assert found[("dkim_pass_rate", "")] == 99.8  # AUTH_SUCCESS_RATE, auth_type = "dkim"
    assert found[("delivery_error_rate", "reject")] == 55.0  # error_type = "reject"
    assert parsed.skipped == {NOT_KEPT: 1}  # DELIVERY_ERROR_COUNT
    assert V2_NOTE in parsed.notes and parsed.domain == "mail.example.com"


def test_postmaster_v2_answer_alone_standard_names_map_and_query_option(tmp_path: Path) -> None:
    alone = read("postmaster_v2_domainStats_query_response.json")
    assert values(alone) == {("complaint_rate", ""): 0.61}  # "spam_rate" is SPAM_RATE
    assert alone.skipped[UNKNOWN] == 2
    assert any("--map NAME=STANDARD_METRIC" in note for note in alone.notes)
    mapped = read(
        "postmaster_v2_domainStats_query_response.json",
        ImportHints.from_options(
            ["dkim_success=auth_success_rate:dkim", "delivery_errors_reject=Delivery-Error-Rate"],
            None,
        ),
    )
    assert values(mapped)[("dkim_pass_rate", "")] == 99.8
    assert values(mapped)[("delivery_error_rate", "")] == 55.0
    queried = read(
        "postmaster_v2_domainStats_query_response.json",
        ImportHints.from_options([], SPEC / "postmaster_v2_domainStats_query_request.json"),
    )
    assert values(queried) == values(read("postmaster_v2_query_then_response.json"))
    with pytest.raises(ImportProblem, match="NAME=STANDARD_METRIC"):
        ImportHints.from_options(["spam=REPUTATION"], None)
    with pytest.raises(ImportProblem, match="not a domainStats query body"):
        ImportHints.from_options([], SPEC / "postmaster_v2_domainStats_query_response.json")


def test_postmaster_v2_compliance_status(store: Store, incident: Incident) -> None:
    parsed = read("postmaster_v2_complianceStatus.json")
    found = {p.subject: (p.value, p.note) for p in parsed.points}
    assert found["ONE_CLICK_UNSUBSCRIBE"] == (0.0, "Google's reason: NO_UNSUB_PROMO_SPAM_REPORTS")
    assert found["USER_REPORTED_SPAM_RATE"][0] == 0.0 and found["SPF"][0] == 1.0
    assert found["subdomain SPF_AND_DKIM"][0] == 1.0
    assert all(p.at is None for p in parsed.points)  # no date in the document
    report = import_file(
        store, incident.id, SPEC / "postmaster_v2_complianceStatus.json", operator="s"
    )
    assert report.points == 7 and report.domain == "mail.example.com"


def test_a_postmaster_day_with_a_wrong_value_is_left_out_and_named(tmp_path: Path) -> None:
    text = (SPEC / "postmaster_v1_trafficStats_list.json").read_text()
    bad = tmp_path / "pm.json"
    bad.write_text(text.replace('"dkimSuccessRatio": 0.998', '"dkimSuccessRatio": 99.8'))
    parsed, _ = read_file(bad)
    assert parsed.skipped == {postmaster.SKIP_DAY: 1}
    assert any("item 1: dkimSuccessRatio is 99.8" in note for note in parsed.notes)
    assert {p.at.day for p in parsed.points if p.at} == {1}  # 20251201 kept


# -- Microsoft SNDS ----------------------------------------------------------------------


def test_snds_ip_status_feed_is_named_in_the_error() -> None:
    with pytest.raises(ImportProblem, match="SNDS IP-status feed"):
        read_file(SPEC / "snds_ipstatus.csv")
    with pytest.raises(ImportProblem, match="SNDS IP-status feed"):
        read_file(SPEC / "snds_ipstatus.csv", "snds")


def test_snds_data_feed() -> None:
    found = values(read("snds_data.csv"))
    assert found[("snds_filter", "192.0.2.12")] == 0  # RED
    assert found[("complaint_rate", "192.0.2.11")] == 0.3


def _summary(parsed: Parsed) -> list[str]:
    return [f"{count} {reason}" for reason, count in parsed.skipped.items()]
