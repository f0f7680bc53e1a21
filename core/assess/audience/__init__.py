"""The apology audience: affected lists minus every suppression list (read, store, export)."""
