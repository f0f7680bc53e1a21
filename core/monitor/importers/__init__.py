"""Importers of deliverability data, one module per source, and detection of the source.

Each module has ``SOURCE`` (its id), ``DOC_URL`` (the format it follows) and
``parse(stream, name) -> Parsed``. ``read_file`` opens a file, picks the importer
(given, or detected from the first 64 KiB) and returns what it read. Nothing here
touches the database: ``core.monitor.metrics.import_file`` checks and writes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from email_crisis.core.base.files import NotRegularFile, open_regular, read_regular
from email_crisis.core.monitor.importers import (
    csv_plain,
    mailgun,
    postmaster,
    postmaster_v2,
    sendgrid,
    ses,
    snds,
    sparkpost,
)
from email_crisis.core.monitor.importers._common import ImportProblem, Parsed, RawPoint

__all__ = [
    "SOURCES",
    "ImportHints",
    "ImportProblem",
    "Parsed",
    "RawPoint",
    "detect",
    "read_file",
]

Parser = Callable[[TextIO, str], Parsed]
PARSERS: dict[str, Parser] = {
    postmaster.SOURCE: postmaster.parse,
    snds.SOURCE: snds.parse,
    sparkpost.SOURCE: sparkpost.parse,
    sendgrid.SOURCE: sendgrid.parse,
    mailgun.SOURCE: mailgun.parse,
    ses.SOURCE: ses.parse,
    csv_plain.SOURCE: csv_plain.parse,
}
SOURCES: tuple[str, ...] = tuple(PARSERS)
"""Source ids accepted by ``--source``, in the order the help lists them."""

DOC_URLS: dict[str, str] = {
    module.SOURCE: module.DOC_URL
    for module in (postmaster, snds, sparkpost, sendgrid, mailgun, ses, csv_plain)
}
HEAD = 64 * 1024
MAX_QUERY = 1 << 20


@dataclass(frozen=True)
class ImportHints:
    """What the operator said about a file beyond its path (Postmaster v2 names)."""

    mapping: dict[str, str] = field(default_factory=dict)
    queries: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_options(cls, mapping: Sequence[str], query: Path | str | None) -> ImportHints:
        """From ``--map NAME=STANDARD_METRIC`` pairs and ``--query FILE``."""
        queries: list[dict[str, Any]] = []
        if query is not None:
            where = Path(query).expanduser()
            try:
                text = read_regular(where, limit=MAX_QUERY).decode("utf-8-sig")
                body = json.loads(text)
            except NotRegularFile as error:
                raise ImportProblem(f"cannot read the query {error}") from None
            except OSError as error:
                raise ImportProblem(f"cannot read the query {where}: {error.strerror}.") from None
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise ImportProblem(f"{where.name} is not a JSON query body.") from None
            if not isinstance(body, dict) or not {"metricDefinitions", "requests"} & set(body):
                raise ImportProblem(
                    f"{where.name} is not a domainStats query body (no metricDefinitions)."
                )
            queries.append(body)
        return cls(postmaster_v2.parse_map(mapping), tuple(queries))


_JSON_MARKERS = {
    postmaster.SOURCE: postmaster.MARKERS,
    sparkpost.SOURCE: sparkpost.MARKERS,
    sendgrid.SOURCE: sendgrid.MARKERS,
    mailgun.SOURCE: mailgun.MARKERS,
    ses.SOURCE: ses.MARKERS,
}


def detect(head: str, name: str) -> str:
    """The source of a file from its first characters, or ``ImportProblem`` saying why not."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text:
        raise ImportProblem(f"{name} is empty: there is nothing to import.")
    if text[0] in "{[":
        found = [
            source
            for source, markers in _JSON_MARKERS.items()
            if any(marker in text for marker in markers)
        ]
        if len(found) == 1:
            return found[0]
        if found:
            raise ImportProblem(f"{name} could be {' or '.join(found)}; say which with --source.")
    elif csv_plain.looks_like_csv(text):
        return csv_plain.SOURCE
    elif postmaster.looks_like_csv(text):
        return postmaster.SOURCE
    elif snds.is_ip_status(text):
        raise ImportProblem(snds.ip_status_message(name))
    elif snds.is_ip(text.split(",", 1)[0]) or "filter result" in text.split("\n", 1)[0].lower():
        return snds.SOURCE
    raise ImportProblem(
        f"{name}: unknown format. email-crisis reads Postmaster Tools JSON or CSV, SNDS "
        "data CSV, Postmaster Tools v2 domainStats and complianceStatus JSON, SparkPost, "
        "SendGrid, Mailgun or Amazon SES event JSON, and CSV with a "
        "time,metric,value header; give --source if the file is one of these."
    )


def read_file(
    path: Path, source: str | None = None, hints: ImportHints | None = None
) -> tuple[Parsed, bool]:
    """Parse ``path`` with the importer for ``source`` (detected when None).

    Returns what was read and whether the source was detected. Every expected
    problem (missing file, wrong encoding, bad content) is an ``ImportProblem``.
    """
    name = path.name
    if source is not None and source not in PARSERS:
        raise ImportProblem(f"unknown source {source!r}; choose one of: {', '.join(SOURCES)}.")
    if path.is_dir():
        raise ImportProblem(f"{path} is a folder; give the path of an export file.")
    try:
        raw = open_regular(path)  # a FIFO or a device is refused, not waited on
    except NotRegularFile as error:
        if not path.exists():
            raise ImportProblem(f"there is no file at {path}.") from None
        raise ImportProblem(str(error)) from None
    try:
        with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream:
            detected = source is None
            if source is None:
                source = detect(stream.read(HEAD), name)
                stream.seek(0)
            if source == postmaster.SOURCE and hints is not None:
                parsed = postmaster.parse(
                    stream, name, mapping=hints.mapping, queries=hints.queries
                )
                return parsed, detected
            return PARSERS[source](stream, name), detected
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{name} is not UTF-8 text (byte {error.start} of a chunk could not be read); "
            "export it again as UTF-8 CSV or JSON."
        ) from None
    except OSError as error:
        raise ImportProblem(f"cannot read {path}: {error.strerror}.") from None
