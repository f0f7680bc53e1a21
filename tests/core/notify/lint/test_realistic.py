"""Well-written apologies and breach notices, in both languages, raise no finding:
the rules must not cry wolf on the emails they are meant to produce."""

from __future__ import annotations

import pytest

from email_crisis.core.notify.lint import LintContext, check

GOOD = [
    (
        "wrong-content",
        "We sent you the wrong discount code",
        "Hello,\n\nOn Tuesday at 9:14 we sent you a discount code that was meant for a test "
        "group. We are sorry: the code does not work, and the email should not have reached "
        "you.\n\nIf you placed an order with the code, we will honour the price you saw.\n\n"
        "We have changed how we check each send: two people now approve every list.\n\n"
        "If you have questions, reply to this email and a person on our team will answer.\n\n"
        "The Example Shop team",
    ),
    (
        "data-breach",
        "Notice of a data breach affecting your account",
        "Dear Jane,\n\nWe are sorry: on 24 November an unauthorized party accessed our "
        "subscriber database. Your name and email address were exposed; passwords and card "
        "details were not stored there.\n\nWe closed the access the same day and told the "
        "regulator.\n\n"
        "Please change your password and turn on two-factor authentication. We will never ask "
        "for your password by email.\n\nQuestions? Call us on 020 7946 0018 or write to "
        "privacy@example.com.",
    ),
    (
        "wrong-segment",
        "Nous vous avons envoyé une offre par erreur",
        "Bonjour,\n\nMardi, nous vous avons envoyé par erreur une offre réservée à nos clients "
        "professionnels. Nous sommes désolés : ce message ne vous était pas destiné.\n\n"
        "Vous n'avez rien à faire. Nous avons revu la façon dont nous choisissons les "
        "destinataires de chaque envoi.\n\nPour toute question, répondez à cet e-mail.\n\n"
        "L'équipe Boutique Exemple",
    ),
    (
        "data-breach",
        "Avis de violation de données concernant votre compte",
        "Bonjour Jeanne,\n\nNous sommes désolés : le 24 novembre, une personne non autorisée a "
        "accédé à notre base d'abonnés. Votre nom et votre adresse e-mail ont été exposés. Vos "
        "mots de passe et vos coordonnées bancaires n'étaient pas dans cette base.\n\nNous "
        "avons fermé l'accès le jour même et prévenu la CNIL.\n\nPar précaution, changez "
        "votre mot de passe et activez la double authentification.\n\nPour toute question, "
        "répondez à cet e-mail ou appelez le 01 23 45 67 89.",
    ),
]


@pytest.mark.parametrize(("kind", "subject", "body"), GOOD, ids=lambda v: str(v)[:20])
def test_a_good_draft_has_no_findings(kind: str, subject: str, body: str) -> None:
    draft = {
        "from": "Example Shop <care@example.com>",
        "reply-to": "care@example.com",
        "subject": subject,
        "preheader": subject,
        "body": body,
    }
    assert check(draft, LintContext(kind=kind, template_name="apology")) == []
