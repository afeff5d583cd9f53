"""The built-in sample inventory (invented data) that the app offers without an upload."""

from __future__ import annotations

from pathlib import Path

#: ``data/beispiel_inventar.xlsx``, written by ``data/make_sample.py`` (erfundene Beispieldaten).
SAMPLE_PATH: Path = Path(__file__).resolve().parent.parent / "data" / "beispiel_inventar.xlsx"
#: The name under which the sample is shown and passed to the pipeline.
SAMPLE_NAME = "Beispieldaten"


def sample_bytes() -> bytes:
    """The sample workbook's bytes (raises FileNotFoundError if the file is missing)."""
    return SAMPLE_PATH.read_bytes()
