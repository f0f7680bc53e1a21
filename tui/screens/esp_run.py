"""Running a containment action through the ESP: choose, plan, show, confirm, call once.

Nothing is sent until the operator has seen the exact request (secrets masked) and
pressed enter on the confirmation. The call runs in a worker thread so the screen
stays live; its result is recorded on the action whatever the operator does meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.contain import actions as contain
from email_crisis.core.contain import credentials, esp
from email_crisis.core.contain.actions import ContainAction
from email_crisis.core.contain.esp import PlannedRequest, StopTarget
from email_crisis.tui import keymap
from email_crisis.tui.render import plain

if TYPE_CHECKING:
    from email_crisis.tui.console import ConsoleApp


def esp_choices(preferred: str | None) -> list[tuple[str, str]]:
    """Every (ESP, operation) the connectors offer; the playbook's operation first."""
    choices = [
        (f"{name}:{op.id}", f"{esp.connector(name).label}: {op.title}")
        for name in esp.names()
        for op in esp.operations(name)
    ]
    return sorted(choices, key=lambda c: c[0].split(":", 1)[1] != preferred)


class EspConfirm(ModalScreen[bool]):
    """The request exactly as it will be sent; enter sends it, escape does not."""

    HELP_TITLE = "Confirm the ESP call"
    BINDINGS = keymap.ESP_CONFIRM

    def __init__(self, planned: PlannedRequest, key_source: str) -> None:
        super().__init__()
        self._planned = planned
        self._key_source = key_source

    def compose(self) -> ComposeResult:
        planned = self._planned
        body = Text()
        body.append_text(plain(planned.summary, single_line=False))
        body.append("\n\nThe request (the key is masked):\n", style="bold")
        body.append("\n".join(planned.display_lines()))
        body.append(f"\n\nKey from: {self._key_source}", style="dim")
        body.append("\n\nWhat it cannot stop: ", style="bold yellow")
        body.append_text(plain(planned.what_it_cannot_stop, single_line=False))
        body.append("\n\nenter sends it, once · escape sends nothing", style="bold")
        with Vertical(classes="form") as box:
            box.border_title = f"Send to {planned.esp_label}?"
            with VerticalScroll():
                yield Static(body)

    def action_send(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def run_through_esp(app: ConsoleApp, action: ContainAction, refresh: Callable[[], None]) -> None:
    """Walk the operator from choosing the connector to the recorded result."""
    from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm

    def chosen(choice: object) -> None:
        if not isinstance(choice, str):
            return
        name, operation = choice.split(":", 1)
        spec = next(op for op in esp.operations(name) if op.id == operation)
        needs = [need for need in spec.needs if need != "account"]
        if not needs:
            _confirm(app, action, StopTarget(name, operation, account=True), refresh)
            return
        need = needs[0]

        def submit(value: str) -> str | None:
            target = StopTarget(name, operation, **{need: value.strip()})
            try:
                settings = esp.settings_for(name)
                esp.plan(target, settings)
            except CrisisError as error:
                return str(error)
            app.call_later(_confirm, app, action, target, refresh)
            return None

        label = esp.IDENTIFIERS.get(need, need)
        app.push_screen(PromptForm(f"{spec.title}", f"{label} to stop", submit))

    app.push_screen(
        ChoiceMenu("Run it through which ESP?", esp_choices(action.esp_operation)), chosen
    )


def _confirm(
    app: ConsoleApp, action: ContainAction, target: StopTarget, refresh: Callable[[], None]
) -> None:
    try:
        secret, source = credentials.get_secret(target.esp)
        settings = esp.settings_for(target.esp, secret=secret)
        planned = esp.plan(target, esp.known_hosts(app.store, target, settings))
    except CrisisError as error:
        app.notify(str(error), title="Nothing was sent", severity="error", timeout=12)
        return

    def decided(send: bool | None) -> None:
        if not send:
            app.notify("Cancelled: nothing was sent.")
            return
        app.notify(f"Calling {planned.esp_label}…", timeout=planned.timeout + 2)
        app.run_worker(
            lambda: _call(app, action, planned, secret, refresh),
            thread=True,
            name=f"esp-{action.id}",
            group="esp",
        )

    app.push_screen(EspConfirm(planned, source), decided)


def _call(
    app: ConsoleApp,
    action: ContainAction,
    planned: PlannedRequest,
    secret: str,
    refresh: Callable[[], None],
) -> None:
    result = esp.execute(planned, secret)  # one call, blocking, in this worker thread
    app.call_from_thread(_record, app, action, planned, result, secret, refresh)


def _record(
    app: ConsoleApp,
    action: ContainAction,
    planned: PlannedRequest,
    result: esp.EspResult,
    secret: str,
    refresh: Callable[[], None],
) -> None:
    try:
        contain.record_execution(
            app.store,
            contain.get_action(app.store, action.id),
            ok=result.ok,
            esp=planned.esp,
            operation=planned.operation,
            status_code=result.status,
            message=result.esp_message,
            operator=app.operator,
            secrets=[secret],
        )
    except CrisisError as error:
        app.notify(f"The call happened but could not be recorded: {error}", severity="error")
    app.notify(
        esp.describe_result(planned, result),
        title="ESP answered" if result.status is not None else "ESP call failed",
        severity="information" if result.ok else "error",
        timeout=12,
    )
    refresh()
