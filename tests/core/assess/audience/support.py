"""Helpers shared by the audience tests."""

from __future__ import annotations

import json
from pathlib import Path

from email_crisis.core.assess.audience.reader import AudienceReader, read_file
from email_crisis.core.store.database import Store


def read_all(path: Path | str) -> tuple[AudienceReader, list[str]]:
    """Every valid address of a small file, in file order, and the reader that read it."""
    addresses: list[str] = []

    def collect(reader: AudienceReader) -> None:
        for batch in reader.batches():
            addresses.extend(batch)

    reader = read_file(path, collect, restart=addresses.clear)
    return reader, addresses


def stored_addresses(store: Store) -> dict[tuple[str, str], set[str]]:
    """Every stored address by (file name, role), read straight from the tables."""
    rows = store._conn.execute(
        "SELECT l.file_name, l.role, a.address FROM audience_addresses a "
        "JOIN audience_lists l ON l.id = a.list_id"
    ).fetchall()
    found: dict[tuple[str, str], set[str]] = {}
    for file_name, role, address in rows:
        found.setdefault((file_name, role), set()).add(address)
    return found


def event_log_text(store: Store) -> str:
    """The whole event log (every incident) as one string, details as stored."""
    rows = store._conn.execute("SELECT type, operator, details FROM events ORDER BY id")
    return "\n".join(json.dumps(list(row)) for row in rows)


def csv_lines(*rows: str) -> str:
    return "".join(f"{row}\n" for row in rows)
