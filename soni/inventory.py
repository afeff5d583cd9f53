"""The pipeline's result: the activity table, the original columns and the report."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from soni.report import Report


@dataclass
class Inventory:
    """One read, validated and classified inventory (one or several files merged).

    ``activities`` holds the canonical typed columns of ``soni.schema`` (Titel,
    Quartier, Beginn, Stunden, …, Jahr/Halbjahr/Quartal, Datei/Blatt/Zeile,
    Zeilen-ID) and the five SONI columns; ``original`` holds every column of the
    upload with its original header. Both share the same index, one row per activity.
    """

    activities: pd.DataFrame
    original: pd.DataFrame
    report: Report = field(default_factory=Report)
    #: per source ("datei.xlsx › Blatt"): canonical column -> original header
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    #: per source: the sheet that was read and the header row (1-based)
    sources: dict[str, dict[str, object]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.activities)
