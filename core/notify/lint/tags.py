"""Merge tags in a draft's source: every ESP dialect, whether a tag has a fallback, and
whether it is quoted (shown to readers on purpose, as in "our email began 'Dear
{{ first_name }}'").

Dialects, as their providers document them:

- Jinja2/Liquid ``{{ first_name }}``, with a fallback ``{{ first_name | default("there") }}``
  or ``{{ first_name | default: "there" }}``; SendGrid Marketing Campaigns
  ``{{ insert first_name "default=Customer" }}``; Braze ``{{${first_name}}}``;
- Mailchimp ``*|FNAME|*``; ExactTarget ``%%FirstName%%``; ActiveCampaign ``%FIRSTNAME%``;
- Mailgun recipient variables ``%recipient.first%``;
- SendGrid legacy substitutions ``-first_name-`` and unsubscribe tags
  ``<%asm_group_unsubscribe_raw_url%>``;
- Campaign Monitor ``[firstname,fallback=there]``;
- placeholders left in copy: ``<FirstName>``, ``<CITY, STATE, ZIP>``, ``[First Name]``,
  ``[[TOKEN]]``, ``{first_name}``, ``${first_name}``.

A quoted tag is rendered literally in the preview (``protect_quoted``), never filled in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from email_crisis.core.base.regex import lazy_compile
from email_crisis.core.notify.lint import literal_scan

# Tag names that are HTML, not merge fields.
HTML_TAGS = frozenset(
    (  # noqa: SIM905
        "a abbr b big blockquote body br center code div em font footer h1 h2 h3 h4 h5 h6 "
        "head header hr html i img li link main meta nav ol p pre s small span strong "
        "style sub sup table tbody td tfoot th thead title tr u ul"
    ).split()
)

FOREIGN = (
    r"(?P<foreign>\{\{\s*\$\{[^{}\n]*\}[^{}\n]*\}\}"  # {{${first_name}}}, Braze
    r"|\$\{\s*[^\W\d][\w.]*\s*\}"  # ${first_name}
    r"|\*\|[^|*\s][^|*\n]*\|\*"  # *|FNAME|*, Mailchimp
    r"|%%[^%\s][^%\n]*?%%"  # %%FirstName%%
    r"|<%[A-Za-z_][\w.]*%>"  # <%asm_group_unsubscribe_raw_url%>, SendGrid
    r"|(?<![\w%])%recipient(?:[._][A-Za-z_][\w.]*)?%(?![\w%])"  # %recipient.first%, Mailgun
    r"|(?<![\w%])%[A-Z][A-Z0-9_]*%(?![\w%])"  # %FIRSTNAME%, ActiveCampaign
    # SendGrid substitutions: -first_name-, -firstName-, -name-
    r"|(?<![\w-])-(?:[A-Za-z]+(?:_[A-Za-z]+)+|[a-z]+[A-Z][A-Za-z]*|name|email)-(?![\w-])"
    r"|\[\[[^\[\]\n]+\]\]"  # [[MISSING TOKEN]]
    r"|\[[A-Za-z][\w ]{0,30},\s*fallback=[^\]\n]{0,40}\]"  # [firstname,fallback=there]
    r"|(?<![{\w$])\{[^\W\d][\w.]*\}(?!\})"  # {first_name}
    r"|\[(?i:insert|fname|lname|first[ _]?name|last[ _]?name|name|pr[ée]nom|nom|date)"
    r"(?:[ _][^\]\n]{0,30})?\]"  # [First Name], [insert date]
    r")"
    r"|(?P<angle><(?P<name>[^\W\d_][\w]*(?:[ _.-][\w]+){0,2}"
    r"|[A-Z][A-Z_]*(?:,\s*[A-Z][A-Z_]*)+)>)"  # <FirstName>, <CITY, STATE, ZIP>
)
JINJA = r"(?P<jinja>\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})"
TAGS = lazy_compile(FOREIGN)
TAGS_AND_JINJA = lazy_compile(FOREIGN + "|" + JINJA, re.S)
# Where a tag may be: one of its opening characters (six substring tests), or a word
# between hyphens (a pattern with a fixed start the regex engine scans for quickly; one
# alternation of both was tried at every character: 0.1 ms on a 2,000-word body).
_TAG_CHARS = "<{$*%["  # one of these starts every tag but the dashed one
_DASHED = lazy_compile(r"-\w+-")
EXPRESSION = lazy_compile(r"\{\{(?:[^}]|\}(?!\}))*\}\}")
_FALLBACK = lazy_compile(
    r"\|\s*(?:default|d)\s*[(:]|\|\|\s*[\"']|\bdefault=|\bfallback=|\bif\(.*empty", re.I
)
_NAME = lazy_compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")
_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“", "‘": "’"}


class Tag(NamedTuple):
    """One merge tag in a text."""

    start: int
    end: int
    name: str
    """The field it inserts (``first_name``, ``FNAME``...), as written."""
    fallback: bool
    quoted: bool
    jinja: bool


def has_fallback(tag: str) -> bool:
    """Whether a tag says what to print when its field is empty."""
    return _FALLBACK.search(tag) is not None


def quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` sits inside quotation marks on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : len(text) if line_end < 0 else line_end]
    if before.count('"') % 2 == 1 and '"' in after:
        opening = before.rfind('"')
        # href="<%asm_group_unsubscribe_raw_url%>" is an HTML attribute, not a quotation.
        if not before[:opening].rstrip().endswith("="):
            return True
    for opening, closing in _QUOTES.items():
        if opening == '"':
            continue
        at = before.rfind(opening)
        if at >= 0 and closing not in before[at + 1 :] and closing in after:
            return True
    return False


def _field_name(tag: str) -> str:
    inner = tag.strip("{}%*|[]<>$- \t")
    if inner.startswith("recipient"):
        inner = inner.removeprefix("recipient").lstrip("._") or "recipient"
    found = _NAME.search(inner)
    return found.group() if found else inner


def may_hold_tags(text: str) -> bool:
    """Whether ``text`` may hold a merge tag (a quick test before the tag patterns)."""
    # Six substring tests (memchr) cost a quarter of one character-class search.
    return any(map(text.__contains__, _TAG_CHARS)) or (
        "-" in text and _DASHED.search(text) is not None
    )


@lru_cache(maxsize=64)
def find_tags(text: str) -> tuple[Tag, ...]:
    """Every merge tag of ``text`` (Jinja2 expressions included, statements not)."""
    if not may_hold_tags(text):
        return ()
    found = []
    for match in literal_scan.finditer(TAGS_AND_JINJA, text):
        kind = match.lastgroup
        source = match.group()
        if kind == "angle" and match.group("name").lower() in HTML_TAGS:
            continue
        if kind == "jinja" and not source.startswith("{{"):
            continue
        name = _field_name(source)
        if source.startswith("{{") and name == "insert":  # {{ insert first_name ... }}
            name = _field_name(source.split("insert", 1)[1])
        found.append(
            Tag(
                match.start(),
                match.end(),
                name,
                has_fallback(source),
                quoted(text, match.start(), match.end()),
                kind == "jinja",
            )
        )
    return tuple(found)


def protect_quoted(source: str) -> str:
    """``source`` with quoted Jinja expressions made literal (``{% raw %}``), so a preview
    shows "began 'Dear {{ first_name }}'" as written instead of "Dear Alex"."""
    if "{{" not in source:
        return source
    spans = [(t.start, t.end) for t in find_tags(source) if t.jinja and t.quoted]
    if not spans:
        return source
    pieces = []
    position = 0
    for start, end in spans:
        pieces.append(source[position:start])
        pieces.append("{% raw %}" + source[start:end] + "{% endraw %}")
        position = end
    pieces.append(source[position:])
    return "".join(pieces)
