"""Closing an incident and looking back: resolve and reopen, the postmortem, the event
log in words, and the figures across incidents.
"""
