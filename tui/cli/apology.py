"""``email-crisis apology``: step 5 from the shell. ``export`` is the Notify panel's F5 for
scripts and SSH sessions; ``sent`` and ``decline`` record how step 5 ended.

``export`` writes the saved apology as ``incident-<id>-apology-v<version>.eml`` (and, when the
incident has an affected list, the audience CSV beside it, with a per-recipient
unsubscribe token column when the brand's one-click URL needs one) to the database's
``exports/`` folder or ``--out``. The same checks as the panel: the rule checker, the
brand (the shipped example brand needs ``--override "reason"``, recorded), RFC 8058
one-click unsubscribe. Errors are one line, like every command.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from email_crisis.core.assess import store as assess
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify import lint
from email_crisis.core.notify.lint import LintContext, Severity
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    MomentType,
    apply_change,
    force_option,
    one_line,
    opened,
    operator_name,
    store_options,
    sweep,
)

EXPORTS_FOLDER = "exports"


@click.group(name="apology")
def apology() -> None:
    """The apology of an incident (step 5): export it, record it sent, or decline it."""


@apology.command("export")
@click.argument("incident_id", metavar="ID", type=click.IntRange(min=1))
@click.option("--version", "version", type=click.IntRange(min=1), help="Default: the latest.")
@click.option("--out", metavar="DIR", help="Folder to write to (default: exports/ by the db).")
@click.option(
    "--override",
    "override_reason",
    metavar="REASON",
    help="Export despite errors or the example brand; the reason is recorded.",
)
@force_option
@store_options
def export(
    incident_id: int,
    version: int | None,
    out: str | None,
    override_reason: str | None,
    force: bool,
    db: str | None,
    operator: str | None,
) -> None:
    """Export incident ID's saved apology as .eml (plus its audience CSV).

    The files are never the database or a link; files of an earlier export of the same
    version are replaced only with --force.
    """
    who = operator_name(operator)
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        chosen = notify.draft(store, incident_id, version) if version else None
        chosen = chosen or notify.latest_draft(store, incident_id)
        if chosen is None:
            raise CrisisError(f"incident {incident_id} has no saved apology yet.")
        brand = notify.load_brand()
        example = brand.example_parts()
        why = f"the brand is still the shipped example ({', '.join(example)}); " if example else ""
        blocker = notify.one_click_blocker(brand)
        if blocker:
            raise CrisisError(f"not exported: {why}{blocker}")
        fields = {
            notify.LINT_FIELDS[k]: v for k, v in chosen.fields().items() if k in notify.LINT_FIELDS
        }
        context = LintContext(
            kind=incident.kind,
            template_name=chosen.template or None,
            rendered_with_brand=chosen.template in notify.apology_templates(chosen.language),
            data_exposed=assess.load_assessment(store, incident).personal_data_exposed,
            is_template=True,
            list_unsubscribe=notify.brand_findings_context(brand),
        )
        findings = lint.check(fields, context)
        errors = sorted({f.rule for f in findings if f.severity is Severity.ERROR})
        errors = sorted(set(errors) | notify.brand_problems(brand))
        if errors and override_reason is None:
            example = brand.example_parts()
            why = (
                f"the brand is still the shipped example ({', '.join(example)}); "
                if example
                else ""
            )
            raise CrisisError(
                f"not exported: {why}errors left ({', '.join(errors)}). Fix them, or give "
                '--override "reason" (recorded).'
            )
        folder = (
            Path(out).expanduser() if out else Path(store.path).resolve().parent / EXPORTS_FOLDER
        )
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        sweep(folder)
        csv_path = folder / f"incident-{incident_id}-apology-v{chosen.version}-audience.csv"
        has_audience = any(
            x.role == "affected" for x in audience.audience_lists(store, incident_id)
        )
        written: list[Path] = []
        if has_audience:
            written.append(
                audience.export_audience(
                    store,
                    incident,
                    csv_path,
                    operator=who,
                    token_column=notify.one_click_column(brand),
                    force=force,
                ).path
            )
        result = notify.export_eml(
            store,
            incident,
            chosen.version,
            folder,
            operator=who,
            findings=findings,
            override_reason=override_reason if errors else None,
            audience_csv=csv_path if has_audience else None,
            brand=brand,
            force=force,
        )
    click.echo(f"Written: {one_line(str(result.path))}")
    for path in written:
        click.echo(f"Written: {one_line(str(path))}")
    if result.overridden_rules:
        click.echo(f"Overridden (recorded): {', '.join(result.overridden_rules)}")
    click.echo(
        "Before sending: check that your ESP's DKIM signature covers List-Unsubscribe and "
        "List-Unsubscribe-Post (RFC 8058 §4), or receivers will not offer one-click."
    )


@apology.command("sent")
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--at",
    "sent_at",
    type=MomentType(),
    help="When the ESP sent it (default: now; no offset = local).",
)
@click.option("--note", default="", metavar="TEXT", help="Where and how it was sent.")
@store_options
def apology_sent(
    incident_id: int,
    sent_at: datetime | None,
    note: str,
    db: str | None,
    operator: str | None,
) -> None:
    """Record that the apology was sent (sets the time to notify)."""
    from email_crisis.core.notify.drafts import mark_sent

    after, moved = apply_change(
        incident_id, db, operator, lambda s, i, who: mark_sent(s, i, who, sent_at, note)
    )
    click.echo(f"Incident {incident_id}: apology sent at {format_local(after.notified_at)}{moved}.")


@apology.command("decline")
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option("--reason", required=True, metavar="TEXT", help="Why no apology is sent (recorded).")
@store_options
def apology_decline(incident_id: int, reason: str, db: str | None, operator: str | None) -> None:
    """Record the decision not to send an apology, with its reason (completes step 5)."""
    from email_crisis.core.notify.decline import decline_apology

    _, moved = apply_change(
        incident_id,
        db,
        operator,
        lambda s, i, who: decline_apology(s, i, reason=reason, operator=who),
    )
    click.echo(f"Incident {incident_id}: no apology will be sent (reason recorded){moved}.")
