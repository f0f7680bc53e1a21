"""Before/after in words (English and French) and the proceed-with-caution checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from email_crisis.core.base.domain import Incident
from email_crisis.core.monitor.caution import checklist, compare, streak_under, wording
from email_crisis.core.monitor.metrics import import_file
from email_crisis.core.monitor.store import Point
from email_crisis.core.monitor.thresholds import ENV, load
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.core.monitor.conftest import fixture

Write = Callable[[str, str], Path]

SCENE = """time,metric,value
2026-11-20T10:00Z,complaint_rate,0.03
2026-11-22T10:00Z,complaint_rate,0.05
2026-11-25T10:00Z,complaint_rate,0.40
2026-11-26T10:00Z,complaint_rate,0.42
2026-11-21T00:00Z,domain_reputation,HIGH
2026-11-26T00:00Z,domain_reputation,LOW
2026-11-21T10:00Z,hard_bounce_rate,0.5
2026-11-25T10:00Z,hard_bounce_rate,0.52
2026-11-25T12:00Z,inbox_placement,71.5
2026-11-21T10:00Z,unsubscribe_rate,0.2
2026-11-10T10:00Z,complaint_rate,9
"""


@pytest.fixture
def scene(store: Store, incident: Incident, write: Write) -> Incident:
    import_file(store, incident.id, write("scene.csv", SCENE), operator="sam")
    return incident


def sentences(store: Store, incident: Incident, language: str = "en") -> dict[str, str]:
    return {c.metric: c.sentence for c in compare(store, incident, language=language)}


def test_before_and_after_in_english(store: Store, scene: Incident) -> None:
    said = sentences(store, scene)
    assert said == {
        "complaint_rate": "Spam complaints rose from 0.04% to 0.41%, "
        "over the 0.3% limit of Gmail and Yahoo for bulk senders.",
        "domain_reputation": "Gmail domain reputation fell from HIGH to LOW, "
        "down to LOW: Gmail is likely to send this mail to spam.",
        "hard_bounce_rate": "Hard bounces held at about 0.52%, healthy.",
        "inbox_placement": "Inbox placement averaged 71.5% since the incident, "
        "with nothing before it to compare.",
        "unsubscribe_rate": "Unsubscribes: nothing since the incident yet (0.2% before it).",
    }


def test_before_and_after_in_french(store: Store, scene: Incident) -> None:
    said = sentences(store, scene, "fr")
    assert said["complaint_rate"] == (
        "Le taux de plaintes pour spam a augmenté de 0,04\u00a0% à 0,41\u00a0%, "
        "au-delà de la limite de 0,3 % de Gmail et Yahoo pour les envois en masse."
    )
    assert said["domain_reputation"].startswith(
        "La réputation du domaine chez Gmail a baissé de HIGH à LOW, descendue à LOW"
    )
    assert said["hard_bounce_rate"] == (
        "Le taux de rebonds durs n'a guère bougé, autour de 0,52\u00a0%, niveau sain."
    )


def test_comparisons_come_worst_first_with_their_numbers(store: Store, scene: Incident) -> None:
    found = compare(store, scene)
    assert [c.status for c in found][:2] == ["critical", "critical"]
    complaint = next(c for c in found if c.metric == "complaint_rate")
    assert (complaint.before, complaint.after, complaint.latest, complaint.trend) == (
        pytest.approx(0.04),
        pytest.approx(0.41),
        0.42,
        "up",
    )
    assert complaint.band is not None and complaint.band.status == "critical"


def test_points_older_than_the_baseline_are_left_out(store: Store, scene: Incident) -> None:
    complaint = next(c for c in compare(store, scene) if c.metric == "complaint_rate")
    assert complaint.before == pytest.approx(0.04)  # the 9% of 2026-11-10 is not in it


def test_two_sources_of_one_metric_are_named(store: Store, scene: Incident) -> None:
    import_file(store, scene.id, fixture("postmaster_traffic_stats.json"), operator="sam")
    said = [c.sentence for c in compare(store, scene) if c.metric == "complaint_rate"]
    assert len(said) == 2
    assert any(s.startswith("Spam complaints (postmaster) ") for s in said)
    assert any(s.startswith("Spam complaints (csv) rose") for s in said)


def test_counts_carry_their_unit(store: Store, incident: Incident) -> None:
    import_file(store, incident.id, fixture("snds_data.csv"), operator="sam")
    said = sentences(store, incident)
    assert said["volume"].startswith("Sending volume averaged 24,133 messages since")
    assert "averaged 15 hits" in said["trap_hits"]  # (0 + 3 + 41) / 3, rounded


def items(
    store: Store, incident: Incident, language: str = "en"
) -> dict[str, tuple[str, str, str]]:
    return {i.id: (i.level, i.text, i.why) for i in checklist(store, incident, language=language)}


def test_checklist_from_high_complaints_and_low_reputation(store: Store, scene: Incident) -> None:
    found = checklist(store, scene)
    assert [i.id for i in found] == [
        "hold_volume",
        "reputation",
        "engaged_first",
        "authentication",
        "one_click",
    ]
    hold = found[0]
    assert hold.level == "critical"
    assert "under 0.1% for several days in a row" in hold.text
    assert "7 consecutive days under 0.3%" in hold.text
    assert hold.why == "0 of 7 days in a row under 0.3% so far; latest 0.42%."
    assert found[1].why == "Latest Gmail domain reputation: LOW."
    assert "most engaged subscribers first" in found[2].text
    assert "SPF, DKIM and DMARC" in found[3].text
    assert "List-Unsubscribe-Post" in found[4].text


def test_checklist_in_french(store: Store, scene: Incident) -> None:
    found = items(store, scene, "fr")
    assert "7 jours consécutifs sous 0,3\u00a0%" in found["hold_volume"][1]
    assert found["hold_volume"][2] == (
        "0 jour(s) de suite sous 0,3\u00a0% sur les 7 nécessaires ; dernière valeur 0,42\u00a0%."
    )
    assert "désabonnement en un clic" in found["one_click"][1]


def test_without_data_the_checklist_asks_for_it(store: Store, incident: Incident) -> None:
    found = items(store, incident)
    assert found["no_complaint_data"][0] == "warning"
    assert found["engaged_first"][0] == "warning"
    assert "hold_volume" not in found


@pytest.mark.parametrize(
    ("kind", "item"),
    [("suppression-list-send", "suppression_list"), ("data-breach", "data_breach")],
)
def test_kind_specific_items_come_first(store: Store, kind: str, item: str) -> None:
    incident = ops.declare(store, title="Oops", kind=kind, operator="sam")
    found = checklist(store, incident)
    assert (found[0].id, found[0].level) == (item, "critical")


def test_recovering_complaints_still_hold_volume_until_the_streak(
    store: Store, incident: Incident, write: Write
) -> None:
    rows = ["2026-11-25T10:00Z,complaint_rate,0.5", "2026-11-26T10:00Z,complaint_rate,0.05"]
    rows.append("2026-11-27T08:00Z,complaint_rate,0.04")
    import_file(
        store, incident.id, write("r.csv", "time,metric,value\n" + "\n".join(rows)), operator="sam"
    )
    level, _text, why = items(store, incident)["hold_volume"]
    assert level == "warning"  # the latest value is healthy again
    assert why.startswith("2 of 7 days in a row under 0.3%")


def test_seven_clean_days_lift_the_volume_hold(store: Store, write: Write) -> None:
    early = datetime(2026, 11, 15, tzinfo=timezone.utc)
    incident = ops.declare(
        store, title="Earlier", kind="wrong-content", operator="sam", detected_at=early
    )
    rows = ["2026-11-15T10:00Z,complaint_rate,0.5"]
    rows += [f"2026-11-{day}T10:00Z,complaint_rate,0.05" for day in range(20, 27)]
    import_file(
        store, incident.id, write("c.csv", "time,metric,value\n" + "\n".join(rows)), operator="sam"
    )
    assert "hold_volume" not in items(store, incident)


def test_other_signals_add_their_items(store: Store, incident: Incident, write: Write) -> None:
    rows = [
        "2026-11-21T10:00Z,unsubscribe_rate,0.1",
        "2026-11-25T10:00Z,unsubscribe_rate,0.5",
        "2026-11-25T10:00Z,hard_bounce_rate,6",
        "2026-11-25T10:00Z,dkim_pass_rate,92",
        "2026-11-25T10:00Z,snds_filter,RED",
        "2026-11-25T10:00Z,trap_hits,3",
        "2026-11-25T10:00Z,complaint_rate,0.02",
    ]
    import_file(
        store, incident.id, write("s.csv", "time,metric,value\n" + "\n".join(rows)), operator="sam"
    )
    found = items(store, incident)
    assert found["clean_bounces"][0] == "critical"
    assert "places an account under review" in found["clean_bounces"][2]
    assert found["outlook"][0] == "critical" and "(RED)" in found["outlook"][1]
    assert found["traps"][2] == "3 trap hit(s) since the incident."
    assert found["authentication"][:1] == ("warning",)
    assert found["authentication"][2] == "DKIM passes only 92% since the incident."
    assert found["unsubscribes"][2] == "Unsubscribes went from 0.1% to 0.5%."
    assert "hold_volume" not in found and "no_complaint_data" not in found


def test_the_organisation_thresholds_show_in_the_text(
    store: Store, scene: Incident, tmp_path: Path
) -> None:
    org = tmp_path / "org.toml"
    org.write_text(
        "[complaint_rate]\n[[complaint_rate.bands]]\nstatus = 'warning'\nat = 0.05\n"
        "label = 'over our limit'\nsource = 'https://intranet.example.com/p'\n"
        "reviewed = 2026-10-01\n"
        "[[complaint_rate.bands]]\nstatus = 'critical'\nat = 0.2\n"
        "label = 'far over our limit'\nsource = 'https://intranet.example.com/p'\n"
        "reviewed = 2026-10-01\n",
        encoding="utf-8",
    )
    rules = load({ENV: str(org)})
    hold = next(i for i in checklist(store, scene, thresholds=rules) if i.id == "hold_volume")
    assert "under 0.05%" in hold.text and "under 0.2%" in hold.text
    said = {c.metric: c.sentence for c in compare(store, scene, thresholds=rules)}
    assert said["complaint_rate"].endswith("to 0.41%, far over our limit.")


def point(day: int, value: float, qualifier: str = "") -> Point:
    at = datetime(2026, 11, day, 10, tzinfo=timezone.utc)
    return Point(0, 1, "", "", "complaint_rate", at, value, qualifier, "csv", "")


def test_streak_counts_back_from_the_newest_day() -> None:
    assert streak_under([point(20, 0.5), point(21, 0.05), point(22, 0.05)], 0.1) == 2
    assert streak_under([point(21, 0.05), point(23, 0.05)], 0.1) == 1  # a day without data
    assert streak_under([point(22, 0.05), point(22, 0.2)], 0.1) == 0  # the day's highest counts
    assert streak_under([point(22, 0.1, "<")], 0.1) == 1  # "< 0.1%" is under 0.1
    assert streak_under([], 0.1) == 0


def test_every_language_has_every_phrase() -> None:
    data = wording()

    def keys(table: dict, prefix: str = "") -> set[str]:
        found = set()
        for key, value in table.items():
            found |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return found

    assert keys(data["en"]) == keys(data["fr"])
    assert {f"what.{m}" for m in ("complaint_rate", "volume")} <= keys(data["en"])


def test_levels_are_not_averaged_in_words(store: Store, incident: Incident, write: Write) -> None:
    rows = [
        "2026-11-21T00:00Z,ip_reputation,HIGH",
        "2026-11-26T00:00Z,ip_reputation,HIGH",
        "2026-11-26T00:00Z,snds_filter,YELLOW",
    ]
    import_file(
        store, incident.id, write("l.csv", "time,metric,value\n" + "\n".join(rows)), operator="sam"
    )
    said = sentences(store, incident)
    assert said["ip_reputation"] == "Gmail IP reputation stayed at HIGH, healthy."
    assert said["snds_filter"] == (
        "The Outlook filter verdict is YELLOW since the incident, with nothing before it to "
        "compare, YELLOW at Outlook: its filter judged 10% to 90% of this mail as spam."
    )
    french = sentences(store, incident, "fr")
    assert (
        french["ip_reputation"]
        == "La réputation des IP chez Gmail n'a pas changé : HIGH, niveau sain."
    )
