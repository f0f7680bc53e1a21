"""Step 1 from the shell: declare, list, show, acknowledge, name the commander, set the
severity."""

from __future__ import annotations

import shutil
from datetime import datetime

import click

from email_crisis.core.base.domain import KINDS
from email_crisis.core.own import incidents as ops
from email_crisis.core.own.board import board_order
from email_crisis.tui.cli import output as out
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    MomentType,
    SeverityType,
    apply_change,
    emit,
    json_text,
    now,
    one_line,
    opened,
    operator_name,
    store_options,
)


@click.command()
@click.option("--title", required=True, help="What went wrong, in one line.")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(list(KINDS), case_sensitive=False),
    metavar="KIND",
    help=f"One of: {', '.join(KINDS)}.",
)
@click.option(
    "--severity",
    type=SeverityType(),
    default=ops.DEFAULT_SEVERITY,
    show_default=True,
    help="SEV1 (worst) to SEV4, or 1 to 4.",
)
@click.option(
    "--detected",
    type=MomentType(),
    help="When it was detected, e.g. 2026-11-27T09:30Z (default: now; no offset = local).",
)
@store_options
def new(
    title: str,
    kind: str,
    severity: str,
    detected: datetime | None,
    db: str | None,
    operator: str | None,
) -> None:
    """Declare an incident; prints its id."""
    with opened(db, create=True) as store:
        incident = ops.declare(
            store,
            title=title,
            kind=kind,
            severity=severity,
            operator=operator_name(operator),
            detected_at=detected,
        )
    click.echo(str(incident.id))


@click.command(name="list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--all", "everything", is_flag=True, help="Include resolved incidents.")
@store_options
def list_(fmt: str, everything: bool, db: str | None, operator: str | None) -> None:
    """List open incidents, worst and oldest first."""
    with opened(db) as store:
        incidents = board_order(store.list_incidents(include_resolved=everything))
    if fmt == "json":
        records = [out.incident_record(i) for i in incidents]
        click.echo(json_text(records))
    elif not incidents:
        click.echo("No incidents." if everything else "No open incidents.")
    else:
        # 0 when stdout is not a terminal and COLUMNS is unset: keep titles whole.
        width = shutil.get_terminal_size((0, 0)).columns
        emit(out.table(incidents, now=now(), width=width or None))


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@store_options
def show(incident_id: int, fmt: str, db: str | None, operator: str | None) -> None:
    """Show one incident: fields, timestamps, statement and event log."""
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        statements = store.statements(incident_id)
        events = store.events(incident_id)
    latest = statements[-1] if statements else None
    if fmt == "json":
        record = out.incident_record(incident)
        record["statement"] = out.statement_record(latest, len(statements)) if latest else None
        record["events"] = [out.event_record(e) for e in events]
        click.echo(json_text(record))
    else:
        emit(out.detail(incident, latest, len(statements), events, now=now()))


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@store_options
def ack(incident_id: int, db: str | None, operator: str | None) -> None:
    """Acknowledge an incident (step 1, own it)."""
    _, moved = apply_change(
        incident_id, db, operator, lambda s, i, who: ops.acknowledge(s, i, operator=who)
    )
    click.echo(f"Incident {incident_id} acknowledged{moved}.")


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.argument("name")
@store_options
def commander(incident_id: int, name: str, db: str | None, operator: str | None) -> None:
    """Name (or hand over to) the incident commander."""
    _, moved = apply_change(
        incident_id, db, operator, lambda s, i, who: ops.set_commander(s, i, name, operator=who)
    )
    click.echo(f"Incident {incident_id}: commander set to {one_line(name.strip())}{moved}.")


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.argument("sev", metavar="SEV", type=SeverityType())
@store_options
def severity(incident_id: int, sev: str, db: str | None, operator: str | None) -> None:
    """Set the severity (SEV1..SEV4, or 1..4)."""
    _, moved = apply_change(
        incident_id, db, operator, lambda s, i, who: ops.set_severity(s, i, sev, operator=who)
    )
    click.echo(f"Incident {incident_id}: severity set to {sev}{moved}.")
