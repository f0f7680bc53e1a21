"""The Notify panel's operations: save, preview, versions, export, sent, template, language.

Kept apart from the panel's rendering. Every write goes through ``screen.write``,
so a refused or stale write comes back as a message and the panel reloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rich.text import Text
from textual.notifications import SeverityLevel

from email_crisis.core.assess.apology_lock import NotifyGate
from email_crisis.core.assess.audience import build as audience
from email_crisis.core.assess.audience import store as store_audience
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.files import describe_swept, sweep_partials
from email_crisis.core.notify import drafts as notify
from email_crisis.core.notify.brand import Brand
from email_crisis.core.notify.drafts import Draft, StaleDraft
from email_crisis.core.notify.export import address_problem
from email_crisis.core.notify.lint import Finding, Severity
from email_crisis.core.store.database import Store
from email_crisis.tui.console import ConsoleApp
from email_crisis.tui.keyboard import focus_now
from email_crisis.tui.render import ellipsize, plain
from email_crisis.tui.screens.forms import ChoiceMenu, PromptForm, confirm_replace
from email_crisis.tui.widgets.notify_editor import LANGUAGE_NAMES, NotifyEditor
from email_crisis.tui.widgets.step_panel import WorkspaceHost
from email_crisis.tui.working_copy import Keeper


class NotifyHost(Protocol):
    """What the Notify flows use of the panel: its draft state and its editor."""

    incident: Incident | None
    gate: NotifyGate | None
    base: Draft | None
    template: str
    language: str
    stale_from: int | None
    keeper: Keeper

    @property
    def app(self) -> ConsoleApp: ...

    @property
    def screen(self) -> WorkspaceHost: ...

    @property
    def editor(self) -> NotifyEditor: ...

    @property
    def has_unsaved(self) -> bool: ...

    def brand(self) -> Brand: ...

    def templates(self, language: str) -> list[str]: ...

    def fields(self) -> dict[str, str]: ...

    def fill(self, draft: Draft) -> None: ...

    def check(self, fields: dict[str, str]) -> list[Finding]: ...

    def check_now(self, *, list_now: bool = False) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


EXPORTS_FOLDER = "exports"


def locked_text(reason: str) -> Text:
    """What the panel says instead of an editor when no apology may be sent."""
    out = Text("No apology is to be sent for this incident.\n\n", style="bold red")
    out.append_text(plain(reason, single_line=False))
    out.append(
        "\n\nThere is nothing to write, preview or export here: press d to record the "
        "decision not to send one (with its reason), which completes step 5. If these "
        "people must get a message anyway, go to step 3, Assess (key 3), and press o (F4) "
        "to lift the lock with a written reason; the reason is recorded in the log."
    )
    return out


class _Found(Exception):
    """Stops reading the audience at its first address."""


_FIRST: dict[tuple[str, int, tuple[int, ...]], str | None] = {}


def first_audience_address(store: Store, incident_id: int) -> str | None:
    """The first address of the incident's final audience, or ``None`` when it has none.

    Sorting a large audience takes a moment, so the answer is kept until a list changes.
    """
    lists = tuple(item.id for item in audience.audience_lists(store, incident_id))
    key = (str(store.path), incident_id, lists)
    if key not in _FIRST:

        def sink(batch: list[str]) -> None:
            raise _Found(batch[0])

        _FIRST.clear()  # one incident at a time is enough
        try:
            store_audience.write_final(store, incident_id, sink)
            _FIRST[key] = None
        except _Found as found:
            _FIRST[key] = str(found.args[0])
    return _FIRST[key]


def exports_dir(store: Store) -> Path:
    """``<database folder>/exports``: where the .eml and the audience CSV are written."""
    return Path(store.path).expanduser().resolve().parent / EXPORTS_FOLDER


# -- save --------------------------------------------------------------------------


def save(panel: NotifyHost) -> None:
    """F2: save the editor as a new version; a stale save keeps the text and says so."""
    if panel.base is None:
        return
    store, who = panel.app.store, panel.app.operator
    fields = panel.fields()
    base_version = panel.base.version
    if panel.stale_from is not None and panel.stale_from > base_version:
        base_version = panel.stale_from  # told once: F2 again saves on top of it
    saved: list[Draft] = []
    stale: list[StaleDraft] = []

    def change(incident: Incident) -> object:
        try:
            draft = notify.save_draft(store, incident, fields, who, base_version=base_version)
        except StaleDraft as error:
            stale.append(error)
            raise
        saved.append(draft)
        panel.base = draft  # before the reload, so it sees the editor as saved
        panel.stale_from = None
        return draft

    error = panel.screen.write(change)
    if error:
        if stale and panel.incident is not None:
            latest = notify.latest_draft(store, panel.incident.id)
            panel.stale_from = latest.version if latest else None
            error += (
                " Your text is kept here: F6 shows their version, F2 again saves yours as "
                "the newest (theirs stays in the list)."
            )
        panel.notify(error, title="Not saved", severity="error", timeout=12)
        return
    panel.keeper.forget()  # saved: the working copy has done its job
    draft = saved[-1]
    if draft.version == base_version and base_version:
        panel.notify(f"Nothing changed since version {draft.version}; nothing was saved.")
    else:
        panel.notify(f"Saved version {draft.version}.")
    panel.check_now()


# -- preview -----------------------------------------------------------------------


def preview(panel: NotifyHost) -> None:
    """F3: render the editor's content for a sample recipient and show it."""
    from email_crisis.tui.screens.notify_preview import NotifyPreview, preview_text

    if panel.incident is None or panel.base is None:
        return
    store = panel.app.store
    try:
        brand = panel.brand()
        address = first_audience_address(store, panel.incident.id)
    except CrisisError as error:
        panel.notify(str(error), severity="error", timeout=10)
        return
    recipient = notify.sample_recipient(brand)
    if address is not None:
        recipient["email"] = address
        source = (
            "(The first address of the incident's audience, shown only here; other "
            "merge fields take the brand's sample values.)"
        )
    else:
        source = "(The brand's sample recipient: no audience imported yet.)"
    fields = panel.fields()
    draft = Draft(panel.incident.id, panel.base.version, None, None, **fields)
    rendered = notify.render_email(draft, recipient, brand)
    body = preview_text(
        rendered,
        recipient=recipient.get("email", "(no address)"),
        recipient_source=source,
        from_address=fields["from_address"],
        reply_to=fields["reply_to"],
        template=f"{fields['template']}.{fields['language']}",
    )
    title = "Preview" + (" (unsaved changes)" if panel.has_unsaved else "") + " · escape closes"
    panel.app.push_screen(NotifyPreview(title, body))


# -- versions ----------------------------------------------------------------------


def versions(panel: NotifyHost) -> None:
    """F6: list the saved versions; the chosen one goes into the editor as unsaved changes."""
    if panel.incident is None:
        return
    store = panel.app.store
    found = notify.draft_versions(store, panel.incident.id)
    if not found:
        panel.notify("No version saved yet: F2 saves the first one.")
        return
    choices = [
        (
            str(d.version),
            f"v{d.version}  {format_local(d.saved_at) if d.saved_at else ''}  {d.operator}  "
            + ellipsize(d.subject, 40),
        )
        for d in reversed(found)
    ]
    incident_id = panel.incident.id

    def chosen(choice: object) -> None:
        if not isinstance(choice, str):
            return
        try:
            picked = notify.draft(store, incident_id, int(choice))
        except CrisisError as error:
            panel.notify(str(error), severity="error")
            return
        panel.fill(picked)
        panel.check_now()
        focus_now(panel.editor)
        if panel.has_unsaved:
            panel.notify(
                f"Version {picked.version} is in the editor as unsaved changes: F2 saves it "
                "as a new version."
            )

    panel.app.push_screen(ChoiceMenu("Saved versions (newest first)", choices), chosen)


# -- export ------------------------------------------------------------------------


def export(panel: NotifyHost) -> None:
    """F5: export the saved version; with errors left, ask for a written override reason."""
    if panel.incident is None or panel.base is None:
        return
    if panel.base.version == 0 or panel.has_unsaved:
        panel.notify(
            "Save first (F2): the export writes a saved version, exactly as it is stored.",
            severity="warning",
        )
        return
    saved = notify.draft(panel.app.store, panel.incident.id, panel.base.version)
    findings = panel.check(saved.fields())
    brand = panel.brand()
    example = brand.example_parts()
    why = (
        f"The brand is still the shipped example ({', '.join(example)}): set your own brand.toml. "
        if example
        else ""
    )
    blocker = notify.one_click_blocker(brand)
    if blocker:
        panel.notify(why + blocker, title="Nothing was exported", severity="error", timeout=20)
        return
    brand_rules = notify.brand_problems(brand)
    errors = sorted({f.rule for f in findings if f.severity is Severity.ERROR} | brand_rules)
    if not errors:
        _export_or_ask(panel, saved, findings, None)
        return

    def submit(reason: str) -> str | None:
        if _existing(panel, saved):  # asked once this prompt has closed
            panel.app.call_later(_export_or_ask, panel, saved, findings, reason)
            return None
        return _export(panel, saved, findings, reason)

    example = brand.example_parts()
    why = (
        f"The brand is still the shipped example ({', '.join(example)}): set your own brand.toml. "
        if example
        else ""
    )
    panel.app.push_screen(
        PromptForm(
            "Export with errors left",
            f"{why}The checker still reports errors ({', '.join(errors)}). Escape to fix "
            "them, or write why this must go out anyway (it is recorded):",
            submit,
        )
    )


def _files(panel: NotifyHost, saved: Draft) -> tuple[Path, Path]:
    """The .eml and the audience CSV an export of ``saved`` writes."""
    assert panel.incident is not None
    folder = exports_dir(panel.app.store)
    stem = f"incident-{panel.incident.id}-apology-v{saved.version}"
    return folder / f"{stem}.eml", folder / f"{stem}-audience.csv"


def _existing(panel: NotifyHost, saved: Draft) -> list[str]:
    """The export's files that exist already."""
    return [str(path) for path in _files(panel, saved) if path.exists() or path.is_symlink()]


def _export_or_ask(
    panel: NotifyHost, saved: Draft, findings: list[Finding], reason: str | None
) -> None:
    """Export; when its files exist, replace them only after the operator says so."""

    def run(force: bool) -> None:
        message = _export(panel, saved, findings, reason, force=force)
        if message:
            panel.notify(message, title="Nothing was exported", severity="error", timeout=15)

    existing = _existing(panel, saved)
    if existing:
        confirm_replace(panel.app, existing, lambda: run(True))
    else:
        run(False)


def _precheck(panel: NotifyHost, saved: Draft, eml: Path, force: bool = False) -> str | None:
    """What ``export_eml`` would refuse, asked before the audience CSV is written."""
    for value, label in ((saved.from_address, "From"), (saved.reply_to, "Reply-To")):
        problem = address_problem(value, label)
        if problem:
            return problem
    brand = panel.brand()
    used = notify.merge_fields(saved)
    unmapped = [name for name in used if name not in brand.merge_tags]
    if unmapped:
        return (
            f"The draft uses merge fields with no ESP tag in brand.toml [esp.merge_tags]: "
            f"{', '.join(unmapped)}. Map them or remove them from the draft."
        )
    rendered = notify.render_email(saved, {n: brand.merge_tags[n] for n in used}, brand)
    if rendered.problems:
        return "The draft does not render cleanly: " + "; ".join(map(str, rendered.problems))
    if eml.exists() and not force:
        return f"{eml} already exists and was left as it is; move it away or save a new version."
    return None


def _export(
    panel: NotifyHost,
    saved: Draft,
    findings: list[Finding],
    reason: str | None,
    *,
    force: bool = False,
) -> str | None:
    """Write the audience CSV (when there is an audience), then the .eml; an error or None.

    ``force`` replaces files of an earlier export of the same version (asked first).
    """
    assert panel.incident is not None
    store, who = panel.app.store, panel.app.operator
    eml, csv = _files(panel, saved)
    folder = eml.parent
    brand = panel.brand()
    try:
        problem = _precheck(panel, saved, eml, force)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for line in describe_swept(sweep_partials(folder)):
            panel.notify(line, title="Cleaned up", timeout=12)
        lists = audience.audience_lists(store, panel.incident.id)
        has_audience = any(item.role == "affected" for item in lists)
        if has_audience and problem is None:
            audience.check_export(store, panel.incident, csv, force=force)
    except CrisisError as error:
        return str(error)
    except OSError as error:
        return f"Cannot create {folder}: {error.strerror}."
    if problem:
        return problem
    done: dict[str, object] = {}

    def change(incident: Incident) -> object:
        if has_audience:  # with a token per recipient when the one-click URL needs one
            done["csv"] = audience.export_audience(
                store,
                incident,
                csv,
                operator=who,
                token_column=notify.one_click_column(brand),
                force=force,
            )
        done["eml"] = notify.export_eml(
            store,
            incident,
            saved.version,
            folder,
            operator=who,
            findings=findings,
            override_reason=reason,
            audience_csv=csv if has_audience else None,
            force=force,
        )
        return done["eml"]

    error = panel.screen.write(change)
    if error:
        if "csv" in done:
            error += f" (The audience was written to {csv}; move it away before trying again.)"
        return error
    result = done["eml"]
    assert isinstance(result, notify.ExportResult)
    written = [str(result.path)] + ([str(csv)] if has_audience else [])
    override = " with an override (recorded)" if result.overridden_rules else ""
    panel.notify(
        "Written"
        + override
        + ":\n"
        + "\n".join(written)
        + ("" if has_audience else "\nNo audience imported: no CSV was written."),
        title="Exported",
        timeout=20,
    )
    panel.check_now()
    return None


# -- template and language -----------------------------------------------------------


def cycle_template(panel: NotifyHost) -> None:
    """F7: the next brand template that exists in the draft's language."""
    language = LANGUAGE_NAMES[panel.language]
    names = panel.templates(panel.language)
    if not names:
        panel.notify(f"No brand template exists in {language}.", severity="error")
        return
    if panel.template in names and len(names) == 1:
        panel.notify(
            f"{names[0]} is the only brand template in {language}; add your own as "
            "apology/NAME.LANG.html.j2 and .txt.j2 in the organisation's template folder."
        )
        return
    index = names.index(panel.template) + 1 if panel.template in names else 0
    panel.template = names[index % len(names)]
    panel.check_now()
    panel.notify(f"Template: {panel.template}.")


def toggle_language(panel: NotifyHost) -> None:
    """F8: English <-> French; an untouched starting draft starts again in that language."""
    if panel.incident is None or panel.gate is None or panel.base is None:
        return
    language = "fr" if panel.language == "en" else "en"
    if panel.base.version == 0 and not panel.has_unsaved:
        try:
            start = notify.starting_draft(panel.incident, language, panel.brand(), gate=panel.gate)
        except CrisisError as error:
            panel.notify(str(error), severity="error")
            return
        panel.fill(start)
        panel.base = start
        note = "the starting draft is now in that language"
    else:
        panel.language = language
        note = "your text is kept: translate it yourself"
    panel.check_now()
    panel.notify(f"Language: {LANGUAGE_NAMES[language]} ({note}).")
