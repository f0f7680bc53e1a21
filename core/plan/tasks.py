"""The plan (step 4): tasks with an owner, a due time and a status.

Screens and the CLI call these functions; they validate, and the store writes
each change with one event in the same transaction. Suggested tasks per incident
kind come from ``core/plan/data/plan_suggestions.toml`` (or the organisation's copy).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from email_crisis.core.base.clock import format_local, from_iso, to_iso
from email_crisis.core.base.domain import KINDS, Event, Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_block, clean_line
from email_crisis.core.base.toml_file import ConfigProblem, parse_toml, read_text
from email_crisis.core.plan.store import (
    NewTask,
    PlanTask,
    insert_tasks,
    list_tasks,
    move_task,
    update_task,
)

# Re-exported so that the Plan panel needs only this module.
from email_crisis.core.plan.store import StaleTask as StaleTask
from email_crisis.core.plan.store import get_task as get_task
from email_crisis.core.plan.store import overdue_count as overdue_count
from email_crisis.core.plan.store import overdue_counts as overdue_counts
from email_crisis.core.store.database import Store

TASK_KINDS: dict[str, str] = {
    "subscriber-action": "Subscriber action",
    "internal-fix": "Internal fix",
    "compensation": "Compensation",
    "process-change": "Process change",
}
STATUSES: dict[str, str] = {
    "todo": "To do",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
SUGGESTIONS_ENV = "EMAIL_CRISIS_PLAN_SUGGESTIONS"
TITLE_MAX = 200
NAME_MAX = 80
NOTE_MAX = 2000
DROP_REASON_MIN = 10
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SUGGESTION_KEYS = {"id", "title", "kind", "role", "due_hours"}
MAX_DUE_HOURS = 24 * 366  # a suggested task is due within a year of its creation


class PlanDataError(ConfigProblem):
    """The suggestions file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Suggestion:
    """A task the data file proposes for a kind of incident."""

    id: str
    title: str
    kind: str
    role: str
    due_hours: float


@dataclass(frozen=True)
class SuggestionBook:
    """Roles and suggested tasks, as loaded from one data file."""

    roles: dict[str, str]
    by_kind: dict[str, tuple[Suggestion, ...]]
    common: tuple[Suggestion, ...]
    source: str

    def for_kind(self, kind: str) -> tuple[Suggestion, ...]:
        """The kind's own suggestions first, then those for every kind."""
        return self.by_kind.get(kind, ()) + self.common


def shipped_suggestions_path() -> Path:
    """The suggestions file installed with the package."""
    return Path(__file__).resolve().parent / "data" / "plan_suggestions.toml"


def _line_of(text: str, table: str, index: int) -> int | None:
    """The line of the ``index``-th ``[[table]]`` header (tomllib gives no positions)."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            if seen == index:
                return number
            seen += 1
    return None


def _suggestion(raw: Any, roles: Mapping[str, str], where: str) -> Suggestion:
    if not isinstance(raw, dict):
        raise PlanDataError(f"{where}: expected a table of task fields.")
    missing = _SUGGESTION_KEYS - set(raw)
    unknown = set(raw) - _SUGGESTION_KEYS
    if missing or unknown:
        problem = f"missing {sorted(missing)}" if missing else f"unknown keys {sorted(unknown)}"
        raise PlanDataError(
            f"{where}: {problem}; a task has {', '.join(sorted(_SUGGESTION_KEYS))}."
        )
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        raise PlanDataError(f"{where}: id must be lowercase words joined by hyphens.")
    if raw["kind"] not in TASK_KINDS:
        raise PlanDataError(f"{where}: kind must be one of {', '.join(TASK_KINDS)}.")
    if raw["role"] not in roles:
        raise PlanDataError(
            f"{where}: unknown role {raw['role']!r}; use one of {', '.join(roles)}."
        )
    hours = raw["due_hours"]
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours <= 0:
        raise PlanDataError(f"{where}: due_hours must be a positive number of hours.")
    if not hours <= MAX_DUE_HOURS:  # also false for nan
        raise PlanDataError(f"{where}: due_hours must be at most {MAX_DUE_HOURS} (a year).")
    try:
        title = clean_line(str(raw["title"]), field="title", max_length=TITLE_MAX)
    except ValueError as error:
        raise PlanDataError(f"{where}: {error}") from None
    return Suggestion(raw["id"], title, raw["kind"], raw["role"], float(hours))


def load_suggestions(
    path: Path | None = None, env: Mapping[str, str] = os.environ
) -> SuggestionBook:
    """Read the suggestions: ``path``, else ``$EMAIL_CRISIS_PLAN_SUGGESTIONS``, else ours."""
    chosen = path or (Path(env[SUGGESTIONS_ENV]).expanduser() if env.get(SUGGESTIONS_ENV) else None)
    file = chosen or shipped_suggestions_path()
    text = read_text(file, where=f"plan suggestions {file}", error=PlanDataError)
    data = parse_toml(text, where=f"plan suggestions {file}", error=PlanDataError)
    roles = data.get("roles")
    if (
        not isinstance(roles, dict)
        or not roles
        or not all(isinstance(label, str) for label in roles.values())
    ):
        raise PlanDataError(f"{file}: a [roles] table mapping role ids to labels is required.")
    suggest = data.get("suggest", {})
    if not isinstance(suggest, dict):
        raise PlanDataError(f"{file}: 'suggest' must hold [[suggest.KIND]] tables.")
    by_kind: dict[str, tuple[Suggestion, ...]] = {}
    for kind, entries in suggest.items():
        if kind != "all" and kind not in KINDS:
            raise PlanDataError(
                f"{file}, line {_line_of(text, f'suggest.{kind}', 0)}: unknown incident kind "
                f"{kind!r}; use one of {', '.join(KINDS)} or all."
            )
        if not isinstance(entries, list):
            raise PlanDataError(f"{file}: write suggest.{kind} as [[suggest.{kind}]] tables.")
        items = []
        for index, raw in enumerate(entries):
            line = _line_of(text, f"suggest.{kind}", index)
            where = f"{file}, line {line}" if line else f"{file}, suggest.{kind} #{index + 1}"
            items.append(_suggestion(raw, roles, where))
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids):
            raise PlanDataError(f"{file}: suggest.{kind} repeats a task id.")
        by_kind[kind] = tuple(items)
    common = by_kind.pop("all", ())
    return SuggestionBook(dict(roles), by_kind, common, str(file))


# -- checks ------------------------------------------------------------------------------


def _line(text: str, field: str, max_length: int) -> str:
    try:
        return clean_line(text, field=field, max_length=max_length)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def check_task_kind(kind: str) -> str:
    """The task kind id, or ``ValidationError`` listing the valid ones."""
    value = kind.strip().lower()
    if value not in TASK_KINDS:
        raise ValidationError(
            f"unknown task kind {kind!r}; choose one of: {', '.join(TASK_KINDS)}."
        )
    return value


def check_role(role: str, roles: Mapping[str, str]) -> str:
    """The role id, or ``ValidationError`` listing the known roles."""
    value = role.strip().lower()
    if value not in roles:
        raise ValidationError(f"unknown role {role!r}; choose one of: {', '.join(roles)}.")
    return value


def check_status(status: str) -> str:
    """The status id, or ``ValidationError`` listing the valid ones."""
    value = status.strip().lower()
    if value not in STATUSES:
        raise ValidationError(f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}.")
    return value


def _due(due_at: datetime | None) -> datetime | None:
    if due_at is not None and due_at.tzinfo is None:
        raise ValidationError("Due time needs a time zone (for example +00:00).")
    return due_at


_RELATIVE = re.compile(r"^\+?\s*(\d+(?:\.\d+)?)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_due(text: str, now: datetime) -> datetime | None:
    """A due time typed by the operator: empty, ``+4h``/``90m``/``2d``, or a local time."""
    value = text.strip().lower()
    if not value:
        return None
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2)
        return now + timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(
            f"{text!r} is not a due time; type 4h, 90m, 2d or 2026-11-28 14:00."
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


# -- changes -----------------------------------------------------------------------------


def add_task(
    store: Store,
    incident: Incident,
    *,
    title: str,
    kind: str,
    owner_role: str,
    operator: str,
    owner: str | None = None,
    due_at: datetime | None = None,
    roles: Mapping[str, str] | None = None,
) -> PlanTask:
    """Add one task at the end of the plan."""
    known = roles if roles is not None else load_suggestions().roles
    new = NewTask(
        title=_line(title, "Task", TITLE_MAX),
        kind=check_task_kind(kind),
        owner_role=check_role(owner_role, known),
        owner=_line(owner, "Owner", NAME_MAX) if owner and owner.strip() else None,
        due_at=_due(due_at),
    )
    (task,) = insert_tasks(store, incident.id, [new], operator=operator)
    return task


def pending_suggestions(
    tasks: Iterable[PlanTask], incident: Incident, book: SuggestionBook
) -> list[Suggestion]:
    """Suggestions for the incident's kind that are not in its plan yet."""
    used = {task.source for task in tasks}
    return [s for s in book.for_kind(incident.kind) if f"suggested:{s.id}" not in used]


def add_suggested(
    store: Store,
    incident: Incident,
    *,
    operator: str,
    ids: Sequence[str] | None = None,
    book: SuggestionBook | None = None,
) -> list[PlanTask]:
    """Add the kind's suggested tasks not yet in the plan (or only ``ids``), in one write."""
    book = book or load_suggestions()
    pending = pending_suggestions(list_tasks(store, incident.id), incident, book)
    if ids is not None:
        unknown = set(ids) - {s.id for s in book.for_kind(incident.kind)}
        if unknown:
            raise ValidationError(f"no suggested task {sorted(unknown)[0]!r} for {incident.kind}.")
        pending = [s for s in pending if s.id in ids]
    now = store.clock()
    new = [
        NewTask(
            title=s.title,
            kind=s.kind,
            owner_role=s.role,
            due_at=now + timedelta(hours=s.due_hours),
            source=f"suggested:{s.id}",
        )
        for s in pending
    ]
    return insert_tasks(store, incident.id, new, operator=operator) if new else []


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def _shown(value: Any) -> Any:
    return to_iso(value) if isinstance(value, datetime) else value


def edit_task(
    store: Store,
    task: PlanTask,
    *,
    operator: str,
    title: str = UNCHANGED,
    kind: str = UNCHANGED,
    owner_role: str = UNCHANGED,
    owner: str | None = UNCHANGED,
    due_at: datetime | None = UNCHANGED,
    roles: Mapping[str, str] | None = None,
) -> PlanTask:
    """Change any of the task's fields; ``owner``/``due_at`` accept ``None`` to clear."""
    wanted: dict[str, Any] = {}
    if title is not UNCHANGED:
        wanted["title"] = _line(title, "Task", TITLE_MAX)
    if kind is not UNCHANGED:
        wanted["kind"] = check_task_kind(kind)
    if owner_role is not UNCHANGED:
        known = roles if roles is not None else load_suggestions().roles
        wanted["owner_role"] = check_role(owner_role, known)
    if owner is not UNCHANGED:
        wanted["owner"] = _line(owner, "Owner", NAME_MAX) if owner and owner.strip() else None
    if due_at is not UNCHANGED:
        wanted["due_at"] = _due(due_at)
    changes = {key: value for key, value in wanted.items() if value != getattr(task, key)}
    if not changes:
        raise ValidationError("Nothing changed.")
    details = {
        "task_id": task.id,
        "title": changes.get("title", task.title),
        "changes": {
            key: {"from": _shown(getattr(task, key)), "to": _shown(value)}
            for key, value in changes.items()
        },
    }
    return update_task(store, task, changes, operator=operator, event=("plan_task_edited", details))


def set_status(
    store: Store, task: PlanTask, status: str, *, operator: str, note: str | None = None
) -> PlanTask:
    """Move the task to ``status``; dropping a task needs a written reason."""
    value = check_status(status)
    if value == task.status:
        raise ValidationError(f"The task is already {STATUSES[value].lower()}.")
    text = None
    if note and note.strip():
        try:
            text = clean_block(note, field="Note", max_length=NOTE_MAX)
        except ValueError as error:
            raise ValidationError(str(error)) from None
    if value == "dropped" and (text is None or len(text) < DROP_REASON_MIN):
        raise ValidationError(
            "Say why the task is dropped (a sentence of at least "
            f"{DROP_REASON_MIN} characters): it goes into the postmortem."
        )
    details = {"task_id": task.id, "title": task.title, "from": task.status, "to": value}
    if text:
        details["note"] = text
    return update_task(
        store, task, {"status": value}, operator=operator, event=("plan_task_status", details)
    )


def move_up(store: Store, task: PlanTask, *, operator: str) -> PlanTask | None:
    """Move the task one place up; ``None`` when it is already first."""
    return move_task(store, task, -1, operator=operator)


def move_down(store: Store, task: PlanTask, *, operator: str) -> PlanTask | None:
    """Move the task one place down; ``None`` when it is already last."""
    return move_task(store, task, 1, operator=operator)


def overdue_tasks(tasks: Iterable[PlanTask], now: datetime) -> list[PlanTask]:
    """The open tasks whose due time has passed."""
    return [task for task in tasks if task.is_overdue(now)]


def plan_gaps(tasks: Sequence[PlanTask]) -> list[str]:
    """What keeps the plan from being complete (an empty list means it is)."""
    live = [task for task in tasks if task.status != "dropped"]
    if not live:
        return ["The plan has no tasks: add at least one (suggested tasks are a start)."]
    gaps = []
    for task in live:
        if task.is_open and not task.owner:
            gaps.append(f"Task {task.position} ({task.title}) has no named owner.")
        if task.is_open and task.due_at is None:
            gaps.append(f"Task {task.position} ({task.title}) has no due time.")
    return gaps


def _when(value: Any) -> str:
    return format_local(from_iso(value)) if isinstance(value, str) else "none"


TASK_FIELD_WORDS = {
    "title": "title",
    "kind": "kind",
    "owner_role": "role",
    "owner": "owner",
    "due_at": "due time",
    "status": "status",
}


def _role_words(role: object) -> str:
    # A broken suggestions file must not stop the log from reading: show the role id.
    try:
        roles = load_suggestions().roles
    except PlanDataError:
        return str(role)
    return roles.get(str(role), str(role))


def describe_plan_event(event: Event) -> str | None:
    """One line for a plan event, or ``None`` when the event is not a plan event."""
    d = event.details
    title = d.get("title", "")
    match event.type:
        case "plan_task_added":
            who = d.get("owner") or (
                _role_words(d["owner_role"]) if d.get("owner_role") else "nobody"
            )
            return f"added plan task: {title} (owner {who}, due {_when(d.get('due_at'))})"
        case "plan_task_edited":
            fields = ", ".join(
                TASK_FIELD_WORDS.get(name, name) for name in sorted(d.get("changes", {}))
            )
            return f"edited plan task {title} ({fields or 'nothing'})"
        case "plan_task_status":
            to = STATUSES.get(d.get("to", ""), d.get("to"))
            note = f": {d['note']}" if d.get("note") else ""
            return f"plan task {title} is now {str(to).lower()}{note}"
        case "plan_task_moved":
            return f"moved plan task {title} from {d.get('from')} to {d.get('to')}"
    return None
