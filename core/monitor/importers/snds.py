"""Microsoft SNDS data CSV: one row per sending IP and day.

Format: the "View data" export and the Automated Data Access feed
(https://sendersupport.olc.protection.outlook.com/snds/data.aspx, described in
https://sendersupport.olc.protection.outlook.com/snds/FAQ.aspx). Rows have no
header and these columns, in this order::

    IP address, activity start, activity end, RCPT commands, DATA commands,
    message recipients, filter result, complaint rate, trap message start,
    trap message end, trap hits, sample HELO, sample MAIL FROM, comments

for example::

    192.0.2.10,11/20/2026 8:00 AM,11/20/2026 9:00 PM,14129,14129,13025,GREEN,< 0.1%,,,0,,,

A header row, if present, is skipped; the column order is the same.

Points (subject = the IP; time = activity start):

- ``volume`` ← message recipients;
- ``snds_filter`` ← filter result (RED 0, YELLOW 1, GREEN 2);
- ``complaint_rate`` ← complaint rate; ``< 0.1%`` is stored as 0.1 with the
  qualifier ``<`` ("below 0.1%") and judged as a value under 0.1;
- ``trap_hits`` ← trap hits.

Times: SNDS writes ``11/20/2026 8:00 AM`` with no time zone. They are read as UTC;
the import summary says so.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timezone
from typing import TextIO

from email_crisis.core.monitor.importers._common import (
    ImportProblem,
    Parsed,
    RawPoint,
    csv_rows,
    problem,
    shown,
)

SOURCE = "snds"
DOC_URL = "https://sendersupport.olc.protection.outlook.com/snds/FAQ.aspx"
COLUMNS = 11  # up to trap hits; the samples and comments may be absent
FILTERS = {"RED": 0, "YELLOW": 1, "GREEN": 2}
NAIVE_NOTE = "SNDS times carry no time zone; they were read as UTC."
_RATE = re.compile(r"([<>])?\s*(\d+(?:\.\d+)?)\s*%")
_TIME_FORMATS = ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def is_ip(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address (how data rows start)."""
    try:
        ipaddress.ip_address(text.strip())
    except ValueError:
        return False
    return True


def _time(text: str, name: str, where: str) -> datetime:
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise problem(name, where, f"{shown(text)!r} is not an SNDS time like 11/20/2026 8:00 AM.")


def _count(text: str, column: str, name: str, where: str) -> float | None:
    if not text:
        return None
    if not text.isdigit():
        raise problem(name, where, f"{column} is {shown(text)!r}, not a whole number of 0 or more.")
    return float(text)


def _row(cells: list[str], name: str, where: str) -> list[RawPoint]:
    ip = cells[0]
    if not is_ip(ip):
        raise problem(name, where, f"{shown(ip)!r} is not an IP address (first column).")
    at = _time(cells[1], name, where)
    points: list[RawPoint] = []
    recipients = _count(cells[5], "message recipients", name, where)
    if recipients is not None:
        points.append(RawPoint("volume", at, recipients, where, subject=ip))
    verdict = cells[6].upper()
    if verdict:
        if verdict not in FILTERS:
            raise problem(
                name, where, f"filter result {shown(cells[6])!r} is not GREEN, YELLOW or RED."
            )
        points.append(RawPoint("snds_filter", at, float(FILTERS[verdict]), where, subject=ip))
    if cells[7]:
        match = _RATE.fullmatch(cells[7])
        if not match:
            raise problem(name, where, f"complaint rate {shown(cells[7])!r} is not like '0.3%'.")
        qualifier, value = match.group(1) or "", float(match.group(2))
        note = f"SNDS gives only a bound: {qualifier} {value:g}%" if qualifier else ""
        points.append(
            RawPoint("complaint_rate", at, value, where, ip, qualifier=qualifier, note=note)
        )
    traps = _count(cells[10], "trap hits", name, where)
    if traps is not None:
        points.append(RawPoint("trap_hits", at, traps, where, subject=ip))
    return points


def parse(stream: TextIO, name: str) -> Parsed:
    """Read SNDS rows from ``stream`` (named ``name`` in messages)."""
    parsed = Parsed(SOURCE, notes=[NAIVE_NOTE])
    for line, cells in csv_rows(stream, name):
        where = f"line {line}"
        if not parsed.records and len(cells) == 4 and is_ip_status(",".join(cells)):
            raise ImportProblem(ip_status_message(name))
        if not parsed.records and not parsed.points and not is_ip(cells[0]):
            if len(cells) < COLUMNS:
                raise problem(name, where, _short_message(len(cells)))
            parsed.skipped["header row"] += 1
            continue
        if len(cells) < COLUMNS:
            raise problem(name, where, _short_message(len(cells)))
        parsed.records += 1
        parsed.points.extend(_row(cells, name, where))
    return parsed


def is_ip_status(head: str) -> bool:
    """Whether ``head`` is the IP-status feed (ipStatus.aspx): ``first_ip,last_ip,Yes,details``."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip().split(",")
    return (
        len(first) >= 4
        and is_ip(first[0])
        and is_ip(first[1])
        and first[2].strip().lower() in ("yes", "no")
    )


def ip_status_message(name: str) -> str:
    """Why the IP-status feed is refused, and what to do instead."""
    return (
        f"{name} is the SNDS IP-status feed (ipStatus.aspx: ranges of your IPs that Outlook "
        "blocks, with the reason), not the SNDS data feed (data.aspx) that email-crisis "
        "imports. A listed range means Outlook refuses mail from those IPs: follow the "
        "delisting steps Microsoft gives, and import data.aspx for the figures."
    )


def _short_message(found: int) -> str:
    return (
        f"{found} columns; an SNDS data row has at least {COLUMNS} (IP address, activity "
        "start and end, RCPT and DATA commands, message recipients, filter result, "
        "complaint rate, trap message start and end, trap hits)."
    )
