"""``email-crisis audience``: build the apology audience from CSV/TSV exports.

Imports the affected recipients (replacing any earlier affected list), adds each
suppression list, prints the counts and writes the audience to a new CSV file. For a
send to a suppression list it refuses before importing anything, unless
``--override "reason"`` puts a written decision on the record. The progress bar goes
to stderr and only when stderr is a terminal. Errors are one line, like every command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from email_crisis.core.assess.audience import build as core
from email_crisis.core.assess.form import record_affected_list
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.text import visible
from email_crisis.core.store.database import Store
from email_crisis.tui.cli.common import (
    INCIDENT_ID,
    force_option,
    one_line,
    opened,
    operator_name,
    store_options,
    sweep,
)


def _show_progress() -> bool:
    """Whether to draw a progress bar (tests replace this)."""
    return sys.stderr.isatty()


def _import(store: Store, incident: Incident, path: str, role: str, who: str) -> str:
    """Import one file, with a progress bar when stderr is a terminal; returns its summary.

    The affected list's count, and where its people live, go into the assessment too
    (as the console does), unless the operator typed the counts per place there.
    """
    file = Path(path).expanduser()
    size = file.stat().st_size if file.is_file() else 0
    if not _show_progress() or size == 0:
        stats = core.import_list(store, incident, file, role=role, operator=who)
    else:
        label = f"{role.capitalize()}: {one_line(file.name)}"
        with click.progressbar(length=size, label=label, file=sys.stderr, width=30) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.pos)  # goes back once if the file is read again

            stats = core.import_list(
                store, incident, file, role=role, operator=who, progress=progress
            )
    kept = record_affected_list(store, incident, stats, operator=who)
    return " ".join(filter(None, (core.describe_import(stats), kept)))


@click.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--affected",
    required=True,
    metavar="FILE",
    help="CSV/TSV export of everyone the campaign reached (replaces an earlier one).",
)
@click.option(
    "--suppressed",
    multiple=True,
    metavar="FILE",
    help="A suppression, unsubscribe, bounce or complaint list; repeat for several.",
)
@click.option("--out", "out_file", required=True, metavar="FILE", help="The audience CSV to write.")
@force_option
@click.option(
    "--override",
    "override_reason",
    metavar='"REASON"',
    help="Suppression-list sends only: why the audience is exported anyway (recorded).",
)
@store_options
def audience(
    incident_id: int,
    affected: str,
    suppressed: tuple[str, ...],
    out_file: str,
    force: bool,
    override_reason: str | None,
    db: str | None,
    operator: str | None,
) -> None:
    """Build the apology audience: affected, minus suppression lists, valid, deduplicated.

    Writes a CSV with one column, email, ready to upload to the ESP (mode 0600). An
    address a spreadsheet would read as a formula (=, +, -, @) is written as text,
    with a leading apostrophe. FILE is never the database or a link, and an existing
    FILE is replaced only with --force.
    """

    who = operator_name(operator)
    with opened(db) as store:
        incident = store.get_incident(incident_id)
        try:
            core.check_export(
                store,
                incident,
                out_file,
                override_reason=override_reason,
                need_audience=False,
                force=force,
            )
        except core.ExportRefused as refused:
            raise core.ExportRefused(f'{refused} Use --override "REASON".') from None
        sweep(Path(out_file).expanduser().parent)
        summaries = [_import(store, incident, affected, "affected", who)]
        summaries += [_import(store, incident, path, "suppressed", who) for path in suppressed]
        result = core.export_audience(
            store, incident, out_file, operator=who, override_reason=override_reason, force=force
        )
        counts = core.audience_counts(store, incident_id)
    for summary in summaries:
        click.echo(visible(summary, single_line=True))
    if len(counts.suppression_lists) > len(suppressed):
        names = ", ".join(one_line(x.file_name) for x in counts.suppression_lists)
        click.echo(f"Suppression lists in effect (including earlier imports): {names}")
    click.echo(f"Incident {incident_id} apology audience:")
    click.echo("\n".join(f"  {line}" for line in counts.lines()))
    places = counts.place_lines()
    if places:
        click.echo("\n".join(f"  {visible(line, single_line=True)}" for line in places))
    if result.overridden:
        click.echo(f"Apology lock overridden by {one_line(who)} (recorded).")
    written = core.plural(result.addresses, "address", "addresses")
    click.echo(f"Wrote {written} to {one_line(str(result.path))}")
    if result.as_text:
        click.echo(
            f"{core.plural(result.as_text, 'address', 'addresses')} start with =, +, - or @ "
            "and are written with a leading ' so a spreadsheet shows them as text (OWASP); "
            "remove it if your ESP's importer keeps it."
        )
