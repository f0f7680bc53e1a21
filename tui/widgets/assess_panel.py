"""Step 3, "assess the damage": the form, checked as it is typed, and the live decisions."""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, ProgressBar, Static

from email_crisis.core.assess import form as assess
from email_crisis.core.assess.assessment import PLACES_SOURCES
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.form import FIELDS, AssessView, FieldError
from email_crisis.core.assess.override_store import Override
from email_crisis.core.assess.places import describe_places
from email_crisis.core.base.domain import Incident
from email_crisis.core.store.working import WorkingCopy
from email_crisis.tui import keymap
from email_crisis.tui.render import plain
from email_crisis.tui.widgets.assess_decisions import HEADER_STYLE, decisions_text
from email_crisis.tui.widgets.fields import FieldCursor, TextField
from email_crisis.tui.widgets.step_panel import WorkspaceHost
from email_crisis.tui.working_copy import Keeper, when

SHOWN = {name: spec for name, spec in FIELDS.items() if spec.shown}


class AssessPanel(Horizontal, FieldCursor):
    """The assessment form on the left, what follows from it on the right.

    In command mode the cursor moves over the fields (up/down) and tab reaches the
    decisions column (scrolled with the arrows and page keys); unsaved answers are kept
    as a working copy until F2 saves them.
    """

    BINDINGS = keymap.FIELD_CURSOR + keymap.ASSESS_PANEL + keymap.AUDIENCE
    HELP_GROUP = "3 Assess"
    can_focus = True  # command mode: the panel itself has the focus, a cursor marks a field
    screen: WorkspaceHost

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._base: assess.Assessment | None = None
        self._incident: Incident | None = None
        self._override: Override | None = None
        self._changes: dict[str, str] = {}
        self._filling = False
        self.deadlines: list[Text] = []
        self._suggested: str | None = None
        self._import_cancel: threading.Event | None = None
        self._audience_key: tuple[int, ...] | None = None
        self._audience_text = Text()
        self.keeper = Keeper(
            self,
            "assess.form",
            "the assessment",
            lambda: dict(self._changes) or None,
            lambda: str(self._base.version if self._base else 0),
        )

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="assess-form", can_focus=False):
            for name, spec in SHOWN.items():
                with Vertical(classes="field"):
                    yield Label(spec.label, classes="field-label")
                    yield TextField(placeholder=spec.hint, id=f"field-{name}", compact=True)
                    yield Static(classes="field-error", id=f"error-{name}")
        with VerticalScroll(id="assess-decisions"):
            yield Static(id="assess-status")
            yield ProgressBar(id="assess-progress", show_eta=False)
            yield Static(id="assess-audience")
            yield Static(id="assess-decisions-text")

    @property
    def has_unsaved(self) -> bool:
        return bool(self._changes)

    # -- fields, unsaved work -----------------------------------------------------------

    def edit_fields(self) -> list[Widget]:
        return [self.query_one(f"#field-{name}") for name in SHOWN]

    def side_pane(self) -> Widget | None:
        return self.query_one("#assess-decisions")

    def unsaved_work(self) -> list[str]:
        return ["the assessment (3 Assess)"] if self._changes else []

    def keep_working_copy(self) -> None:
        self.keeper.flush()

    def restore_working_copy(self, copy: WorkingCopy) -> str:
        """Put the answers of a working copy back in the fields, as unsaved changes."""
        for name, text in copy.fields.items():
            if name in SHOWN:
                self.query_one(f"#field-{name}", Input).value = text
        saved = self._base.version if self._base else 0
        since = f" (version {saved} was saved since)" if copy.base != str(saved) else ""
        self.notify(
            f"The assessment you typed at {when(copy)} is back as unsaved changes{since}: "
            "F2 (or s) saves it."
        )
        return "assess"

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read the assessment, decide, and render; keeps the header's deadlines."""
        self.keeper.attach(incident.id)
        view = assess.assess_view(self.app.store, incident)
        self.deadlines = [plain(c.text, style=HEADER_STYLE.get(c.status, "")) for c in view.header]
        self._load_audience(incident)
        self.show(incident, view, view.apology.override)

    def _load_audience(self, incident: Incident) -> None:
        # Counting a million-row audience takes a moment: only when a list changed.
        lists = audience.audience_lists(self.app.store, incident.id)
        key = tuple(item.id for item in lists)
        if key != self._audience_key:
            self._audience_key = key
            counts = audience.audience_counts(self.app.store, incident.id)
            text = Text("Apology audience\n", style="bold")
            text.append("\n".join(counts.lines()))
            text.append("\nu (F5) imports a list, e (F6) exports the audience.", style="dim")
            self._audience_text = text
        self.query_one("#assess-audience", Static).update(self._audience_text)

    def show(self, incident: Incident, view: AssessView, override: Override | None) -> None:
        """Render fresh data; fields being edited keep what the operator typed."""
        self._incident, self._override = incident, override
        self._suggested = view.severity.severity  # of the saved assessment: what F3 takes
        fresh = view.assessment
        if self._base is None or not self._changes or fresh.version != self._base.version:
            if self._changes and self._base is not None and fresh.version != self._base.version:
                self.notify(
                    f"{fresh.updated_by} saved the assessment (version {fresh.version}) since "
                    "you loaded it; your unsaved edits are kept on screen.",
                    severity="warning",
                )
            self._base = fresh
            self._fill(fresh)
        self._render_decisions()

    def _fill(self, assessment: assess.Assessment) -> None:
        self._filling = True
        try:
            for name in SHOWN:
                if name in self._changes:
                    continue
                field = self.query_one(f"#field-{name}", Input)
                text = assess.field_text(assessment, name)
                if field.value != text:
                    field.value = text
        finally:
            self._filling = False
        if "affected_by_place" not in self._changes:
            self._echo_places(assessment.affected_by_place, assessment.places_source)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filling or self._base is None or not (event.input.id or "").startswith("field-"):
            return
        event.stop()
        name = (event.input.id or "")[len("field-") :]
        if event.value == assess.field_text(self._base, name):
            self._changes.pop(name, None)
        else:
            self._changes[name] = event.value
        parsed = assess.parse_field(name, event.value)
        error = self.query_one(f"#error-{name}", Static)
        if isinstance(parsed, FieldError):
            error.update(Text(parsed.message, style="bold red"))
            error.display = True
        elif name == "affected_by_place":
            self._echo_places(parsed, "typed" if parsed else "")
        else:
            error.display = False
        self._render_decisions()
        self.keeper.changed()

    def _echo_places(self, places: tuple[tuple[str, int], ...], source: str) -> None:
        """Under the counts per place: how they read, and where they came from."""
        echo = self.query_one("#error-affected_by_place", Static)
        echo.display = bool(places)
        if places:
            text = Text(f"= {describe_places(places)}", style="dim")
            if source in PLACES_SOURCES and source != "typed":
                text.append(f" ({PLACES_SOURCES[source]})", style="yellow")
            echo.update(text)

    def _render_decisions(self) -> None:
        if self._base is None or self._incident is None:
            return
        candidate, problems = assess.apply_changes(self._base, self._changes, self.app.now())
        view = assess.decide(self._incident, candidate, self._override, self.app.now())
        status = self.query_one("#assess-status", Static)
        if self._changes:
            count = len(self._changes)
            status.update(
                Text(
                    f"{count} unsaved change{'s' * (count > 1)}: s or F2 saves"
                    + (f" ({len(problems)} to fix first)" if problems else ""),
                    style="bold yellow",
                )
            )
        elif self._base.version:
            status.update(Text(f"Saved (version {self._base.version}).", style="green"))
        else:
            status.update(
                Text(
                    "Not assessed yet: i edits the field under the cursor, s (or F2) saves.",
                    style="bold",
                )
            )
        self.query_one("#assess-decisions-text", Static).update(
            decisions_text(self._incident, view)
        )
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------

    def action_save(self) -> None:
        if not self._changes:
            self.notify("Nothing to save.")
            return
        base = self._base
        changes = dict(self._changes)
        store, who = self.app.store, self.app.operator

        def change(incident: Incident) -> object:
            saved = assess.update_assessment(
                store,
                incident,
                changes,
                operator=who,
                expected_version=base.version if base else None,
            )
            # Ours now, before the workspace refreshes: the refresh must not take this
            # save for someone else's (the base moves to the version just written).
            self._changes.clear()
            self._base = saved
            return saved

        error = self.screen.write(change)
        if error:
            self.notify(error, severity="error", timeout=10)
            return
        self.keeper.forget()
        self.notify("Assessment saved.")

    def action_accept_severity(self) -> None:
        store, who = self.app.store, self.app.operator
        error = self.screen.write(
            lambda i: assess.accept_suggested_severity(store, i, operator=who)
        )
        if error:
            self.notify(error, severity="warning", timeout=8)

    def action_override_lock(self) -> None:
        from email_crisis.core.assess import apology_lock
        from email_crisis.tui.screens.forms import PromptForm

        store, who = self.app.store, self.app.operator

        def submit(reason: str) -> str | None:
            return self.screen.write(
                lambda i: apology_lock.override_lock(store, i, reason, operator=who)
            )

        self.app.push_screen(
            PromptForm(
                "Override the no-apology lock",
                "Why must these people get an apology anyway? (goes on the record)",
                submit,
            )
        )

    # -- audience --------------------------------------------------------------------

    def action_import_list(self) -> None:
        if self._import_cancel is not None:
            self.notify("An import is already running (F8 cancels it).", severity="warning")
            return
        from email_crisis.tui.screens.audience_flow import start_import

        start_import(self)

    def action_export_audience(self) -> None:
        from email_crisis.tui.screens.audience_flow import export

        export(self)

    def action_cancel_import(self) -> None:
        if self._import_cancel is not None:
            self._import_cancel.set()

    def import_started(self, file_name: str, cancel: threading.Event) -> None:
        """Show the progress bar (called on the UI thread)."""
        self._import_cancel = cancel
        bar = self.query_one("#assess-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.notify(f"Importing {file_name}… (F8 cancels)")
        self.refresh_bindings()

    def import_progress(self, done: int, total: int) -> None:
        self.query_one("#assess-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def import_finished(self, message: str, ok: bool) -> None:
        """Hide the progress bar and say what happened (called on the UI thread)."""
        self._import_cancel = None
        self.query_one("#assess-progress", ProgressBar).display = False
        self.notify(
            message,
            title="Imported" if ok else "Nothing was imported",
            severity="information" if ok else "error",
            timeout=12,
        )
        self.refresh_bindings()
        self.app.refresh_screens()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        cursor = self.cursor_check(action)
        if cursor is not None:
            return cursor
        if action == "cancel_import":
            return self._import_cancel is not None
        if self._incident is None or self._base is None:
            return True
        if action == "override_lock":
            return self._incident.kind in assess.LOCKED_KINDS and self._override is None
        if action == "accept_severity":
            return self._suggested != self._incident.severity
        return True
