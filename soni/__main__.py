"""``python -m soni``: see ``soni.cli``."""

import sys

from soni.cli import main

sys.exit(main())
