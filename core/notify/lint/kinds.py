"""Which kind of incident a draft is about, when nobody said (``lint`` without ``--kind``).

Breach wording that is not negated makes a breach notice; otherwise the kind whose
hints (``kind_*`` word lists: "intended only for", "missing name", "broken links",
"unsubscribed"...) the draft uses most; otherwise ``other``. The CLI prints the
inference and the words it came from, so a wrong guess is seen and ``--kind`` fixes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from email_crisis.core.notify.lint.model import Located
from email_crisis.core.notify.lint.signals import KIND_HINTS

if TYPE_CHECKING:
    from email_crisis.core.notify.lint.document import Document

BREACH = "data-breach"
OTHER = "other"


def infer(doc: Document) -> tuple[str, Located | None]:
    """The likely incident kind of ``doc`` and the words that suggest it."""
    breach = doc.find("breach")
    if breach is not None:
        return BREACH, breach
    best: tuple[int, str, Located] | None = None
    for hint, kind in KIND_HINTS.items():
        found = list(doc.find_all(hint))
        if found and (best is None or len(found) > best[0]):
            best = (len(found), kind, found[0])
    if best is not None:
        return best[1], best[2]
    return OTHER, None
