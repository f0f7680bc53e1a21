"""unbranded-template: an apology in the brand's usual dress is not taken for phishing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Severity
from email_crisis.core.notify.lint.rules.base import RuleInfo

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

LANGUAGES = ("en", "fr")

RULES = (
    RuleInfo(
        "unbranded-template",
        Severity.ERROR,
        "No brand template chosen, or the rendered email does not use one (brand markers "
        "from the config missing).",
    ),
)


def judge(doc: Document) -> None:
    """Decide from the context, else from the config's brand markers."""
    context = doc.context
    if not context.check_template:
        return
    used = context.rendered_with_brand
    markers = doc.config.brand_markers
    if used is None and markers and doc.has("body"):
        body = doc.text("body").casefold()
        used = any(marker.casefold() in body for marker in markers)
    if used is True or (used is None and context.template_name is not None):
        return
    name, start, end = doc.anchor()
    if used is False and markers and context.rendered_with_brand is None:
        key = "unbranded-template.markers"
    elif used is False:
        key = "unbranded-template.rendered"
    else:
        key = "unbranded-template"
    doc.hit(name, "unbranded-template", start, end, doc.lexicon.message(key))
