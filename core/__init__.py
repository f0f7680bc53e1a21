"""The email-crisis domain: incidents, the six-step response and the store.

Nothing in this package imports Textual; the terminal face lives in ``email_crisis.tui``.
"""
