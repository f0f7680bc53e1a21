"""Store layer for step 5: apology draft versions, exports and the "sent" mark (SQL only here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from email_crisis.core.base.clock import from_iso, to_iso
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import CrisisError, NotFound
from email_crisis.core.store.database import Store

DRAFT_FIELDS: tuple[str, ...] = (
    "from_address",
    "reply_to",
    "subject",
    "preheader",
    "template",
    "language",
    "body",
)
"""The editable fields of a draft, in the order the panel shows them."""

_DRAFT_COLUMNS = "incident_id, version, saved_at, operator, " + ", ".join(DRAFT_FIELDS)
_EXPORT_COLUMNS = (
    "id, incident_id, draft_version, exported_at, operator, file_name, audience_file, "
    "audience_count, override_reason"
)


class StaleDraft(CrisisError):
    """Someone saved a newer version since the editor loaded its base; nothing was saved."""


@dataclass(frozen=True)
class Draft:
    """One version of an apology draft (``version`` 0: a starting draft, not saved yet)."""

    incident_id: int
    version: int
    saved_at: datetime | None
    operator: str | None
    from_address: str = ""
    reply_to: str = ""
    subject: str = ""
    preheader: str = ""
    template: str = "default"
    language: str = "en"
    body: str = ""

    def fields(self) -> dict[str, str]:
        """The editable fields only (what ``save_draft`` takes)."""
        values = asdict(self)
        return {name: values[name] for name in DRAFT_FIELDS}


@dataclass(frozen=True)
class ExportRecord:
    """One exported ``.eml`` (the file itself lives outside the database)."""

    id: int
    incident_id: int
    draft_version: int
    exported_at: datetime
    operator: str
    file_name: str
    audience_file: str | None
    audience_count: int | None
    override_reason: str | None


def _draft(row: Sequence[Any]) -> Draft:
    incident_id, version, saved_at, operator, *values = row
    return Draft(incident_id, version, from_iso(saved_at), operator, *values)


def _export(row: Sequence[Any]) -> ExportRecord:
    at = from_iso(row[3])
    assert at is not None
    return ExportRecord(row[0], row[1], row[2], at, *row[4:])


def _latest_locked(store: Store, incident_id: int) -> Draft | None:
    row = store._conn.execute(
        f"SELECT {_DRAFT_COLUMNS} FROM notify_drafts WHERE incident_id = ? "
        "ORDER BY version DESC LIMIT 1",
        (incident_id,),
    ).fetchone()
    return _draft(row) if row else None


def insert_draft(
    store: Store,
    incident_id: int,
    fields: Mapping[str, str],
    *,
    operator: str,
    base_version: int | None,
) -> tuple[Draft, bool]:
    """Append a version made of the latest one overlaid with ``fields``.

    Returns the draft and whether a version was written: identical fields write nothing.
    ``base_version`` (the version the editor started from; 0 for none) guards against
    silently writing over someone else's newer version.
    """
    now = store.clock()
    with store._write():
        if not store._conn.execute(
            "SELECT 1 FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone():
            raise NotFound(f"there is no incident {incident_id}.")
        latest = _latest_locked(store, incident_id)
        current = latest.version if latest else 0
        if base_version is not None and base_version != current:
            who = latest.operator if latest else "someone"
            raise StaleDraft(
                f"{who} saved version {current} of this apology while you were editing "
                f"version {base_version}; nothing was saved. Open version {current}, "
                "merge your changes and save again."
            )
        previous = latest.fields() if latest else Draft(incident_id, 0, None, None).fields()
        merged = {**previous, **fields}
        changed = [name for name in DRAFT_FIELDS if merged[name] != previous[name]]
        if latest is not None and not changed:
            return latest, False
        version = current + 1
        store._conn.execute(
            f"INSERT INTO notify_drafts ({_DRAFT_COLUMNS}) VALUES "
            f"(?, ?, ?, ?{', ?' * len(DRAFT_FIELDS)})",
            (incident_id, version, to_iso(now), operator, *(merged[n] for n in DRAFT_FIELDS)),
        )
        # Field names only: the body can hold personal details and belongs in its table.
        store._append_event(
            incident_id,
            to_iso(now),
            operator,
            "draft_saved",
            {"version": version, "changed": changed},
        )
    return Draft(incident_id, version, now, operator, **merged), True


def latest_draft(store: Store, incident_id: int) -> Draft | None:
    """The newest saved version, or ``None`` when nothing was saved yet."""
    with store._read():
        return _latest_locked(store, incident_id)


def draft_versions(store: Store, incident_id: int) -> list[Draft]:
    """Every saved version, oldest first."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_DRAFT_COLUMNS} FROM notify_drafts WHERE incident_id = ? ORDER BY version",
            (incident_id,),
        ).fetchall()
    return [_draft(row) for row in rows]


def get_draft(store: Store, incident_id: int, version: int) -> Draft:
    """One saved version, or ``NotFound``."""
    with store._read():
        row = store._conn.execute(
            f"SELECT {_DRAFT_COLUMNS} FROM notify_drafts WHERE incident_id = ? AND version = ?",
            (incident_id, version),
        ).fetchone()
    if row is None:
        raise NotFound(f"incident {incident_id} has no apology draft version {version}.")
    return _draft(row)


def record_export(
    store: Store,
    incident_id: int,
    *,
    operator: str,
    draft_version: int,
    file_name: str,
    audience_file: str | None,
    audience_count: int | None,
    override_reason: str | None,
    overridden_rules: Sequence[str],
) -> ExportRecord:
    """Record an export, and the override that allowed it if any, in one transaction."""
    now = to_iso(store.clock())
    with store._write():
        cursor = store._conn.execute(
            "INSERT INTO notify_exports (incident_id, draft_version, exported_at, operator, "
            "file_name, audience_file, audience_count, override_reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                draft_version,
                now,
                operator,
                file_name,
                audience_file,
                audience_count,
                override_reason,
            ),
        )
        if override_reason is not None:
            store._append_event(
                incident_id,
                now,
                operator,
                "notify_export_override",
                {
                    "reason": override_reason,
                    "rules": list(overridden_rules),
                    "version": draft_version,
                },
            )
        store._append_event(
            incident_id,
            now,
            operator,
            "apology_exported",
            {
                "version": draft_version,
                "file": file_name,
                "audience_file": audience_file,
                "audience_count": audience_count,
                "overridden": override_reason is not None,
            },
        )
        export_id = int(cursor.lastrowid or 0)
    return _export(
        (
            export_id,
            incident_id,
            draft_version,
            now,
            operator,
            file_name,
            audience_file,
            audience_count,
            override_reason,
        )
    )


def exports(store: Store, incident_id: int) -> list[ExportRecord]:
    """Every export of the incident's apology, oldest first."""
    with store._read():
        rows = store._conn.execute(
            f"SELECT {_EXPORT_COLUMNS} FROM notify_exports WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        ).fetchall()
    return [_export(row) for row in rows]


def set_notified(
    store: Store,
    incident: Incident,
    *,
    operator: str,
    sent_at: datetime,
    details: Mapping[str, Any],
) -> None:
    """Set ``notified_at`` and append ``apology_sent`` in one transaction (compare-and-swap)."""
    now = to_iso(store.clock())
    with store._write():
        store._bump_incident(incident.id, incident.version, {"notified_at": sent_at}, now)
        store._append_event(incident.id, now, operator, "apology_sent", details)
