"""The benchmark inventory generator: shape, determinism, labels and the two writers."""

from __future__ import annotations

import pandas as pd
import pytest

from bench.generate import (
    BEGINN,
    ENDE,
    HEADERS,
    KINDS,
    QUARTIER,
    SOLL_ASPEKT,
    SOLL_FELD,
    TITEL,
    generate_inventory,
    main,
    write_csv,
    write_xlsx,
)
from soni import grid
from soni.intake.workbook import load_sheets


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return generate_inventory(5000, seed=3, with_labels=True)


def test_rows_and_columns():
    df = generate_inventory(500, seed=1)
    assert len(df) == 500
    assert list(df.columns) == list(HEADERS)
    assert df[TITEL].str.len().gt(0).all()
    assert pd.api.types.is_datetime64_any_dtype(df[BEGINN])
    assert pd.api.types.is_datetime64_any_dtype(df[ENDE])
    for col in HEADERS[8:]:
        assert pd.api.types.is_numeric_dtype(df[col]), col
        assert (df[col].dropna() >= 0).all()


def test_deterministic_for_a_seed():
    a = generate_inventory(300, seed=7)
    pd.testing.assert_frame_equal(a, generate_inventory(300, seed=7))
    assert not a.equals(generate_inventory(300, seed=8))


def test_zero_rows():
    df = generate_inventory(0)
    assert len(df) == 0 and list(df.columns) == list(HEADERS)


def test_quartiere_dates_and_no_leftover_placeholders(big):
    assert 20 <= big[QUARTIER].nunique() <= 40
    assert set(big[BEGINN].dt.year) == {2023, 2024, 2025}
    ended = big[ENDE].notna()
    assert (big.loc[ended, ENDE] >= big.loc[ended, BEGINN]).all()
    for col in ("Titel", "Beschreibung", "Träger"):
        assert not big[col].str.contains("{", regex=False).any(), col


def test_labels_are_valid_and_cover_the_grid(big):
    assert set(big[SOLL_ASPEKT]) == set(grid.ASPECT_LABELS)
    for label, field in zip(big[SOLL_ASPEKT], big[SOLL_FELD], strict=True):
        assert grid.ASPECT_BY_LABEL[label].field == field
    share = big[SOLL_FELD].value_counts(normalize=True)
    assert share["Individuum"] + share["Netzwerk"] > 0.5
    assert share["Sozialstruktur"] < share["Organisation"]


def test_rows_follow_their_kind(big):
    titles_of = {}
    for k in KINDS:
        for i, t in enumerate(k.titles):
            titles_of.setdefault(t.split("{")[0].strip(), set()).add(grid.ASPECT_BY_KEY[k.aspect_of(i)].label)
    for title, label in zip(big[TITEL].head(500), big[SOLL_ASPEKT].head(500), strict=True):
        matches = [labels for prefix, labels in titles_of.items() if title.startswith(prefix)]
        assert any(label in labels for labels in matches), title


def test_write_xlsx_roundtrip(tmp_path):
    df = generate_inventory(200, seed=2)
    path = tmp_path / "inv.xlsx"
    write_xlsx(df, path)
    rows = load_sheets(path.read_bytes(), "xlsx")["Aktivitäten"]
    assert rows[0] == list(HEADERS)
    assert len(rows) == 201
    assert [r[0] for r in rows[1:]] == df[TITEL].tolist()
    first_begin = rows[1][HEADERS.index(BEGINN)]
    assert first_begin == df[BEGINN].iloc[0].date()


def test_write_csv_roundtrip(tmp_path):
    df = generate_inventory(200, seed=2)
    path = tmp_path / "inv.csv"
    write_csv(df, path)
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", decimal=",")
    assert list(back.columns) == list(HEADERS)
    assert back[TITEL].tolist() == df[TITEL].tolist()
    assert back["Stunden (pro Jahr)"].sum() == pytest.approx(df["Stunden (pro Jahr)"].sum())


def test_cli_writes_the_file(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["--rows", "50", "--out", str(out)]) == 0
    assert len(pd.read_csv(out, sep=";", encoding="utf-8-sig")) == 50
    assert "50 Zeilen" in capsys.readouterr().out
