"""The ``email-crisis`` command: opens the console, or runs one operation for scripts.

One module per command group (``incidents``, ``steps``, ``database``, ``esp``,
``audience``, ``lint``, ``metrics``, ``close``, ``serve``). The root group knows each command by
name and imports its module only when that command runs (or when ``--help`` lists
them), so ``email-crisis lint`` pays for the rule checker alone and ``--version``
for nothing.

Expected failures (``CrisisError``) print one line, ``email-crisis: <message>``, and
exit 1; usage errors print one line and exit 2; nothing ever prints a traceback.
Textual is imported only when the console itself is opened.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
from collections.abc import Iterator, Sequence

import click

from email_crisis.core.base.errors import CrisisError
from email_crisis.tui.cli.common import PROG, CrisisGroup, store_options

COMMANDS: dict[str, str] = {
    "ack": "incidents:ack",
    "advance": "steps:advance",
    "apology": "apology:apology",
    "audience": "audience:audience",
    "backup": "database:backup",
    "commander": "incidents:commander",
    "credentials": "esp:credentials",
    "demo": "database:demo",
    "esp": "esp:esp",
    "lint": "lint:lint",
    "list": "incidents:list_",
    "metrics": "metrics:metrics",
    "new": "incidents:new",
    "reopen": "close:reopen",
    "report": "close:report",
    "resolve": "close:resolve",
    "serve": "serve:serve",
    "severity": "incidents:severity",
    "show": "incidents:show",
    "stats": "close:stats",
    "step": "steps:step",
    "templates": "database:templates",
}
"""Command name -> ``module:attribute`` under ``email_crisis.tui.cli``."""


_whole_process = False
"""Whether this process runs one command and ends: ``main()`` called without arguments,
by the console script or ``python -m``, not a test calling the group (or ``main(argv)``)
in its own long-lived process. Only then does ``_loading`` touch the garbage collector."""


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """Around the import of a command's module, in a process of its own: the garbage
    collector paused, then what the import made frozen out of its sight (``gc.freeze``).

    Modules, classes and functions live as long as the process, so a collection during
    the import finds nothing to free, and every later one, the interpreter's at exit
    included, would walk them again for nothing: about 15 ms of ``email-crisis lint
    FILE``, on a ~100 ms run. Objects made afterwards (a command's data) are collected
    as usual, so a long-running command (``serve``) is unaffected.
    """
    if not _whole_process:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Around a batch whose objects are all freed by reference counting (``lint`` over
    many files makes no reference cycle): the garbage collector paused, in a process of
    its own only. Its passes over the growing paragraph cache cost about 8 % of a
    100-file run, and find nothing to free. What the batch leaves alive (the cache, the
    results) lives until the process ends, so it is frozen before the collector is back
    on: otherwise its first pass would walk all of it (13 ms after 100 files)."""
    if not _whole_process or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


class LazyGroup(CrisisGroup):
    """Resolves a command's module when the command is asked for, not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, attribute = where.split(":")
        with _loading():
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command), where
        return command


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``email-crisis`` console script; returns the exit code."""
    global _whole_process
    _whole_process = argv is None
    try:
        return cli.main(argv, prog_name=PROG, standalone_mode=False)
    finally:
        _whole_process = False


def has_terminal() -> bool:
    """Whether the console can run: Textual spins on a closed or piped stdin."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from email_crisis.core.base.version import app_version  # importlib.metadata is slow

        click.echo(f"{PROG} {app_version()}")
        ctx.exit()


@click.group(
    name=PROG,
    cls=LazyGroup,
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
@store_options
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
            "from scripts use the commands: list, show, step, new, ack, commander, severity, "
            "advance"
        )
    from email_crisis.core.base.settings import resolve_db_path, resolve_operator
    from email_crisis.core.store.database import Store
    from email_crisis.tui.app import run_app  # Textual loads only for the console

    store = Store.open(resolve_db_path(db))
    try:
        run_app(store, operator=resolve_operator(operator))
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
