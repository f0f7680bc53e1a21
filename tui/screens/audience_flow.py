"""Importing and exporting the apology audience from the Assess panel.

The import reads the file in a worker thread on its own database connection (so the
screen keeps reading), reports progress, and can be cancelled: a cancelled or failed
import changes nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import OutputExists, describe_swept, sweep_partials
from email_crisis.core.store.database import Store
from email_crisis.tui.console import ConsoleApp
from email_crisis.tui.widgets.step_panel import WorkspaceHost


class AudienceHost(Protocol):
    """What the import and export flows use of the Assess panel."""

    @property
    def app(self) -> ConsoleApp: ...

    @property
    def screen(self) -> WorkspaceHost: ...

    def import_started(self, file_name: str, cancel: threading.Event) -> None: ...

    def import_progress(self, done: int, total: int) -> None: ...

    def import_finished(self, message: str, ok: bool) -> None: ...


ROLE_CHOICES = [
    ("affected", "The affected recipients (the send's export from the ESP)"),
    ("suppressed", "A suppression / unsubscribe / bounce / complaint list to remove"),
]


def start_import(panel: AudienceHost) -> None:
    """Ask what kind of list and which file, then import it in a worker."""
    from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm

    app = panel.app

    def role_chosen(role: object) -> None:
        if role not in audience.ROLES:
            return

        def submit(text: str) -> str | None:
            path = Path(text.strip()).expanduser()
            if not text.strip():
                return "Type the path of a CSV or TSV file."
            if not path.is_file():
                return f"There is no file at {path}."
            app.call_later(_run, panel, path, str(role))
            return None

        label = "Path of the CSV/TSV file (any column order; the email column is found)"
        app.push_screen(PromptForm(f"Import the {role} list", label, submit))

    app.push_screen(ChoiceMenu("Which list?", ROLE_CHOICES), role_chosen)


def _run(panel: AudienceHost, path: Path, role: str) -> None:
    app = panel.app
    incident = panel.screen.incident
    if incident is None:
        return
    cancel = threading.Event()
    panel.import_started(path.name, cancel)
    operator, db_path = app.operator, app.store.path

    def progress(done: int, total: int) -> None:
        app.call_from_thread(panel.import_progress, done, total)

    def work() -> None:
        store = Store.open(db_path, clock=app.store.clock, create=False)
        try:
            stats = audience.import_list(
                store,
                store.get_incident(incident.id),
                path,
                role=role,
                operator=operator,
                progress=lambda done, total: app.call_from_thread(
                    panel.import_progress, done, total
                ),
                cancel=cancel,
            )
            kept = assess.record_affected_list(store, incident, stats, operator=operator)
        except CrisisError as error:
            app.call_from_thread(panel.import_finished, str(error), False)
        else:
            summary = " ".join(filter(None, (audience.describe_import(stats), kept)))
            app.call_from_thread(panel.import_finished, summary, True)
        finally:
            store.close()

    app.run_worker(work, thread=True, name="audience-import", group="audience", exclusive=True)


def export(panel: AudienceHost) -> None:
    """Ask where to write the audience CSV, then write it (refused when not allowed).

    An existing file is replaced only after the operator confirms it.
    """
    from email_crisis.tui.screens.forms import PromptForm, confirm_replace

    app = panel.app
    incident = panel.screen.incident
    if incident is None:
        return
    default = str(app.store.path.parent / "exports" / f"incident-{incident.id}-audience.csv")

    def write(out: Path, force: bool) -> None:
        for line in describe_swept(sweep_partials(out.parent)):
            app.notify(line, title="Cleaned up", timeout=12)
        result = audience.export_audience(
            app.store, app.store.get_incident(incident.id), out, operator=app.operator, force=force
        )
        text = f"Wrote {result.addresses:,} addresses to {result.path}"
        if result.as_text:
            text += (
                f"; {result.as_text:,} start with =, +, - or @ and have a leading ' so a "
                "spreadsheet shows them as text"
            )
        app.notify(text, timeout=12)
        app.refresh_screens()

    def replace(out: Path) -> None:
        try:
            write(out, force=True)
        except CrisisError as error:
            app.notify(str(error), title="Nothing was exported", severity="error", timeout=12)

    def submit(text: str) -> str | None:
        out = Path(text.strip()).expanduser()
        try:
            out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write(out, force=False)
        except OutputExists:  # asked once this prompt has closed
            app.call_later(confirm_replace, app, [str(out)], lambda: replace(out))
        except (CrisisError, OSError) as error:
            return str(error)
        return None

    app.push_screen(
        PromptForm("Export the apology audience", "Write the CSV to", submit, value=default)
    )
