"""Reading and checking one breach-rules file (the shipped table or an organisation's).

Every problem is one ``BreachRulesError`` naming the file, the entry (its number, id
and line) and, for a field, the field's own line: ``breach rules file F, entry 3 (id
'us-ny-residents', line 120): unknown field(s) windoww (line 127).``

Fields of an ``[[obligation]]`` entry (``*``: required in every file; ``+``: required in
the shipped table, optional in an organisation's):

- ``id``\\*: lower-case words joined by hyphens; ``region``\\*: a region id of
  ``core.assess.places.REGIONS``; ``us_state`` (two letters, region ``us``) or
  ``ca_province`` (``QC``, region ``canada``) for a sub-jurisdiction.
- ``label``\\* (at most 24 characters, for the header), ``obligation``\\* (what to do),
  ``audience``\\* (who must be told), ``condition``\\* (when it applies, in words).
- ``window``\\* ``= { kind = "hours" | "calendar-days" | "business-days" | "none",
  amount = N }``; ``time_zone`` (IANA name: whose weekends business days skip and whose
  clock the deadline is shown in; default UTC).
- ``waits_for``: ``assessed``, ``individuals-notified`` or ``deadline:<id>`` (the clock
  starts then, not when you became aware); ``ends_earlier_at = "individuals-notified"``
  (the window ends when people are notified, if that comes first);
  ``in_force_from`` (ISO date: before it the rule is shown as "from DATE").
- ``citation``\\*+ (the exact provisions), ``url``\\*, ``last_reviewed``\\* (the ISO date it
  was checked), ``verified``\\+ (``statute``, ``regulator-guidance``, ``secondary``: the
  weakest source behind the window, trigger and threshold), ``note``.
- ``min_affected`` (it applies from this many people), ``threshold_scope``
  (``jurisdiction``, the default: residents of this jurisdiction; ``total``: everyone),
  ``any_size_if = { cause = [...], data = [...] }`` (no minimum for these causes or
  kinds of data).
- ``data`` (kinds of data that trigger it alone) and ``data_with_name`` (kinds that
  trigger it only together with names, as US "first name or initial and last name in
  combination with…" laws read); neither: any personal data.
- ``only_if_cause`` / ``unless_cause``: cause ids (``core.assess.assessment.CAUSES``).
- ``role = "processor"``: a duty toward your client, shown when you hold the data for
  one (an ESP); the default is ``controller``.
- ``alternative`` (what may replace individual notices), ``record_keeping`` (a duty
  to keep a record), ``small_agent_multiplier`` (how much longer a small processing
  agent gets, Brazil).
- ``credit_agencies = { min_affected = N, condition = "...", citation = "...",
  verified = "...", threshold_scope = "..." }``: the duty to tell the nationwide
  consumer reporting agencies when more than a number of residents are notified; it
  becomes an obligation of its own, ``<id>-credit-agencies``.

Older names still read (organisation files written for earlier versions): ``source``
for ``citation``, ``starts`` (``aware``, ``assessed``, ``individuals-notified``) for
``waits_for``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from email_crisis.core.assess.obligations import Obligation
from email_crisis.core.assess.rules_entry import BreachRulesError, check_entry
from email_crisis.core.base.toml_file import read_toml

_KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")
_TABLE = re.compile(r"\s*\[\[?\s*([A-Za-z0-9_.\"-]+)\s*\]")


# -- where things are in the file ---------------------------------------------------------


def _layout(text: str) -> tuple[dict[str, int], list[tuple[int, dict[str, int]]]]:
    """Lines of top-level keys, and per ``[[obligation]]`` its line and its keys' lines.

    tomllib gives no positions for a valid document, so the lines are found here: good
    enough for the flat entries this file holds.
    """
    top: dict[str, int] = {}
    entries: list[tuple[int, dict[str, int]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header and header.group(1) == "obligation" and line.lstrip().startswith("[["):
            entries.append((number, {}))
            continue
        if header:  # any other table is a top-level key of its own
            top.setdefault(header.group(1).split(".")[0].strip('"'), number)
            continue
        match = _KEY.match(line)
        if match:
            keys = entries[-1][1] if entries else top
            keys.setdefault(match.group(1).strip('"'), number)
    return top, entries


def _parse(path: Path) -> tuple[dict[str, Any], str]:
    if not path.exists():
        raise BreachRulesError(f"breach rules file {path} does not exist.")
    # The shared reader: regular files only, UTF-8, no nan/inf, no runaway nesting.
    return read_toml(path, where=f"breach rules file {path}", error=BreachRulesError)


# -- a whole file ---------------------------------------------------------------------------


def load_file(path: Path, *, organisation: bool = False) -> dict[str, Obligation | None]:
    """Every entry of one rules file by id (``None`` marks a disabled id).

    ``organisation``: the organisation's file, which may disable a shipped entry and
    may leave ``verified`` out. A credit-agency duty comes right after its entry.
    """
    document, text = _parse(path)
    top_lines, entry_lines = _layout(text)
    unknown = sorted(set(document) - {"obligation"})
    if unknown:
        line = top_lines.get(unknown[0])
        raise BreachRulesError(
            f"breach rules file {path}: unknown top-level key(s) {', '.join(unknown)}"
            + (f" (line {line})" if line else "")
            + "; write each entry as an [[obligation]] table."
        )
    entries = document.get("obligation", [])
    if not isinstance(entries, list):
        raise BreachRulesError(f"breach rules file {path}: 'obligation' must be [[obligation]].")
    loaded: dict[str, Obligation | None] = {}
    for index, raw in enumerate(entries, start=1):
        line, lines = entry_lines[index - 1] if index <= len(entry_lines) else (0, {})
        ident = raw.get("id") if isinstance(raw, dict) else None
        at = f", line {lines.get('id', line)}" if line else ""
        where = f"breach rules file {path}, entry {index}" + (
            f" (id '{ident}'{at})" if ident else (f" (line {line})" if line else "")
        )
        if ident in loaded:
            raise BreachRulesError(f"{where}: the id '{ident}' is used twice.")
        if isinstance(raw, dict) and raw.get("disabled") is True:
            if not organisation or set(raw) != {"id", "disabled"}:
                raise BreachRulesError(
                    f"{where}: only an organisation file can disable an entry, with just "
                    "id and disabled = true."
                )
            loaded[str(ident)] = None
            continue
        if not isinstance(raw, dict):
            raise BreachRulesError(f"{where}: must be a table of fields.")
        if "id" not in lines:
            lines = {**lines, "id": line}
        obligation, agencies = check_entry(raw, where, lines, str(path), organisation=organisation)
        loaded[obligation.id] = obligation
        if agencies is not None:
            if agencies.id in loaded:
                raise BreachRulesError(f"{where}: the id '{agencies.id}' is used twice.")
            loaded[agencies.id] = agencies
    return loaded


def merge(
    shipped: dict[str, Obligation | None], organisation: dict[str, Obligation | None]
) -> dict[str, Obligation]:
    """The organisation's entries applied to the shipped ones, in table order.

    An entry replaced or disabled takes its credit-agency duty with it.
    """
    merged = dict(shipped)
    for ident in organisation:
        for other in [key for key, item in merged.items() if item and item.part_of == ident]:
            del merged[other]
    merged.update(organisation)
    kept = {ident: item for ident, item in merged.items() if item is not None}
    check_links(kept)
    return kept


def check_links(rules: dict[str, Obligation]) -> None:
    """Every ``waits_for = "deadline:<id>"`` names an entry in force, without a loop."""
    for obligation in rules.values():
        seen = [obligation.id]
        current: Obligation | None = obligation
        while current is not None and (current.waits_for or "").startswith("deadline:"):
            target = (current.waits_for or "").split(":", 1)[1]
            if target not in rules:
                raise BreachRulesError(
                    f"breach rules file {current.origin}, id '{current.id}' (line "
                    f"{current.line}): waits_for names '{target}', which is not in the rules "
                    "(disabled, or a typo?)."
                )
            if target in seen:
                raise BreachRulesError(
                    f"breach rules file {current.origin}, id '{current.id}' (line "
                    f"{current.line}): waits_for goes round in a circle "
                    f"({' -> '.join([*seen, target])})."
                )
            seen.append(target)
            current = rules[target]
