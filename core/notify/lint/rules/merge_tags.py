"""Merge tags: placeholders and empty greetings that would reach people raw, tags
quoted in an apology, and merge fields used again after broken personalisation.

The dialects and how fallbacks and quotes are recognised are in ``lint.tags``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint import literal_scan
from email_crisis.core.notify.lint.model import TEXT_FIELDS, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo
from email_crisis.core.notify.lint.tags import (
    HTML_TAGS,
    TAGS,
    TAGS_AND_JINJA,
    find_tags,
    has_fallback,
    may_hold_tags,
    quoted,
)
from email_crisis.core.notify.lint.tokens import fold_word

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")
PERSONALIZATION = frozenset({"broken-personalization"})

RULES = (
    RuleInfo(
        "unrendered-merge-tag",
        Severity.ERROR,
        "Merge fields left raw (<FirstName>, *|FNAME|*, %%Name%%, %recipient.first%, "
        "-first_name-, %FIRSTNAME%, [[TOKEN]], {{ name }} in sent text...) and empty "
        'greetings ("Dear ,"). A tag with a fallback or a quoted tag is not raw.',
    ),
    RuleInfo(
        "quoted-merge-tag",
        Severity.WARNING,
        'A merge tag quoted in an apology (our email began "Dear {{first_name}}"): readers '
        "see it literally; describe the problem instead.",
        scope="apology",
    ),
    RuleInfo(
        "merge-tag-reused",
        Severity.WARNING,
        "An apology for broken personalisation that uses a merge field again without a fallback.",
        scope="apology",
        kinds=PERSONALIZATION,
    ),
)


def scan(para: Para) -> None:
    """Report raw merge tags, rendered-mode Jinja tags and empty greetings.

    A tag with a fallback (``{{ first_name | default("there") }}``,
    ``[firstname,fallback=there]``) is a template written the right way, and a quoted
    tag (``began "Dear {{first_name}}"``) is shown on purpose: neither is unrendered.
    """
    if para.field not in TEXT_FIELDS:
        return
    text = para.text
    if may_hold_tags(text):
        pattern = TAGS if para.template else TAGS_AND_JINJA
        for found in literal_scan.finditer(pattern, text):
            kind = found.lastgroup
            if kind == "angle" and found.group("name").lower() in HTML_TAGS:
                continue
            source = found.group()
            if has_fallback(source) or quoted(text, found.start(), found.end()):
                continue
            phrase = para.quote(found.start(), found.end())
            key = "unrendered-merge-tag.jinja" if kind == "jinja" else "unrendered-merge-tag"
            para.hit(
                "unrendered-merge-tag",
                found.start(),
                found.end(),
                para.message(key, phrase=phrase),
            )
    if "," in text:
        _empty_greetings(para)


def judge(doc: Document) -> None:
    """Quoted tags, and merge fields used again in a broken-personalisation apology
    (read from the source text: in a template the tags are hidden from the scanners)."""
    if not doc.apology:
        return
    lex = doc.lexicon
    for name in TEXT_FIELDS:
        field = doc.fields.get(name)
        if field is None:
            continue
        for tag in find_tags(field.text):
            if tag.quoted:
                doc.hit(
                    name,
                    "quoted-merge-tag",
                    tag.start,
                    tag.end,
                    lex.message("quoted-merge-tag", phrase=doc.quote(name, tag.start, tag.end)),
                )
            elif not tag.fallback:
                fix = f'{{{{ {tag.name} | default("{lex.texts.get("fallback", "there")}") }}}}'
                doc.hit(
                    name,
                    "merge-tag-reused",
                    tag.start,
                    tag.end,
                    lex.message(
                        "merge-tag-reused", phrase=doc.quote(name, tag.start, tag.end), fix=fix
                    ),
                    fix if tag.jinja else None,
                )


def _line_starts(text: str) -> list[int]:
    if "\n" not in text and "\r" not in text:
        return [0]  # most paragraphs are one line
    starts = [0]
    for newline in ("\n", "\r"):
        position = text.find(newline)
        while position >= 0:
            starts.append(position + 1)
            position = text.find(newline, position + 1)
    return sorted(set(starts))


def _empty_greetings(para: Para) -> None:
    # A greeting starts a line: try the pattern there only, not at every character.
    pattern = para.lex.greeting
    text = para.text
    for start in _line_starts(text):
        found = pattern.match(text, start)
        if found is None:
            continue
        word = fold_word(found.group("greeting"))
        if not (found.group("gap") or found.group("title") or word in para.lex.needs_name):
            continue  # "Hello," is a complete greeting; "Hello ," lost its name
        para.hit(
            "unrendered-merge-tag",
            found.start("greeting"),
            found.end(),
            para.message(
                "unrendered-merge-tag.greeting",
                phrase=para.quote(found.start("greeting"), found.end()),
            ),
            para.lex.texts.get("greeting"),
        )
