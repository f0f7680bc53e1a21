"""The first internal statement: a draft from a template, in English or French."""

from __future__ import annotations

from datetime import datetime

import jinja2

from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import Incident
from email_crisis.core.base.templates import LANGUAGES, TemplateProblem, render


def statement_template(language: str) -> str:
    """The template name for ``language`` (``en`` or ``fr``)."""
    if language not in LANGUAGES:
        raise TemplateProblem(f"no statement template in {language!r}; use en or fr.")
    return f"internal/statement.{language}.md.j2"


def draft_statement(
    incident: Incident,
    *,
    operator: str,
    now: datetime,
    language: str = "en",
    env: jinja2.Environment | None = None,
) -> str:
    """A first internal statement to edit, filled from what is known so far."""
    context = {
        "incident": incident,
        "operator": operator,
        "detected": format_local(incident.detected_at),
        "now": format_local(now),
    }
    return render(statement_template(language), context, env).strip() + "\n"
