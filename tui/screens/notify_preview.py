"""F3 in the Notify panel: the email as one recipient would get it, text and HTML, scrollable.

A terminal cannot show HTML, so the HTML part is turned into readable text (tags
dropped, paragraphs and list items kept, links followed by their address) and the
screen says plainly that it is an approximation. Render problems (a merge field with
no value, a broken template) are listed first; they are never rendered as blanks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from email_crisis.core.notify.drafts import RenderedEmail
from email_crisis.tui import keymap_notify
from email_crisis.tui.render import plain

_BLOCKS = frozenset(
    {"p", "div", "table", "tr", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIPPED = frozenset({"head", "style", "script", "title"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)


class _TextMaker(HTMLParser):
    """Collects the visible text of an HTML email, one block per paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden: list[str] = []  # open tags whose content is not shown
        self._links: list[str | None] = []
        self._link_text: list[str] = []

    def _break(self, blank: bool = True) -> None:
        self.parts.append("\n\n" if blank else "\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._hidden:
            if tag not in _VOID:
                self._hidden.append(tag)
            return
        if tag in _SKIPPED or _HIDDEN.search(values.get("style") or ""):
            if tag not in _VOID:
                self._hidden.append(tag)
            return
        if tag == "br":
            self._break(blank=False)
        elif tag == "li":
            self._break(blank=False)
            self.parts.append("- ")
        elif tag in _BLOCKS:
            self._break()
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img" and values.get("alt"):
            self.parts.append(f"[image: {values['alt']}]")
        elif tag == "a":
            self._links.append(values.get("href"))
            self._link_text.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            if tag in self._hidden:  # also closes tags left open inside it
                while self._hidden.pop() != tag:
                    pass
            return
        if tag == "a" and self._links:
            href, text = self._links.pop(), self._link_text.pop().strip()
            target = (href or "").removeprefix("mailto:")
            if target and target != text:
                self.parts.append(f" ({target})")
        elif tag in _BLOCKS and tag != "li":  # the next item starts its own line
            self._break()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        text = re.sub(r"\s+", " ", data)
        if self._link_text:
            self._link_text[-1] += text
        self.parts.append(text)


def html_to_text(html: str) -> str:
    """A readable plain-text approximation of an HTML email."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    text = "".join(maker.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def preview_text(
    rendered: RenderedEmail,
    *,
    recipient: str,
    recipient_source: str,
    from_address: str,
    reply_to: str,
    template: str,
) -> Group:
    """The whole preview as renderables: headers, problems, text part, HTML part."""
    head = Text()
    for label, value in (
        ("To", recipient),
        ("From", from_address),
        ("Reply-To", reply_to),
        ("Subject", rendered.subject),
        ("Preheader", rendered.preheader),
    ):
        head.append(f"{label + ':':<11}", style="bold").append_text(plain(value)).append("\n")
    head.append(recipient_source, style="dim")
    parts: list[Text] = [head]
    if rendered.problems:
        problems = Text(f"\n{len(rendered.problems)} render problem(s):\n", style="bold red")
        for problem in rendered.problems:
            problems.append("! ", style="bold").append_text(plain(str(problem))).append("\n")
        problems.append("The export refuses a draft that does not render cleanly.", style="dim")
        parts.append(problems)
    else:
        parts.append(Text("\nRenders cleanly: no missing merge field.", style="green"))
    parts.append(Text(f"\n── Text version (template {template}) ──", style="bold"))
    parts.append(plain(rendered.text, single_line=False))
    parts.append(
        Text(
            "── HTML version: an approximation (tags removed, links shown with their "
            "address); colours and layout are not shown ──",
            style="bold",
        )
    )
    html = html_to_text(rendered.html) if rendered.html else "(no HTML: the template failed)"
    parts.append(plain(html, single_line=False))
    return Group(*parts)


class NotifyPreview(Screen[None]):
    """The rendered apology, scrollable; escape closes it."""

    HELP_TITLE = "Apology preview"
    BINDINGS = keymap_notify.PREVIEW
    DEFAULT_CSS = """
    NotifyPreview #preview-title { height: 1; background: $panel; padding: 0 1; }
    NotifyPreview #preview-scroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self, title: str, body: Group) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title, style="bold"), id="preview-title")
        with VerticalScroll(id="preview-scroll"):
            yield Static(self._body, id="preview-body")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#preview-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
