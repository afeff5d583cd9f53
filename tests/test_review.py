"""soni.review: the worklist order of "Zuordnung prüfen" and what an edited row means."""

import pandas as pd
import pytest

from soni import grid, review, schema


def _acts(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """(field, aspect, confidence, title) per row; Zeilen-ID r0, r1, …; two Quartiere."""
    return pd.DataFrame({
        schema.ZEILEN_ID: [f"r{i}" for i in range(len(rows))],
        schema.SONI_FELD: [r[0] for r in rows],
        schema.SONI_ASPEKT: [r[1] for r in rows],
        schema.SONI_KONFIDENZ: [r[2] for r in rows],
        schema.TITEL: [r[3] for r in rows],
        schema.BESCHREIBUNG: ["" for _ in rows],
        schema.QUARTIER: ["Nord" if i % 2 else "Süd" for i in range(len(rows))],
    })


ROWS = [("Netzwerk", "", 0.9, "Treff"), (grid.UNKLAR, "", 0.1, "Kaffee"), ("Individuum", "", 0.3, "Beratung"),
        (grid.UNKLAR, "", 0.2, "Fest"), ("Organisation", "", 0.6, "Runde")]


def test_queue_puts_unclear_first_then_rising_confidence() -> None:
    acts = _acts(ROWS)
    assert list(review.worklist(acts, acts, "queue")) == [1, 3, 2, 4, 0]
    assert list(review.worklist(acts, acts, "all")) == [0, 1, 2, 3, 4]
    assert list(review.worklist(acts, acts, "unklar")) == [1, 3]
    assert list(review.worklist(acts, acts, "low")) == [1, 3, 2]


def test_a_corrected_row_keeps_its_place_and_the_filters_narrow() -> None:
    base = _acts(ROWS)
    current = base.copy()
    current.loc[1, schema.SONI_FELD] = "Netzwerk"  # the user fixed row 1
    current.loc[1, schema.SONI_KONFIDENZ] = 1.0
    assert list(review.worklist(base, current, "queue")) == [1, 3, 2, 4, 0]
    assert list(review.worklist(base, current, "manuell", corrected={"r1"})) == [1]
    assert list(review.worklist(base, current, "all", quartier="Nord")) == [1, 3]
    assert list(review.worklist(base, current, "all", search="  beRAT ")) == [2]


def test_counts() -> None:
    assert review.counts(_acts(ROWS)) == (2, 3)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (("Netzwerk", ""), ("Netzwerk", "Case-Management"), ("Individuum", "Case-Management")),  # aspect moves field
    (("Netzwerk", "Case-Management"), ("Organisation", "Case-Management"), ("Organisation", "")),  # field drops it
    (("Netzwerk", ""), (grid.UNKLAR, "Case-Management"), (grid.UNKLAR, "")),
    (("Individuum", ""), ("Individuum", "Case-Management"), ("Individuum", "Case-Management")),
    (("Individuum", ""), ("Individuum", "kein Aspekt"), ("Individuum", "")),
    (("Individuum", ""), ("quatsch", ""), (grid.UNKLAR, "")),
])
def test_consistent_choice(old: tuple[str, str], new: tuple[str, str], expected: tuple[str, str]) -> None:
    assert review.consistent_choice(*old, *new) == expected
