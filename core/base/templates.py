"""Jinja2 templates: the ones shipped with the package, overridable by the organisation.

Every template, ours or the organisation's, renders in the bounded sandbox
(``base.sandbox``): a template file can no more reach Python's internals, or freeze the
program, than an apology draft typed in the console can.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.sandbox import BoundedSandbox, markdown_options
from email_crisis.core.base.settings import org_templates_dir

LANGUAGES: tuple[str, ...] = ("en", "fr")
DOCUMENT_MAX_CHARS = 20_000_000  # a postmortem of a very long incident stays well under
DOCUMENT_MAX_SECONDS = 10.0


class TemplateProblem(CrisisError):
    """A template is missing or failed to render; the message names it and the line."""


def shipped_templates_dir() -> Path:
    """The ``templates/`` folder installed with the package."""
    # core/ and templates/ are siblings both in the repository and in the wheel
    # (email_crisis/core, email_crisis/templates).
    return Path(__file__).resolve().parents[2] / "templates"


_HTML_SUFFIXES = (".html", ".htm", ".xml")


def _escapes_html(name: str | None) -> bool:
    """Autoescape HTML templates, also when they carry the ``.j2`` suffix."""
    if not name:
        return False
    base = name[: -len(".j2")] if name.endswith(".j2") else name
    return base.endswith(_HTML_SUFFIXES)


def _template_line(name: str) -> str:
    """``, line N`` for the innermost template frame of the exception being handled."""
    line = None
    for frame, lineno in traceback.walk_tb(sys.exc_info()[2]):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            line = lineno  # Jinja rewrites template frames to the template's own lines
    return f", line {line}" if line is not None else ""


def environment(org_dir: Path | None = None, *, markdown: bool = False) -> jinja2.Environment:
    """A strict, sandboxed environment: the organisation's folder first, then the shipped one.

    ``markdown`` is for templates that write Markdown documents: every printed value has
    ``&``, ``<`` and ``>`` turned into entities, so HTML in a title or a note shows as
    text wherever the Markdown is rendered.
    """
    folders = [str(shipped_templates_dir())]
    org = org_dir if org_dir is not None else org_templates_dir()
    if org.is_dir():
        folders.insert(0, str(org))
    return BoundedSandbox(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=_escapes_html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        max_chars=DOCUMENT_MAX_CHARS,
        max_seconds=DOCUMENT_MAX_SECONDS,
        **(markdown_options() if markdown else {}),
    )


def list_templates(env: jinja2.Environment | None = None) -> list[str]:
    """Every template name that can be rendered (organisation and shipped)."""
    return sorted((env or environment()).list_templates(extensions=["j2"]))


def render(name: str, context: Mapping[str, Any], env: jinja2.Environment | None = None) -> str:
    """Render one template; any failure becomes ``TemplateProblem`` with file and line."""
    env = env or environment()
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as error:
        missing = error.name or name
        where = "" if missing == name else f" (included from {name})"
        raise TemplateProblem(f"template {missing!r} was not found{where}.") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            f"template {error.filename or name}, line {error.lineno}: {error.message}"
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateProblem(f"template {name}{_template_line(name)}: {error.message}") from None
    except Exception as error:  # a template can raise anything its filters raise
        raise TemplateProblem(
            f"template {name}{_template_line(name)} failed to render: {error}"
        ) from None
