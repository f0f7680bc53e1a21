"""Step 3, assess the damage: the assessment form, the decisions drawn from it (apology
or not, breach-notification clocks, suggested severity), the apology lock and the
affected audience (``audience/``).
"""
