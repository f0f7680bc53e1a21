"""Step 6, monitor deliverability: metrics and their thresholds, the importers of ESP
and mailbox-provider exports (``importers/``), the "proceed with caution" checklist.
"""
