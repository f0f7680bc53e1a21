"""Decisions computed from an incident's kind and assessment: pure functions, plain reasons.

The breach-notification clocks are ``core.assess.clocks``.

- ``apology_decision``: apologise, send a breach notice instead, or do not send at all.
- ``suggested_severity``: a severity with the rule that led to it.

Reasons are English sentences for the UI. They may quote an override's reason, which
is operator text: show it through ``core.base.text.visible`` like any other user text.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_crisis.core.assess.assessment import Assessment, data_labels
from email_crisis.core.assess.override_store import Override
from email_crisis.core.base.clock import format_local
from email_crisis.core.base.domain import severity_rank

SUPPRESSION_KIND = "suppression-list-send"

# -- apologise or not ----------------------------------------------------------------------

RECOMMENDED = "recommended"
BREACH_NOTICE = "breach-notice"
NOT_NEEDED = "not-needed"
DO_NOT_SEND = "do-not-send"
ALLOWED_WITH_OVERRIDE = "allowed-with-override"

_KIND_REASONS: dict[str, str] = {
    "wrong-content": (
        "Send a short, plain apology that says what was wrong and gives the right content or offer."
    ),
    "broken-personalization": (
        "Send a brief apology for the broken greeting: say sorry once, plainly, and make "
        "no joke of it."
    ),
    "wrong-segment": (
        "Apologise only to the people who got it by mistake; never widen the audience."
    ),
    "malformed": (
        "Send the corrected message with a one-line apology, so people get what they "
        "should have received."
    ),
    "other": "Tell the affected subscribers plainly what went wrong, and say you are sorry.",
}


@dataclass(frozen=True)
class ApologyDecision:
    """Whether to send an apology (``send``), whether the notify step is ``locked``, and why."""

    verdict: str
    send: bool
    locked: bool
    reason: str
    override: Override | None = None


def apology_decision(
    kind: str, assessment: Assessment | None, override: Override | None
) -> ApologyDecision:
    """Decide about the apology from the incident kind, its assessment (if any) and override.

    A send to a suppression list is locked unless a named operator overrode the lock.
    """
    exposed = assessment is not None and assessment.personal_data_exposed
    if kind == SUPPRESSION_KIND:
        if override is not None:
            return ApologyDecision(
                ALLOWED_WITH_OVERRIDE,
                True,
                False,
                f"Locked because this was a send to a suppression list, but "
                f"{override.operator} lifted the lock on {format_local(override.at)}: "
                f"“{override.reason}”",
                override,
            )
        reason = (
            "Do not send an apology. These people had opted out or were suppressed: mailing "
            "them again is the harm itself. CAN-SPAM (US) and CASL (Canada) require opt-outs "
            "to be honoured within 10 business days, and another email would break that again."
        )
        if exposed:
            reason += (
                " Their personal data was exposed, though: a legally required breach notice "
                "is not a marketing email. Decide it with legal, and record their reason as "
                "an override."
            )
        return ApologyDecision(DO_NOT_SEND, False, True, reason)
    if assessment is not None and assessment.affected_count == 0:
        return ApologyDecision(
            NOT_NEEDED,
            False,
            False,
            "Nobody received it (0 subscribers affected), so there is nobody to apologise to.",
        )
    if kind == "data-breach" or exposed:
        if exposed and assessment is not None:
            why = f"Personal data was exposed ({data_labels(assessment.data_exposed)})"
        else:
            why = "This is a data breach"
        return ApologyDecision(
            BREACH_NOTICE,
            True,
            False,
            f"{why}: send a data-breach notification, not a marketing apology. It may be "
            "legally required (see the clocks); legal and security decide its content and "
            "timing, and it must tell people how to protect themselves (change their "
            "password, turn on two-factor authentication).",
        )
    return ApologyDecision(
        RECOMMENDED,
        True,
        False,
        "Apology recommended. " + _KIND_REASONS.get(kind, _KIND_REASONS["other"]),
    )


# -- suggested severity ------------------------------------------------------------------------

DEFAULT_SEVERITY = ("SEV3", "the usual level for a campaign mistake")
KIND_FLOORS: dict[str, tuple[str, str]] = {
    "data-breach": ("SEV2", "a data breach is at least a major incident"),
    SUPPRESSION_KIND: (
        "SEV2",
        "people who opted out were mailed: complaints and legal exposure follow",
    ),
}
CRITICAL_DATA = frozenset({"credentials", "payment-data"})
PERSONAL_BEYOND_EMAIL = frozenset({"names", "postal-addresses", "other"})
# 500 people is the scale at which many laws bring in the regulator (California, Washington,
# Colorado and Florida attorneys general; Singapore's "significant scale").
REGULATOR_SCALE = 500
# A six-figure audience means a large share of the list saw it: the brand is at risk.
LARGE_AUDIENCE = 100_000
# Under a hundred people, with no data exposed, a campaign mistake is minor.
SMALL_AUDIENCE = 100


@dataclass(frozen=True)
class SeverityDecision:
    """The suggested severity and the rule that set it."""

    severity: str
    reason: str


def suggested_severity(kind: str, assessment: Assessment) -> SeverityDecision:
    """Suggest a severity: the worst level any rule calls for, with that rule's reason."""
    a = assessment
    count = a.affected_count
    found: list[tuple[str, str]] = [KIND_FLOORS.get(kind, DEFAULT_SEVERITY)]
    exposed = a.data_exposed - {"none"}
    if exposed & CRITICAL_DATA:
        found.append(("SEV1", f"{data_labels(exposed & CRITICAL_DATA)} exposed"))
    elif exposed & PERSONAL_BEYOND_EMAIL:
        what = data_labels(exposed & PERSONAL_BEYOND_EMAIL)
        if count is not None and count >= REGULATOR_SCALE:
            found.append(
                ("SEV1", f"{what} of {count:,} people exposed (regulators step in from 500)")
            )
        else:
            found.append(("SEV2", f"{what} exposed"))
    elif exposed:
        found.append(("SEV2", "email addresses exposed: they are personal data, a clock may run"))
    if count is not None and count >= LARGE_AUDIENCE:
        found.append(("SEV2", f"{count:,} subscribers affected"))
    worst = min(found, key=lambda item: severity_rank(item[0]))
    nothing_else = len(found) == 1 and kind not in KIND_FLOORS and not exposed
    if nothing_else and count is not None and count < SMALL_AUDIENCE:
        who = "nobody received it" if count == 0 else f"only {count:,} subscribers affected"
        worst = ("SEV4", f"{who} and no personal data exposed")
    severity, why = worst
    return SeverityDecision(severity, f"{severity}: {why}.")
