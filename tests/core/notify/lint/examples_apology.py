"""Examples for the rules about what an apology says (see examples.py)."""

from __future__ import annotations

from email_crisis.core.notify.lint import LintContext
from tests.core.notify.lint.examples import (
    BREACH,
    EN_FLUFF,
    EN_OK,
    FR_FLUFF,
    FR_OK,
    LOCKED,
    Example,
)

APOLOGY_EXAMPLES: list[Example] = [
    # -- subject-unclear ------------------------------------------------------------------
    Example("subject-unclear", "en", {"subject": "⟦Update⟧", "body": EN_OK}, note="vague"),
    Example("subject-unclear", "en", {"subject": "⟦Oops!⟧", "body": EN_OK}, note="oops"),
    Example("subject-unclear", "en", {"subject": "⟦⟧", "body": EN_OK}, note="empty"),
    Example(
        "subject-unclear",
        "en",
        {"subject": "⟦You won't believe⟧ what happened", "body": EN_OK},
        note="clickbait",
    ),
    Example(
        "subject-unclear",
        "en",
        {"subject": "⟦A message from our CEO⟧", "body": EN_OK},
        note="topic",
    ),
    Example("subject-unclear", "en", {"subject": "We sent you the wrong code", "body": EN_OK}),
    Example("subject-unclear", "en", {"subject": "Data breach notification", "body": EN_OK}),
    Example("subject-unclear", "fr", {"subject": "⟦Mise à jour⟧", "body": FR_OK}, note="vague"),
    Example("subject-unclear", "fr", {"subject": "⟦⟧", "body": FR_OK}, note="empty"),
    Example(
        "subject-unclear",
        "fr",
        {"subject": "⟦Vous n'allez pas le croire⟧ : nos nouveautés", "body": FR_OK},
        note="clickbait",
    ),
    Example(
        "subject-unclear",
        "fr",
        {"subject": "⟦Un message de notre directeur⟧", "body": FR_OK},
        note="topic",
    ),
    Example("subject-unclear", "fr", {"subject": "Nous avons commis une erreur", "body": FR_OK}),
    # -- no-apology -----------------------------------------------------------------------
    Example(
        "no-apology",
        "en",
        {"body": "⟦Yesterday we sent you the wrong code.⟧\nReply to this email with questions."},
        note="none",
    ),
    Example(
        "no-apology",
        "en",
        {"body": "We sent you the wrong code. We are ⟦sorry if⟧ this confused you."},
        note="conditional",
        suggestion="sorry that",
    ),
    Example(
        "no-apology",
        "en",
        {"body": "We ⟦apologize for any⟧ inconvenience the wrong code caused."},
        note="any",
    ),
    Example("no-apology", "en", {"body": EN_OK}),
    Example("no-apology", "en", {"subject": "We're sorry", "body": "We sent the wrong code."}),
    Example(
        "no-apology",
        "fr",
        {"body": "⟦Hier, nous vous avons envoyé un mauvais code.⟧"},
        note="none",
    ),
    Example(
        "no-apology",
        "fr",
        {"body": "Nous sommes ⟦désolés si⟧ ce mauvais code vous a gêné."},
        note="conditional",
    ),
    Example("no-apology", "fr", {"body": FR_OK}),
    Example("no-apology", "fr", {"body": "Toutes nos excuses : le code envoyé était faux."}),
    # -- humor ----------------------------------------------------------------------------
    Example("humor", "en", {"body": "⟦Oops⟧, we sent the wrong code. " + EN_OK}, note="oops"),
    Example(
        "humor",
        "en",
        {"body": "That was ⟦our bad⟧. " + EN_OK},
        note="our bad",
        suggestion="our mistake",
    ),
    Example("humor", "en", {"body": "We are sorry ⟦😅⟧ we sent the wrong code."}, note="emoji"),
    Example("humor", "en", {"body": "We are sorry ⟦:-)⟧ for the wrong code."}, note="emoticon"),
    Example("humor", "en", {"subject": "⟦LOL⟧ wrong code", "body": EN_OK}, note="subject"),
    Example("humor", "en", {"body": EN_OK + " Our website: https://example.com/help"}),
    Example("humor", "fr", {"body": "⟦Oups⟧, nous avons envoyé un mauvais code."}, note="oups"),
    Example(
        "humor",
        "fr",
        {"body": "Nous avons fait ⟦une boulette⟧ hier. " + FR_OK},
        note="boulette",
        suggestion="une erreur",
    ),
    Example("humor", "fr", {"body": "Désolés ⟦😬⟧ pour ce mauvais code."}, note="emoji"),
    Example("humor", "fr", {"body": FR_OK}),
    # -- vague-language -------------------------------------------------------------------
    Example(
        "vague-language",
        "en",
        {"body": "We are sorry. Your name ⟦may have⟧ been seen by others."},
        note="may have",
    ),
    Example(
        "vague-language",
        "en",
        {"body": "We are sorry: ⟦a small number of⟧ customers got the wrong code."},
        note="small number",
    ),
    Example(
        "vague-language",
        "en",
        {"body": "⟦Out of an abundance of caution⟧, we are writing to say sorry."},
        note="caution",
    ),
    Example(
        "vague-language",
        "en",
        {"body": "We are sorry: 1,240 of you received the wrong code on Tuesday."},
    ),
    Example(
        "vague-language",
        "fr",
        {"body": "Désolés : ⟦il se pourrait que⟧ votre nom ait été vu."},
        note="se pourrait",
    ),
    Example(
        "vague-language",
        "fr",
        {"body": "Nous sommes désolés pour ⟦un incident technique⟧ survenu mardi."},
        note="incident technique",
    ),
    Example(
        "vague-language",
        "fr",
        {"body": "Vos données ⟦auraient été⟧ consultées, nous en sommes désolés."},
        note="conditionnel",
    ),
    Example(
        "vague-language",
        "fr",
        {"body": "Nous sommes désolés : 1 240 d'entre vous ont reçu un mauvais code mardi."},
    ),
    # -- buried-lede ----------------------------------------------------------------------
    Example(
        "buried-lede",
        "en",
        {"body": f"Dear customer,\n\n{EN_FLUFF}\n\nWe are sorry: yesterday ⟦we sent⟧ the code."},
        note="late",
    ),
    Example(
        "buried-lede",
        "en",
        {"body": "⟦We are sorry and we thank you for your patience.⟧\n\nBest regards"},
        note="never",
    ),
    Example(
        "buried-lede",
        "en",
        {"body": f"Dear customer,\n\nYesterday we sent you the wrong code.\n\n{EN_FLUFF}"},
    ),
    Example(
        "buried-lede",
        "fr",
        {"body": f"Bonjour,\n\n{FR_FLUFF}\n\nDésolés : hier, ⟦nous avons envoyé⟧ un code."},
        note="late",
    ),
    Example(
        "buried-lede",
        "fr",
        {"body": "⟦Nous sommes désolés et vous remercions de votre patience.⟧"},
        note="never",
    ),
    Example(
        "buried-lede",
        "fr",
        {"body": f"Bonjour,\n\nHier, nous avons envoyé un code par erreur.\n\n{FR_FLUFF}"},
    ),
    # -- missing-action-steps -------------------------------------------------------------
    Example(
        "missing-action-steps",
        "en",
        {"body": "We are sorry: a ⟦data breach⟧ exposed your name and email address."},
        BREACH,
        note="wording",
    ),
    Example(
        "missing-action-steps",
        "en",
        {"body": "We are sorry: someone ⟦compromised⟧ our mailing list."},
        LintContext(),
        note="no kind",
    ),
    Example(
        "missing-action-steps",
        "en",
        {"body": "⟦We are sorry: your details were seen.⟧"},
        BREACH,
        note="by kind",
    ),
    Example(
        "missing-action-steps",
        "en",
        {"body": "We are sorry about the data breach. Please change your password today."},
        BREACH,
    ),
    Example(
        "missing-action-steps",
        "en",
        {"body": "A data breach exposed your email. Turn on two-factor authentication."},
        LintContext(),
    ),
    Example(
        "missing-action-steps",
        "fr",
        {"body": "Désolés : une ⟦violation de données⟧ a exposé votre adresse."},
        BREACH,
        note="wording",
    ),
    Example(
        "missing-action-steps",
        "fr",
        {
            "body": "Désolés : une violation de données a exposé votre adresse. "
            "Changez votre mot de passe et activez la double authentification."
        },
        BREACH,
    ),
    # -- apology-not-allowed --------------------------------------------------------------
    Example(
        "apology-not-allowed",
        "en",
        {"body": "We are ⟦sorry⟧ that you got our newsletter."},
        LOCKED,
    ),
    Example(
        "apology-not-allowed",
        "en",
        {"body": "We are sorry that you got our newsletter."},
        LintContext(kind="suppression-list-send", apology_override=True),
        note="override",
    ),
    Example("apology-not-allowed", "en", {"body": "We are sorry that you got it."}, note="kind"),
    Example(
        "apology-not-allowed",
        "fr",
        {"body": "Nous sommes ⟦désolés⟧ : vous avez reçu notre lettre."},
        LOCKED,
    ),
    Example(
        "apology-not-allowed",
        "fr",
        {"body": "Nous sommes désolés : vous avez reçu notre lettre."},
        LintContext(kind="suppression-list-send", apology_override=True),
        note="override",
    ),
    # -- blame-shifting -------------------------------------------------------------------
    Example(
        "blame-shifting",
        "en",
        {"body": "We are sorry: ⟦our vendor⟧ sent the wrong code."},
    ),
    Example(
        "blame-shifting",
        "en",
        {"body": "We are sorry: the error was ⟦beyond our control⟧."},
        note="control",
    ),
    Example("blame-shifting", "en", {"body": "We are sorry: we sent the wrong code."}),
    Example(
        "blame-shifting",
        "fr",
        {"body": "Désolés : ⟦notre prestataire⟧ a envoyé un mauvais code."},
    ),
    Example("blame-shifting", "fr", {"body": "Désolés : nous avons envoyé un mauvais code."}),
    # -- missing-contact ------------------------------------------------------------------
    Example("missing-contact", "en", {"body": "⟦We are sorry: we sent the wrong code.⟧"}),
    Example(
        "missing-contact",
        "en",
        {"from": "⟦⟧", "body": EN_OK},
        note="empty from",
    ),
    Example("missing-contact", "en", {"body": EN_OK}),
    Example(
        "missing-contact",
        "en",
        {"body": "We are sorry: we sent the wrong code. Write to help@example.com."},
        note="address",
    ),
    Example(
        "missing-contact",
        "en",
        {"body": "We are sorry: we sent the wrong code. Call +44 20 7946 0018."},
        note="phone",
    ),
    Example("missing-contact", "fr", {"body": "⟦Désolés : nous avons envoyé un mauvais code.⟧"}),
    Example("missing-contact", "fr", {"body": FR_OK}),
]
