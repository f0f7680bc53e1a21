"""The console's base application: what every screen may use of ``self.app``."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.app import App, SystemCommand
from textual.filter import Monochrome, NoColor
from textual.notifications import SeverityLevel
from textual.screen import Screen

from email_crisis.core.base.clock import Clock, utc_now
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.text import visible
from email_crisis.core.contain.playbooks import Playbook, load_playbook
from email_crisis.core.steps import machine
from email_crisis.core.store.database import Store
from email_crisis.tui import keymap
from email_crisis.tui.screens.dialogs import KeyDialog
from email_crisis.tui.working_copy import keep_all, unsaved_in

POLL_SECONDS = 0.5


class ConsoleApp(App[None]):
    """The console's state and services that screens and panels rely on.

    The store, the operator, the clock, the playbook, live refresh and the command
    palette. Which screens exist is ``app.EmailCrisisApp``'s business, so screens can
    name this class without importing the application that imports them.
    """

    TITLE = "email-crisis"
    BINDINGS = keymap.APP
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        store: Store,
        *,
        operator: str,
        clock: Clock = utc_now,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        super().__init__()
        machine.install()  # every change the console makes moves incidents on by the rules
        if self.no_color:
            # Textual's default for NO_COLOR turns colours into greys by brightness, which
            # leaves red text dark grey on a dark background. Drop colour instead and
            # keep bold, underline and reverse, as NO_COLOR intends.
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]
        self.store = store
        self.operator = operator
        self.clock = clock
        self._poll_seconds = poll_seconds
        self._seen_version: int | None = None
        self._poll_failed = False
        self._playbook: Playbook | None = None

    def playbook(self) -> Playbook:
        """The playbook in force (ours plus the organisation's file), loaded once."""
        if self._playbook is None:
            self._playbook = load_playbook()
        return self._playbook

    def now(self) -> datetime:
        """The app's idea of now (frozen in tests and screenshots)."""
        return self.clock()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast that shows its text literally, whoever calls it.

        Toasts quote ESP answers, file names, CSV headers and error messages: outside
        text. Every ``notify`` of a screen or widget ends here, so markup is off (a
        ``[/]`` in an ESP error no longer crashes the console, ``[@click=app.quit]`` is
        no link) and control characters and bidi overrides are made visible.
        """
        super().notify(
            visible(str(message)),
            title=visible(str(title), single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_mount(self) -> None:
        self.set_class(self.no_color, "-no-color")
        self.sub_title = visible(str(self.store.path), single_line=True)
        self._seen_version = self.store.data_version()
        # PRAGMA data_version only changes when another connection commits, so this
        # poll is a cheap read, not a busy loop.
        self.set_interval(self._poll_seconds, self.poll_database)
        self.call_after_refresh(self.settle)

    def poll_database(self) -> None:
        """Refresh every screen when another process has written to the database."""
        try:
            version = self.store.data_version()
        except CrisisError as error:
            if not self._poll_failed:
                self.notify(str(error), title="Live refresh paused", severity="error")
                self._poll_failed = True
            return
        self._poll_failed = False
        if version != self._seen_version:
            self._seen_version = version
            self.refresh_screens()

    def settle(self) -> None:
        """After a screen is built: move what exists now out of the cyclic collector's way.

        Textual keeps a six-figure number of long-lived objects once a workspace is
        open; full collections over them took ~100 ms, long enough to delay a key press.
        """
        gc.freeze()

    def refresh_screens(self) -> None:
        """Ask every screen that shows data to reload it."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_data", None)
            if callable(refresh):
                refresh()

    async def action_quit(self) -> None:
        """Quit; first ask when something typed is unsaved (q, ctrl+c, ctrl+q).

        Unsaved text is written as a working copy before quitting, so it is offered back
        the next time the incident (or, for a form's text, that form) is opened. With
        nothing unsaved there is nothing to lose (every change is in the database
        already): it quits at once.
        """
        stack = list(self.screen_stack)
        if any(screen.id == "quit-dialog" for screen in stack):
            keep_all(stack)  # asked again while asking: the operator means it
            self.exit()
            return
        unsaved = unsaved_in(stack)
        if not unsaved:
            self.exit()
            return
        body = Text("Not saved yet: ", style="bold").append(", ".join(unsaved) + ".")
        body.append(
            "\nIt is kept as a working copy and offered back when you open the incident again"
            " (text typed in a form: when you open that form again)."
        )

        def answered(answer: str | None) -> None:
            if answer == "quit":
                keep_all(stack)
                self.exit()

        quit_words = "Quit (keeping the unsaved text as a working copy)"
        dialog = KeyDialog("Quit email-crisis?", body, [("y,q", "quit", quit_words)])
        dialog.id = "quit-dialog"
        self.push_screen(dialog, answered)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a command in the palette."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.tooltip or binding.description,
                f"key: {self.get_key_display(binding)}",
                partial(self._run_from_palette, active.node, binding.action),
            )
        yield from super().get_system_commands(screen)

    def _run_from_palette(self, node: object, action: str) -> None:
        self.call_later(self.run_action, action, node)
