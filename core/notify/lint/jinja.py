"""Jinja2 source seen by the rules: tags hidden, offsets kept.

In a template, ``{{ first_name }}`` is how a merge field is written, not a mistake,
and the words inside ``{% if %}`` or a comment are not prose. So before the rules
run, each tag is replaced by characters that are not words, with the same length
(line breaks kept), and every offset still points into the source:

- ``{{ ... }}`` (it prints something) becomes U+E000, a private-use character that
  is neither a word nor a space, so "Dear {{ name }}," is not an empty greeting;
- ``{% ... %}`` and ``{# ... #}`` (they print nothing) become spaces.

``{{${first_name}}}`` is another engine's syntax, never Jinja's, and is left visible.
"""

from __future__ import annotations

import re

from email_crisis.core.base.regex import lazy_compile

MASK = "\ue000"
EXPRESSION = lazy_compile(r"\{\{(?!\s*\$\{)(?:[^}]|\}(?!\}))*\}\}")
STATEMENT_OR_COMMENT = lazy_compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_ANY_TAG = lazy_compile(r"\{\{|\{%|\{#")
DIRECTIVE = lazy_compile(r"\{#-?\s*lint\s*:(?P<body>.*?)-?#\}", re.S | re.I)


_DEFAULTED = lazy_compile(r"\{\{[^{}]*\|\s*(?:default|d)\s*[(:]")


def looks_like_template(text: str) -> bool:
    """Whether ``text`` holds Jinja statements or comments (``{% %}``, ``{# #}``), or an
    expression with a fallback (``{{ first_name | default("there") }}``).

    ``{{ name }}`` alone is not enough: in a sent email it is a merge field that
    was never filled in.
    """
    return "{" in text and (
        STATEMENT_OR_COMMENT.search(text) is not None or _DEFAULTED.search(text) is not None
    )


def _blank(match: re.Match[str], fill: str) -> str:
    return "".join(c if c in "\r\n" else fill for c in match.group())


def mask(text: str, *, template: bool) -> str:
    """``text`` with Jinja tags hidden (templates) or only lint comments hidden."""
    if "{" not in text:
        return text
    if not template:
        return DIRECTIVE.sub(lambda m: _blank(m, " "), text)
    if not _ANY_TAG.search(text):
        return text
    text = STATEMENT_OR_COMMENT.sub(lambda m: _blank(m, " "), text)
    return EXPRESSION.sub(lambda m: _blank(m, MASK), text)
