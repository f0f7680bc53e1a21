"""Step 2, contain: the playbook, containment actions, escalations, and the ESP
connectors (``esp/``) with their credentials that can stop a send.
"""
