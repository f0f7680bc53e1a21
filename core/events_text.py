"""One plain-English line for each event type, for the event log and the CLI."""

from __future__ import annotations

from datetime import timedelta

from .clock import humanize
from .domain import KINDS, STEP_LABELS, Event


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
        case _:
            extra = ", ".join(f"{k}={v}" for k, v in sorted(d.items()))
            return f"{event.type.replace('_', ' ')}" + (f" ({extra})" if extra else "")
