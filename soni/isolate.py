"""Parsing isolated from the server process (placeholder: runs in-process for now)."""

from __future__ import annotations

from soni.workbook import Rows, load_sheets


def load_sheets_isolated(data: bytes, kind: str) -> dict[str, Rows]:
    """Parse a workbook; to be moved into a child process with limits."""
    return load_sheets(data, kind)
