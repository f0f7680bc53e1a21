"""What every command shares: the program's name and exit codes, ``--db``/``--operator``,
opening the store, parameter types, and one-line errors.

Kept light on purpose: the root group imports this module for every command, so it
loads neither the store nor Textual (``opened`` imports the store when it runs), nor
what only some commands use (the settings and platformdirs, json), which are imported
where they are needed: ``email-crisis lint FILE`` is meant to start in well under 150 ms.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from email_crisis.core.base.clock import utc_now
from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.base.text import BIDI_CONTROLS, visible

if TYPE_CHECKING:
    from email_crisis.core.base.domain import Incident
    from email_crisis.core.store.database import Store

    Change = Callable[[Store, Incident, str], Incident]

PROG = "email-crisis"
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print ``email-crisis: message`` on stderr, as one safe line."""
    # Messages can quote a path or a value the user typed: keep them to one safe line.
    click.echo(f"{PROG}: {visible(' '.join(message.split()))}", err=True)


def refuse(first: str, items: Sequence[str], hint: str) -> NoReturn:
    """Fail (exit 1) with a list: ``email-crisis: first``, one ``- item`` a line, a hint."""
    fail(first)
    for item in items:
        click.echo(f"  - {visible(item, single_line=True)}", err=True)
    click.echo(visible(hint, single_line=True), err=True)
    raise click.exceptions.Exit(EXIT_FAILURE)


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
            fail(f"{error.format_message()} (see '{command} --help')")
            return EXIT_USAGE
        except click.ClickException as error:
            fail(error.format_message())
            return error.exit_code
        except CrisisError as error:
            fail(str(error))
            return EXIT_FAILURE
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader went away (``| head``): silence the final flush, stop quietly.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_FAILURE


# -- --db and --operator ----------------------------------------------------------------


def store_options(command: F) -> F:
    """``--db`` and ``--operator``; on a command they win over the group's."""
    command = click.option(
        "--operator",
        metavar="NAME",
        help="Who is acting (default: $EMAIL_CRISIS_OPERATOR, else login).",
    )(command)
    return click.option(
        "--db",
        metavar="PATH",
        help="Database file (default: $EMAIL_CRISIS_DB, else user data dir).",
    )(command)


def _chosen(name: str, value: str | None) -> str | None:
    """The command's own value, else the one given to the group."""
    return value if value is not None else click.get_current_context().find_root().params.get(name)


def db_path(db: str | None) -> Path:
    """The database path from the options and the environment."""
    from email_crisis.core.base.settings import resolve_db_path

    return resolve_db_path(_chosen("db", db))


def operator_name(operator: str | None) -> str:
    """The acting operator from the options and the environment."""
    from email_crisis.core.base.settings import resolve_operator

    return resolve_operator(_chosen("operator", operator))


def now() -> datetime:
    """The current time (``utc_now`` is looked up at call time so tests can freeze it)."""
    return utc_now()


@contextlib.contextmanager
def opened(db: str | None, *, create: bool = False) -> Iterator[Store]:
    """The store named by ``--db``/``EMAIL_CRISIS_DB``, closed afterwards.

    Only commands that add something create a missing database, so a mistyped
    ``--db`` is reported instead of answered from a new, empty file.
    """
    from email_crisis.core.steps import machine
    from email_crisis.core.store.database import Store

    machine.install()  # a change made here moves the incident on by the step rules
    store = Store.open(db_path(db), clock=now, create=create)
    try:
        yield store
    finally:
        store.close()


def step_words(step: str) -> str:
    """``step 4 Plan`` for a step id."""
    from email_crisis.core.base.domain import step_name

    return f"step {step_name(step)}"


def apply_change(
    incident_id: int, db: str | None, operator: str | None, change: Change
) -> tuple[Incident, str]:
    """Load the incident, apply one core operation; the result and "; now at step N X"
    when the step rules moved it on (else "")."""
    with opened(db) as store:
        before = store.get_incident(incident_id)
        after = change(store, before, operator_name(operator))
    moved = f"; now at {step_words(after.step)}" if after.step != before.step else ""
    return after, moved


def emit(lines: Sequence[str]) -> None:
    """Print lines (already made safe by the caller)."""
    click.echo("\n".join(lines))


def one_line(text: str | None, empty: str = "-") -> str:
    """Outside text on one line, with control characters made visible."""
    return visible(text, single_line=True) if text else empty


# JSON escapes C0 controls itself; these it would print raw (with ensure_ascii=False):
# DEL, the C1 controls (an 8-bit CSI or OSC acts in many terminals), bidi controls and
# the Unicode line and paragraph separators.
_JSON_UNSAFE = lazy_compile(rf"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029]")


def json_text(data: object) -> str:
    """``data`` as indented JSON that is safe to print: the same values, with every
    character a terminal could act on written as a ``\\uXXXX`` escape."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def sweep(folder: Path) -> None:
    """Remove partial files left in ``folder`` by an interrupted run, and say so."""
    from email_crisis.core.base.files import describe_swept, sweep_partials

    for line in describe_swept(sweep_partials(folder)):
        click.echo(visible(line, single_line=True), err=True)


def force_option(command: F) -> F:
    """``--force``: replace an existing output file (never the database or a link)."""
    return click.option(
        "--force",
        is_flag=True,
        help="Replace FILE if it exists (never the database, its -wal/-shm, or a link).",
    )(command)


# -- parameter types --------------------------------------------------------------------


class IncidentIdType(click.ParamType):
    """An incident id: a whole number from 1. Anything else is a usage error that says so."""

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not text.isdigit():
                shown = visible(str(value), single_line=True)
                raise click.UsageError(
                    f"no incident {shown!r}: an incident id is a number", ctx=ctx
                )
            number = int(text)
        if number < 1:
            raise click.UsageError(f"no incident '{number}': incident ids start at 1", ctx=ctx)
        return number


INCIDENT_ID = IncidentIdType()
"""The type of every command's ID argument."""


class SeverityType(click.ParamType):
    """SEV1..SEV4 or 1..4, checked by core (a bad value is a usage error)."""

    name = "SEV"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from email_crisis.core.own.incidents import check_severity

        try:
            return check_severity(str(value))
        except ValidationError as error:
            self.fail(str(error), param, ctx)


class MomentType(click.ParamType):
    """An ISO 8601 time; without an offset it is taken as local time."""

    name = "ISO8601"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        shown = visible(text[:40], single_line=True)
        try:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            self.fail(f"{shown!r} is not a time like 2026-11-27T09:30 or 2026-11-27T09:30Z", param)
        try:
            # Stored in UTC: a time that has no UTC equivalent (year 1 at +14:00,
            # year 9999 at -14:00) is refused here rather than failing later.
            return (moment if moment.tzinfo else moment.astimezone()).astimezone(timezone.utc)
        except (OverflowError, ValueError, OSError):
            self.fail(f"{shown!r} is out of the range of times that can be stored", param)
