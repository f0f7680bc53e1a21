"""The organisation's own rules from the config: banned and required phrases, brand terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import TEXT_FIELDS, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "banned-phrase",
        Severity.WARNING,
        "A phrase the config bans (banned = [...]).",
    ),
    RuleInfo(
        "required-phrase",
        Severity.WARNING,
        "A phrase the config requires (required = [...]) is missing.",
    ),
    RuleInfo(
        "brand-term",
        Severity.WARNING,
        "A brand term from the config written with the wrong casing or accents.",
    ),
)


def scan(para: Para) -> None:
    """Banned phrases and misspelt brand terms; required phrases become signals."""
    if not (para.config.banned or para.config.required or para.config.brand_terms):
        return
    for tag, matches in para.matches.items():
        kind, _, number = tag.partition(":")
        if kind == "banned":
            entry = para.config.banned[int(number)]
            for match in matches:
                start, end = para.span(match)
                para.hit(
                    "banned-phrase",
                    start,
                    end,
                    entry.message or para.message("banned-phrase", phrase=para.quote(start, end)),
                    entry.suggestion,
                    entry.severity,
                )
        elif kind == "required":
            for match in matches:
                para.signal(tag, *para.span(match), match.first)
        elif kind == "brand":
            term = para.config.brand_terms[int(number)]
            for match in matches:
                _brand(para, term, *para.span(match))


def _brand(para: Para, term: str, start: int, end: int) -> None:
    text = para.text
    written = text[start:end]
    if " ".join(written.split()) == " ".join(term.split()):
        return
    before = text[start - 1] if start else ""
    after = text[end : end + 2]
    if before in "@/." or after[:1] == "@" or (after[:1] == "." and after[1:].isalnum()):
        return  # part of an address or a link: those are lower case by nature
    para.hit(
        "brand-term",
        start,
        end,
        para.message("brand-term", fix=term, phrase=para.quote(start, end)),
        term,
    )


def judge(doc: Document) -> None:
    """Report every required phrase that the draft does not contain."""
    for number, entry in enumerate(doc.config.required):
        if entry.lang is not None and entry.lang not in doc.languages:
            continue
        names = (entry.field,) if entry.field else TEXT_FIELDS
        if doc.find(f"required:{number}", names) is not None:
            continue
        name, start, end = doc.anchor(entry.field or "body")
        doc.hit(
            name,
            "required-phrase",
            start,
            end,
            entry.message or doc.lexicon.message("required-phrase", phrase=entry.phrase),
            None,
            entry.severity,
        )
