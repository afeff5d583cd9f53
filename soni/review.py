"""Rules of the review worklist ("Zuordnung prüfen"): which rows come first, and what an edit means.

Pure functions for the page and for plain tests; the page only draws the table.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from soni import grid, schema

#: Confidence below which an assignment counts as uncertain.
LOW = 0.5
#: The worklist views (keys of ``texts.CHECK_VIEWS``) that put unclear and uncertain rows first.
ORDERED_VIEWS = ("queue", "unklar", "low")


def counts(activities: pd.DataFrame) -> tuple[int, int]:
    """(unclear rows, uncertain rows with confidence below ``LOW``)."""
    unclear = int((activities[schema.SONI_FELD].astype(str) == grid.UNKLAR).sum())
    low = int((activities[schema.SONI_KONFIDENZ] < LOW).sum())
    return unclear, low


def worklist(base: pd.DataFrame, current: pd.DataFrame, view: str, *, corrected: Collection[str] = (),
             quartier: str | None = None, search: str = "") -> pd.Index:
    """The index labels of the rows a view shows, in worklist order.

    ``base`` is the classification *before* corrections, ``current`` after them (same index).
    Order and selection by field and confidence follow ``base``, so that a corrected row stays
    where it was instead of jumping away while the user works down the list; unclear rows
    first, then by rising confidence, then in table order. ``view``: "queue" (all, ordered),
    "unklar", "low", "manuell" (rows whose Zeilen-ID is in ``corrected``), "all" (table order).
    ``quartier`` and ``search`` (in Titel and Beschreibung, case-insensitive) narrow it further.
    """
    order = pd.DataFrame({
        "clear": (base[schema.SONI_FELD].astype(str) != grid.UNKLAR).to_numpy(),
        "conf": base[schema.SONI_KONFIDENZ].to_numpy(),
        "pos": range(len(base)),
    }, index=base.index)
    mask = pd.Series(True, index=base.index)
    if view == "unklar":
        mask &= ~order["clear"]
    elif view == "low":
        mask &= order["conf"] < LOW
    elif view == "manuell":
        mask &= current[schema.ZEILEN_ID].astype(str).isin(set(corrected))
    if quartier:
        mask &= current[schema.QUARTIER].astype(str) == quartier
    if search.strip():
        needle = search.strip().casefold()
        text = (current[schema.TITEL].astype(str) + " " + current[schema.BESCHREIBUNG].astype(str)).str.casefold()
        mask &= text.str.contains(needle, regex=False)
    selected = order[mask.to_numpy()]
    if view in ORDERED_VIEWS:
        selected = selected.sort_values(["clear", "conf", "pos"], kind="stable")
    return selected.index


def consistent_choice(old_field: str, old_aspect: str, field: str, aspect: str) -> tuple[str, str]:
    """A consistent (field, aspect) from an edited row; the aspect is always explicit ("" = none).

    A newly chosen aspect of another field moves the field along; a new field drops an aspect
    that does not belong to it; "unklar" has no aspect. Labels that are not aspects count as none.
    """
    field = grid.parse_field(field) or grid.UNKLAR
    found = grid.ASPECT_BY_LABEL.get(aspect) if aspect else None
    if field in (grid.UNKLAR, grid.KEIN_BEZUG):
        return field, ""
    if found is None:
        return field, ""
    if found.field != field:
        if field == old_field and aspect != old_aspect:
            return found.field, found.label
        return field, ""
    return field, found.label
