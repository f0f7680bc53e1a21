"""Rendering a draft template for the preview: a missing merge field is a finding.

The environment is a ``SandboxedEnvironment`` with ``StrictUndefined``: a template
cannot reach into Python objects, and a field with no value stops the render
instead of printing a blank. Rather than one exception, the caller gets every
missing field as a ``Finding`` (rule ``unrendered-merge-tag``) pointing at the
``{{ ... }}`` that uses it, and no text, so a half-filled email is never shown as
if it were ready. A template that cannot be parsed or raises while rendering gives
one ``template-error`` finding at its line.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from email_crisis.core.base.sandbox import BoundedSandbox
from email_crisis.core.notify.lint.model import Finding, Severity
from email_crisis.core.notify.lint.positions import LineIndex
from email_crisis.core.notify.lint.tags import protect_quoted, quoted

TEMPLATE_ERROR = "template-error"
MISSING_FIELD = "unrendered-merge-tag"
_FILENAME = "<draft>"


@dataclass(frozen=True)
class Rendered:
    """The outcome of ``render_template``: ``text`` is ``None`` whenever a finding exists."""

    text: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.text is not None


def sandbox(*, autoescape: bool = False) -> SandboxedEnvironment:
    """The environment drafts are rendered in (sandboxed and bounded in size and time,
    strict about missing values)."""
    return BoundedSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(
    source: str,
    recipient: Mapping[str, Any],
    *,
    field_name: str = "body",
    autoescape: bool = False,
    env: SandboxedEnvironment | None = None,
) -> Rendered:
    """Render ``source`` with ``recipient``'s values (a sample recipient's merge fields).

    Returns the text, or no text and the findings (spans point into ``source``). A
    quoted tag ("our email began 'Dear {{ first_name }}'") is rendered as written.
    """
    env = env or sandbox(autoescape=autoescape)
    index = LineIndex(source)
    protected = protect_quoted(source)
    try:
        parsed = env.parse(protected, filename=_FILENAME)
    except jinja2.TemplateSyntaxError as error:
        return Rendered(None, [_at_line(source, index, error.lineno, error.message, field_name)])
    try:
        text = env.from_string(protected).render(**recipient)
    except jinja2.UndefinedError as error:
        line = _template_line()
        # Report every missing field at once, not just the first one the render hit.
        missing = sorted(meta.find_undeclared_variables(parsed) - set(recipient) - set(env.globals))
        findings = _missing(source, index, missing, field_name)
        if not findings:
            message = f"A merge field has no value for this recipient: {error.message}."
            findings = [_at_line(source, index, line, message, field_name, MISSING_FIELD)]
        return Rendered(None, findings)
    except Exception as error:  # a sandbox refusal, a filter raising: show it, never crash
        line = _template_line()
        message = f"The template failed to render: {error}"
        return Rendered(None, [_at_line(source, index, line, message, field_name)])
    return Rendered(text)


def _missing(source: str, index: LineIndex, names: list[str], field_name: str) -> list[Finding]:
    found: list[Finding] = []
    for name in names:
        uses = list(_uses(source, name))
        for start, end in uses or [(0, 0)]:
            line, column = index.position(start)
            end_line, end_column = index.position(end)
            found.append(
                Finding(
                    MISSING_FIELD,
                    Severity.ERROR,
                    field_name,
                    start,
                    end,
                    line,
                    column,
                    end_line,
                    end_column,
                    f"The merge field {name!r} has no value for this recipient; the "
                    "email would show a blank.",
                )
            )
    found.sort(key=Finding.sort_key)
    return found


def _uses(source: str, name: str) -> list[tuple[int, int]]:
    """Spans of the tags that mention ``name`` (the whole ``{{ ... }}`` or ``{% ... %}``)."""
    word = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
    return [
        tag.span()
        for tag in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", source, re.S)
        if word.search(tag.group()) and not quoted(source, *tag.span())
    ]


def _template_line() -> int | None:
    """The template line of the innermost template frame of the exception being handled."""
    line = None
    for frame, lineno in traceback.walk_tb(sys.exc_info()[2]):
        if frame.f_code.co_filename in (_FILENAME, "<template>"):
            line = lineno
    return line


def _at_line(
    source: str,
    index: LineIndex,
    line: int | None,
    message: str,
    field_name: str,
    rule: str = TEMPLATE_ERROR,
) -> Finding:
    starts = index.starts
    number = line if line is not None and 1 <= line <= len(starts) else 1
    start = starts[number - 1]
    end = starts[number] if number < len(starts) else len(source)
    end = len(source[start:end].rstrip("\r\n")) + start
    end_line, end_column = index.position(end)
    return Finding(
        rule, Severity.ERROR, field_name, start, end, number, 1, end_line, end_column, message
    )
