"""The step machine: what completes each of the six steps, and moving incidents on.

``machine`` is the public API; ``rules`` reads ``data/steps.toml``; ``store`` writes.
"""
