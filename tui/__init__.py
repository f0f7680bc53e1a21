"""The terminal face of email-crisis: the Textual app and the command line."""
