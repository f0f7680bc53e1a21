"""What only a breach notice must hold: which data was exposed, and what readers can do
about it, advice that follows the data (passwords -> reset and 2FA; bank or card data
-> watch statements, fraud alerts; email or phone only -> phishing vigilance).

The data exposed comes from the incident's assessment when the draft belongs to one
(``LintContext.exposed``: the assessment's ``data_exposed`` categories), else from what
the draft itself names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import BREACH, RuleInfo
from email_crisis.core.notify.lint.signals import PROTECTIVE

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
BREACH_ONLY = frozenset({BREACH})

RULES = (
    RuleInfo(
        "missing-action-steps",
        Severity.ERROR,
        "A breach notice without protective steps for readers; the advice asked for follows "
        "the data exposed. A warning when the steps given miss data the assessment lists.",
        scope="apology",
        kinds=BREACH_ONLY,
    ),
    RuleInfo(
        "missing-exposed-data",
        Severity.ERROR,
        "A breach notice that never says which data was exposed (name, email address, "
        "password, card...).",
        scope="apology",
        kinds=BREACH_ONLY,
    ),
)

CATEGORIES: dict[str, str] = {
    "credentials": "data_credentials",
    "payment": "data_payment",
    "contact": "data_contact",
    "identity": "data_identity",
}
"""Advice category -> the list of data words that names it."""

FROM_ASSESSMENT: dict[str, str] = {
    "credentials": "credentials",
    "payment-data": "payment",
    "email-addresses": "contact",
    "postal-addresses": "contact",
    "names": "identity",
    "other": "identity",
}
"""The assessment's data categories (``core.assess.assessment.DATA_KINDS``) -> advice."""

STEPS_FOR: dict[str, tuple[str, ...]] = {
    "credentials": ("protect_credentials",),
    "payment": ("protect_payment",),
    "contact": ("protect_phishing",),
    "identity": ("protect_phishing", "protect_payment"),
}
"""Which protective steps answer each kind of data."""


def exposed(doc: Document) -> tuple[list[str], bool]:
    """The advice categories of the data exposed, and whether the assessment said so."""
    given = doc.context.exposed
    if given:
        found = sorted({FROM_ASSESSMENT[c] for c in given if c in FROM_ASSESSMENT})
        return found, True
    return [c for c, signal in CATEGORIES.items() if doc.find(signal) is not None], False


def advice(doc: Document, categories: list[str]) -> str:
    """The protective steps to ask for, in the draft's language."""
    lex = doc.lexicon
    if not categories:
        return lex.message("advice.generic")
    return " ".join(lex.message(f"advice.{c}") for c in categories)


def judge(doc: Document) -> None:
    """Both breach rules, for breach notices only (their ``kinds``: the engine would
    drop what they found in any other draft)."""
    if not doc.apology or not doc.breach:
        return
    categories, assessed = exposed(doc)
    lex = doc.lexicon
    steps = {name for name in PROTECTIVE if doc.find(name) is not None}
    anchor = doc.find("breach")
    name, start, end = (anchor.field, anchor.start, anchor.end) if anchor else doc.anchor()
    if not steps:
        doc.hit(
            name,
            "missing-action-steps",
            start,
            end,
            lex.message("missing-action-steps", fix=advice(doc, categories)),
        )
    elif assessed:
        missing = [c for c in categories if not steps & set(STEPS_FOR[c])]
        if missing:
            names = ", ".join(
                lex.data_names.get(k, k)
                for k in sorted(doc.context.exposed)
                if FROM_ASSESSMENT.get(k) in missing
            )
            doc.hit(
                name,
                "missing-action-steps",
                start,
                end,
                lex.message(
                    "missing-action-steps.mismatch", phrase=names, fix=advice(doc, missing)
                ),
                None,
                Severity.WARNING,
            )
    if not any(doc.find(signal) is not None for signal in CATEGORIES.values()):
        listed = ""
        if assessed:
            names = ", ".join(lex.data_names.get(k, k) for k in sorted(doc.context.exposed))
            listed = lex.message("missing-exposed-data.assessment", phrase=names)
        doc.hit(
            name,
            "missing-exposed-data",
            start,
            end,
            lex.message("missing-exposed-data", fix=listed),
        )
