"""Step 1, own it: declare, acknowledge, name the commander, set the severity; the
internal statement; the board's order and filter.

The incident row, its event log and its statements are the store's base tables
(``store/migrations/001``, ``002``): this step has no table of its own.
"""
