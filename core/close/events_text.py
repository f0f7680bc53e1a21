"""One plain-English line for each event type, for the event log and the CLI."""

from __future__ import annotations

from datetime import timedelta

from email_crisis.core.base.clock import humanize
from email_crisis.core.base.domain import KINDS, STEP_LABELS, Event


def _after_detection(details: dict[str, object]) -> str:
    lag = details.get("seconds_after_detection")
    if not isinstance(lag, int):
        return ""
    return f" {humanize(timedelta(seconds=lag))} after detection"


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
            lag = d.get("seconds_after_detection")
            after = (
                f" {humanize(timedelta(seconds=lag))} after detection" if lag is not None else ""
            )
            return f"acknowledged the incident{after}"
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
            src = STEP_LABELS.get(d.get("from", ""), d.get("from"))
            dst = STEP_LABELS.get(d.get("to", ""), d.get("to"))
            return f"step {src} done; now at {dst}"
        case "note":
            return f"note: {d.get('text', '')}"
        case "contain_actions_created":
            return f"set up {len(d.get('actions', []))} containment actions from the playbook"
        case "contain_action_status":
            extra = d.get("reason") or d.get("error")
            how = " by hand" if d.get("manual") else ""
            text = f"action {d.get('action')}: {d.get('from')} -> {d.get('to')}{how}"
            return f"{text} ({extra})" if extra else text
        case "contain_action_assigned":
            owner = " / ".join(str(x) for x in (d.get("person"), d.get("role")) if x)
            return f"action {d.get('action')} assigned to {owner}"
        case "contain_action_note":
            return f"added a note to action {d.get('action')}"
        case "contain_action_added":
            return f"added action {d.get('action')}"
        case "contain_action_executed":
            outcome = "succeeded" if d.get("ok") else "failed"
            return f"ran action {d.get('action')} through {d.get('esp')}: {outcome}"
        case "escalated":
            return f"escalated to {d.get('to')}"
        case "contained":
            return f"contained the incident{_after_detection(d)} (action {d.get('action')})"
        case "apology_lock_overridden":
            return f"overrode the no-apology lock: {d.get('reason', '')}"
        case "assessment_updated":
            from email_crisis.core.assess.form import (
                describe_event,  # the field labels live with the form
            )

            return describe_event(d)
        case "draft_saved":
            changed = ", ".join(str(f) for f in d.get("changed", []))
            return f"saved apology draft v{d.get('version')}" + (f" ({changed})" if changed else "")
        case "notify_export_override":
            rules = ", ".join(str(r) for r in d.get("rules", []))
            return f"exported despite errors ({rules}): {d.get('reason', '')}"
        case "apology_exported":
            count = d.get("audience_count")
            to = f" for {count:,} recipients" if isinstance(count, int) else ""
            return f"exported apology v{d.get('version')} to {d.get('file')}{to}"
        case "apology_sent":
            return "marked the apology as sent"
        case "resolved" | "reopened":
            from email_crisis.core.close.lifecycle import describe_lifecycle_event

            return describe_lifecycle_event(event)
        case t if t.startswith("plan_task_"):
            from email_crisis.core.plan.tasks import describe_plan_event

            return describe_plan_event(event)
        case "audience_imported" | "audience_list_removed" | "audience_exported":
            return _audience(event.type, d)
        case "metrics_imported" | "metric_added":
            from email_crisis.core.monitor.metrics import describe_event as describe_metrics

            return describe_metrics(event) or _generic(event)
        case "esp_call":
            from email_crisis.core.contain.esp import describe_event as describe_esp_call

            return describe_esp_call(d)
        case _:
            return _generic(event)


def _audience(type_: str, d: dict[str, object]) -> str:
    """Audience lists: counts and file names only (addresses never reach the log)."""
    if type_ == "audience_list_removed":
        return f"removed the {d.get('role')} list {d.get('file')}"
    if type_ == "audience_exported":
        text = f"exported the apology audience to {d.get('file')} ({d.get('addresses')} addresses)"
        return text + (" (apology lock overridden)" if d.get("override") else "")
    text = (
        f"imported {d.get('file')} as the {d.get('role')} list: {d.get('rows')} rows, "
        f"{d.get('addresses')} addresses ({d.get('invalid')} invalid, "
        f"{d.get('duplicates')} duplicates)"
    )
    replaced = d.get("replaced")
    if isinstance(replaced, dict):
        text += f"; replaces {replaced.get('file')}"
    return text


def _generic(event: Event) -> str:
    """Any other event: its type in words, then its details."""
    extra = ", ".join(f"{k}={v}" for k, v in sorted(event.details.items()))
    return f"{event.type.replace('_', ' ')}" + (f" ({extra})" if extra else "")
