"""Rendering an apology draft through a branded template, and building the ``.eml``.

Both the draft (subject, preheader, body) and the brand templates render in a Jinja2
sandbox with strict undefined. Nothing here raises on a bad template: every failure
becomes a ``RenderProblem`` naming the field or template and the line, so the preview
can show it and the export can refuse it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2 import meta, nodes

from email_crisis.core.base.addresses import AddressError, parse_address
from email_crisis.core.base.sandbox import BoundedSandbox
from email_crisis.core.base.settings import org_templates_dir
from email_crisis.core.base.templates import shipped_templates_dir
from email_crisis.core.base.text import has_unsafe, visible
from email_crisis.core.notify.brand import Brand, BrandError
from email_crisis.core.notify.lint.tags import protect_quoted
from email_crisis.core.notify.store import Draft

TEMPLATE_FOLDER = "apology"
_TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_UNDEFINED = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined")
_URL = re.compile(r"https?://[^\s<>\"']+")
# Local parts (accents, case and separators removed) that mean "do not answer".
_NO_REPLY_PREFIXES = ("noreply", "donotreply", "dontreply", "nepasrepondre", "noresponse")
_MAX_PASSES = 50  # one pass per missing merge field; more is a runaway template


class Segment(NamedTuple):
    """A run of body text; ``href`` is set when the run is a web address."""

    text: str
    href: str | None


class Block(NamedTuple):
    """A paragraph (``kind`` "p") or a bulleted list ("ul") of lines of segments."""

    kind: str
    lines: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class RenderProblem:
    """Something that stops the email from rendering as written."""

    field: str
    """``subject``, ``preheader``, ``body`` or ``template``."""
    message: str
    name: str | None = None
    """The merge field that has no value, when that is the problem."""
    line: int | None = None
    template: str | None = None
    """The template file at fault (``apology/default.en.html.j2``), for brand templates."""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RenderedEmail:
    """The email as one recipient would get it, plus what went wrong rendering it."""

    subject: str
    text: str
    html: str
    problems: tuple[RenderProblem, ...]
    preheader: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not self.problems


_Sandbox = BoundedSandbox  # bounded in size, numbers and time: see base.sandbox


class _Missing(str):
    """Stands in for a merge field with no value: visible in the preview, never blank."""

    def __new__(cls, name: str) -> _Missing:
        return super().__new__(cls, f"[missing: {name}]")

    def __getattr__(self, name: str) -> _Missing:
        if name.startswith("_"):  # keep protocols such as __html__ out of it
            raise AttributeError(name)
        return self

    def __getitem__(self, key: Any) -> Any:
        return self if isinstance(key, str) else str.__getitem__(self, key)


class _VisibleUndefined(jinja2.Undefined):
    """Used only after a problem was reported, so the rest of the preview still shows."""

    def __str__(self) -> str:
        return f"[missing: {self._undefined_name or 'value'}]"


_OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}
_DRAFT_ENV = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=False, **_OPTIONS)
_LENIENT_ENV = _Sandbox(undefined=_VisibleUndefined, autoescape=False, **_OPTIONS)


def _autoescape(name: str | None) -> bool:
    base = (name or "").removesuffix(".j2")
    return base.endswith((".html", ".htm", ".xml"))


@lru_cache(maxsize=8)
def _brand_env_for(folders: tuple[str, ...]) -> _Sandbox:
    return _Sandbox(
        loader=jinja2.FileSystemLoader(list(folders)),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        **_OPTIONS,
    )


def brand_environment(org_dir: Path | None = None) -> _Sandbox:
    """The sandbox for brand templates: the organisation's folder first, then ours."""
    org = org_dir if org_dir is not None else org_templates_dir()
    folders = [str(shipped_templates_dir())]
    if org.is_dir():
        folders.insert(0, str(org))
    return _brand_env_for(tuple(folders))


def apology_templates(language: str, org_dir: Path | None = None) -> list[str]:
    """Names of the brand templates that exist in ``language`` as both HTML and text."""
    found = brand_environment(org_dir).list_templates(extensions=["j2"])
    names = set()
    for path in found:
        match = re.fullmatch(rf"{TEMPLATE_FOLDER}/([^/]+)\.{re.escape(language)}\.html\.j2", path)
        if match and f"{TEMPLATE_FOLDER}/{match.group(1)}.{language}.txt.j2" in found:
            names.add(match.group(1))
    return sorted(names)


def _line_in(error: BaseException, filename: str | None) -> int | None:
    """The innermost line of the template ``filename`` (any ``.j2`` when None)."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if code_file == filename or (filename is None and code_file.endswith(".j2")):
            line = tb.tb_lineno  # Jinja rewrites template frames to the template's lines
        tb = tb.tb_next
    return line


def _at(field: str, line: int | None) -> str:
    return f"{field}, line {line}" if line is not None else field


def _render_field(
    source: str, field: str, values: dict[str, Any], problems: list[RenderProblem]
) -> str:
    """Render one draft field; missing merge fields are reported, then shown as markers.

    A quoted tag ("our email began 'Dear {{ first_name }}'") is shown as written.
    """
    source = protect_quoted(source)
    try:
        template = _DRAFT_ENV.from_string(source)
    except jinja2.TemplateSyntaxError as error:
        where = _at(field, error.lineno)
        problems.append(RenderProblem(field, f"{where}: {error.message}", line=error.lineno))
        return source
    for _ in range(_MAX_PASSES):
        try:
            return template.render(values)
        except jinja2.UndefinedError as error:
            line = _line_in(error, "<template>")
            missing = _UNDEFINED.fullmatch(error.message or "")
            if missing and missing.group(1) not in values:
                name = missing.group(1)
                problems.append(
                    RenderProblem(
                        field,
                        f"{_at(field, line)}: the merge field {name!r} has no value for this "
                        "recipient (it would reach people blank or raw).",
                        name=name,
                        line=line,
                    )
                )
                values[name] = _Missing(name)
                continue
            problems.append(RenderProblem(field, f"{_at(field, line)}: {error.message}", line=line))
            break
        except Exception as error:  # a filter or the sandbox can raise anything
            line = _line_in(error, "<template>")
            problems.append(RenderProblem(field, f"{_at(field, line)}: {error}", line=line))
            return source
    try:
        return _LENIENT_ENV.from_string(source).render(values)
    except Exception:
        return source


def _clean(text: str, field: str, problems: list[RenderProblem], *, single_line: bool) -> str:
    if has_unsafe(text) or (single_line and "\n" in text.strip()):
        problems.append(
            RenderProblem(
                field,
                f"{field}: contains control characters or line breaks (such as terminal "
                "escape codes); they are shown as symbols and must be removed.",
            )
        )
    return visible(text.strip() if single_line else text, single_line=single_line)


def _segments(line: str) -> tuple[Segment, ...]:
    parts: list[Segment] = []
    position = 0
    for match in _URL.finditer(line):
        url = match.group().rstrip(".,;:!?)")
        if match.start() > position:
            parts.append(Segment(line[position : match.start()], None))
        parts.append(Segment(url, url))
        position = match.start() + len(url)
    if position < len(line):
        parts.append(Segment(line[position:], None))
    return tuple(parts)


def blocks(text: str) -> tuple[Block, ...]:
    """Split body text into paragraphs and bulleted lists for the HTML template."""
    result = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(("- ", "* ", "• ")) for line in lines):
            items = tuple(_segments(line.lstrip()[2:].strip()) for line in lines)
            result.append(Block("ul", items))
        else:
            result.append(Block("p", tuple(_segments(line) for line in lines)))
    return tuple(result)


def _render_brand(
    env: _Sandbox, name: str, context: Mapping[str, Any], problems: list[RenderProblem]
) -> str | None:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as error:
        message = f"template {error.name or name} was not found."
        problems.append(RenderProblem("template", message, template=name))
    except jinja2.TemplateSyntaxError as error:
        where = _at(f"template {error.name or name}", error.lineno)
        problems.append(
            RenderProblem("template", f"{where}: {error.message}", line=error.lineno, template=name)
        )
    except Exception as error:
        line = _line_in(error, None)
        message = getattr(error, "message", None) or str(error)
        problems.append(
            RenderProblem(
                "template", f"{_at(f'template {name}', line)}: {message}", line=line, template=name
            )
        )
    return None


def render_email(
    draft: Draft, recipient: Mapping[str, Any], brand: Brand, *, org_dir: Path | None = None
) -> RenderedEmail:
    """Render ``draft`` for ``recipient`` through its brand template (text and HTML).

    Never raises for a bad draft or template: see ``RenderedEmail.problems``.
    """
    problems: list[RenderProblem] = []
    rendered = {
        field: _clean(
            _render_field(getattr(draft, field), field, dict(recipient), problems),
            field,
            problems,
            single_line=field != "body",
        )
        for field in ("subject", "preheader", "body")
    }
    subject, preheader, body = rendered["subject"], rendered["preheader"], rendered["body"]
    body = body.strip()
    if not subject:
        problems.append(RenderProblem("subject", "subject: the subject is empty."))
    if not body:
        problems.append(RenderProblem("body", "body: the body is empty."))
    if not _TEMPLATE_NAME.fullmatch(draft.template or ""):
        problems.append(
            RenderProblem(
                "template",
                f"no brand template chosen (got {draft.template!r}); pick one such as 'default'.",
            )
        )
        return RenderedEmail(subject, body + "\n", "", tuple(problems), preheader)
    context = {
        "brand": brand,
        "language": draft.language,
        "subject": subject,
        "preheader": preheader,
        "body": body,
        "blocks": blocks(body),
        "reply_to": draft.reply_to or brand.reply_to,
        "reply_address": getaddresses([draft.reply_to or brand.reply_to])[0][1],
        "unsubscribe_url": _footer_url(brand),
    }
    env = brand_environment(org_dir)
    stem = f"{TEMPLATE_FOLDER}/{draft.template}.{draft.language}"
    text = _render_brand(env, f"{stem}.txt.j2", context, problems)
    html = _render_brand(env, f"{stem}.html.j2", context, problems)
    return RenderedEmail(subject, text or body + "\n", html or "", tuple(problems), preheader)


def _footer_url(brand: Brand) -> str:
    """The footer's unsubscribe link: the one-click URL with the ESP's tags, when known."""
    try:
        return brand.one_click_url()
    except BrandError:
        return brand.unsubscribe_url  # the export refuses it; the preview still shows


def list_unsubscribe_headers(brand: Brand) -> tuple[str, str]:
    """The List-Unsubscribe and List-Unsubscribe-Post values the export writes.

    RFC 8058 §3.1: one HTTPS URI that identifies the recipient (the brand's one-click
    URL: the ESP's own tag, or a URL whose token the ESP fills per recipient), plus the
    mailto of RFC 2369 as an alternative. ``BrandError`` when the URL cannot be made.
    """
    return (
        f"<mailto:{brand.unsubscribe_mailto}?subject=unsubscribe>, <{brand.one_click_url()}>",
        "List-Unsubscribe=One-Click",
    )


def merge_fields(draft: Draft) -> dict[str, tuple[str, int]]:
    """Merge fields the draft uses, each with the field and line where it first appears."""
    found: dict[str, tuple[str, int]] = {}
    for field in ("subject", "preheader", "body"):
        try:
            tree = _DRAFT_ENV.parse(protect_quoted(getattr(draft, field)))
        except jinja2.TemplateSyntaxError:
            continue  # reported by render_email
        names = meta.find_undeclared_variables(tree)
        for node in tree.find_all(nodes.Name):
            if node.name in names and node.name not in found:
                found[node.name] = (field, node.lineno)
    return found


def is_no_reply(address: str) -> bool:
    """True for addresses such as noreply@, no-reply@, donotreply@, ne-pas-repondre@."""
    spec = getaddresses([address])[0][1] if "<" in address else address.strip()
    local = spec.rsplit("@", 1)[0]
    flat = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode().lower()
    flat = re.sub(r"[-_.+ ]", "", flat)
    return flat.startswith(_NO_REPLY_PREFIXES)


def address_problem(value: str, label: str) -> str | None:
    """Why ``value`` cannot be used as the ``label`` address, or ``None`` when it can."""
    if not value.strip():
        return f"{label} is empty: give a real mailbox that people can reply to."
    if "\n" in value or "\r" in value or has_unsafe(value):
        return f"{label} must be one line of plain text."
    pairs = getaddresses([value])
    if len(pairs) != 1:
        return f"{label} {value!r} is not a single email address."
    try:
        parse_address(pairs[0][1], strict=True)  # the one address rule (core.base.addresses)
    except AddressError as error:
        return f"{label} {value!r} is not a single email address ({error})."
    if is_no_reply(pairs[0][1]):
        return (
            f"{label} {pairs[0][1]} is a no-reply address: people will answer an apology, "
            "so use a mailbox someone reads."
        )
    return None


def build_message(
    draft: Draft, rendered: RenderedEmail, brand: Brand, *, now: datetime
) -> EmailMessage:
    """The multipart/alternative message (text, then HTML) with the headers an ESP needs."""
    message = EmailMessage(policy=SMTP)
    message["From"] = draft.from_address
    message["Reply-To"] = draft.reply_to
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(now)
    domain = getaddresses([draft.from_address])[0][1].rsplit("@", 1)[-1]
    message["Message-ID"] = make_msgid(
        idstring=f"apology-{draft.incident_id}-v{draft.version}", domain=domain
    )
    # The ESP signs the message: its DKIM h= must cover both headers (RFC 8058 §4).
    message["List-Unsubscribe"], message["List-Unsubscribe-Post"] = list_unsubscribe_headers(brand)
    message.set_content(rendered.text, charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return message
