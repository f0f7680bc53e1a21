"""Examples for merge tags: every ESP dialect, fallbacks, quoted tags and tags used again
after broken personalisation (see examples.py for the ⟦ ⟧ notation).

Where each dialect is documented:

- Mailgun recipient variables, ``%recipient.first%``: "To access a Recipient Variable
  within your email, simply reference %recipient.yourkey%" (Mailgun user manual, Batch
  Sending, https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/batch-sending).
- SendGrid substitution tags, ``-firstName-``: "Dear -firstName-" (Twilio SendGrid docs,
  Substitution Tags, https://www.twilio.com/docs/sendgrid/for-developers/sending-email/substitution-tags).
- SendGrid unsubscribe-group tags, ``<%asm_group_unsubscribe_raw_url%>``: the substitution
  SendGrid fills for an email sent with an ``asm.group_id`` (SendGrid docs, Suppression
  Groups, https://www.twilio.com/docs/sendgrid/for-developers/sending-email/suppressions;
  the sendgrid-actionmailer gem passes it as the value of ``%asm_group_unsubscribe_raw_url%``).
- Campaign Monitor tags with a fallback, ``[firstname,fallback=there]``: "[fullname,fallback=]
  — This tag will be replaced by the subscriber's full name" (a Campaign Monitor-based
  help page, https://help.oneclickpolitics.com/hc/en-us/articles/228081588-How-do-I-personalize-a-campaign).
- ActiveCampaign personalization tags, ``%FIRSTNAME%``: "its current technical
  implementation (i.e. %FIRSTNAME%)" (ActiveCampaign design system, Personalization,
  https://activecampaign.design/docs/patterns/personalization).
- Liquid/Jinja fallbacks, ``{{ first_name | default: "there" }}``: "Hi {{first_name |
  default: "there"}}" as the good fallback pattern (Mailtarget docs, Personalization,
  https://docs-mailtarget.pages.dev/concepts/email-marketing/personalization).
"""

from __future__ import annotations

from email_crisis.core.notify.lint import LintContext
from tests.core.notify.lint.examples import EN_OK, FR_OK, Example

PERSONAL = LintContext(kind="broken-personalization", template_name="apology")
PERSONAL_TEMPLATE = LintContext(
    kind="broken-personalization", template_name="apology", is_template=True
)

TAG_EXAMPLES: list[Example] = [
    # -- unrendered-merge-tag: dialects -----------------------------------------------------
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Hello ⟦%recipient.first%⟧,\n\n" + EN_OK},
        note="mailgun",
    ),
    Example(
        "unrendered-merge-tag", "en", {"body": "Dear ⟦-firstName-⟧,\n\n" + EN_OK}, note="sendgrid"
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": EN_OK + "\n\nUnsubscribe: ⟦<%asm_group_unsubscribe_raw_url%>⟧"},
        note="sendgrid unsubscribe",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": EN_OK + '\n\n<a href="⟦<%asm_group_unsubscribe_raw_url%>⟧">Unsubscribe</a>'},
        note="sendgrid unsubscribe in an attribute",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Hi ⟦%FIRSTNAME%⟧,\n\n" + EN_OK},
        note="activecampaign",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": EN_OK + "\n\nWe will post it to ⟦<CITY, STATE, ZIP>⟧."},
        note="address placeholder",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Hi [firstname,fallback=there],\n\n" + EN_OK},
        note="campaign monitor fallback",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": 'Hi {{ first_name | default("there") }},\n\n' + EN_OK},
        note="jinja default",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": 'Hi {{ first_name | default: "there" }},\n\n' + EN_OK},
        note="liquid default",
    ),
    Example(
        "unrendered-merge-tag",
        "en",
        {"body": "Address (city, state, zip) and 20% off: " + EN_OK},
        note="prose that looks like tags",
    ),
    Example(
        "unrendered-merge-tag",
        "fr",
        {"body": "Bonjour ⟦%recipient.prenom%⟧,\n\n" + FR_OK},
        note="mailgun",
    ),
    Example(
        "unrendered-merge-tag",
        "fr",
        {"body": "Bonjour [prenom,fallback=à vous],\n\n" + FR_OK},
        note="campaign monitor, repli",
    ),
    # -- quoted-merge-tag ---------------------------------------------------------------------
    Example(
        "quoted-merge-tag",
        "en",
        {
            "body": 'We are sorry: yesterday\'s email began "Dear ⟦{{first_name}}⟧" because '
            "the name was missing. Reply to this email."
        },
        PERSONAL,
        note="quoted jinja",
    ),
    Example(
        "quoted-merge-tag",
        "en",
        {
            "body": "We are sorry: yesterday's email began “Hi ⟦*|FNAME|*⟧” because the name "
            "was missing. Reply to this email."
        },
        PERSONAL,
        note="quoted mailchimp",
    ),
    Example(
        "quoted-merge-tag",
        "en",
        {
            "body": "We are sorry: yesterday's email greeted you without your name. Reply to "
            "this email."
        },
        PERSONAL,
        note="described",
    ),
    Example(
        "quoted-merge-tag",
        "fr",
        {
            "body": "Désolés : notre e-mail d'hier commençait par « Bonjour ⟦{{ prenom }}⟧ » car "
            "votre prénom manquait. Répondez à cet e-mail."
        },
        PERSONAL,
        note="guillemets",
    ),
    Example(
        "quoted-merge-tag",
        "fr",
        {"body": "Désolés : votre prénom manquait dans notre e-mail d'hier. " + FR_OK},
        PERSONAL,
        note="décrit",
    ),
    # -- merge-tag-reused -----------------------------------------------------------------------
    Example(
        "merge-tag-reused",
        "en",
        {
            "body": "Hi ⟦{{ first_name }}⟧,\n\nWe are sorry: yesterday's email was missing your "
            "name. Reply to this email."
        },
        PERSONAL_TEMPLATE,
        note="same field, no fallback",
    ),
    Example(
        "merge-tag-reused",
        "en",
        {
            "body": 'Hi {{ first_name | default("there") }},\n\nWe are sorry: yesterday\'s email '
            "was missing your name. Reply to this email."
        },
        PERSONAL_TEMPLATE,
        note="fallback",
    ),
    Example(
        "merge-tag-reused",
        "en",
        {"body": "Hi {{ first_name }},\n\n" + EN_OK},
        LintContext(kind="wrong-content", template_name="apology", is_template=True),
        note="other kind",
    ),
    Example(
        "merge-tag-reused",
        "fr",
        {
            "body": "Bonjour ⟦{{ prenom }}⟧,\n\nDésolés : votre prénom manquait dans notre e-mail "
            "d'hier. Répondez à cet e-mail."
        },
        PERSONAL_TEMPLATE,
        note="sans repli",
    ),
    Example(
        "merge-tag-reused",
        "fr",
        {
            "body": 'Bonjour {{ prenom | default("à vous") }},\n\nDésolés : votre prénom manquait '
            "dans notre e-mail d'hier. Répondez à cet e-mail."
        },
        PERSONAL_TEMPLATE,
        note="avec repli",
    ),
]
