"""How step 5 ends: the apology marked sent, or the decision not to send one.

Either completes step 5 (the step rules move the incident on to Monitor in the same
write). Marking sent asks first: exporting a draft is not sending it.
"""

from __future__ import annotations

from typing import Protocol

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.decline import decline_apology, declined
from email_crisis.tui.console import ConsoleApp
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm
from email_crisis.tui.widgets.step_panel import WorkspaceHost


class SentHost(Protocol):
    """What these flows use of the Notify panel."""

    incident: Incident | None

    @property
    def app(self) -> ConsoleApp: ...

    @property
    def screen(self) -> WorkspaceHost: ...

    def notify(
        self, message: str, *, severity: str = "information", timeout: float = 5
    ) -> None: ...


def mark_sent(panel: SentHost) -> None:
    """m / F9: after a confirmation, record that the apology went out (sets notified_at)."""
    incident = panel.incident
    if incident is None:
        return
    if incident.notified_at is not None:
        panel.notify(f"Already marked sent at {format_local(incident.notified_at)}.")
        return
    store, who = panel.app.store, panel.app.operator

    def chosen(choice: object) -> None:
        if choice != "yes":
            return
        error = panel.screen.write(lambda i: notify.mark_sent(store, i, who))
        if error:
            panel.notify(error, severity="error", timeout=10)
        else:
            panel.notify("Recorded: the apology was sent.")

    panel.app.push_screen(
        ChoiceMenu(
            "Has the apology been sent?",
            [
                ("yes", "Yes: the ESP has sent it; record the time now"),
                ("no", "No, not yet (exporting is not sending)"),
            ],
        ),
        chosen,
    )


def decline(panel: SentHost) -> None:
    """d: record the decision not to send an apology, with its reason."""
    incident = panel.incident
    if incident is None:
        return
    store, who = panel.app.store, panel.app.operator
    if incident.notified_at is not None:
        panel.notify(f"The apology was marked sent at {format_local(incident.notified_at)}.")
        return
    try:
        earlier = declined(store, incident.id)
    except CrisisError as error:
        panel.notify(str(error), severity="error")
        return
    if earlier is not None:
        panel.notify(
            f"{earlier.operator} already recorded that no apology is sent "
            f"({format_local(earlier.at)}).",
        )
        return

    def submit(reason: str) -> str | None:
        return panel.screen.write(lambda i: decline_apology(store, i, reason=reason, operator=who))

    panel.app.push_screen(
        PromptForm(
            "Decide not to send an apology",
            "Why will no apology be sent? (15 characters or more; it goes on the record, "
            "and it completes step 5 Notify)",
            submit,
        )
    )
