"""The SQLite store (``database.Store``) and the migration runner (``schema``).

The only place that opens the database file. Each step package writes its own tables
through functions in its ``store`` module, on the ``Store``'s connection and inside its
transactions, so every change and its event land together.
"""
