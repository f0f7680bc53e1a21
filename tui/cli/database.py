"""The database as a whole: fill it with demo incidents, back it up, list the templates."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.settings import org_templates_dir
from email_crisis.core.base.templates import shipped_templates_dir
from email_crisis.core.demo.scenes import SCENES, populate
from email_crisis.tui.cli import output as out
from email_crisis.tui.cli.common import (
    PROG,
    emit,
    force_option,
    now,
    one_line,
    opened,
    store_options,
    sweep,
)


@click.command()
@click.option(
    "--incidents",
    "extra",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Also generate N random incidents (load testing).",
)
@click.option("--force", is_flag=True, help="Add demo data even if the database holds incidents.")
@store_options
def demo(extra: int, force: bool, db: str | None, operator: str | None) -> None:
    """Fill a database with realistic demo incidents."""
    with opened(db, create=True) as store:
        existing = len(store.list_incidents(include_resolved=True))
        if existing and not force:
            raise CrisisError(
                f"{store.path} already holds {existing} incident(s); demo data would mix "
                "with them. Use another --db, or --force to add it anyway."
            )
        added = populate(store, now=now(), extra=extra)
        path = store.path
    generated = f" ({len(SCENES)} scenes + {extra} generated)" if extra else ""
    click.echo(f"Added {added} demo incidents{generated} to {path}")
    click.echo(f"Open the console with: {PROG} --db {shlex.quote(str(path))}")


@click.command()
@click.argument("dest", metavar="DEST")
@force_option
@store_options
def backup(dest: str, force: bool, db: str | None, operator: str | None) -> None:
    """Copy the database to DEST (a new file, or a folder).

    The copy is consistent even while others work (SQLite's backup API), mode 0600.
    DEST is never the database itself or a link; an existing DEST file is replaced
    only with --force.
    """
    target = Path(dest).expanduser()
    sweep(target if target.is_dir() else target.parent)
    with opened(db) as store:
        written = store.backup(dest, force=force)
    click.echo(one_line(str(written)))


@click.command()
@store_options
def templates(db: str | None, operator: str | None) -> None:
    """List the organisation's templates, then the shipped ones."""
    shipped = shipped_templates_dir()
    shipped_names = out.template_names(shipped) if shipped.is_dir() else []
    if not shipped_names:
        raise CrisisError(
            f"no shipped templates in {shipped} (missing or empty); reinstall email-crisis."
        )
    emit(out.template_listing(org_templates_dir(), shipped, shipped_names))
