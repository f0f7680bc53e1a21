"""The shared base: domain vocabulary, clock, errors, text helpers, settings, templates.

Imports nothing else of email-crisis: every other package may import it.
"""
