"""Containment playbooks: which actions to take, per incident kind, and who owns each step.

The playbook ships with the package (``core/contain/data/playbooks.toml``). An organisation can
override or extend it with its own file, in the same format, found at
``$EMAIL_CRISIS_PLAYBOOK`` or else ``<user config dir>/email-crisis/playbook.toml``
(``~/.config/email-crisis/playbook.toml`` on Linux).

Format (TOML)::

    # Who owns each of the six steps (the responsibility matrix). In an
    # organisation's file, each step given replaces ours; the others stay.
    [steps]
    own = ["marketing", "leadership"]
    contain = ["marketing", "it", "security"]
    # ... assess, plan, notify, monitor

    # One section per incident kind: wrong-content, broken-personalization,
    # wrong-segment, suppression-list-send, malformed, data-breach, other.
    [wrong-segment]
    # extend = true   # organisation's file only: append to our actions instead of
    #                 # replacing them (an action with one of our ids replaces ours)

    [[wrong-segment.actions]]          # in order: the panel lists them this way
    id = "halt-send"                   # required, stable, kebab-case, unique in the kind
    title = "Stop the send"            # required, plain English, one line
    owner = "marketing"                # required role (see ROLES below)
    stops_harm = true                  # optional (default false): when the first such
                                       # action is done, the incident is contained;
                                       # every kind needs at least one
    esp_operation = "cancel-scheduled" # optional: a connector operation that can do it
    note = "Why, or how."              # optional

    [[wrong-segment.escalations]]      # who must be told, in order (optional)
    to = "leadership"                  # required role
    immediate = false                  # optional: tell them at once (default false)
    takes_command = false              # optional: they lead the response from then on
    note = "Why they need to know."    # optional

Roles: marketing, it, security, legal, leadership, deliverability, esp-support.
Action ids starting with ``custom-`` are reserved for actions added during an incident.
Any mistake (bad TOML, unknown kind, section, key or role, missing title, duplicate id,
wrong type, a kind with no ``stops_harm`` action) raises ``PlaybookError`` naming the
file, the line and the problem.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from email_crisis.core.base.domain import KINDS, STEPS
from email_crisis.core.base.settings import APP_NAME
from email_crisis.core.base.text import clean_block, clean_line
from email_crisis.core.base.toml_file import ConfigProblem, parse_toml, read_text

PLAYBOOK_ENV = "EMAIL_CRISIS_PLAYBOOK"
BUILT_IN = "built-in playbook"

ROLES: dict[str, str] = {
    "marketing": "Marketing",
    "it": "IT",
    "security": "Security",
    "legal": "Legal",
    "leadership": "Leadership",
    "deliverability": "Deliverability",
    "esp-support": "ESP support",
}
"""Roles that can own an action or a step, or be escalated to, with their labels."""

TITLE_MAX = 200
NOTE_MAX = 2000
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ACTION_KEYS = {"id", "title", "owner", "stops_harm", "esp_operation", "note"}
_ESCALATION_KEYS = {"to", "immediate", "takes_command", "note"}
_KIND_KEYS = {"extend", "actions", "escalations"}


class PlaybookError(ConfigProblem):
    """A playbook file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class PlaybookAction:
    """One containment action as the playbook describes it."""

    id: str
    title: str
    owner: str
    stops_harm: bool = False
    esp_operation: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class EscalationRule:
    """Someone the playbook says must be told during containment."""

    to: str
    immediate: bool = False
    takes_command: bool = False
    note: str | None = None


@dataclass(frozen=True)
class KindPlaybook:
    """The actions and escalations for one incident kind, and where they came from."""

    kind: str
    actions: tuple[PlaybookAction, ...]
    escalations: tuple[EscalationRule, ...] = ()
    source: str = BUILT_IN

    @property
    def stops_harm_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actions if a.stops_harm)


@dataclass(frozen=True)
class Playbook:
    """The playbook in force: one ``KindPlaybook`` per kind, and the owners of each step."""

    kinds: Mapping[str, KindPlaybook]
    step_owners: Mapping[str, tuple[str, ...]]
    sources: tuple[str, ...] = field(default=(BUILT_IN,))

    def for_kind(self, kind: str) -> KindPlaybook:
        """The section for ``kind`` (every kind has one once loaded)."""
        return self.kinds[kind]


# -- locating lines in the text -------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


class _Lines:
    """Finds the line of a section, array item or key, for error messages (1-based)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match:
                key = tuple(p.strip().strip("\"'") for p in match.group(2).split("."))
                self.headers.append((number, key, match.group(1) == "[["))

    def _end(self, start: int) -> int:
        later = [n for n, _, _ in self.headers if n > start]
        return later[0] - 1 if later else len(self.lines)

    def section(self, *key: str) -> int | None:
        """The header line of ``[key]`` (or of the first sub-table under it)."""
        for number, found, _ in self.headers:
            if found == key:
                return number
        for number, found, _ in self.headers:
            if found[: len(key)] == key:
                return number
        return None

    def item(self, key: tuple[str, ...], index: int) -> int | None:
        """The header line of the ``index``-th ``[[key]]``."""
        items = [n for n, found, is_array in self.headers if found == key and is_array]
        return items[index] if index < len(items) else None

    def key(self, start: int | None, name: str) -> int | None:
        """The line of ``name = ...`` in the section whose header is on line ``start``.

        ``start`` 0 means the top level (before the first header). Falls back to the
        header line itself when the key is not written on a line of its own.
        """
        if start is None:
            return None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(name)}[\"']?\s*=")
        for number in range(start + 1, self._end(start) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start or None


class _Checker:
    """Validates one parsed file, raising ``PlaybookError`` with file and line."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = _Lines(text)
        self.source = source

    def fail(self, line: int | None, problem: str) -> PlaybookError:
        where = f"{self.source}, line {line}" if line else self.source
        return PlaybookError(f"{where}: {problem}")

    def get(self, raw: Mapping[str, Any], at: int | None, name: str, check: str) -> Any:
        """Read and check ``raw[name]`` (``None`` if absent): text, note, flag or role."""
        if name not in raw:
            return False if check == "flag" else None
        value, line = raw[name], self.lines.key(at, name)
        if check == "flag":
            if not isinstance(value, bool):
                raise self.fail(line, f"{name} must be true or false, not {_type(value)}.")
            return value
        if not isinstance(value, str):
            raise self.fail(line, f"{name} must be text, not {_type(value)}.")
        try:
            if check == "note":
                return clean_block(value, field=name, max_length=NOTE_MAX)
            value = clean_line(value, field=name, max_length=TITLE_MAX)
        except ValueError as error:
            raise self.fail(line, str(error)) from None
        if check == "role" and value not in ROLES:
            raise self.fail(line, f"unknown role {value!r}; use one of: {', '.join(ROLES)}.")
        return value

    def items(self, raw: Mapping[str, Any], kind: str, name: str) -> list[dict[str, Any]]:
        value = raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(
                self.lines.key(self.lines.section(kind), name),
                f"{name} must be an array of tables ([[{kind}.{name}]]), not {_type(value)}.",
            )
        return value

    def table(
        self, raw: Mapping[str, Any], kind: str, name: str, index: int, known: set[str]
    ) -> int | None:
        """Check the keys of item ``index`` of ``[[kind.name]]``; return its header line."""
        at = self.lines.item((kind, name), index) or self.lines.section(kind)
        what = f"{name[:-1]} {index + 1} of [{kind}]"
        extra = sorted(set(raw) - known)
        if extra:
            raise self.fail(
                self.lines.key(at, extra[0]),
                f"unknown key {extra[0]!r} in {what}; expected: {', '.join(sorted(known))}.",
            )
        required = ("id", "title", "owner") if name == "actions" else ("to",)
        for key in required:
            if key not in raw:
                label = f"action {raw['id']!r}" if isinstance(raw.get("id"), str) else what
                raise self.fail(at, f"{label} has no {key}.")
        return at

    def action(self, kind: str, index: int, raw: dict[str, Any]) -> PlaybookAction:
        at = self.table(raw, kind, "actions", index, _ACTION_KEYS)
        ident = self.get(raw, at, "id", "text")
        if not _ID.match(ident) or ident.startswith("custom-"):
            raise self.fail(
                self.lines.key(at, "id"),
                f"action id {ident!r} must be kebab-case (lower-case letters, digits, hyphens)"
                " and must not start with 'custom-' (kept for actions added during an incident).",
            )
        return PlaybookAction(
            id=ident,
            title=self.get(raw, at, "title", "text"),
            owner=self.get(raw, at, "owner", "role"),
            stops_harm=self.get(raw, at, "stops_harm", "flag"),
            esp_operation=self.get(raw, at, "esp_operation", "text"),
            note=self.get(raw, at, "note", "note"),
        )

    def escalation(self, kind: str, index: int, raw: dict[str, Any]) -> EscalationRule:
        at = self.table(raw, kind, "escalations", index, _ESCALATION_KEYS)
        return EscalationRule(
            to=self.get(raw, at, "to", "role"),
            immediate=self.get(raw, at, "immediate", "flag"),
            takes_command=self.get(raw, at, "takes_command", "flag"),
            note=self.get(raw, at, "note", "note"),
        )

    def kind(self, kind: str, raw: Any) -> tuple[bool, KindPlaybook]:
        at = self.lines.section(kind)
        if not isinstance(raw, dict):
            raise self.fail(self.lines.key(0, kind) or at, f"{kind} must be a section [{kind}].")
        extra = sorted(set(raw) - _KIND_KEYS)
        if extra:
            raise self.fail(
                self.lines.key(at, extra[0]),
                f"unknown key {extra[0]!r} in [{kind}]; expected: {', '.join(sorted(_KIND_KEYS))}.",
            )
        extend = self.get(raw, at, "extend", "flag")
        actions: list[PlaybookAction] = []
        for index, item in enumerate(self.items(raw, kind, "actions")):
            action = self.action(kind, index, item)
            if action.id in {a.id for a in actions}:
                line = self.lines.key(self.lines.item((kind, "actions"), index), "id")
                raise self.fail(line, f"duplicate action id {action.id!r} in [{kind}].")
            actions.append(action)
        escalations: list[EscalationRule] = []
        for index, item in enumerate(self.items(raw, kind, "escalations")):
            rule = self.escalation(kind, index, item)
            if rule.to in {e.to for e in escalations}:
                line = self.lines.key(self.lines.item((kind, "escalations"), index), "to")
                raise self.fail(line, f"escalation to {rule.to!r} is listed twice in [{kind}].")
            escalations.append(rule)
        if not extend:
            self.require_stops_harm(kind, actions)
        return extend, KindPlaybook(kind, tuple(actions), tuple(escalations), self.source)

    def require_stops_harm(self, kind: str, actions: Sequence[PlaybookAction]) -> None:
        if not any(a.stops_harm for a in actions):
            raise self.fail(
                self.lines.section(kind),
                f"[{kind}] has no action with stops_harm = true; mark the action whose "
                "completion means the harm has stopped.",
            )

    def steps(self, raw: Any) -> dict[str, tuple[str, ...]]:
        at = self.lines.section("steps")
        if not isinstance(raw, dict):
            raise self.fail(self.lines.key(0, "steps"), "steps must be a section [steps].")
        owners: dict[str, tuple[str, ...]] = {}
        for step, roles in raw.items():
            line = self.lines.key(at, step)
            if step not in STEPS:
                raise self.fail(line, f"unknown step {step!r}; steps: {', '.join(STEPS)}.")
            if not isinstance(roles, list) or not roles:
                raise self.fail(line, f"owners of step {step!r} must be a non-empty list of roles.")
            for role in roles:
                if role not in ROLES:
                    raise self.fail(line, f"unknown role {role!r}; use one of: {', '.join(ROLES)}.")
            owners[step] = tuple(roles)
        return owners


def _type(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    names.update({list: "a list", dict: "a table"})
    return names.get(type(value), type(value).__name__)


# -- reading files -------------------------------------------------------------------


def _parse(text: str, source: str) -> tuple[dict[str, tuple[bool, KindPlaybook]], dict, _Checker]:
    """Parse and validate one file's text; kinds map to (extend, section)."""
    checker = _Checker(text, source)
    data = parse_toml(text, where=source, error=PlaybookError)
    kinds: dict[str, tuple[bool, KindPlaybook]] = {}
    steps: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key == "steps":
            steps = checker.steps(value)
        elif key in KINDS:
            kinds[key] = checker.kind(key, value)
        else:
            line = checker.lines.section(key) or checker.lines.key(0, key)
            close = difflib.get_close_matches(key, [*KINDS, "steps"], n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise checker.fail(
                line,
                f"unknown kind {key!r}; kinds: {', '.join(KINDS)} (and [steps]).{hint}",
            )
    return kinds, steps, checker


def _read(path: Path, source: str) -> str:
    return read_text(path, where=source, error=PlaybookError)


def built_in_text() -> str:
    """The shipped playbook's TOML text."""
    shipped = resources.files("email_crisis.core.contain").joinpath("data/playbooks.toml")
    return shipped.read_text("utf-8")


def org_playbook_path(env: Mapping[str, str] = os.environ) -> Path | None:
    """The organisation's playbook file, or ``None`` when there is none.

    ``$EMAIL_CRISIS_PLAYBOOK`` must name an existing file; the default location
    (``<user config dir>/email-crisis/playbook.toml``) is optional.
    """
    chosen = env.get(PLAYBOOK_ENV, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.exists():
            raise PlaybookError(f"{PLAYBOOK_ENV} points at {path}, which does not exist.")
        return path
    default = platformdirs.user_config_path(APP_NAME) / "playbook.toml"
    return default if default.exists() else None


def parse_built_in(text: str | None = None) -> Playbook:
    """The shipped playbook alone (``text`` replaces the file's content, for tests)."""
    source = BUILT_IN
    kinds, steps, checker = _parse(built_in_text() if text is None else text, source)
    missing = [kind for kind in KINDS if kind not in kinds]
    if missing:
        raise checker.fail(None, f"no section for kind(s): {', '.join(missing)}.")
    missing = [step for step in STEPS if step not in steps]
    if missing:
        raise checker.fail(checker.lines.section("steps"), f"no owners for: {', '.join(missing)}.")
    return Playbook({k: kinds[k][1] for k in KINDS}, {s: steps[s] for s in STEPS})


def _upsert(items: Sequence[Any], new: Sequence[Any], key: str) -> tuple[Any, ...]:
    """``items`` with ``new`` appended, each replacing an item with the same ``key``."""
    merged = {getattr(item, key): item for item in items}
    merged.update({getattr(item, key): item for item in new})
    return tuple(merged.values())


def _merge(base: KindPlaybook, extra: KindPlaybook) -> KindPlaybook:
    return replace(
        base,
        actions=_upsert(base.actions, extra.actions, "id"),
        escalations=_upsert(base.escalations, extra.escalations, "to"),
        source=f"{base.source}, extended by {extra.source}",
    )


def apply_org_file(base: Playbook, path: Path) -> Playbook:
    """``base`` with the organisation's file at ``path`` applied (replace or extend)."""
    source = str(path)
    kinds, steps, checker = _parse(_read(path, source), source)
    merged = dict(base.kinds)
    for kind, (extend, section) in kinds.items():
        merged[kind] = _merge(merged[kind], section) if extend else section
        if extend:
            checker.require_stops_harm(kind, merged[kind].actions)
    return Playbook(merged, {**base.step_owners, **steps}, (*base.sources, source))


def load_playbook(env: Mapping[str, str] = os.environ, *, path: Path | None = None) -> Playbook:
    """The playbook in force: ours, with the organisation's file applied if there is one.

    ``path`` (a CLI option, say) wins over ``$EMAIL_CRISIS_PLAYBOOK`` and the default
    location. Raises ``PlaybookError`` naming file, line and problem.
    """
    base = parse_built_in()
    chosen = path if path is not None else org_playbook_path(env)
    if chosen is None:
        return base
    if not Path(chosen).exists():
        raise PlaybookError(f"playbook file {chosen} does not exist.")
    return apply_org_file(base, Path(chosen))
