"""Examples for the rules about form: senders, tags, subject, links, config (see examples.py)."""

from __future__ import annotations

from email_crisis.core.notify.lint import LintContext
from tests.core.notify.lint.examples import EN_LONG, EN_OK, FR_LONG, FR_OK, Example, long_subject

FORM_EXAMPLES: list[Example] = [
    # -- no-reply-sender ------------------------------------------------------------------
    Example(
        "no-reply-sender",
        "en",
        {"from": "Example Shop <⟦noreply@example.com⟧>", "body": EN_OK},
        note="from",
    ),
    Example(
        "no-reply-sender",
        "en",
        {"from": "care@example.com", "reply-to": "⟦Do-Not-Reply@example.com⟧", "body": EN_OK},
        note="reply-to",
    ),
    Example(
        "no-reply-sender",
        "en",
        {"from": "Example Shop <care@example.com>", "reply-to": "help@example.com", "body": EN_OK},
    ),
    Example(
        "no-reply-sender",
        "fr",
        {"from": "Boutique <⟦ne-pas-repondre@exemple.fr⟧>", "body": FR_OK},
        note="from",
    ),
    Example(
        "no-reply-sender",
        "fr",
        {"from": "Boutique <service.client@exemple.fr>", "body": FR_OK},
    ),
    # -- unrendered-merge-tag -------------------------------------------------------------
    Example(
        "unrendered-merge-tag", "en", {"body": "Dear ⟦<FirstName>⟧,\n\n" + EN_OK}, note="angle"
    ),
    Example(
        "unrendered-merge-tag", "en", {"body": "Hi ⟦*|FNAME|*⟧,\n\n" + EN_OK}, note="mailchimp"
    ),
    Example(
        "unrendered-merge-tag", "en", {"body": "Hi ⟦%%FirstName%%⟧,\n" + EN_OK}, note="percent"
    ),
    Example(
        "unrendered-merge-tag", "en", {"body": "Hi ⟦{{${first_name}}}⟧, " + EN_OK}, note="braze"
    ),
    Example(
        "unrendered-merge-tag", "en", {"body": "Hi ⟦[[MISSING TOKEN]]⟧, " + EN_OK}, note="token"
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "⟦Dear ,⟧\n\n" + EN_OK},
        note="empty greeting",
        suggestion="Hello,",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Hello ⟦{{ first_name }}⟧,\n\n" + EN_OK},
        LintContext(kind="other", is_template=False),
        note="rendered jinja",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"subject": "⟦*|FNAME|*⟧, we sent the wrong code", "body": EN_OK},
        note="subject",
    ),
    Example("unrendered-merge-tag", "en", {"body": "Dear Jane,\n\n" + EN_OK + " <b>Thanks</b>"}),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Dear {{ first_name }},\n\n" + EN_OK},
        LintContext(kind="other", is_template=True),
        note="template",
    ),
    Example("unrendered-merge-tag", "en", {"body": "Hello,\n\n" + EN_OK}, note="plain hello"),
    Example("unrendered-merge-tag", "fr", {"body": "⟦Bonjour ,⟧\n\n" + FR_OK}, note="greeting"),
    Example("unrendered-merge-tag", "fr", {"body": "⟦Chère,⟧\n\n" + FR_OK}, note="chère"),
    Example("unrendered-merge-tag", "fr", {"body": "Cher ⟦<Prénom>⟧,\n\n" + FR_OK}, note="angle"),
    Example("unrendered-merge-tag", "fr", {"body": "Bonjour Jeanne,\n\n" + FR_OK}),
    Example("unrendered-merge-tag", "fr", {"body": "Bonjour !\n\n" + FR_OK}, note="bonjour !"),
    # -- unbranded-template ---------------------------------------------------------------
    Example(
        "unbranded-template",
        "en",
        {"body": "⟦Hello,⟧\n\n" + EN_OK},
        LintContext(kind="wrong-content"),
        note="none chosen",
    ),
    Example(
        "unbranded-template",
        "en",
        {"body": "⟦Hello,⟧\n\n" + EN_OK},
        LintContext(kind="wrong-content", template_name="apology", rendered_with_brand=False),
        note="not used",
    ),
    Example(
        "unbranded-template",
        "en",
        {"body": "⟦Hello,⟧\n\n" + EN_OK},
        LintContext(kind="wrong-content"),
        config='[brand]\nmarkers = ["Example Shop Ltd"]',
        note="markers missing",
    ),
    Example("unbranded-template", "en", {"body": "Hello,\n\n" + EN_OK}),
    Example(
        "unbranded-template",
        "en",
        {"body": "Hello,\n\n" + EN_OK + "\n\nExample Shop Ltd, 1 Quay St"},
        LintContext(kind="wrong-content"),
        config='[brand]\nmarkers = ["Example Shop Ltd"]',
        note="markers present",
    ),
    Example(
        "unbranded-template",
        "fr",
        {"body": "⟦Bonjour,⟧\n\n" + FR_OK},
        LintContext(kind="wrong-content"),
        note="none chosen",
    ),
    Example("unbranded-template", "fr", {"body": "Bonjour,\n\n" + FR_OK}),
    # -- subject-shouting -----------------------------------------------------------------
    Example(
        "subject-shouting",
        "en",
        {"subject": "⟦URGENT⟧: we sent the wrong code", "body": EN_OK},
        suggestion="Urgent",
    ),
    Example("subject-shouting", "en", {"subject": "We are sorry⟦!!!⟧", "body": EN_OK}, note="!!!"),
    Example(
        "subject-shouting",
        "en",
        {"subject": "We sent the ⟦WRONG CODE⟧", "body": EN_OK},
        note="run",
        suggestion="wrong code",
    ),
    Example("subject-shouting", "en", {"subject": "Our FAQ on the wrong code", "body": EN_OK}),
    Example(
        "subject-shouting",
        "fr",
        {"subject": "⟦NOUS SOMMES DÉSOLÉS⟧", "body": FR_OK},
        suggestion="Nous sommes désolés",
    ),
    Example("subject-shouting", "fr", {"subject": "Erreur : notre avis RGPD", "body": FR_OK}),
    # -- subject-too-long -----------------------------------------------------------------
    Example("subject-too-long", "en", {"subject": long_subject(EN_LONG), "body": EN_OK}),
    Example("subject-too-long", "en", {"subject": EN_LONG[:60], "body": EN_OK}),
    Example(
        "subject-too-long",
        "en",
        {"subject": EN_LONG, "body": EN_OK},
        config="[rules.subject-too-long]\nmax_length = 80",
        note="config",
    ),
    Example("subject-too-long", "fr", {"subject": long_subject(FR_LONG), "body": FR_OK}),
    Example("subject-too-long", "fr", {"subject": FR_LONG[:58], "body": FR_OK}),
    # -- phishing-wording -----------------------------------------------------------------
    Example(
        "phishing-wording",
        "en",
        {"body": "We are sorry. ⟦Verify your account⟧ with the link below."},
    ),
    Example(
        "phishing-wording",
        "en",
        {"body": "We are sorry. Go to example.com and sign in as usual to see your orders."},
    ),
    Example(
        "phishing-wording",
        "fr",
        {"body": "Désolés. ⟦Confirmez votre mot de passe⟧ avec le lien ci-dessous."},
    ),
    Example(
        "phishing-wording",
        "fr",
        {"body": "Désolés. Allez sur exemple.fr et connectez-vous comme d'habitude."},
    ),
    # -- click-here-link ------------------------------------------------------------------
    Example("click-here-link", "en", {"body": "We are sorry. ⟦Click here⟧ for the details."}),
    Example("click-here-link", "en", {"body": "We are sorry. Read the full notice on our site."}),
    Example("click-here-link", "fr", {"body": "Désolés. ⟦Cliquez ici⟧ pour les détails."}),
    Example("click-here-link", "fr", {"body": "Désolés. Lisez l'avis complet sur notre site."}),
    # -- banned-phrase --------------------------------------------------------------------
    Example(
        "banned-phrase",
        "en",
        {"body": "We are sorry for this ⟦unprecedented⟧ mistake."},
        config='banned = ["unprecedented"]',
    ),
    Example(
        "banned-phrase",
        "en",
        {"body": "We are sorry for this unusual mistake."},
        config='banned = ["unprecedented"]',
    ),
    Example(
        "banned-phrase",
        "fr",
        {"body": "Désolés pour cette erreur ⟦sans précédent⟧."},
        config='banned = [{ phrase = "sans precedent", lang = "fr" }]',
    ),
    Example(
        "banned-phrase",
        "fr",
        {"body": "Désolés pour cette erreur inhabituelle."},
        config='banned = [{ phrase = "sans precedent", lang = "fr" }]',
    ),
    # -- required-phrase ------------------------------------------------------------------
    Example(
        "required-phrase",
        "en",
        {"body": "⟦We are sorry: we sent the wrong code.⟧"},
        config='required = [{ phrase = "reply to this email", lang = "en" }]',
    ),
    Example(
        "required-phrase",
        "en",
        {"body": EN_OK},
        config='required = [{ phrase = "reply to this email", lang = "en" }]',
    ),
    Example(
        "required-phrase",
        "fr",
        {"body": "⟦Désolés : nous avons envoyé un mauvais code.⟧"},
        config='required = [{ phrase = "répondez à cet e-mail", lang = "fr" }]',
    ),
    Example(
        "required-phrase",
        "fr",
        {"body": FR_OK},
        config='required = [{ phrase = "répondez à cet e-mail", lang = "fr" }]',
    ),
    # -- brand-term -----------------------------------------------------------------------
    Example(
        "brand-term",
        "en",
        {"body": "We at ⟦Shopco⟧ are sorry: we sent the wrong code."},
        config='[brand]\nterms = ["ShopCo"]',
        suggestion="ShopCo",
    ),
    Example(
        "brand-term",
        "en",
        {"body": "We at ShopCo are sorry. Write to care@shopco.com or visit shopco.com/help."},
        config='[brand]\nterms = ["ShopCo"]',
    ),
    Example(
        "brand-term",
        "fr",
        {"body": "Chez ⟦SHOPCO⟧, nous sommes désolés."},
        config='[brand]\nterms = ["ShopCo"]',
    ),
    Example(
        "brand-term",
        "fr",
        {"body": "Chez ShopCo, nous sommes désolés."},
        config='[brand]\nterms = ["ShopCo"]',
    ),
    # -- lint-directive -------------------------------------------------------------------
    Example(
        "lint-directive",
        "en",
        {"body": "⟦{# lint: disable=humr #}⟧\nOops, " + EN_OK},
    ),
    Example("lint-directive", "en", {"body": "{# lint: disable=humor #}\nOops, " + EN_OK}),
    Example(
        "lint-directive",
        "fr",
        {"body": FR_OK + "\n\n⟦{# lint: désactiver=humor #}⟧\nOups."},
        note="malformed",
    ),
    Example("lint-directive", "fr", {"body": FR_OK + "\n\n{# lint: disable=humor #}\nOups."}),
]
