"""The workspace's flows that span the incident: moving on by hand, closing, leaving,
and offering back the text an earlier session never saved.

They see the workspace through ``WorkspaceLike``; every write goes through its
``write`` (core decides, the refresh shows the result).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.widget import Widget

from email_crisis.core.base.domain import STEPS, Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.plan.people import people_named
from email_crisis.core.steps import machine as steps
from email_crisis.core.store import working
from email_crisis.core.store.working import WorkingCopy
from email_crisis.tui.screens.close_dialog import close_incident, reopen_incident
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.screens.statement import STATEMENT_LABEL, STATEMENT_SLOT
from email_crisis.tui.working_copy import FORM_SLOT, form_copy_text, offer_text

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp


class WorkspaceLike(Protocol):
    """What these flows use of the workspace screen."""

    incident: Incident | None
    incident_id: int

    @property
    def app(self) -> ConsoleApp: ...

    def write(self, change: Callable[[Incident], object]) -> str | None: ...

    def refresh_data(self) -> None: ...

    def panels(self) -> list[Widget]: ...

    def unsaved_work(self) -> list[str]: ...

    def keep_working_copy(self) -> None: ...

    def action_show_tab(self, tab: str) -> None: ...

    def action_statement(self, text: str | None = None) -> None: ...

    def notify(
        self, message: str, *, severity: str = "information", timeout: float = 5
    ) -> None: ...


def people(screen: WorkspaceLike) -> list[str]:
    """The people already on the incident (the operator first), for the owner picker."""
    app = screen.app
    if screen.incident is None:
        return [app.operator]
    try:
        return people_named(app.store, screen.incident, me=app.operator)
    except CrisisError:
        return [app.operator]


# -- moving on by hand ---------------------------------------------------------------------


def advance(screen: WorkspaceLike) -> None:
    """``>``: move on from the current step, asking for the reason when it is not complete.

    At Monitor, the last step, this ends the watch window early.
    """
    from email_crisis.tui.screens.forms import PromptForm

    incident, app = screen.incident, screen.app
    if incident is None:
        return
    if incident.resolved_at is not None:
        screen.notify("The incident is closed: x reopens it first.", severity="warning")
        return
    store, who = app.store, app.operator
    try:
        status = steps.status(store, incident, now=app.now())
    except CrisisError as error:
        screen.notify(str(error), severity="error")
        return
    last = incident.step == STEPS[-1]
    if status.complete:
        if last:
            screen.notify("Step 6 Monitor is complete: the incident is ready to close (x).")
            return
        error = screen.write(lambda i: steps.advance(store, i, operator=who))
        if error:
            screen.notify(error, severity="warning", timeout=10)
        return

    def submit(reason: str) -> str | None:
        error = screen.write(lambda i: steps.advance(store, i, operator=who, reason=reason))
        if error is None and last:
            screen.notify("The watch is over (ended early): the incident is ready to close (x).")
        return error

    lines = [f"What completes it: {status.completes}"]
    if status.done:
        lines.append("Done: " + "; ".join(status.done))
    lines.append("Missing: " + "; ".join(status.missing))
    ask = "Why end the watch now?" if last else "Why move on anyway?"
    lines.append(f"{ask} (10 characters or more; recorded with what is missing)")
    title = (
        "End the deliverability watch early"
        if last
        else f"Move on from step {status.number} {status.label} by hand"
    )
    app.push_screen(PromptForm(title, "\n".join(lines), submit))


# -- closing -------------------------------------------------------------------------------


def close_or_reopen(screen: WorkspaceLike) -> None:
    """``x``: the closing dialog (what argues against it, then a reason), or reopen."""
    incident = screen.incident
    if incident is None:
        return
    if incident.is_open:
        close_incident(screen.app, incident, screen.app.refresh_screens)
    else:
        reopen_incident(screen.app, incident, screen.app.refresh_screens)


# -- leaving with unsaved text ---------------------------------------------------------------


def leave(screen: WorkspaceLike) -> None:
    """Back to the board; with unsaved text, ask whether to keep it or throw it away."""
    unsaved = screen.unsaved_work()
    app = screen.app
    if not unsaved:
        app.pop_screen()
        return

    def answered(answer: str | None) -> None:
        if answer == "keep":
            screen.keep_working_copy()
            app.pop_screen()
        elif answer == "discard":
            for panel in screen.panels():
                keeper = getattr(panel, "keeper", None)
                if keeper is not None:
                    keeper.forget()
            app.pop_screen()

    body = Text("Not saved yet: ", style="bold").append(", ".join(unsaved) + ".")
    app.push_screen(
        KeyDialog(
            f"Leave incident {screen.incident_id}?",
            body,
            [
                ("k", "keep", "Leave, and keep it as a working copy (offered back next time)"),
                ("d", "discard", "Leave, and throw it away"),
            ],
        ),
        answered,
    )


# -- offering back what an earlier session never saved ----------------------------------------


def offer_working_copies(screen: WorkspaceLike) -> None:
    """Once per opening: for each working copy left on this incident, ask what to do."""
    if getattr(screen, "_offered", True) or screen.incident is None:
        return
    screen._offered = True  # type: ignore[attr-defined]
    app = screen.app
    try:
        copies = working.list_copies(app.store, screen.incident_id, operator=app.operator)
    except CrisisError:
        return
    keepers = {}
    for panel in screen.panels():
        keeper = getattr(panel, "keeper", None)
        if keeper is not None:
            keepers[keeper.slot] = panel
    # A form's copy comes back when that form opens; say so now, or it may be forgotten.
    for copy in copies:
        if copy.slot.startswith(FORM_SLOT):
            screen.notify(form_copy_text(copy), title="Unsaved text kept", timeout=30)
    # The statement last: restoring it opens its editor over the workspace.
    offers = [c for c in copies if c.slot in keepers]
    offers += [c for c in copies if c.slot == STATEMENT_SLOT]
    _ask(screen, offers, keepers)


def _ask(screen: WorkspaceLike, offers: list[WorkingCopy], keepers: dict[str, Widget]) -> None:
    if not offers:
        return
    copy, rest = offers[0], offers[1:]
    app = screen.app

    def answered(answer: str | None) -> None:
        if answer == "restore":
            if copy.slot == STATEMENT_SLOT:
                screen.action_statement(copy.fields.get("body", ""))
                return  # the others are asked again next time
            panel = keepers[copy.slot]
            tab = panel.restore_working_copy(copy)  # type: ignore[attr-defined]
            screen.action_show_tab(tab)
        elif answer == "discard":
            try:
                working.drop(app.store, copy.incident_id, operator=copy.operator, slot=copy.slot)
            except CrisisError as error:
                screen.notify(str(error), severity="warning")
        app.call_later(_ask, screen, rest, keepers)

    body = Text(
        "It was kept while you typed and never saved (the app or the connection ended "
        "first). Restoring puts it back as unsaved changes."
    )
    label = STATEMENT_LABEL if copy.slot == STATEMENT_SLOT else copy.label
    app.push_screen(
        KeyDialog(
            offer_text(copy),
            body,
            [
                ("y", "restore", f"Yes: restore {label}"),
                ("n", "discard", "No: throw it away"),
            ],
        ),
        answered,
    )
