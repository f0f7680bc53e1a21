"""Containment (step 2): the actions that stop the harm, and escalations.

Public API (every write appends its events in the same transaction; ``operator`` is
the name of whoever acts; expected failures raise ``CrisisError`` subclasses):

Records (frozen dataclasses, defined in ``contain.store``): ``ContainAction`` (with its
``notes``: ``ActionNote``), ``Escalation``, ``Execution``. ``StaleAction`` (``.fresh``) is
raised when an action changed since it was loaded.

Reads: ``list_actions(store, incident_id)``, ``get_action(store, action_pk)``,
``list_escalations(store, incident_id)``, ``list_executions(store, incident_id)``,
``playbook_source(store, incident_id)``, ``next_statuses(action)``,
``pending_escalations(kind_playbook, escalations)``.

Writes (each returns the fresh record): ``ensure_actions(store, incident, playbook, *,
operator)``, ``set_status(store, action, status, *, operator, reason="")``,
``assign(store, action, *, role, person, operator)``, ``add_note(store, action, text, *,
operator)``, ``add_custom_action(store, incident, *, title, role=None, person=None,
after=None, stops_harm=False, operator)``, ``mark_done_by_hand(store, action, note, *,
operator)``, ``record_execution(store, action, *, ok, esp, operation, status_code,
message, operator, secrets=())``, ``escalate(store, incident, *, to, contact, operator,
note="")``.

Statuses (``STATUSES``): todo, in-progress, done, skipped (needs a reason), failed (needs
the error text); ``TRANSITIONS`` says which moves are allowed: done is final, skipped
can go back to todo, failed can be retried or done by hand.

Actions can be worked while the incident is still at step ``own``: an operator halts a
send before anyone names a commander. When an action with ``stops_harm`` becomes done,
the incident's ``contained_at`` is set (first time only) in the same transaction;
re-read the incident (``store.get_incident``) to show it. What completes step 2 (the
harm stopped; for some kinds, certain people told) is checked in ``contain.criteria``
and the incident moves on by itself (``core.steps``).
"""

from __future__ import annotations

from collections.abc import Sequence

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.errors import ValidationError
from email_crisis.core.base.text import clean_block, clean_line
from email_crisis.core.contain.playbooks import ROLES, EscalationRule, KindPlaybook, Playbook
from email_crisis.core.contain.store import (
    ActionNote,
    ContainAction,
    Escalation,
    Execution,
    NewAction,
    StaleAction,
    add_custom,
    add_escalation,
    change_action,
    create_actions,
    fetch_action,
    fetch_actions,
    fetch_escalations,
    fetch_executions,
    setup_source,
)
from email_crisis.core.contain.store import add_note as _store_note
from email_crisis.core.contain.words import for_log
from email_crisis.core.own.incidents import check_name
from email_crisis.core.store.database import Store

__all__ = [
    "STATUSES",
    "TRANSITIONS",
    "ActionNote",
    "ContainAction",
    "Escalation",
    "Execution",
    "StaleAction",
    "add_custom_action",
    "add_note",
    "assign",
    "ensure_actions",
    "escalate",
    "for_log",
    "get_action",
    "list_actions",
    "list_escalations",
    "list_executions",
    "mark_done_by_hand",
    "next_statuses",
    "pending_escalations",
    "playbook_source",
    "record_execution",
    "set_status",
]

STATUSES: dict[str, str] = {
    "todo": "To do",
    "in-progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
    "failed": "Failed",
}
"""Action statuses and their labels, in display order."""

# Done is final: reopening would make the contained time a lie; a new action or a
# note says what happened next. A skipped action can be taken up again.
TRANSITIONS: dict[str, frozenset[str]] = {
    "todo": frozenset({"in-progress", "done", "skipped", "failed"}),
    "in-progress": frozenset({"todo", "done", "skipped", "failed"}),
    "failed": frozenset({"todo", "in-progress", "done", "skipped", "failed"}),
    "skipped": frozenset({"todo"}),
    "done": frozenset(),
}

TITLE_MAX = 200
TEXT_MAX = 4000
CONTACT_MAX = 200


def _line(text: str, field: str, max_length: int = TITLE_MAX) -> str:
    try:
        return clean_line(text, field=field, max_length=max_length)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _block(text: str, field: str) -> str:
    try:
        return clean_block(text, field=field, max_length=TEXT_MAX)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    return role


# -- reads ---------------------------------------------------------------------------


def list_actions(store: Store, incident_id: int) -> list[ContainAction]:
    """The incident's actions in order, each with its notes."""
    return fetch_actions(store, incident_id)


def get_action(store: Store, action_pk: int) -> ContainAction:
    """One action by row id (``NotFound`` if there is none)."""
    return fetch_action(store, action_pk)


def list_escalations(store: Store, incident_id: int) -> list[Escalation]:
    """Everyone escalated to, oldest first."""
    return fetch_escalations(store, incident_id)


def list_executions(store: Store, incident_id: int) -> list[Execution]:
    """Every recorded connector call, oldest first."""
    return fetch_executions(store, incident_id)


def playbook_source(store: Store, incident_id: int) -> str | None:
    """Which playbook the actions came from (``None`` before ``ensure_actions``)."""
    return setup_source(store, incident_id)


def next_statuses(action: ContainAction) -> tuple[str, ...]:
    """The statuses ``action`` may move to, in display order."""
    allowed = TRANSITIONS[action.status] - ({action.status} - {"failed"})
    return tuple(status for status in STATUSES if status in allowed)


def pending_escalations(
    section: KindPlaybook, escalations: Sequence[Escalation]
) -> list[EscalationRule]:
    """The playbook's escalations for the kind that nobody has recorded yet."""
    done = {e.to for e in escalations}
    return [rule for rule in section.escalations if rule.to not in done]


# -- writes --------------------------------------------------------------------------


def ensure_actions(
    store: Store, incident: Incident, playbook: Playbook, *, operator: str
) -> list[ContainAction]:
    """Create the incident's actions from the playbook the first time; then just list them."""
    section = playbook.for_kind(incident.kind)
    new = [
        NewAction(a.title, a.owner, None, a.stops_harm, a.esp_operation, a.note, a.id)
        for a in section.actions
    ]
    create_actions(store, incident.id, source=section.source, actions=new, operator=operator)
    return fetch_actions(store, incident.id)


def _status_change(
    store: Store,
    action: ContainAction,
    status: str,
    *,
    operator: str,
    reason: str | None = None,
    manual: bool = False,
    note: str | None = None,
    execution: dict[str, object] | None = None,
) -> ContainAction:
    now = store.clock()
    changes: dict[str, object] = {
        "status": status,
        "reason": reason if status in ("skipped", "failed") else None,
        "manual": int(manual and status == "done"),
        "finished_at": now if status in ("done", "skipped") else None,
    }
    if status == "in-progress" and action.started_at is None:
        changes["started_at"] = now
    details: dict[str, object] = {
        "action": action.action_id,
        "title": for_log(action.title),
        "from": action.status,
        "to": status,
    }
    if status in ("skipped", "failed"):
        details["reason" if status == "skipped" else "error"] = for_log(reason or "")
    if status == "done":
        details["manual"] = manual
    return change_action(
        store,
        action,
        operator=operator,
        changes=changes,
        events=[("contain_action_status", details)],
        note=note,
        execution=execution,
        contain=status == "done" and action.stops_harm,
    )


def _check_transition(action: ContainAction, status: str) -> None:
    if status not in STATUSES:
        raise ValidationError(f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}.")
    if status in TRANSITIONS[action.status]:
        return
    name = f"Action '{action.action_id}'"
    if action.status == status:
        raise ValidationError(f"{name} is already {STATUSES[status].lower()}.")
    if action.status == "done":
        raise ValidationError(
            f"{name} is done ({format_local(action.finished_at)}, {action.updated_by}) and "
            "cannot be reopened; add a note or a new action for what happens next."
        )
    raise ValidationError(f"{name} was skipped; move it back to 'to do' before working on it.")


def set_status(
    store: Store, action: ContainAction, status: str, *, operator: str, reason: str = ""
) -> ContainAction:
    """Move an action to ``status``; skipping needs a reason, failing needs the error."""
    _check_transition(action, status)
    if status in ("skipped", "failed"):
        what = "Reason for skipping" if status == "skipped" else "Error"
        if not reason.strip():
            raise ValidationError(
                "Say why the action is skipped."
                if status == "skipped"
                else "Give the error text: what failed and what it said."
            )
        return _status_change(store, action, status, operator=operator, reason=_block(reason, what))
    if reason.strip():
        raise ValidationError("A reason is only kept for skipped or failed actions; add a note.")
    return _status_change(store, action, status, operator=operator)


def mark_done_by_hand(
    store: Store, action: ContainAction, note: str, *, operator: str
) -> ContainAction:
    """Mark the action done outside the app (say, in the ESP's console), with a note."""
    _check_transition(action, "done")
    if not note.strip():
        raise ValidationError("Say what you did by hand (for example, where and how).")
    text = _block(note, "Note")
    return _status_change(store, action, "done", operator=operator, manual=True, note=text)


def record_execution(
    store: Store,
    action: ContainAction,
    *,
    ok: bool,
    esp: str,
    operation: str,
    status_code: int | None,
    message: str,
    operator: str,
    secrets: Sequence[str] = (),
) -> ContainAction:
    """Record a connector call and its outcome; success makes the action done.

    The call has happened, so it is recorded even if someone changed the action
    meanwhile (no ``StaleAction``): a failure never undoes an action that is done or
    skipped, and a failed action stays retryable. ``secrets`` are masked in what is
    stored (the connector passes the key it used).
    """
    text = for_log(message.strip(), secrets) if message.strip() else ""
    execution: dict[str, object] = {
        "esp": _line(esp, "ESP", 40),
        "operation": _line(operation, "Operation", 60),
        "ok": bool(ok),
        "status_code": status_code,
        "message": text,
    }
    error = text or (f"{esp} answered {status_code}" if status_code else f"{esp} did not answer")
    for _ in range(5):  # someone may change the action between our read and our write
        fresh = fetch_action(store, action.id)
        try:
            if ok and fresh.status != "done":
                return _status_change(store, fresh, "done", operator=operator, execution=execution)
            if not ok and fresh.status not in ("done", "skipped"):
                return _status_change(
                    store, fresh, "failed", operator=operator, reason=error, execution=execution
                )
            return change_action(
                store, fresh, operator=operator, changes={}, events=[], execution=execution
            )
        except StaleAction:
            continue
    raise ValidationError("The action kept changing while the call was recorded; try again.")


def assign(
    store: Store, action: ContainAction, *, role: str | None, person: str | None, operator: str
) -> ContainAction:
    """Set who owns the action: a role, a named person, or both."""
    role = _role(role) if role else None
    person = check_name(person, field="Owner") if person and person.strip() else None
    if role is None and person is None:
        raise ValidationError("An action needs an owner: a role, a person, or both.")
    if (role, person) == (action.owner_role, action.owner_person):
        raise ValidationError(f"Action '{action.action_id}' already has that owner.")
    details = {
        "action": action.action_id,
        "title": for_log(action.title),
        "role": role,
        "person": person,
        "previous_role": action.owner_role,
        "previous_person": action.owner_person,
    }
    return change_action(
        store,
        action,
        operator=operator,
        changes={"owner_role": role, "owner_person": person},
        events=[("contain_action_assigned", details)],
    )


def add_note(store: Store, action: ContainAction, text: str, *, operator: str) -> ContainAction:
    """Append a note to the action (notes are kept, never edited)."""
    return _store_note(store, action, _block(text, "Note"), operator=operator)


def add_custom_action(
    store: Store,
    incident: Incident,
    *,
    title: str,
    role: str | None = None,
    person: str | None = None,
    after: ContainAction | None = None,
    stops_harm: bool = False,
    operator: str,
) -> ContainAction:
    """Add an operator's own action, after ``after`` or at the end; it is named custom-N."""
    clean_title = _line(title, "Title")
    role = _role(role) if role else None
    person = check_name(person, field="Owner") if person and person.strip() else None
    if role is None and person is None:
        raise ValidationError("Give the new action an owner: a role, a person, or both.")
    if after is not None and after.incident_id != incident.id:
        raise ValidationError(f"Action '{after.action_id}' belongs to another incident.")
    details = {
        "title": for_log(clean_title),
        "owner_role": role,
        "owner_person": person,
        "after": after.action_id if after else None,
        "stops_harm": stops_harm,
    }
    item = NewAction(title=clean_title, owner_role=role, owner_person=person, stops_harm=stops_harm)
    return add_custom(
        store,
        incident.id,
        item,
        after_pk=after.id if after else None,
        operator=operator,
        details=details,
    )


def escalate(
    store: Store, incident: Incident, *, to: str, contact: str, operator: str, note: str = ""
) -> Escalation:
    """Record that ``to`` (a role) was told, through ``contact`` (whom or which channel)."""
    return add_escalation(
        store,
        incident.id,
        to=_role(to),
        contact=_line(contact, "Contact", CONTACT_MAX),
        note=_block(note, "Note") if note.strip() else None,
        operator=operator,
    )
