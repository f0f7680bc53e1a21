"""unrendered-merge-tag: placeholders and empty greetings that would reach people raw."""

from __future__ import annotations

import re

from email_crisis.core.notify.lint.model import TEXT_FIELDS, Severity
from email_crisis.core.notify.lint.rules.base import Para, RuleInfo
from email_crisis.core.notify.lint.tokens import fold_word

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "unrendered-merge-tag",
        Severity.ERROR,
        "Merge fields left raw (<FirstName>, *|FNAME|*, %%Name%%, [[TOKEN]], {{ name }} in "
        'sent text) and empty greetings ("Dear ,").',
    ),
)

# Tag names that are HTML, not merge fields.
_HTML = frozenset(
    (  # noqa: SIM905
        "a abbr b big blockquote body br center code div em font footer h1 h2 h3 h4 h5 h6 "
        "head header hr html i img li link main meta nav ol p pre s small span strong "
        "style sub sup table tbody td tfoot th thead title tr u ul"
    ).split()
)

_FOREIGN = (
    r"(?P<foreign>\{\{\s*\$\{[^{}\n]*\}\s*\}\}"  # {{${first_name}}}
    r"|\$\{\s*[^\W\d][\w.]*\s*\}"  # ${first_name}
    r"|\*\|[^|*\s][^|*\n]*\|\*"  # *|FNAME|*
    r"|%%[^%\s][^%\n]*?%%"  # %%FirstName%%
    r"|\[\[[^\[\]\n]+\]\]"  # [[MISSING TOKEN]]
    r"|(?<![{\w$])\{[^\W\d][\w.]*\}(?!\})"  # {first_name}
    r"|\[(?i:insert|fname|lname|first[ _]?name|last[ _]?name|name|pr[ée]nom|nom|date)"
    r"(?:[ _][^\]\n]{0,30})?\]"  # [First Name], [insert date]
    r")"
    r"|(?P<angle><(?P<name>[^\W\d_][\w]*(?:[ _.-][\w]+){0,2})>)"  # <FirstName>
)
_TAGS = re.compile(_FOREIGN)
_TAGS_AND_JINJA = re.compile(_FOREIGN + r"|(?P<jinja>\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.S)
_TRIGGER = re.compile(r"[<{$*%\[]")


def scan(para: Para) -> None:
    """Report raw merge tags, rendered-mode Jinja tags and empty greetings."""
    if para.field not in TEXT_FIELDS:
        return
    text = para.text
    if _TRIGGER.search(text):
        pattern = _TAGS if para.template else _TAGS_AND_JINJA
        for found in pattern.finditer(text):
            if found.lastgroup == "angle" and found.group("name").lower() in _HTML:
                continue
            quoted = para.quote(found.start(), found.end())
            if found.lastgroup == "jinja":
                message = f"{quoted!r} is template code that was never rendered."
            else:
                message = (
                    f"{quoted!r} is a merge field that was never filled in; "
                    "readers would see it as is."
                )
            para.hit("unrendered-merge-tag", found.start(), found.end(), message)
    if "," in text:
        _empty_greetings(para)


def _line_starts(text: str) -> list[int]:
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
            f"{para.quote(found.start('greeting'), found.end())!r} greets nobody: the name "
            "field was empty. Use a greeting that works without a name.",
            para.lex.texts.get("greeting"),
        )
