"""Failing and passing examples for every rule, in every language it claims.

In a failing example the expected span is written between ⟦ and ⟧ (in whichever
field it is); ``⟦⟧`` is an empty span. A passing example has no marks and must not
produce the rule at all. ``test_every_rule_has_examples`` fails when a rule lacks a
failing or a passing example for one of its languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from email_crisis.core.notify.lint import LintContext

OPEN, CLOSE = "⟦", "⟧"
APOLOGY = LintContext(kind="wrong-content", template_name="apology")
BREACH = LintContext(kind="data-breach", template_name="apology")
LOCKED = LintContext(kind="suppression-list-send", template_name="apology")

EN_FLUFF = "At Example Shop we care about each subscriber and the trust you place in us. " * 5
FR_FLUFF = (
    "Chez Boutique Exemple, nous tenons à chaque abonné et à la confiance que vous nous accordez. "
) * 4
EN_LONG = "We sent you yesterday's newsletter twice and the second copy had old prices"
FR_LONG = "Nous vous avons envoyé notre lettre d'hier deux fois et la seconde avait d'anciens prix"


def long_subject(text: str, limit: int = 60) -> str:
    return text[:limit] + OPEN + text[limit:] + CLOSE


@dataclass(frozen=True)
class Example:
    rule: str
    lang: str
    fields: dict[str, str]
    context: LintContext = APOLOGY
    config: str = ""
    note: str = ""
    suggestion: str | None = field(default=None)

    @property
    def failing(self) -> bool:
        return any(OPEN in text for text in self.fields.values())

    def parsed(self) -> tuple[dict[str, str], tuple[str, int, int] | None]:
        """The fields without marks, and (field, start, end) of the marked span."""
        clean: dict[str, str] = {}
        span = None
        for name, text in self.fields.items():
            if OPEN in text:
                start = text.index(OPEN)
                end = text.index(CLOSE) - len(OPEN)
                span = (name, start, end)
                text = text.replace(OPEN, "").replace(CLOSE, "")
            clean[name] = text
        return clean, span

    def __str__(self) -> str:
        kind = "fails" if self.failing else "passes"
        what = self.note or next(iter(self.fields.values()))[:30]
        return f"{self.rule}-{self.lang}-{kind}-{what}"


EN_OK = "We are sorry: yesterday we sent you the wrong code. Reply to this email with questions."
FR_OK = (
    "Nous sommes désolés : hier, nous vous avons envoyé un mauvais code. "
    "Répondez à cet e-mail pour toute question."
)

from tests.core.notify.lint.examples_apology import APOLOGY_EXAMPLES  # noqa: E402
from tests.core.notify.lint.examples_corpus import CORPUS_EXAMPLES  # noqa: E402
from tests.core.notify.lint.examples_form import FORM_EXAMPLES  # noqa: E402
from tests.core.notify.lint.examples_one_click import ONE_CLICK_EXAMPLES  # noqa: E402
from tests.core.notify.lint.examples_tags import TAG_EXAMPLES  # noqa: E402

EXAMPLES: list[Example] = [
    *APOLOGY_EXAMPLES,
    *FORM_EXAMPLES,
    *CORPUS_EXAMPLES,
    *TAG_EXAMPLES,
    *ONE_CLICK_EXAMPLES,
]
