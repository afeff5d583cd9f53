"""``python -m soni``: see ``soni.cli``."""

from soni.cli import run

run()
