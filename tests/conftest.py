"""Shared test fixtures: an invented activities table like ``Inventory.activities``.

``make_activities(n, seed, ...)`` builds a frame with every column the preamble's
activities spec lists (canonical text columns, Quartier + key, dates and periods,
numbers with gaps, row ids and the SONI columns). All content is invented (no
personal data): titles read "Beispielaktivität 17 (erfunden)".

Use it directly (``from tests.conftest import make_activities``) or via the
``make_activities`` fixture (returns the factory) or ``activities`` (200 rows, seed 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from soni import grid, schema

#: Invented Quartier names (the last one stands for "unknown").
QUARTIERE: tuple[str, ...] = ("Nordstadt", "Südviertel", "Altstadt", "Am Hafen", schema.OHNE_QUARTIER)
TRAEGER: tuple[str, ...] = ("Kirchengemeinde St. Beispiel", "Diakonie Musterstadt", "Nachbarschaftsverein")
ZIELGRUPPEN: tuple[str, ...] = ("Familien", "Ältere Menschen", "Jugendliche", "alle")
ARTEN: tuple[str, ...] = ("Gruppe", "Beratung", "Gremium", "Veranstaltung")
DATEI = "beispiel_inventar.xlsx"


def make_activities(
    n: int = 100,
    seed: int = 0,
    *,
    quartiere: Sequence[str] = QUARTIERE,
    fields: Sequence[str] = grid.FIELD_NAMES,
    field_weights: Sequence[float] | None = None,
    unclear_share: float = 0.1,
    no_aspect_share: float = 0.05,
    missing_share: float = 0.1,
    years: tuple[int, int] = (2022, 2025),
    categorical: bool = False,
) -> pd.DataFrame:
    """An invented, valid activities frame with ``n`` rows (index 0..n-1), reproducible by ``seed``.

    - ``quartiere``: names drawn uniformly (use ``schema.OHNE_QUARTIER`` for "unknown").
    - ``fields``: the SONI fields that may occur (e.g. leave one out to test a gap),
      drawn with ``field_weights`` (default uniform); ``unclear_share`` of rows are "unklar".
    - ``no_aspect_share``: rows with a field but an empty SONI-Aspekt.
    - ``missing_share``: per number column and for Beginn, the share left empty (NaN/NaT).
    - ``years``: Beginn is drawn from Jan 1 of the first to Dec 31 of the last year.
    - ``categorical``: Quartier, SONI-Feld, SONI-Aspekt as pandas categoricals.
    """
    rng = np.random.default_rng(seed)
    idx = np.arange(n)

    def pick(options: Sequence[str], p: Sequence[float] | None = None) -> np.ndarray:
        if n == 0 or not options:
            return np.array([""] * n, dtype=object)
        return rng.choice(np.array(list(options), dtype=object), size=n, p=p)

    weights = None
    if field_weights is not None:
        w = np.asarray(field_weights, dtype=float)
        weights = w / w.sum()
    feld = pick(fields, weights)
    unclear = rng.random(n) < unclear_share
    if len(fields) == 0:
        unclear[:] = True
    feld = np.where(unclear, grid.UNKLAR, feld)
    pos = rng.integers(0, 3, size=n)
    aspekt = np.array(
        [
            "" if f == grid.UNKLAR else grid.aspects_of(f)[p].label
            for f, p in zip(feld, pos, strict=True)
        ],
        dtype=object,
    )
    aspekt = np.where(rng.random(n) < no_aspect_share, "", aspekt)

    start = pd.Timestamp(year=years[0], month=1, day=1)
    span = (pd.Timestamp(year=years[1], month=12, day=31) - start).days + 1
    beginn = pd.Series(start + pd.to_timedelta(rng.integers(0, span, size=n), unit="D"), dtype="datetime64[ns]")
    beginn = beginn.where(rng.random(n) >= missing_share)
    dauer = pd.to_timedelta(rng.integers(1, 400, size=n), unit="D")
    ende = (beginn + dauer).where(rng.random(n) < 0.6)
    jahr = beginn.dt.year.astype("Int64")
    known = beginn.notna()
    halbjahr = np.where(
        known, jahr.astype(str) + "-H" + np.where(beginn.dt.month <= 6, "1", "2"), ""
    )
    quartal = np.where(known, jahr.astype(str) + "-Q" + beginn.dt.quarter.astype("Int64").astype(str), "")

    def numbers(scale: float, integer: bool = False) -> np.ndarray:
        values = rng.gamma(2.0, scale, size=n)
        if integer:
            values = np.round(values)
        return np.where(rng.random(n) < missing_share, np.nan, values)

    quartier = pick(quartiere)
    zeile = idx + 2
    second = pick(grid.FIELD_NAMES)
    has_second = (rng.random(n) < 0.3) & (second != feld) & ~unclear
    konfidenz = np.where(unclear, rng.uniform(0, 0.3, n), rng.uniform(0.4, 1.0, n))

    df = pd.DataFrame(
        {
            schema.TITEL: pd.Series([f"Beispielaktivität {i + 1} (erfunden)" for i in idx], dtype="str"),
            schema.BESCHREIBUNG: pd.Series(
                [f"Erfundene Beschreibung für Testdaten, Nr. {i + 1}" for i in idx], dtype="str"
            ),
            schema.QUARTIER: pd.Series(quartier, dtype="str"),
            schema.QUARTIER_KEY: pd.Series([str(q).casefold() for q in quartier], dtype="str"),
            schema.TRAEGER: pd.Series(pick(TRAEGER), dtype="str"),
            schema.ZIELGRUPPE: pd.Series(pick(ZIELGRUPPEN), dtype="str"),
            schema.ART: pd.Series(pick(ARTEN), dtype="str"),
            schema.BEGINN: beginn,
            schema.ENDE: ende,
            schema.JAHR: jahr,
            schema.HALBJAHR: pd.Series(halbjahr, dtype="str"),
            schema.QUARTAL: pd.Series(quartal, dtype="str"),
            schema.STUNDEN: numbers(20.0),
            schema.TEILNEHMENDE: numbers(8.0, integer=True),
            schema.KOSTEN: numbers(400.0),
            schema.EHRENAMTLICHE: numbers(2.0, integer=True),
            schema.DATEI: pd.Series([DATEI] * n, dtype="str"),
            schema.BLATT: pd.Series(["Tabelle1"] * n, dtype="str"),
            schema.ZEILE: zeile.astype("int64"),
            schema.ZEILEN_ID: pd.Series([f"{DATEI}:Tabelle1:{z}" for z in zeile], dtype="str"),
            schema.SONI_FELD: pd.Series(feld, dtype="str"),
            schema.SONI_ASPEKT: pd.Series(aspekt, dtype="str"),
            schema.SONI_KONFIDENZ: konfidenz.astype("float64"),
            schema.SONI_BEGRUENDUNG: pd.Series(
                ["erfundene Testdaten" if not u else "keine passenden Wörter" for u in unclear], dtype="str"
            ),
            schema.SONI_QUELLE: pd.Series([schema.QUELLE_REGEL] * n, dtype="str"),
            schema.SONI_ZWEITFELD: pd.Series(np.where(has_second, second, ""), dtype="str"),
            schema.SONI_ZWEITWERT: np.where(has_second, konfidenz * rng.uniform(0.3, 0.9, n), 0.0),
        },
        index=pd.RangeIndex(n),
    )
    if categorical:
        for column in (schema.QUARTIER, schema.SONI_FELD, schema.SONI_ASPEKT):
            df[column] = df[column].astype("category")
    return df


@pytest.fixture(name="make_activities")
def make_activities_fixture():
    """The ``make_activities`` factory as a fixture."""
    return make_activities


@pytest.fixture
def activities() -> pd.DataFrame:
    """200 invented activities (seed 1)."""
    return make_activities(200, seed=1)
