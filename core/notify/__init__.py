"""Step 5, notify and apologise: apology drafts and their versions, the brand, the
``.eml`` export, and the rule checker (``lint/``).

Kept free of imports so that ``email-crisis lint`` loads the rule checker alone.
"""
