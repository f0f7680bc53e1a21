"""``python -m email_crisis.tui.cli``: the same as the ``email-crisis`` command."""

import sys

from email_crisis.tui.cli import main

sys.exit(main())
