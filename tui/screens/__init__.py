"""The app's screens: the incident board, the incident workspace, forms and help."""
