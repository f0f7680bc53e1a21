"""Step 5, "notify and apologise": the apology editor, checked as it is typed.

Header fields (From, Reply-To, Subject, Preheader) and the body; the brand template
and language are cycled with F7/F8. Every change queues one check behind the waiting
messages (changes meanwhile share it), run by the panel's own incremental ``Linter``
in about a millisecond: typing never waits for it. Findings are underlined in the
body, marked by their header field, and listed with their rule, message and fix.
Saving, versions, export, "sent", template and language live in
``screens/notify_forms.py``; writes go through ``screen.write``.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static, TextArea

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess import form as assess
from email_crisis.core.assess.apology_lock import NotifyGate
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify import lint
from email_crisis.core.notify.brand import Brand, BrandError
from email_crisis.core.notify.drafts import Draft
from email_crisis.core.notify.lint import Finding, LintContext
from email_crisis.core.store.working import WorkingCopy
from email_crisis.tui import keymap, keymap_notify
from email_crisis.tui.screens import notify_fixes as fixes
from email_crisis.tui.screens import notify_forms as flows
from email_crisis.tui.screens import notify_sent
from email_crisis.tui.widgets.fields import FieldCursor
from email_crisis.tui.widgets.findings_list import FindingsSide, FindingsTable
from email_crisis.tui.widgets.notify_editor import LABELS, DraftHeader, NotifyEditor, status_text
from email_crisis.tui.widgets.step_panel import WorkspaceHost
from email_crisis.tui.working_copy import Keeper, when

WIDE = 100
"""From this many columns the findings sit beside the editor, not below it."""


def normalised(fields: dict[str, str]) -> dict[str, str]:
    """The fields as a save would store them (so trailing spaces are not "changes")."""
    try:
        return notify.clean_fields(fields)
    except ValidationError:
        return dict(fields)


class NotifyPanel(Vertical, FieldCursor):
    """The apology: header fields, body editor, findings; a letter and an F-key for every
    action. In command mode the cursor moves over From, Reply-To, Subject, Preheader and
    the body (it starts on the body); tab reaches the findings list."""

    BINDINGS = keymap.FIELD_CURSOR + keymap_notify.NOTIFY_PANEL
    HELP_GROUP = "5 Notify"
    DEFAULT_FIELD = 4
    DEFAULT_CSS = """
    NotifyPanel { padding: 0 1; }
    NotifyPanel #notify-head { dock: top; }
    NotifyPanel #notify-message { height: auto; display: none; }
    NotifyPanel #notify-work { height: 1fr; }
    NotifyPanel #notify-body { height: 1fr; min-height: 3; }
    NotifyPanel FindingsSide { height: 7; border-top: solid $primary; }
    NotifyPanel FindingsSide > FindingsTable { height: 1fr; }
    NotifyPanel #notify-detail { height: 2; }
    NotifyPanel #notify-work.-browsing > #notify-body { display: none; }
    NotifyPanel #notify-work.-browsing > FindingsSide { height: 1fr; }
    NotifyPanel.-wide #notify-work { layout: horizontal; }
    NotifyPanel.-wide FindingsSide {
        height: 1fr; width: 45%; border-left: solid $primary; padding-left: 1;
    }
    """
    can_focus = True  # command mode: the panel itself has the focus, a cursor marks a field
    screen: WorkspaceHost

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.linter = lint.Linter()  # one per panel: re-checks are incremental
        self.incident: Incident | None = None
        self.gate: NotifyGate | None = None
        self.base: Draft | None = None
        """The version the editor was loaded from (0: the starting draft, not saved)."""
        self.template = "default"
        self.language = "en"
        self.findings: list[Finding] = []
        self.checks = 0
        """How many checks ran (the latency benchmark watches it)."""
        self.check_pending = False
        """A check is queued (tests and the benchmark wait for it to run)."""
        self.stale_from: int | None = None
        """A newer version a save was refused for (F2 again saves on top of it)."""
        self._warned: int | None = None
        self.last_export = ""
        self._brand: Brand | None = None
        self._data_exposed: bool | None = None
        self._exposed: frozenset[str] = frozenset()
        self._templates: dict[str, list[str]] = {}
        self._checked: object = None
        self._base_fields: tuple[Draft | None, dict[str, str]] = (None, {})
        self._list_pending = False
        self.keeper = Keeper(
            self,
            "notify.draft",
            "the apology",
            lambda: self.fields() if self.has_unsaved else None,
            lambda: str(self.base.version if self.base else 0),
        )

    def compose(self) -> ComposeResult:
        # The editor comes first so the workspace focuses it; the header is docked on top
        # (and docked widgets come first in the focus chain, so tab follows the screen).
        yield Static(id="notify-message")
        with Vertical(id="notify-work"):
            yield NotifyEditor(id="notify-body")
            yield FindingsSide(id="notify-side")
        yield DraftHeader(id="notify-head")

    def on_mount(self) -> None:
        self.editor.on_change = self._changed

    def _changed(self) -> None:
        self.schedule_check()
        self.keeper.changed()

    # -- fields, unsaved work -----------------------------------------------------------

    def edit_fields(self) -> list[Widget]:
        if self.locked or self.base is None:
            return []
        return [*(self.header.field(name) for name in LABELS), self.editor]

    def side_pane(self) -> Widget | None:
        return None if self.locked else self.table

    def unsaved_work(self) -> list[str]:
        return ["the apology (5 Notify)"] if self.has_unsaved else []

    def keep_working_copy(self) -> None:
        self.keeper.flush()

    def restore_working_copy(self, copy: WorkingCopy) -> str:
        """Put the fields of a working copy back in the editor, as unsaved changes."""
        if self.base is None or self.locked or self.incident is None:
            self.notify("The apology cannot be edited now; its working copy is kept.")
            return "notify"
        fields = {k: v for k, v in copy.fields.items() if k in self.base.fields()}
        self.fill(Draft(self.incident.id, self.base.version, None, None, **fields))
        self.check_now()
        since = (
            f" (version {self.base.version} was saved since)"
            if copy.base != str(self.base.version)
            else ""
        )
        self.notify(
            f"The apology you typed at {when(copy)} is back as unsaved changes{since}: "
            "s (or F2) saves it as a new version."
        )
        return "notify"

    # -- state ----------------------------------------------------------------------

    @property
    def editor(self) -> NotifyEditor:
        return self.query_one(NotifyEditor)

    @property
    def header(self) -> DraftHeader:
        return self.query_one(DraftHeader)

    @property
    def side(self) -> FindingsSide:
        return self.query_one(FindingsSide)

    @property
    def table(self) -> FindingsTable:
        return self.query_one(FindingsTable)

    def brand(self) -> Brand:
        """The brand settings, read once (a broken file raises ``BrandError``)."""
        if self._brand is None:
            self._brand = notify.load_brand()
        return self._brand

    def templates(self, language: str) -> list[str]:
        """The brand templates that exist in ``language`` (listed once per language)."""
        if language not in self._templates:
            self._templates[language] = notify.apology_templates(language)
        return self._templates[language]

    def fields(self) -> dict[str, str]:
        """What the editor holds now, as draft fields."""
        values = self.header.values()
        values.update(template=self.template, language=self.language, body=self.editor.text)
        return values

    @property
    def locked(self) -> bool:
        return self.gate is None or not self.gate.allowed

    @property
    def has_unsaved(self) -> bool:
        """Whether the editor differs from the version it was loaded from."""
        return self._unsaved(self.fields())

    def _unsaved(self, fields: dict[str, str]) -> bool:
        """``has_unsaved`` for fields already read."""
        if self.base is None or self.locked:
            return False
        if self._base_fields[0] is not self.base:  # normalised once per loaded version
            self._base_fields = (self.base, normalised(self.base.fields()))
        return normalised(fields) != self._base_fields[1]

    def lint_context(self) -> LintContext:
        """What the checker knows besides the text: kind, template, lock, exposed data."""
        assert self.incident is not None
        return LintContext(
            kind=self.incident.kind,
            template_name=self.template or None,
            rendered_with_brand=self.template in self.templates(self.language),
            apology_override=self.gate is not None and self.gate.override is not None,
            data_exposed=self._data_exposed,
            exposed=self._exposed,  # the protective steps asked for follow these
            is_template=True,  # drafts render through Jinja: {{ first_name }} is a merge field
            list_unsubscribe=self._list_unsubscribe(),
        )

    def _list_unsubscribe(self) -> tuple[str | None, str | None] | None:
        """The List-Unsubscribe headers the export will write (RFC 8058 is checked)."""
        try:
            return notify.brand_findings_context(self.brand())
        except BrandError:
            return None  # a broken brand file is reported where the brand is used

    def check(self, fields: dict[str, str]) -> list[Finding]:
        """The findings for ``fields`` (draft field names) in this incident's context."""
        lint_fields = {
            notify.LINT_FIELDS[k]: v for k, v in fields.items() if k in notify.LINT_FIELDS
        }
        return self.linter.check(lint_fields, self.lint_context())

    # -- loading --------------------------------------------------------------------

    def load(self, incident: Incident, *, active: bool) -> None:
        """Read the gate and the latest version; unsaved edits on screen are kept."""
        store = self.app.store
        self.incident = incident
        self.keeper.attach(incident.id)
        self.gate = apology_lock.gate(store, incident)
        if not self.gate.allowed:
            self._show_message(flows.locked_text(self.gate.reason))
            return
        assessment = assess.load_assessment(store, incident)
        self._data_exposed = assessment.personal_data_exposed
        self._exposed = frozenset(assessment.data_exposed)
        done = notify.exports(store, incident.id)
        if done:
            when = format_local(done[-1].exported_at, with_date=False)
            self.last_export = f"exported v{done[-1].draft_version} {when}"
        latest = notify.latest_draft(store, incident.id)
        if self.base is None:
            try:
                start = latest or notify.starting_draft(
                    incident, self.language, self.brand(), gate=self.gate
                )
            except CrisisError as error:
                self._show_message(Text(f"Cannot start a draft: {error}", style="bold red"))
                return
            self.fill(start)
            self.base = start
        elif latest is not None and latest.version > self.base.version:
            if not self.has_unsaved:
                self.fill(latest)
                self.base = latest
            elif self._warned != latest.version:  # F2 will be refused, then allowed
                self._warned = latest.version
                self.notify(
                    f"{latest.operator} saved version {latest.version} while you were editing;"
                    " your text is kept. F6 lists the versions.",
                    severity="warning",
                    timeout=10,
                )
        self._show_editor()
        self.check_now()
        self.refresh_bindings()

    def fill(self, draft: Draft) -> None:
        """Put ``draft``'s fields in the editor (the base version is set by the caller)."""
        self.header.fill(draft)
        self.template, self.language = draft.template, draft.language
        if self.editor.text != draft.body:
            self.editor.load_text(draft.body)

    def _show_message(self, text: Text) -> None:
        message = self.query_one("#notify-message", Static)
        message.update(text)
        message.display = True
        for part in ("#notify-work", "#notify-head"):
            widget = self.query_one(part)
            widget.display = False
            widget.disabled = True  # nothing hidden can take the focus (or the typing)
        self.refresh_bindings()

    def _show_editor(self) -> None:
        self.query_one("#notify-message", Static).display = False
        for part in ("#notify-work", "#notify-head"):
            widget = self.query_one(part)
            widget.display = True
            widget.disabled = False

    # -- checking as the operator types ------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()  # the editor already scheduled the check (``on_change``)

    def on_input_changed(self, event: Input.Changed) -> None:
        if (event.input.id or "").startswith("field-"):
            event.stop()
            self._changed()

    def schedule_check(self) -> None:
        """Queue one check behind the messages already waiting.

        Changes made before it runs (a burst of keys, a paste) share it, and the key
        that caused it is never held up: it is already in the editor. A re-check costs
        about a millisecond (the checker re-reads only the paragraph that changed), so
        the underline usually reaches the screen in the same frame as the letter.
        """
        if not self.check_pending:
            self.check_pending = True
            self.call_later(self._queued_check)

    def _queued_check(self) -> None:
        self.check_pending = False
        self.check_now()

    def check_now(self, *, list_now: bool = False) -> None:
        """Check the editor's content (skipped when nothing changed) and show the result.

        The underlines are drawn first; the list (whose new rows cost a layout of the
        screen) follows on the next refresh, unless ``list_now``.
        """
        if self.locked or self.incident is None or self.base is None:
            return
        fields = self.fields()
        context = self.lint_context()
        key = (tuple(fields.values()), context)
        if key != self._checked:
            self._checked = key
            self.findings = self.check(fields)
            self.checks += 1
            self.editor.set_findings(self.findings)
            if not self._list_pending:
                self._list_pending = True
                self.call_after_refresh(self._show_list)
        if list_now:
            self._show_list()
        status = status_text(
            dataclasses.replace(self.base, template=self.template, language=self.language),
            unsaved=self._unsaved(fields),
            template_known=self.template in self.templates(self.language),
            notified_at=self.incident.notified_at,
            last_export=self.last_export,
        )
        self.header.show_status(status)

    def _show_list(self) -> None:
        if self._list_pending:
            self._list_pending = False
            self.side.show(self.findings)
            self.header.show_findings(self.findings)

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE
        self.set_class(wide, "-wide")
        self.side.fit(wide=wide)

    # -- jumping and fixing ---------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        finding = self.table.highlighted()
        if finding is not None:
            self.jump(finding)

    def jump(self, finding: Finding) -> None:
        """Edit the finding's field with its span selected (the cursor at its start)."""
        fixes.jump(self, finding)

    def action_fix(self) -> None:
        fixes.fix(self)

    def action_next_finding(self) -> None:
        fixes.next_finding(self)

    # -- actions (the flows live in screens/notify_forms.py) ---------------------------

    def action_save(self) -> None:
        flows.save(self)

    def action_preview(self) -> None:
        flows.preview(self)

    def action_export(self) -> None:
        flows.export(self)

    def action_versions(self) -> None:
        flows.versions(self)

    def action_mark_sent(self) -> None:
        notify_sent.mark_sent(self)

    def action_decline(self) -> None:
        notify_sent.decline(self)

    def action_cycle_template(self) -> None:
        flows.cycle_template(self)

    def action_toggle_language(self) -> None:
        flows.toggle_language(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        cursor = self.cursor_check(action)
        if cursor is not None:
            return cursor
        unsent = self.incident is not None and self.incident.notified_at is None
        if action == "decline":
            return unsent
        if self.locked or self.base is None:
            return False
        if action == "mark_sent":
            return unsent
        return True
