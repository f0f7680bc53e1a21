"""The rule registry: every family module and every rule id they define."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Hit, Severity
from email_crisis.core.notify.lint.rules import (
    apology,
    branding,
    breach,
    custom,
    directives,
    lede,
    merge_tags,
    one_click,
    passive,
    phrases,
    senders,
    subject,
)
from email_crisis.core.notify.lint.rules.base import RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

Refiner = Callable[[Hit, "Document", Severity, str, int], "Severity | None"]
"""Decides a hit's severity from the whole draft (``None`` drops the hit); it also gets
the hit's field and its offset in that field."""

FAMILIES: tuple[ModuleType, ...] = (
    subject,
    senders,
    merge_tags,
    one_click,
    phrases,
    passive,
    apology,
    lede,
    breach,
    branding,
    custom,
    directives,
)
"""Rule family modules, in the order their scanners and judges run."""

RULES: dict[str, RuleInfo] = {info.id: info for family in FAMILIES for info in family.RULES}
"""Every rule by its stable id."""

FAMILY_OF: dict[str, ModuleType] = {info.id: family for family in FAMILIES for info in family.RULES}

SCANNERS = tuple(f.scan for f in FAMILIES if hasattr(f, "scan"))
JUDGES = tuple(f.judge for f in FAMILIES if hasattr(f, "judge"))
REFINERS = {
    info.id: family.refine
    for family in FAMILIES
    if hasattr(family, "refine")
    for info in family.RULES
}

__all__ = [
    "FAMILIES",
    "FAMILY_OF",
    "JUDGES",
    "REFINERS",
    "RULES",
    "SCANNERS",
    "Refiner",
    "RuleInfo",
]
