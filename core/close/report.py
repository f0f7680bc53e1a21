"""The postmortem: everything known about one incident, as plain data, then rendered.

``build_report`` gathers the record (incident, its steps, event log, statement, plan,
and the assessment, containment, apology and monitoring where they are filled in);
``render_report`` turns it into Markdown or a standalone HTML page with the Jinja2
templates ``report/postmortem.{md,html}.j2`` (the organisation's copy wins).

The report depends only on the database and the ``now`` passed in, so the same
database gives the same bytes. A step nobody filled in is named in ``missing``
instead of failing. User text is kept as typed, with control characters made
visible; HTML escaping is the template environment's job (autoescape).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess.decisions import apology_decision
from email_crisis.core.assess.form import FIELDS, field_words
from email_crisis.core.assess.store import load_assessment
from email_crisis.core.base.clock import humanize, local
from email_crisis.core.base.domain import KINDS, SEVERITIES, STEP_LABELS, Event, Incident
from email_crisis.core.base.templates import environment, render
from email_crisis.core.base.text import visible
from email_crisis.core.close.events_text import describe
from email_crisis.core.close.report_breach import BreachSection, breach_section
from email_crisis.core.close.stats import MEASURE_LABELS, MEASURES
from email_crisis.core.contain.actions import STATUSES as ACTION_STATUSES
from email_crisis.core.contain.playbooks import ROLES
from email_crisis.core.contain.store import fetch_actions
from email_crisis.core.monitor.metric_ids import format_value, metric_label
from email_crisis.core.monitor.metrics import badge, status_of
from email_crisis.core.monitor.store import latest_points
from email_crisis.core.notify.decline import declined
from email_crisis.core.notify.store import get_draft
from email_crisis.core.plan.store import PlanTask, list_tasks
from email_crisis.core.plan.tasks import (
    STATUSES,
    TASK_KINDS,
    PlanDataError,
    load_suggestions,
)
from email_crisis.core.steps import machine
from email_crisis.core.store.database import Store

FORMATS = {"md": "report/postmortem.md.j2", "html": "report/postmortem.html.j2"}
NOT_RECORDED = "not recorded"

# Moments worth a line in the timeline; edits, moves and draft saves stay in the log.
_KEY_EVENTS = frozenset(
    {
        "declared",
        "acknowledged",
        "commander_set",
        "severity_changed",
        "step_advanced",
        "statement_written",
        "contained",
        "escalated",
        "audience_imported",
        "apology_lock_overridden",
        "notify_export_override",
        "apology_exported",
        "apology_sent",
        "apology_declined",
        "watch_ended",
        "resolved",
        "reopened",
        "note",
    }
)
_KEY_STATUS = {
    "contain_action_status": ("done", "skipped", "failed"),
    "plan_task_status": ("done", "dropped"),
}


@dataclass(frozen=True)
class Line:
    """A labelled value."""

    label: str
    value: str


@dataclass(frozen=True)
class Moment:
    """One line of the timeline."""

    at: str
    operator: str
    text: str


@dataclass(frozen=True)
class Measure:
    """A time-to-X figure, or why there is none."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class TaskLine:
    """A follow-up task as the report shows it."""

    number: int
    title: str
    kind: str
    role: str
    owner: str
    due: str
    status: str
    overdue: bool


@dataclass(frozen=True)
class Report:
    """Everything the postmortem templates show; strings only, ready to print."""

    incident_id: int
    title: str
    kind: str
    severity: str
    state: str
    as_of: str
    facts: list[Line]
    summary: str | None
    measures: list[Measure]
    steps: list[Line]
    timeline: list[Moment]
    impact: list[Line]
    containment: list[Line]
    decisions: list[Line]
    statement: str | None
    statement_note: str
    apology: list[Line]
    apology_body: str | None
    monitoring: list[Line]
    tasks: list[TaskLine]
    missing: list[str] = field(default_factory=list)
    breach: BreachSection | None = None


def when(moment: datetime | None) -> str:
    """A moment in local time with its zone, so a shared report is unambiguous."""
    return local(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else NOT_RECORDED


def _text(value: str | None) -> str:
    """One line of user text, safe to print (newlines become spaces)."""
    return visible(value, single_line=True) if value else ""


def _block(value: str | None) -> str | None:
    """Multi-line user text, safe to print (line breaks kept)."""
    return visible(value) if value else None


def _timeline(events: Sequence[Event]) -> list[Moment]:
    moments = []
    for event in events:
        statuses = _KEY_STATUS.get(event.type)
        if event.type in _KEY_EVENTS or (statuses and event.details.get("to") in statuses):
            moments.append(Moment(when(event.at), _text(event.operator), _text(describe(event))))
    return moments


def _measures(incident: Incident, now: datetime) -> list[Measure]:
    measures = []
    for name, field_name in MEASURES.items():
        reached: datetime | None = getattr(incident, field_name)
        label = MEASURE_LABELS[name]
        if reached is not None:
            measures.append(Measure(label, humanize(reached - incident.detected_at)))
        elif incident.resolved_at is None:
            measures.append(
                Measure(label, "not yet", f"open for {humanize(now - incident.detected_at)}")
            )
        else:
            measures.append(Measure(label, "never", "resolved without it"))
    return measures


def _steps(store: Store, incident: Incident, now: datetime) -> list[Line]:
    """Each of the six steps: how it was left (by the rules, by hand and why) or where it is."""
    lines = []
    for step in machine.statuses(store, incident, now):
        name = f"{step.number} {step.label}"
        passage = step.passage
        if step.state == "ahead":
            lines.append(Line(name, "not reached"))
            continue
        if passage is not None and passage.by_hand:
            how = f"passed by hand {when(passage.at)} ({passage.operator}): {passage.reason}"
            if passage.missing:
                how += f" (not done: {'; '.join(passage.missing)})"
        elif step.state == "done" and passage is not None:
            how = f"complete {when(passage.at)} ({'; '.join(step.done) or 'by the rules'})"
        elif step.state == "done":
            how = "complete"
        elif step.complete:
            how = f"reached {when(step.since)}; complete: {'; '.join(step.done)}"
        else:
            how = f"reached {when(step.since)}; still missing: {'; '.join(step.missing)}"
        lines.append(Line(name, _text(how)))
    return lines


def _summary(events: Sequence[Event]) -> str | None:
    resolutions = [e for e in events if e.type == "resolved" and e.details.get("summary")]
    return _block(resolutions[-1].details["summary"]) if resolutions else None


def _impact(store: Store, incident: Incident) -> list[Line]:
    assessment = load_assessment(store, incident)
    if not assessment.version:
        return []
    shown = [
        (spec.label, field_words(assessment, name)) for name, spec in FIELDS.items() if spec.shown
    ]
    lines = [Line(label, _text(value)) for label, value in shown if value not in ("", "no")]
    by = f"{assessment.updated_by}, {when(assessment.updated_at)}"
    return [*lines, Line("Last updated", _text(by))]


def _containment(store: Store, incident: Incident) -> list[Line]:
    lines = []
    for action in fetch_actions(store, incident.id):
        role = ROLES.get(action.owner_role or "", action.owner_role)
        who = " of ".join(x for x in (action.owner_person, role) if x) or "unassigned"
        why = f": {action.reason}" if action.reason else ""
        status = ACTION_STATUSES.get(action.status, action.status).lower()
        lines.append(Line(_text(action.title), _text(f"{status} ({who}){why}")))
    return lines


def _apology_verdict(store: Store, incident: Incident) -> tuple[bool, str]:
    """Whether an apology should go out, and why."""
    override = apology_lock.latest_override(store, incident.id)
    decision = apology_decision(incident.kind, load_assessment(store, incident), override)
    return decision.send, decision.reason


def _decisions(store: Store, incident: Incident, events: Sequence[Event]) -> list[Line]:
    should_send, reason = _apology_verdict(store, incident)
    decision = declined(store, incident.id)
    if incident.notified_at is None and decision is not None:
        who = f"{decision.operator}, {when(decision.at)}"
        lines = [Line("No apology sent", _text(f"{decision.details.get('reason', '')} ({who})"))]
    elif incident.notified_at is None and not should_send:
        lines = [Line("No apology sent because", _text(reason))]
    elif incident.notified_at is None:
        lines = [
            Line("Apology", _text(f"not sent yet. Guidance: {reason}"))
            if incident.resolved_at is None
            else Line("No apology sent", _text(f"although the guidance was to send one: {reason}"))
        ]
    else:
        lines = [Line("Apology", _text(f"sent {when(incident.notified_at)}; {reason}"))]
    for e in events:
        d, who = e.details, f"{e.operator}, {when(e.at)}"
        if e.type == "severity_changed":
            lines.append(Line("Severity", _text(f"{d.get('from')} to {d.get('to')} ({who})")))
        elif e.type == "escalated":
            lines.append(Line("Escalated", _text(f"{describe(e)} ({who})")))
        elif e.type in ("apology_lock_overridden", "notify_export_override"):
            lines.append(Line("Override", _text(f"{d.get('reason', '')} ({who})")))
        elif e.type == "contain_action_status" and d.get("to") in ("skipped", "failed"):
            lines.append(Line(f"Containment {d.get('to')}", _text(f"{describe(e)} ({who})")))
        elif e.type == "plan_task_status" and d.get("to") == "dropped":
            lines.append(
                Line("Task dropped", _text(f"{d.get('title')}: {d.get('note', '')} ({who})"))
            )
        elif e.type == "reopened":
            lines.append(Line("Reopened", _text(f"{d.get('reason', '')} ({who})")))
        elif e.type == "step_advanced" and d.get("by") == "hand":
            lines.append(Line("Step passed by hand", _text(f"{describe(e)} ({who})")))
        elif e.type == "watch_ended":
            lines.append(Line("Watch ended early", _text(f"{d.get('reason', '')} ({who})")))
        elif e.type == "resolved" and d.get("warnings"):
            despite = "; ".join(str(w) for w in d["warnings"])
            why = f"{despite}. Reason: {d.get('reason', '')} ({who})"
            lines.append(Line("Closed despite", _text(why)))
    return lines


def _apology(
    store: Store, incident: Incident, events: Sequence[Event]
) -> tuple[list[Line], str | None]:
    versions = [
        e.details.get("version") for e in events if e.type in ("apology_sent", "apology_exported")
    ]
    versions = [v for v in versions if isinstance(v, int)]
    if not versions:
        return [], None
    draft = get_draft(store, incident.id, versions[-1])
    status = (
        f"sent {when(incident.notified_at)}"
        if incident.notified_at
        else "exported, not marked sent"
    )
    lines = [
        Line("Status", status),
        Line("Draft version", str(draft.version)),
        Line("From", _text(draft.from_address)),
        Line("Reply-To", _text(draft.reply_to)),
        Line("Subject", _text(draft.subject)),
    ]
    return [line for line in lines if line.value], _block(draft.body)


def _monitoring(store: Store, incident: Incident) -> list[Line]:
    """The newest value of every monitored series, judged against the thresholds."""
    latest = latest_points(store, incident.id)
    if not latest:
        return []
    lines = [Line("Overall", str(badge(store, incident.id)))]
    for point in latest:
        scope = point.subject or point.domain
        name = metric_label(point.metric) + (f" ({scope})" if scope else "")
        value = format_value(point.metric, point.value, point.qualifier)
        status = status_of(point)
        lines.append(Line(_text(name), _text(f"{value} at {when(point.at)}: {status}")))
    return lines


def _tasks(tasks: Sequence[PlanTask], now: datetime, roles: dict[str, str]) -> list[TaskLine]:
    return [
        TaskLine(
            number=n,
            title=_text(t.title),
            kind=TASK_KINDS.get(t.kind, t.kind),
            role=_text(roles.get(t.owner_role, t.owner_role)),
            owner=_text(t.owner) or "unassigned",
            due=when(t.due_at) if t.due_at else "no due time",
            status=STATUSES.get(t.status, t.status),
            overdue=t.is_overdue(now),
        )
        for n, t in enumerate(tasks, start=1)
    ]


def _roles() -> dict[str, str]:
    # A broken suggestions file must not stop a postmortem: show role ids instead.
    try:
        return load_suggestions().roles
    except PlanDataError:
        return {}


def build_report(store: Store, incident_id: int, now: datetime) -> Report:
    """Collect the postmortem of one incident as of ``now`` (``NotFound`` if absent)."""
    incident = store.get_incident(incident_id)
    events = store.events(incident_id)
    statements = store.statements(incident_id)
    tasks = list_tasks(store, incident_id)
    impact = _impact(store, incident)
    containment = _containment(store, incident)
    apology, apology_body = _apology(store, incident, events)
    monitoring = _monitoring(store, incident)
    latest = statements[-1] if statements else None
    facts = [
        Line("Kind", KINDS.get(incident.kind, incident.kind)),
        Line("Severity", f"{incident.severity}: {SEVERITIES.get(incident.severity, '')}"),
        Line("Commander", _text(incident.commander) or NOT_RECORDED),
        Line("Declared by", _text(incident.created_by)),
        Line("Step reached", STEP_LABELS.get(incident.step, incident.step)),
        Line("Detected", when(incident.detected_at)),
        Line("Acknowledged", when(incident.acknowledged_at)),
        Line("Contained", when(incident.contained_at)),
        Line("Notified", when(incident.notified_at)),
        Line("Resolved", when(incident.resolved_at)),
    ]
    missing = [
        text
        for absent, text in (
            (
                incident.resolved_at is None,
                "The incident is not resolved: this report is provisional.",
            ),
            (incident.acknowledged_at is None, "Nobody acknowledged the incident."),
            (incident.contained_at is None, "No containment time recorded."),
            (not impact, "No assessment recorded."),
            (not tasks, "No plan tasks recorded."),
            (latest is None, "No internal statement written."),
            (not monitoring, "No monitoring outcome recorded."),
        )
        if absent
    ]
    return Report(
        incident_id=incident.id,
        title=_text(incident.title),
        kind=incident.kind,
        severity=incident.severity,
        state="resolved" if incident.resolved_at else "open",
        as_of=when(now),
        facts=facts,
        summary=_summary(events),
        measures=_measures(incident, now),
        steps=_steps(store, incident, now),
        timeline=_timeline(events),
        impact=impact,
        containment=containment,
        decisions=_decisions(store, incident, events),
        statement=_block(latest.body) if latest else None,
        statement_note=(
            f"version {len(statements)}, by {_text(latest.operator)}, {when(latest.at)}"
            if latest
            else ""
        ),
        apology=apology,
        apology_body=apology_body,
        monitoring=monitoring,
        tasks=_tasks(tasks, now, _roles()),
        missing=missing,
        breach=breach_section(store, incident, now),
    )


def _fence(text: str) -> str:
    """A Markdown code fence longer than any backtick run in ``text`` (keeps it literal)."""
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _fenced(text: str) -> Markup:
    """``text`` as a Markdown code block: shown exactly as typed, never as HTML."""
    fence = _fence(text)
    return Markup(f"{fence}text\n{text}\n{fence}")


def render_report(report: Report, fmt: str = "md", env: jinja2.Environment | None = None) -> str:
    """Render with the organisation's template if it has one, else the shipped one.

    Markdown is rendered with HTML escaped in every value (``environment(markdown=True)``);
    multi-line text goes in code blocks (``fenced``), where nothing is interpreted.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    context: dict[str, Any] = {"report": report, "fence": _fence, "fenced": _fenced}
    return render(FORMATS[fmt], context, env or environment(markdown=fmt == "md"))


def write_reports(store: Store, incident_id: int, now: datetime, folder: Path) -> list[Path]:
    """Write the postmortem as Markdown and HTML into ``folder`` (names carry the time).

    Files are mode 0600 and never overwrite an earlier report.
    """
    from email_crisis.core.base.files import database_files, write_private

    report = build_report(store, incident_id, now)
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    return [
        write_private(
            folder / f"incident-{incident_id}-postmortem-{stamp}.{fmt}",
            render_report(report, fmt),
            make_folder=True,
            protect=database_files(store.path),
        )
        for fmt in ("md", "html")
    ]
