"""The postmortem: golden files, partial incidents, escaping, templates, missing modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from email_crisis.core.base.errors import NotFound
from email_crisis.core.base.settings import TEMPLATES_ENV
from email_crisis.core.base.templates import TemplateProblem
from email_crisis.core.close import lifecycle, report
from email_crisis.core.own import incidents as ops
from email_crisis.core.store.database import Store
from tests.conftest import FROZEN_NOW
from tests.core.plan.helpers import build_history

GOLDEN = Path(__file__).parent / "golden"
# Regenerate with: UPDATE_GOLDEN=1 pytest tests/core/close
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == path.read_bytes(), f"{name} differs; see the diff above"


@pytest.fixture
def history(store: Store) -> tuple[int, int]:
    return build_history(store)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_full_report_matches_the_golden_file(
    store: Store, history: tuple[int, int], fmt: str
) -> None:
    full, _ = history
    text = report.render_report(report.build_report(store, full, FROZEN_NOW), fmt)
    _golden(f"postmortem.{fmt}", text)


def test_partial_report_matches_the_golden_file(store: Store, history: tuple[int, int]) -> None:
    _, partial = history
    _golden("partial.md", report.render_report(report.build_report(store, partial, FROZEN_NOW)))


def test_the_report_is_the_same_from_a_copy_of_the_database(
    store: Store, history: tuple[int, int], tmp_path: Path
) -> None:
    full, _ = history
    first = report.render_report(report.build_report(store, full, FROZEN_NOW), "html")
    copy = Store.open(store.backup(tmp_path / "copy.db"), clock=store.clock)
    try:
        assert report.render_report(report.build_report(copy, full, FROZEN_NOW), "html") == first
    finally:
        copy.close()


def test_a_partial_incident_says_what_is_missing(store: Store, history: tuple[int, int]) -> None:
    _, partial = history
    built = report.build_report(store, partial, FROZEN_NOW)
    assert built.state == "open"
    assert built.missing == [
        "The incident is not resolved: this report is provisional.",
        "Nobody acknowledged the incident.",
        "No containment time recorded.",
        "No assessment recorded.",
        "No plan tasks recorded.",
        "No internal statement written.",
        "No monitoring outcome recorded.",
    ]
    assert [(m.value, m.note) for m in built.measures] == [("not yet", "open for 30m")] * 4
    html = report.render_report(built, "html")
    assert "No plan tasks recorded." in html and "No closing summary was written." in html


def test_full_report_content(store: Store, history: tuple[int, int]) -> None:
    full, _ = history
    built = report.build_report(store, full, FROZEN_NOW)
    assert built.state == "resolved"
    assert [m.value for m in built.measures] == ["12m", "49m", "never", "1d 07h"]
    assert built.summary == "The 2019 list was re-imported by a sync job.\nSuppressions re-applied."
    labels = [line.label for line in built.decisions]
    assert labels[0] == "No apology sent because"
    assert "mailing them again is the harm itself" in built.decisions[0].value
    assert {"Severity", "Task dropped", "Reopened"} <= set(labels)
    texts = [moment.text for moment in built.timeline]
    assert texts[-2].startswith("reopened the incident")
    assert not any("edited plan task" in text for text in texts)  # churn stays in the log
    assert [t.status for t in built.tasks][:3] == ["Done", "Dropped", "To do"]


def test_script_in_a_title_is_text_in_html_and_in_markdown(store: Store) -> None:
    """Issue 14: most Markdown viewers render raw HTML, so the Markdown escapes it too."""
    incident = ops.declare(
        store, title="<script>alert('x')</script> & co", kind="other", operator="sam"
    )
    lifecycle.resolve(
        store,
        incident,
        "sam",
        summary='Fixed. <img src=x onerror="alert(1)"> ``` <svg onload=alert(2)>',
        reason="Closed for the test; the apology decision is not part of it.",
    )
    notes = "<svg onload=alert(3)>"
    reopened = lifecycle.reopen(store, store.get_incident(incident.id), "sam", notes)
    built = report.build_report(store, reopened.id, FROZEN_NOW)
    html = report.render_report(built, "html")
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in html
    markdown = report.render_report(built, "md")
    title = "&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"
    assert f"# Postmortem: incident 1, {title}\n" in markdown
    assert "&lt;svg onload=alert(3)&gt;" in markdown  # the reopening reason, in a list item
    # Outside code blocks no tag survives; inside one (the summary) text stays as typed.
    outside = markdown.split("````text")[0] + markdown.split("````\n", 1)[-1]
    assert "<script" not in outside and "<svg" not in outside and "<img" not in outside
    assert '````text\nFixed. <img src=x onerror="alert(1)"> ``` <svg onload=alert(2)>\n````' in (
        markdown
    )


def test_multi_line_text_is_fenced_so_it_stays_literal(store: Store) -> None:
    incident = ops.declare(store, title="Fences", kind="other", operator="sam")
    summary = "Before\n```\n## not a heading\n````\nafter"
    lifecycle.resolve(store, incident, "sam", summary=summary, reason="A test of the fences.")
    markdown = report.render_report(report.build_report(store, incident.id, FROZEN_NOW))
    assert "`````text\nBefore\n```\n## not a heading\n````\nafter\n`````\n" in markdown


def test_an_organisation_template_wins(
    store: Store, history: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = tmp_path / "org"
    (org / "report").mkdir(parents=True)
    (org / "report" / "postmortem.md.j2").write_text("ACME {{ report.incident_id }}\n")
    monkeypatch.setenv(TEMPLATES_ENV, str(org))
    full, _ = history
    assert report.render_report(report.build_report(store, full, FROZEN_NOW)) == f"ACME {full}\n"


def test_a_broken_organisation_template_names_its_line(
    store: Store, history: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = tmp_path / "org"
    (org / "report").mkdir(parents=True)
    (org / "report" / "postmortem.html.j2").write_text("<p>\n{{ report.nothing }}</p>\n")
    monkeypatch.setenv(TEMPLATES_ENV, str(org))
    full, _ = history
    with pytest.raises(TemplateProblem, match=r"postmortem.html.j2, line 2"):
        report.render_report(report.build_report(store, full, FROZEN_NOW), "html")


def test_a_saved_assessment_shows_as_impact(store: Store, history: tuple[int, int]) -> None:
    assess = pytest.importorskip("email_crisis.core.assess.form")
    full, _ = history
    incident = store.get_incident(full)
    assess.update_assessment(store, incident, {"affected_count": "1200"}, operator="priya")
    built = report.build_report(store, full, FROZEN_NOW)
    assert report.Line("Subscribers affected", "1200") in built.impact or any(
        "1200" in line.value or "1,200" in line.value for line in built.impact
    )
    assert "No assessment recorded." not in built.missing


def test_a_breach_lists_every_clock_with_its_citation_and_the_guidance_notice(
    store: Store,
) -> None:
    from email_crisis.core.assess import form as assess

    incident = ops.declare(store, title="Login table taken", kind="data-breach", operator="noor")
    assess.update_assessment(
        store,
        incident,
        {
            "data_exposed": "email-addresses, credentials",
            "affected_count": "300",
            "affected_by_place": "UK 200, South Africa 40, CA 60",
        },
        operator="noor",
    )
    built = report.build_report(store, incident.id, FROZEN_NOW)
    assert built.breach is not None
    assert "not legal advice" in built.breach.notice
    ico = next(c for c in built.breach.clocks if c.audience == "ICO")
    assert ico.due == "2026-11-30 09:30 (in 72h 00m)"
    assert ico.local == "Mon 2026-11-30 09:30 GMT"
    assert ico.source.startswith(
        "UK GDPR (retained Regulation (EU) 2016/679 as amended) Art. 33(1)"
    )
    assert "checked against the regulator's guidance" in ico.source and not ico.secondary
    popia = next(c for c in built.breach.clocks if c.jurisdiction == "South Africa")
    assert popia.secondary and "checked only against secondary sources" in popia.source
    assert (
        report.Line(
            "Affected per place", "United Kingdom 200, California 60, South Africa 40 (typed in)"
        )
        in built.impact
    )
    markdown = report.render_report(built, "md")
    assert "## Breach-notification deadlines" in markdown
    assert f"*{built.breach.notice}*" in markdown
    assert "CA AG (60 affected in California; from 501)" in markdown
    html = report.render_report(built, "html")
    assert "<h2>Breach-notification deadlines</h2>" in html
    assert 'class="overdue">Protection of Personal Information Act 4 of 2013' in html


def test_an_unknown_incident_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        report.build_report(store, 42, FROZEN_NOW)


def test_the_apology_as_sent_is_the_exported_version(store: Store) -> None:
    notify = pytest.importorskip("email_crisis.core.notify.drafts")
    store_notify = pytest.importorskip("email_crisis.core.notify.store")
    incident = ops.declare(store, title="Wrong price", kind="wrong-content", operator="sam")
    first = notify.save_draft(
        store,
        incident,
        {"subject": "We made a mistake", "from_address": "news@example.com", "body": "v1"},
        "sam",
    )
    store_notify.record_export(
        store,
        incident.id,
        operator="sam",
        draft_version=first.version,
        file_name="a.eml",
        audience_file=None,
        audience_count=None,
        override_reason=None,
        overridden_rules=(),
    )
    notify.save_draft(store, incident, {"body": "v2 <never exported>"}, "sam")
    notify.mark_sent(store, store.get_incident(incident.id), "sam")
    built = report.build_report(store, incident.id, FROZEN_NOW)
    assert report.Line("Subject", "We made a mistake") in built.apology
    assert report.Line("Draft version", "1") in built.apology
    assert built.apology_body == "v1"
    assert built.decisions[0].value.startswith("sent 2026-11-27 09:30 UTC")


def test_monitoring_shows_the_latest_values(store: Store) -> None:
    metrics = pytest.importorskip("email_crisis.core.monitor.metrics")
    incident = ops.declare(store, title="Bounces", kind="other", operator="sam")
    metrics.add_point(
        store, incident.id, metric="bounce_rate", at=FROZEN_NOW, value="0.4", operator="sam"
    )
    built = report.build_report(store, incident.id, FROZEN_NOW)
    assert built.monitoring[0].label == "Overall"
    assert len(built.monitoring) == 2 and "0.4%" in built.monitoring[1].value
    assert "No monitoring outcome recorded." not in built.missing


def test_a_broken_suggestions_file_does_not_stop_the_report(
    store: Store, history: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from email_crisis.core.plan.tasks import SUGGESTIONS_ENV

    broken = tmp_path / "broken.toml"
    broken.write_text("[roles\n", encoding="utf-8")
    monkeypatch.setenv(SUGGESTIONS_ENV, str(broken))
    full, _ = history
    built = report.build_report(store, full, FROZEN_NOW)
    assert built.tasks[0].role == "marketing"  # the id, for want of a label
