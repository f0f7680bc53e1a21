"""Step 5, notify and apologise: drafts, starting drafts, preview, export, and "sent".

Public API (the Notify panel and the CLI call only these; none imports Textual):

- ``save_draft(store, incident, fields, operator, *, base_version=None) -> Draft``
  appends a version (every version is kept; identical fields write nothing) and the
  event ``draft_saved`` {version, changed: [field names]}. ``fields`` may be partial
  (missing fields keep the latest version's values); keys are ``DRAFT_FIELDS``.
  ``base_version`` (the version the editor loaded, 0 for none) raises ``StaleDraft``
  when someone saved a newer one meanwhile.
- ``latest_draft(store, incident_id)``, ``draft_versions(store, incident_id)``,
  ``draft(store, incident_id, version)``: reading versions back.
- ``starting_draft(incident, language, brand, *, gate) -> Draft`` (version 0, unsaved):
  filled from ``templates/apology/drafts/{kind}.{language}.txt.j2``.
- ``render_email(draft, recipient, brand) -> RenderedEmail(subject, text, html,
  problems, preheader)``: the preview; never raises for a bad draft or template.
- ``export_eml(store, incident, version, out_dir, *, operator, findings,
  override_reason=None, audience_csv=None, brand=None) -> ExportResult``.
- ``mark_sent(store, incident, operator, sent_at=None, note="") -> Incident``.
- ``load_brand()``, ``sample_recipient(brand)``, ``apology_templates(language)``,
  ``merge_fields(draft)``, ``exports(store, incident_id)``, ``LINT_FIELDS``.

Locked kinds (``core.assess.apology_lock``): while the gate is closed, starting, saving,
exporting and marking sent all raise ``NotifyLocked`` with the gate's reason.

Export and merge fields: the ``.eml`` is the approved content, rendered for a neutral
recipient. A draft may only use merge fields (``{{ first_name }}``) that brand.toml maps
to the ESP's own merge tags in ``[esp.merge_tags]`` (e.g. ``first_name = "*|FNAME|*"``
for Mailchimp); the file then carries those tags for the ESP to fill. With no mapping,
a draft that uses merge fields is refused with a message saying so.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import jinja2

from email_crisis.core.assess import apology_lock
from email_crisis.core.assess.apology_lock import REASON_MIN, NotifyGate
from email_crisis.core.base.clock import format_local, local, to_iso
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, ValidationError
from email_crisis.core.base.files import OutputExists, database_files, write_private
from email_crisis.core.base.templates import LANGUAGES, TemplateProblem
from email_crisis.core.base.text import clean_block, has_unsafe
from email_crisis.core.notify.brand import Brand, BrandError, load_brand
from email_crisis.core.notify.export import (
    RenderedEmail,
    RenderProblem,
    address_problem,
    apology_templates,
    brand_environment,
    build_message,
    list_unsubscribe_headers,
    merge_fields,
    render_email,
)
from email_crisis.core.notify.lint.rules import one_click
from email_crisis.core.notify.store import (
    DRAFT_FIELDS,
    Draft,
    ExportRecord,
    StaleDraft,
    exports,
    insert_draft,
    record_export,
    set_notified,
)
from email_crisis.core.notify.store import draft_versions as _versions
from email_crisis.core.notify.store import get_draft as _get_draft
from email_crisis.core.notify.store import latest_draft as _latest
from email_crisis.core.store.database import Store

__all__ = [
    "DRAFT_FIELDS",
    "LINT_FIELDS",
    "Brand",
    "Draft",
    "ExportRecord",
    "ExportRefused",
    "ExportResult",
    "NotifyLocked",
    "RenderProblem",
    "RenderedEmail",
    "StaleDraft",
    "apology_templates",
    "brand_findings_context",
    "brand_problems",
    "draft",
    "draft_versions",
    "export_eml",
    "exports",
    "latest_draft",
    "load_brand",
    "mark_sent",
    "merge_fields",
    "one_click_blocker",
    "one_click_column",
    "render_email",
    "sample_recipient",
    "save_draft",
    "starting_draft",
]

LINT_FIELDS: dict[str, str] = {
    "from_address": "from",
    "reply_to": "reply-to",
    "subject": "subject",
    "preheader": "preheader",
    "body": "body",
}
"""Draft field -> the field name the rule checker uses in its findings."""

_LIMITS = {"from_address": 320, "reply_to": 320, "subject": 300, "preheader": 300, "body": 50_000}
_HEADER = re.compile(r"(Subject|Preheader):[ \t]*(.*)")


class NotifyLocked(CrisisError):
    """The apology lock is closed for this incident (the message is the gate's reason)."""


class ExportRefused(CrisisError):
    """The export was refused; the message says why and what to do. Nothing was written."""


class FindingLike(Protocol):
    """What ``export_eml`` needs from a rule-checker finding."""

    @property
    def rule(self) -> str: ...

    @property
    def severity(self) -> Any: ...


@dataclass(frozen=True)
class ExportResult:
    """A written ``.eml`` and its record."""

    path: Path
    record: ExportRecord
    rendered: RenderedEmail
    overridden_rules: tuple[str, ...]


def _open_gate(store: Store, incident: Incident) -> NotifyGate:
    decision = apology_lock.gate(store, incident)
    if not decision.allowed:
        raise NotifyLocked(decision.reason)
    return decision


def clean_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """Check and normalise draft fields (NFC, one line where needed, no control characters)."""
    cleaned: dict[str, str] = {}
    for key, value in fields.items():
        name = "from_address" if key == "from" else key
        if name not in DRAFT_FIELDS:
            raise ValidationError(f"unknown draft field {key!r}; use: {', '.join(DRAFT_FIELDS)}.")
        if not isinstance(value, str):
            raise ValidationError(f"draft field {name} must be text.")
        text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
        label = name.replace("_", " ").capitalize()
        if name == "body":
            text = text.strip("\n").rstrip()
        else:
            text = text.strip()
            if "\n" in text:
                raise ValidationError(f"{label} must be a single line.")
        if has_unsafe(text):
            raise ValidationError(
                f"{label} contains control characters (such as terminal escape codes or "
                "bidi overrides); type or paste it as plain text."
            )
        if len(text) > _LIMITS.get(name, 64):
            raise ValidationError(
                f"{label} is {len(text)} characters long; the limit is {_LIMITS.get(name, 64)}."
            )
        if name == "language" and text not in LANGUAGES:
            raise ValidationError(f"unknown language {text!r}; use {' or '.join(LANGUAGES)}.")
        if name == "template" and text and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", text):
            raise ValidationError(f"template name {text!r} may hold only a-z, 0-9, - and _.")
        cleaned[name] = text
    return cleaned


def save_draft(
    store: Store,
    incident: Incident,
    fields: Mapping[str, str],
    operator: str,
    *,
    base_version: int | None = None,
) -> Draft:
    """Save the fields as a new version of the apology (see the module docstring)."""
    _open_gate(store, incident)
    if not operator.strip():
        raise ValidationError("Saving a draft needs a named operator.")
    saved, _written = insert_draft(
        store, incident.id, clean_fields(fields), operator=operator, base_version=base_version
    )
    return saved


def latest_draft(store: Store, incident_id: int) -> Draft | None:
    """The newest saved version, or ``None``."""
    return _latest(store, incident_id)


def draft_versions(store: Store, incident_id: int) -> list[Draft]:
    """Every saved version, oldest first."""
    return _versions(store, incident_id)


def draft(store: Store, incident_id: int, version: int) -> Draft:
    """One saved version (``NotFound`` if there is no such version)."""
    return _get_draft(store, incident_id, version)


def sample_recipient(brand: Brand) -> dict[str, str]:
    """The neutral preview recipient from the brand settings."""
    return dict(brand.sample_recipient)


def starting_draft(
    incident: Incident,
    language: str,
    brand: Brand,
    *,
    gate: NotifyGate,
    org_dir: Path | None = None,
) -> Draft:
    """A first draft for the incident's kind, in ``language``, not saved yet (version 0).

    ``gate`` is ``apology_lock.gate(store, incident)``; a closed gate raises
    ``NotifyLocked`` with its reason. A locked kind whose lock was lifted has no draft
    of its own and starts from the ``other`` draft.
    """
    if not gate.allowed:
        raise NotifyLocked(gate.reason)
    if language not in LANGUAGES:
        raise ValidationError(f"unknown language {language!r}; use {' or '.join(LANGUAGES)}.")
    kind = "other" if incident.kind in apology_lock.LOCKED_KINDS else incident.kind
    name = f"apology/drafts/{kind}.{language}.txt.j2"
    context = {"brand": brand, "language": language, "detected": local(incident.detected_at)}
    try:
        text = brand_environment(org_dir).get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise TemplateProblem(f"there is no starting draft {name}.") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"template {name}, line {error.lineno}: {error.message}") from None
    except Exception as error:
        raise TemplateProblem(f"template {name} failed to render: {error}") from None
    headers: dict[str, str] = {}
    lines = text.lstrip("\n").split("\n")
    while lines and (match := _HEADER.fullmatch(lines[0].strip())):
        headers[match.group(1).lower()] = match.group(2).strip()
        lines.pop(0)
    if "subject" not in headers:
        raise TemplateProblem(f"template {name} must start with a 'Subject:' line.")
    return Draft(
        incident_id=incident.id,
        version=0,
        saved_at=None,
        operator=None,
        from_address=brand.from_address,
        reply_to=brand.reply_to,
        subject=headers["subject"],
        preheader=headers.get("preheader", ""),
        template="default",
        language=language,
        body="\n".join(lines).strip() + "\n",
    )


def _is_error(finding: FindingLike) -> bool:
    severity = getattr(finding.severity, "value", finding.severity)
    return str(severity).lower() == "error"


def _reason(text: str) -> str:
    try:
        reason = clean_block(text, field="Override reason", max_length=2000)
    except ValueError as error:
        raise ExportRefused(str(error)) from None
    if len(reason) < REASON_MIN:
        raise ExportRefused(
            f"Write the override reason in a full sentence (at least {REASON_MIN} "
            "characters): it goes on the record."
        )
    return reason


EXAMPLE_BRAND = "example-brand"
"""The pseudo-rule an export overrides when the brand is still the shipped example."""


def brand_problems(brand: Brand) -> set[str]:
    """Problems of the brand itself that block an export like a rule-checker error."""
    found = set()
    if brand.example_parts():
        found.add(EXAMPLE_BRAND)
    try:
        headers = list_unsubscribe_headers(brand)
    except BrandError:
        found.add(one_click.RULE)
    else:
        if one_click.problems(*headers):
            found.add(one_click.RULE)
    return found


def one_click_column(brand: Brand) -> str | None:
    """The audience column of per-recipient unsubscribe tokens, when the brand uses one."""
    return brand.token_field if brand.one_click == "url-template" else None


def _brand_advice(brand: Brand) -> str:
    parts = brand.example_parts()
    advice = ""
    if parts:
        advice += (
            "The brand is still the shipped example (" + ", ".join(parts) + "): write your "
            "organisation's brand.toml (EMAIL_CRISIS_BRAND or the user config folder). "
        )
    try:
        headers = list_unsubscribe_headers(brand)
    except BrandError as error:
        return advice + f"{error} "
    for problem in one_click.problems(*headers):
        advice += problem + " "
    return advice


def brand_findings_context(brand: Brand) -> tuple[str | None, str | None]:
    """The (List-Unsubscribe, List-Unsubscribe-Post) values for the rule checker.

    When the URL cannot be made yet (its token has no ESP tag), the URL as configured
    is checked: ``one_click_blocker`` says what is missing.
    """
    try:
        return list_unsubscribe_headers(brand)
    except BrandError:
        mailto = f"<mailto:{brand.unsubscribe_mailto}?subject=unsubscribe>"
        return f"{mailto}, <{brand.unsubscribe_url}>", "List-Unsubscribe=One-Click"


def one_click_blocker(brand: Brand) -> str | None:
    """Why no override can export with this brand (the one-click URL cannot be made)."""
    try:
        list_unsubscribe_headers(brand)
    except BrandError as error:
        return str(error)
    return None


def _export_recipient(chosen: Draft, brand: Brand) -> dict[str, str]:
    used = merge_fields(chosen)
    if not used:
        return {}
    where = ", ".join(f"{name} ({field} line {line})" for name, (field, line) in used.items())
    if not brand.merge_tags:
        raise ExportRefused(
            f"The draft uses merge fields: {where}. An exported apology may only use merge "
            "fields mapped to your ESP's tags in brand.toml [esp.merge_tags] "
            '(for example first_name = "*|FNAME|*"); map them or remove them.'
        )
    unmapped = [name for name in used if name not in brand.merge_tags]
    if unmapped:
        raise ExportRefused(
            f"These merge fields have no ESP tag in brand.toml [esp.merge_tags]: "
            f"{', '.join(unmapped)}. Map them or remove them from the draft."
        )
    return {name: brand.merge_tags[name] for name in used}


def _audience(path: Path | None) -> tuple[str | None, int | None]:
    """The audience file's name and how many addresses it lists (header row excluded)."""
    if path is None:
        return None, None
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except OSError as error:
        raise ExportRefused(f"cannot read the audience file {path}: {error.strerror}.") from None
    if rows and "@" not in rows[0][0]:
        rows = rows[1:]
    return Path(path).name, len(rows)


def export_eml(
    store: Store,
    incident: Incident,
    draft_version: int,
    out_dir: Path | str,
    *,
    operator: str,
    findings: Iterable[FindingLike],
    override_reason: str | None = None,
    audience_csv: Path | None = None,
    brand: Brand | None = None,
    org_dir: Path | None = None,
    force: bool = False,
) -> ExportResult:
    """Write ``<out_dir>/incident-<id>-apology-v<version>.eml`` (mode 0600) and record it.

    The file is written through ``base.files`` (never over the database or through a
    link); an existing one is replaced only with ``force``.

    Refuses (``NotifyLocked`` / ``ExportRefused``, nothing written) when the apology lock
    is closed, when ``findings`` hold errors and no ``override_reason`` is given, when
    From or Reply-To is not a real mailbox, when merge fields are not mapped to ESP
    tags, when the draft does not render cleanly, or when the file already exists.
    An ``override_reason`` is recorded only when there were errors to override.
    """
    _open_gate(store, incident)
    brand = brand or load_brand()
    chosen = draft(store, incident.id, draft_version)
    rules = tuple(sorted({f.rule for f in findings if _is_error(f)} | brand_problems(brand)))
    reason = None
    if rules:
        if override_reason is None:
            raise ExportRefused(
                f"The rule checker still reports errors ({', '.join(rules)}). "
                f"{_brand_advice(brand)}Fix them, or export with an override and a "
                "written reason."
            )
        reason = _reason(override_reason)
    for value, label in ((chosen.from_address, "From"), (chosen.reply_to, "Reply-To")):
        problem = address_problem(value, label)
        if problem:
            raise ExportRefused(problem)
    rendered = render_email(chosen, _export_recipient(chosen, brand), brand, org_dir=org_dir)
    if rendered.problems:
        listed = "; ".join(str(problem) for problem in rendered.problems)
        raise ExportRefused(f"The draft does not render cleanly: {listed}")
    audience_file, audience_count = _audience(audience_csv)
    try:
        list_unsubscribe_headers(brand)
    except BrandError as error:  # no override can write a URL that has no token in it
        raise ExportRefused(str(error)) from None
    message = build_message(chosen, rendered, brand, now=store.clock())
    path = Path(out_dir).expanduser() / f"incident-{incident.id}-apology-v{draft_version}.eml"
    try:
        write_private(
            path,
            message.as_bytes(),
            force=force,
            make_folder=True,
            protect=database_files(store.path),
        )
    except OutputExists:
        raise ExportRefused(
            f"{path} already exists and was left as it is; move it away or save a new version."
        ) from None
    try:
        record = record_export(
            store,
            incident.id,
            operator=operator,
            draft_version=draft_version,
            file_name=path.name,
            audience_file=audience_file,
            audience_count=audience_count,
            override_reason=reason,
            overridden_rules=rules,
        )
    except BaseException:
        path.unlink(missing_ok=True)  # no export without its record
        raise
    return ExportResult(path, record, rendered, rules if reason else ())


def mark_sent(
    store: Store,
    incident: Incident,
    operator: str,
    sent_at: datetime | None = None,
    note: str = "",
) -> Incident:
    """Record that the apology went out: sets ``notified_at`` once (event ``apology_sent``).

    Exporting is not sending: call this when the ESP has sent it. A second call is
    refused; ``StaleIncident`` when the incident changed since it was loaded.
    """
    _open_gate(store, incident)
    if incident.notified_at is not None:
        raise ValidationError(
            f"Incident {incident.id} was already marked as notified at "
            f"{format_local(incident.notified_at)}; nothing changed."
        )
    when = sent_at or store.clock()
    if when.tzinfo is None:
        raise ValidationError("The sending time needs a time zone (for example +00:00).")
    if when > store.clock():
        raise ValidationError("The sending time is in the future.")
    if when < incident.detected_at:
        raise ValidationError("The sending time is before the incident was detected.")
    text = ""
    if note.strip():
        try:
            text = clean_block(note, field="Note", max_length=2000)
        except ValueError as error:
            raise ValidationError(str(error)) from None
    done = exports(store, incident.id)
    details: dict[str, Any] = {"sent_at": to_iso(when), "note": text}
    if done:
        details.update(version=done[-1].draft_version, file=done[-1].file_name)
    set_notified(store, incident, operator=operator, sent_at=when, details=details)
    return store.get_incident(incident.id)
