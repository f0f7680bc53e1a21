"""One plain-English line for each event type, for the event log, ``show`` and the postmortem.

Words, not ids: roles, statuses, steps, fields and actions are named as people say
them ("escalated to IT", "marked Stop the send (playbook) done"), never by the slugs
the log stores. ``EVENT_TYPES`` lists every type the app writes; a test checks that
each has its own sentence here (``describe`` never falls back to the generic line
for them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from typing import Any

from email_crisis.core.base.clock import format_local, from_iso, humanize
from email_crisis.core.base.domain import KINDS, Event, step_name
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.contain.actions import STATUSES as ACTION_STATUSES
from email_crisis.core.contain.playbooks import ROLES, parse_built_in
from email_crisis.core.contain.words import action_words

EVENT_TYPES: tuple[str, ...] = (
    "declared",
    "acknowledged",
    "commander_set",
    "severity_changed",
    "statement_written",
    "step_advanced",
    "note",
    "contain_actions_created",
    "contain_action_status",
    "contain_action_assigned",
    "contain_action_note",
    "contain_action_added",
    "contain_action_executed",
    "esp_call",
    "escalated",
    "contained",
    "assessment_updated",
    "apology_lock_overridden",
    "audience_imported",
    "audience_list_removed",
    "audience_exported",
    "plan_task_added",
    "plan_task_edited",
    "plan_task_status",
    "plan_task_moved",
    "draft_saved",
    "notify_export_override",
    "apology_exported",
    "apology_sent",
    "apology_declined",
    "metrics_imported",
    "metric_added",
    "watch_ended",
    "resolved",
    "reopened",
)
"""Every event type the app writes (the tests hold the code to this list)."""

DRAFT_FIELD_WORDS = {
    "from_address": "From",
    "reply_to": "Reply-To",
    "subject": "subject",
    "preheader": "preheader",
    "template": "template",
    "language": "language",
    "body": "body",
}


def _after_detection(details: Mapping[str, object]) -> str:
    lag = details.get("seconds_after_detection")
    if not isinstance(lag, int):
        return ""
    return f" {humanize(timedelta(seconds=lag))} after detection"


def _step(step: object) -> str:
    return step_name(str(step))


def _role(role: object) -> str:
    return ROLES.get(str(role), str(role))


@lru_cache(maxsize=1)
def _playbook_titles() -> dict[str, str]:
    """Playbook action id -> title, for events written before titles were recorded."""
    try:
        playbook = parse_built_in()
    except CrisisError:
        return {}
    titles: dict[str, str] = {}
    for section in playbook.kinds.values():  # an id may recur: the first kind's title wins
        for action in section.actions:
            titles.setdefault(action.id, action.title)
    return titles


def _action(d: Mapping[str, Any]) -> str:
    action_id = str(d.get("action", "?"))
    return action_words(d.get("title") or _playbook_titles().get(action_id), action_id)


def _step_advanced(d: Mapping[str, Any]) -> str:
    src, dst = _step(d.get("from")), _step(d.get("to"))
    if d.get("by") != "hand":
        return f"step {src} complete; now at {dst}"
    text = f"moved on from step {src} to {dst} by hand: {d.get('reason', '')}"
    missing = [str(m) for m in d.get("missing", [])]
    return text + (f" (not done: {'; '.join(missing)})" if missing else "")


def _action_status(d: Mapping[str, Any]) -> str:
    name, to = _action(d), d.get("to")
    if to == "in-progress":
        return f"started {name}"
    if to == "done":
        return f"marked {name} done" + (" by hand" if d.get("manual") else "")
    if to == "skipped":
        return f"skipped {name}: {d.get('reason', '')}"
    if to == "failed":
        return f"{name} failed: {d.get('error', '')}"
    if to == "todo":
        return f"put {name} back to do"
    return f"{name} is now {ACTION_STATUSES.get(str(to), str(to)).lower()}"


def _esp_label(esp: object) -> str:
    from email_crisis.core.contain.esp import CONNECTORS

    return CONNECTORS[esp].label if esp in CONNECTORS else str(esp)


def _contain(event: Event) -> str | None:
    d = event.details
    match event.type:
        case "contain_actions_created":
            return f"set up {len(d.get('actions', []))} containment actions from the playbook"
        case "contain_action_status":
            return _action_status(d)
        case "contain_action_assigned":
            person, role = d.get("person"), _role(d["role"]) if d.get("role") else None
            owner = f"{person} ({role})" if person and role else person or role or "nobody"
            return f"gave {_action(d)} to {owner}"
        case "contain_action_note":
            return f"added a note to {_action(d)}"
        case "contain_action_added":
            return f"added the action {_action(d)}"
        case "contain_action_executed":
            outcome = "it worked" if d.get("ok") else "it failed"
            return f"ran {_action(d)} through {_esp_label(d.get('esp'))}: {outcome}"
        case "escalated":
            return f"escalated to {_role(d.get('to'))}"
        case "contained":
            if d.get("by_hand"):
                return f"declared the incident contained{_after_detection(d)} (moving on by hand)"
            return f"contained the incident{_after_detection(d)} ({_action(d)})"
    return None


def _notify(event: Event) -> str | None:
    d = event.details
    match event.type:
        case "draft_saved":
            changed = ", ".join(DRAFT_FIELD_WORDS.get(str(f), str(f)) for f in d.get("changed", []))
            return f"saved apology draft v{d.get('version')}" + (f" ({changed})" if changed else "")
        case "notify_export_override":
            from email_crisis.core.notify.lint.rules import RULES

            rules = "; ".join(
                RULES[r].summary if r in RULES else str(r) for r in d.get("rules", [])
            )
            return f"exported the apology despite errors ({rules}): {d.get('reason', '')}"
        case "apology_exported":
            count = d.get("audience_count")
            to = f" for {count:,} recipients" if isinstance(count, int) else ""
            return f"exported apology v{d.get('version')} to {d.get('file')}{to}"
        case "apology_sent":
            version = f" (v{d['version']})" if d.get("version") else ""
            sent = from_iso(d["sent_at"]) if isinstance(d.get("sent_at"), str) else None
            when = f", sent at {format_local(sent)}" if sent and sent != event.at else ""
            note = f": {d['note']}" if d.get("note") else ""
            return f"marked the apology{version} as sent{when}{note}"
        case "apology_declined":
            return f"decided not to send an apology: {d.get('reason', '')}"
        case "apology_lock_overridden":
            return f"overrode the no-apology lock: {d.get('reason', '')}"
    return None


def describe(event: Event) -> str:
    """Describe what the event changed, in words (user text is not escaped here)."""
    d = event.details
    match event.type:
        case "declared":
            return (
                f"declared {d.get('severity', '?')} {KINDS.get(d.get('kind', ''), d.get('kind'))}"
                f": {d.get('title', '')}"
            )
        case "acknowledged":
            how = " (moving on by hand)" if d.get("by_hand") else ""
            return f"acknowledged the incident{_after_detection(d)}{how}"
        case "commander_set":
            if d.get("from"):
                return f"handed command from {d['from']} to {d.get('to')}"
            return f"named {d.get('to')} incident commander"
        case "severity_changed":
            return f"changed severity from {d.get('from')} to {d.get('to')}"
        case "statement_written":
            version = d.get("version", 1)
            if version == 1:
                return "wrote the first internal statement"
            return f"revised the internal statement (version {version})"
        case "step_advanced":
            return _step_advanced(d)
        case "watch_ended":
            return f"ended the deliverability watch early: {d.get('reason', '')}"
        case "note":
            return f"note: {d.get('text', '')}"
        case "assessment_updated":
            from email_crisis.core.assess.form import (
                describe_event,  # the field labels live with the form
            )

            return describe_event(d)
        case "resolved" | "reopened":
            from email_crisis.core.close.lifecycle import describe_lifecycle_event

            return describe_lifecycle_event(event) or _generic(event)
        case t if t.startswith("plan_task_"):
            from email_crisis.core.plan.tasks import describe_plan_event

            return describe_plan_event(event) or _generic(event)
        case "audience_imported" | "audience_list_removed" | "audience_exported":
            return _audience(event.type, d)
        case "metrics_imported" | "metric_added":
            from email_crisis.core.monitor.metrics import describe_event as describe_metrics

            return describe_metrics(event) or _generic(event)
        case "esp_call":
            from email_crisis.core.contain.esp import describe_event as describe_esp_call

            return describe_esp_call(d)
    return _contain(event) or _notify(event) or _generic(event)


_LIST_WORDS = {"affected": "affected", "suppressed": "suppression"}


def _audience(type_: str, d: Mapping[str, object]) -> str:
    """Audience lists: counts and file names only (addresses never reach the log)."""
    role = _LIST_WORDS.get(str(d.get("role")), str(d.get("role")))
    if type_ == "audience_list_removed":
        return f"removed the {role} list {d.get('file')}"
    if type_ == "audience_exported":
        text = f"exported the apology audience to {d.get('file')} ({d.get('addresses')} addresses)"
        return text + (" (apology lock overridden)" if d.get("override") else "")
    text = (
        f"imported {d.get('file')} as the {role} list: {d.get('rows')} rows, "
        f"{d.get('addresses')} addresses ({d.get('invalid')} invalid, "
        f"{d.get('duplicates')} duplicates)"
    )
    replaced = d.get("replaced")
    if isinstance(replaced, dict):
        text += f"; replaces {replaced.get('file')}"
    return text


def _generic(event: Event) -> str:
    """An event type this version does not know (a newer release wrote it): type and details."""
    extra = ", ".join(f"{k}={v}" for k, v in sorted(event.details.items()))
    return f"{event.type.replace('_', ' ')}" + (f" ({extra})" if extra else "")
