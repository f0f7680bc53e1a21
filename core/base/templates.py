"""Jinja2 templates: the ones shipped with the package, overridable by the organisation."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from email_crisis.core.base.errors import CrisisError
from email_crisis.core.base.settings import org_templates_dir

LANGUAGES: tuple[str, ...] = ("en", "fr")


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


def environment(org_dir: Path | None = None) -> jinja2.Environment:
    """A strict environment: the organisation's folder first, then the shipped one."""
    folders = [str(shipped_templates_dir())]
    org = org_dir if org_dir is not None else org_templates_dir()
    if org.is_dir():
        folders.insert(0, str(org))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=_escapes_html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
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
