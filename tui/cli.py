"""The ``email-crisis`` command: opens the console, or runs one operation for scripts.

Expected failures (``CrisisError``) print one line, ``email-crisis: <message>``, and
exit 1; usage errors print one line and exit 2; nothing ever prints a traceback.
Textual is imported only when the console itself is opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from email_crisis.core.base.clock import utc_now
from email_crisis.core.base.domain import KINDS, Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.settings import org_templates_dir, resolve_db_path, resolve_operator
from email_crisis.core.base.templates import shipped_templates_dir
from email_crisis.core.base.text import visible
from email_crisis.core.base.version import app_version
from email_crisis.core.demo.scenes import SCENES, populate
from email_crisis.core.own import incidents as ops
from email_crisis.core.own.board import board_order
from email_crisis.core.store.database import Store
from email_crisis.tui import cli_output as out

PROG = "email-crisis"
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _fail(message: str) -> None:
    # Messages can quote a path or a value the user typed: keep them to one safe line.
    click.echo(f"{PROG}: {visible(' '.join(message.split()))}", err=True)


class CrisisGroup(click.Group):
    """A group whose ``main`` turns every expected failure into one line on stderr."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        code = self._outcome(args, prog_name or PROG, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _outcome(self, args: Any, prog_name: str, complete_var: Any, **extra: Any) -> int:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            # Flush inside the try, so a closed pipe is caught below rather than
            # reported by the interpreter at exit.
            sys.stdout.flush()
            return result if isinstance(result, int) else 0
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else prog_name
            _fail(f"{error.format_message()} (see '{command} --help')")
            return EXIT_USAGE
        except click.ClickException as error:
            _fail(error.format_message())
            return error.exit_code
        except CrisisError as error:
            _fail(str(error))
            return EXIT_FAILURE
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader went away (``| head``): silence the final flush, stop quietly.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_FAILURE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``email-crisis`` console script; returns the exit code."""
    return cli.main(argv, prog_name=PROG, standalone_mode=False)


# -- options shared by the group and every command --------------------------------------


def has_terminal() -> bool:
    """Whether the console can run: Textual spins on a closed or piped stdin."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"{PROG} {app_version()}")
        ctx.exit()


def _chosen(name: str, value: str | None) -> str | None:
    """The command's own value, else the one given to the group."""
    return value if value is not None else click.get_current_context().find_root().params.get(name)


def db_path(db: str | None) -> Path:
    """The database path from the options and the environment."""
    return resolve_db_path(_chosen("db", db))


def operator_name(operator: str | None) -> str:
    """The acting operator from the options and the environment."""
    return resolve_operator(_chosen("operator", operator))


@contextlib.contextmanager
def opened(db: str | None, *, create: bool = False) -> Iterator[Store]:
    """The store named by ``--db``/``EMAIL_CRISIS_DB``, closed afterwards.

    Only commands that add something create a missing database, so a mistyped
    ``--db`` is reported instead of answered from a new, empty file.
    """
    # utc_now is looked up at call time so tests can freeze it.
    store = Store.open(db_path(db), clock=utc_now, create=create)
    try:
        yield store
    finally:
        store.close()


INCIDENT_ID = click.IntRange(min=1)


def _emit(lines: Sequence[str]) -> None:
    click.echo("\n".join(lines))


# -- the commands ------------------------------------------------------------------------


@click.group(
    name=PROG,
    cls=CrisisGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version and exit.",
)
@out.store_options
@click.pass_context
def cli(ctx: click.Context, db: str | None, operator: str | None) -> None:
    """Handle email-marketing incidents: own, contain, assess, plan, notify, monitor.

    With no command, opens the full-screen console.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not has_terminal():
        raise CrisisError(
            "the console needs a terminal (standard input and output must be a TTY); "
            "from scripts use the commands: list, show, new, ack, commander, severity"
        )
    store = Store.open(resolve_db_path(db))
    try:
        from email_crisis.tui.app import run_app  # Textual loads only for the console

        run_app(store, operator=resolve_operator(operator))
    finally:
        store.close()


@cli.command()
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
@out.store_options
def demo(extra: int, force: bool, db: str | None, operator: str | None) -> None:
    """Fill a database with realistic demo incidents."""
    with opened(db, create=True) as store:
        existing = len(store.list_incidents(include_resolved=True))
        if existing and not force:
            raise CrisisError(
                f"{store.path} already holds {existing} incident(s); demo data would mix "
                "with them. Use another --db, or --force to add it anyway."
            )
        added = populate(store, now=utc_now(), extra=extra)
        path = store.path
    generated = f" ({len(SCENES)} scenes + {extra} generated)" if extra else ""
    click.echo(f"Added {added} demo incidents{generated} to {path}")
    click.echo(f"Open the console with: {PROG} --db {shlex.quote(str(path))}")


@cli.command()
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
    type=out.SeverityType(),
    default=ops.DEFAULT_SEVERITY,
    show_default=True,
    help="SEV1 (worst) to SEV4, or 1 to 4.",
)
@click.option(
    "--detected",
    type=out.MomentType(),
    help="When it was detected, e.g. 2026-11-27T09:30Z (default: now; no offset = local).",
)
@out.store_options
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


@cli.command(name="list")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--all", "everything", is_flag=True, help="Include resolved incidents.")
@out.store_options
def list_(fmt: str, everything: bool, db: str | None, operator: str | None) -> None:
    """List open incidents, worst and oldest first."""
    with opened(db) as store:
        incidents = board_order(store.list_incidents(include_resolved=everything))
    if fmt == "json":
        records = [out.incident_record(i) for i in incidents]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif not incidents:
        click.echo("No incidents." if everything else "No open incidents.")
    else:
        # 0 when stdout is not a terminal and COLUMNS is unset: keep titles whole.
        width = shutil.get_terminal_size((0, 0)).columns
        _emit(out.table(incidents, now=utc_now(), width=width or None))


@cli.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@out.store_options
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
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        _emit(out.detail(incident, latest, len(statements), events, now=utc_now()))


Change = Callable[[Store, Incident, str], Incident]


def _change(incident_id: int, db: str | None, operator: str | None, change: Change) -> str:
    """Load, apply one core operation, and say whether the step moved on."""
    with opened(db) as store:
        before = store.get_incident(incident_id)
        after = change(store, before, operator_name(operator))
    return f"; now at step {after.step}." if after.step != before.step else "."


@cli.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@out.store_options
def ack(incident_id: int, db: str | None, operator: str | None) -> None:
    """Acknowledge an incident (step 1, own it)."""
    note = _change(incident_id, db, operator, lambda s, i, who: ops.acknowledge(s, i, operator=who))
    click.echo(f"Incident {incident_id} acknowledged{note}")


@cli.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.argument("name")
@out.store_options
def commander(incident_id: int, name: str, db: str | None, operator: str | None) -> None:
    """Name (or hand over to) the incident commander."""
    note = _change(
        incident_id, db, operator, lambda s, i, who: ops.set_commander(s, i, name, operator=who)
    )
    click.echo(f"Incident {incident_id}: commander set to {out.one_line(name.strip())}{note}")


@cli.command()
@click.argument("incident_id", metavar="ID", type=INCIDENT_ID)
@click.argument("sev", metavar="SEV", type=out.SeverityType())
@out.store_options
def severity(incident_id: int, sev: str, db: str | None, operator: str | None) -> None:
    """Set the severity (SEV1..SEV4, or 1..4)."""
    note = _change(
        incident_id, db, operator, lambda s, i, who: ops.set_severity(s, i, sev, operator=who)
    )
    click.echo(f"Incident {incident_id}: severity set to {sev}{note}")


@cli.command()
@click.argument("dest", metavar="DEST")
@out.store_options
def backup(dest: str, db: str | None, operator: str | None) -> None:
    """Copy the database to DEST (a new file, or a folder)."""
    with opened(db) as store:
        written = store.backup(dest)
    click.echo(str(written))


@cli.command()
@out.store_options
def templates(db: str | None, operator: str | None) -> None:
    """List the organisation's templates, then the shipped ones."""
    shipped = shipped_templates_dir()
    shipped_names = out.template_names(shipped) if shipped.is_dir() else []
    if not shipped_names:
        raise CrisisError(
            f"no shipped templates in {shipped} (missing or empty); reinstall email-crisis."
        )
    _emit(out.template_listing(org_templates_dir(), shipped, shipped_names))


# -- commands of the later steps (each in its own module) ---------------------------------

from email_crisis.tui.cli_audience import audience  # noqa: E402
from email_crisis.tui.cli_esp import credentials, esp  # noqa: E402
from email_crisis.tui.cli_lint import lint  # noqa: E402
from email_crisis.tui.cli_metrics import metrics  # noqa: E402
from email_crisis.tui.cli_report import reopen, report, resolve, serve, stats  # noqa: E402

for _command in (
    esp,
    credentials,
    audience,
    metrics,
    lint,
    report,
    stats,
    resolve,
    reopen,
    serve,
):
    cli.add_command(_command)


if __name__ == "__main__":
    sys.exit(main())
