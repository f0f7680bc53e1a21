"""Examples for the rules issue 12 added or rewrote, taken from the real emails of the
corpus (``corpus/``; the id in each note is the email it comes from, shortened).

See examples.py for the ⟦ ⟧ notation.
"""

from __future__ import annotations

from email_crisis.core.notify.lint import LintContext
from tests.core.notify.lint.examples import APOLOGY, BREACH, EN_OK, FR_OK, Example

NO_KIND = LintContext(template_name="apology")
OTHER = LintContext(kind="other", template_name="apology")

CORPUS_EXAMPLES: list[Example] = [
    # -- apology-position -----------------------------------------------------------------
    Example(
        "apology-position",
        "en",
        {
            "body": "Your e-mail address was disclosed by an Amazon employee in violation of "
            "our policies.\n\nNo other information was shared. We ⟦apologize⟧ for this "
            "incident. Reply to this email with questions."
        },
        BREACH,
        note="004 last line",
    ),
    Example(
        "apology-position",
        "en",
        {
            "body": "Please accept our most sincere apologies. We mistakenly sent an email "
            "that was intended only for new parents.\n\nReply to this email with questions."
        },
        note="002 first line",
    ),
    Example(
        "apology-position",
        "en",
        {"body": "Whoops\n\nWe are sorry: we sent out broken links today. Reply to this email."},
        note="050 heading",
    ),
    Example(
        "apology-position",
        "fr",
        {
            "body": "Notre messagerie a été piratée et un email a été envoyé à nos contacts."
            "\n\nNous avons retrouvé l'accès à notre messagerie.\n\n⟦Désolé⟧ pour ce retard !"
        },
        OTHER,
        note="052 last line",
    ),
    Example(
        "apology-position",
        "fr",
        {
            "body": "Vous avez reçu ce matin un mail transmis par erreur. Je tiens à vous "
            "présenter toutes mes excuses."
        },
        note="012 one paragraph",
    ),
    # -- no-apology: regret and hedged apologies --------------------------------------------
    Example(
        "no-apology",
        "en",
        {"body": "We deeply ⟦regret⟧ that this incident occurred. Reply to this email."},
        note="026 regret",
    ),
    Example(
        "no-apology",
        "en",
        {"body": "We ⟦apologize for the confusion this may cause⟧. Reply to this email."},
        note="may cause",
    ),
    Example(
        "no-apology",
        "fr",
        {"body": "⟦Nous regrettons⟧ vivement cet incident. Répondez à cet e-mail."},
        note="013 regret",
    ),
    Example(
        "no-apology",
        "fr",
        {
            "body": "Nous nous ⟦excusons sincèrement pour les inconvénients que cette affaire "
            "pourrait⟧ vous causer."
        },
        note="013 pourrait",
    ),
    Example(
        "no-apology",
        "fr",
        {"body": "Désolé pour ce retard ! Le message de samedi n'était pas de nous."},
        note="052 plain",
    ),
    # -- minimising -----------------------------------------------------------------------
    Example(
        "minimising",
        "en",
        {"body": "We are sorry. We believe the actual impact of this incident ⟦is limited⟧."},
        BREACH,
        note="010 limited",
    ),
    Example(
        "minimising",
        "en",
        {
            "body": "We are sorry: your email address was disclosed. ⟦There is no need⟧ for "
            "you to change your password."
        },
        BREACH,
        note="003 no need, breach",
    ),
    Example(
        "minimising",
        "en",
        {"body": "We are sorry: we sent the wrong code. There is no need for you to do anything."},
        note="no need, not a breach",
    ),
    Example("minimising", "en", {"body": EN_OK}),
    Example(
        "minimising",
        "fr",
        {"body": "⟦Pas d'inquiétude⟧ : le message de samedi n'était pas de nous. Désolés."},
        OTHER,
        note="052 inquiétude",
    ),
    Example(
        "minimising",
        "fr",
        {"body": "Toutes mes excuses pour cet envoi ⟦malencontreux⟧."},
        note="012 malencontreux",
    ),
    Example("minimising", "fr", {"body": FR_OK}),
    # -- passive-voice --------------------------------------------------------------------
    Example(
        "passive-voice",
        "en",
        {
            "body": "We are sorry: on Monday we discovered that your credentials ⟦were "
            "stored⟧ in a readable format."
        },
        BREACH,
        note="018 stored",
    ),
    Example(
        "passive-voice",
        "en",
        {"body": "This e-mail was sent by us in error. We are sorry."},
        note="034 agent",
    ),
    Example(
        "passive-voice",
        "en",
        {"body": "We are sorry. While no credit card data was accessed, your email address was."},
        BREACH,
        note="024 negated",
    ),
    Example(
        "passive-voice",
        "en",
        {
            "body": "We are sorry: an unauthorized party accessed our database, and your "
            "email address was accessed."
        },
        BREACH,
        note="010 actor named",
    ),
    Example(
        "passive-voice",
        "fr",
        {"body": "Désolés : des données personnelles ont ⟦été extraites⟧ de nos systèmes."},
        BREACH,
        note="008 extraites",
    ),
    Example(
        "passive-voice",
        "fr",
        {"body": "Vous avez reçu un mail ⟦transmis⟧ par erreur. Toutes mes excuses."},
        note="012 sans auxiliaire",
    ),
    Example(
        "passive-voice",
        "fr",
        {"body": "Désolés : un tiers a pu accéder à vos données, qui ont été extraites."},
        BREACH,
        note="014 acteur nommé",
    ),
    Example(
        "passive-voice",
        "fr",
        {"body": "Désolés : vos mots de passe n'ont pas été compromis."},
        BREACH,
        note="032 nié",
    ),
    # -- defensive-tone -------------------------------------------------------------------
    Example(
        "defensive-tone",
        "en",
        {"body": "We are sorry. It was a ⟦crime against⟧ Target and most importantly you."},
        BREACH,
        note="038 crime",
    ),
    Example(
        "defensive-tone",
        "en",
        {"body": "We are sorry. You will not be responsible for fraudulent charges."},
        BREACH,
        note="041 reassurance",
    ),
    Example(
        "defensive-tone",
        "fr",
        {"body": "Désolés. L'auteur de ce délit ⟦s'expose à une peine⟧ de prison."},
        BREACH,
        note="019 peine",
    ),
    Example(
        "defensive-tone",
        "fr",
        {"body": "Désolés : une plainte a été déposée auprès du procureur de la République."},
        BREACH,
        note="019 plainte",
    ),
    # -- missing-exposed-data -------------------------------------------------------------
    Example(
        "missing-exposed-data",
        "en",
        {"body": "We are sorry: some user data was ⟦compromised⟧. Please change your password."},
        BREACH,
        note="007 some data",
    ),
    Example(
        "missing-exposed-data",
        "en",
        {
            "body": "We are sorry: an attacker ⟦gained access⟧ to our systems. LastPass does "
            "not have access to your master password. Change your master password."
        },
        BREACH,
        note="022 negated",
    ),
    Example(
        "missing-exposed-data",
        "en",
        {
            "body": "We are sorry: your email address may have been accessed by an "
            "unauthorized party. Be cautious with links."
        },
        BREACH,
        note="048 named",
    ),
    Example(
        "missing-exposed-data",
        "en",
        {"body": "We are sorry: some user data was compromised. Be careful with links."},
        APOLOGY,
        note="kind decides",
    ),
    Example(
        "missing-exposed-data",
        "fr",
        {
            "body": "Désolés : nous avons constaté une ⟦intrusion⟧. Vos mots de passe n'ont "
            "pas été compromis. Soyez vigilants."
        },
        BREACH,
        note="030 seulement ce qui n'a pas fui",
    ),
    Example(
        "missing-exposed-data",
        "fr",
        {
            "body": "Désolés : une intrusion a exposé vos nom, prénom et adresse e-mail. "
            "Soyez vigilants."
        },
        BREACH,
        note="019 liste",
    ),
    # -- sales-pitch ----------------------------------------------------------------------
    Example(
        "sales-pitch",
        "en",
        {"body": "We are sorry. The cause has been addressed and you can ⟦shop with confidence⟧."},
        BREACH,
        note="038 shop",
    ),
    Example(
        "sales-pitch",
        "en",
        {"subject": "⟦Free shipping⟧: sorry about our last email", "body": EN_OK},
        note="subject discount",
    ),
    Example(
        "sales-pitch",
        "en",
        {"subject": "We sent you the wrong discount code", "body": EN_OK},
        note="discount as the mistake",
    ),
    Example(
        "sales-pitch",
        "fr",
        {"body": "⟦Profitez de nos⟧ prix : désolés pour le mauvais code envoyé hier."},
        note="profitez",
    ),
    Example(
        "sales-pitch",
        "fr",
        {"subject": "⟦Code promo⟧ : nous sommes désolés", "body": FR_OK},
        note="objet",
    ),
    Example("sales-pitch", "fr", {"subject": "Nous avons envoyé un mauvais code", "body": FR_OK}),
    # -- humor: irony marks ----------------------------------------------------------------
    Example(
        "humor",
        "en",
        {"body": "We are sorry for the early email. ⟦No, really⟧. " + EN_OK},
        note="no really",
    ),
    Example(
        "humor",
        "en",
        {"body": "We sent it too early... you know who you are, Dave ⟦😉⟧. " + EN_OK},
        note="042 wink emoji",
    ),
    Example(
        "humor",
        "fr",
        {"body": "Désolés, ce n'était pas nous (pas cette fois ⟦!!⟧). " + FR_OK},
        note="052 !!",
    ),
    # -- vague-language: hedges about the reader are not hedges ---------------------------
    Example(
        "vague-language",
        "en",
        {"body": "We are sorry: you may have received an email from us today by mistake."},
        note="034 you may have received",
    ),
    Example(
        "vague-language",
        "en",
        {"body": "We are sorry: your Robinhood password ⟦may have⟧ been included."},
        BREACH,
        note="018 may have",
    ),
    Example(
        "vague-language",
        "fr",
        {
            "body": "Désolés pour cette fuite. Il est possible que vous receviez des appels "
            "frauduleux : soyez vigilants."
        },
        BREACH,
        note="032 mise en garde",
    ),
    Example(
        "vague-language",
        "fr",
        {"body": "Désolés : ⟦il apparait⟧ qu'un tiers a pu accéder à vos informations."},
        BREACH,
        note="014 il apparait",
    ),
    # -- blame-shifting -------------------------------------------------------------------
    Example(
        "blame-shifting",
        "en",
        {"body": "We are sorry: ⟦a contract worker⟧ improperly handled employee data."},
        BREACH,
        note="016 contractor",
    ),
    Example(
        "blame-shifting",
        "en",
        {"body": "We are sorry: an unauthorized third party accessed our systems."},
        BREACH,
        note="026 attacker named",
    ),
    Example(
        "blame-shifting",
        "fr",
        {"body": "Désolés : ⟦un prestataire⟧ informatique externe a été victime d'une intrusion."},
        BREACH,
        note="030 prestataire",
    ),
    # -- missing-action-steps: negation and kinds ------------------------------------------
    Example(
        "missing-action-steps",
        "en",
        {"body": "We are sorry: we sent you the wrong code. No personal data was compromised."},
        NO_KIND,
        note="negated breach, no kind",
    ),
    Example(
        "missing-action-steps",
        "en",
        {
            "body": "We are sorry: your email address ⟦was disclosed⟧... there is no need "
            "for you to change your password."
        },
        BREACH,
        note="003 negated step",
    ),
    Example(
        "missing-action-steps",
        "fr",
        {
            "body": "Désolés : nous avons envoyé un mauvais code. Aucun tiers non autorisé n'a "
            "pu accéder à vos données."
        },
        NO_KIND,
        note="tiers nié, sans type",
    ),
    Example(
        "missing-action-steps",
        "fr",
        {
            "body": "Désolés : vos IBAN ont été exposés lors d'une cyberattaque. Surveillez vos "
            "prélèvements et faites opposition au besoin."
        },
        BREACH,
        note="014 prélèvements",
    ),
]
