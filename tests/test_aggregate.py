"""Aggregation: grids, groups, shares, differences, filters and drill-down."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soni import aggregate, grid, schema
from tests.conftest import make_activities

METRICS = list(schema.METRICS)


def _manual_field_total(df: pd.DataFrame, field: str, metric: str) -> float:
    rows = df[df[schema.SONI_FELD].astype(str) == field]
    if metric == "anzahl":
        return float(len(rows))
    return float(rows[schema.METRICS[metric]].sum(skipna=True))


# --- metric values -------------------------------------------------------------------


def test_metric_values_count_and_sum():
    df = make_activities(50, seed=3)
    assert aggregate.metric_values(df, "anzahl").sum() == 50
    assert aggregate.metric_values(df, "anzahl").dtype == np.int64
    hours = aggregate.metric_values(df, "stunden")
    assert hours.isna().sum() == df[schema.STUNDEN].isna().sum()
    assert math.isclose(hours.sum(), df[schema.STUNDEN].sum())


def test_unknown_metric_is_rejected():
    with pytest.raises(ValueError, match="Kennzahl"):
        aggregate.metric_values(make_activities(3), "euro")


def test_missing_share():
    df = make_activities(40, seed=4)
    df[schema.KOSTEN] = np.where(np.arange(40) < 10, np.nan, 5.0)
    assert aggregate.missing_share(df, "kosten") == pytest.approx(0.25)
    assert aggregate.missing_share(df, "anzahl") == 0.0
    assert aggregate.missing_share(df.iloc[:0], "kosten") == 0.0


def test_missing_metric_column_counts_as_missing():
    df = make_activities(10, seed=1).drop(columns=[schema.KOSTEN])
    assert aggregate.missing_share(df, "kosten") == 1.0
    assert aggregate.field_totals(df, "kosten").sum() == 0


# --- grids ---------------------------------------------------------------------------


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("categorical", [False, True])
def test_field_grid_totals_match_rows_and_sums(metric, categorical):
    df = make_activities(300, seed=7, categorical=categorical)
    g_r = aggregate.field_grid(df, metric)
    g = g_r.table
    assert g.shape == (2, 2)
    assert list(g.index) == list(grid.LEVELS)
    for f in grid.FIELDS:
        assert g.iat[f.row, f.col] == pytest.approx(_manual_field_total(df, f.name, metric))
    unclear = _manual_field_total(df, grid.UNKLAR, metric)
    assert g_r.unklar == pytest.approx(unclear)
    everything = len(df) if metric == "anzahl" else df[schema.METRICS[metric]].sum()
    assert float(g.to_numpy().sum()) + g_r.unklar == pytest.approx(everything)


def test_field_grid_positions_follow_the_model():
    df = make_activities(200, seed=2)
    g_r = aggregate.field_grid(df, "anzahl")
    g = g_r.table
    names = aggregate.grid_field_names()
    assert names == [["Sozialstruktur", "Organisation"], ["Netzwerk", "Individuum"]]
    counts = df[schema.SONI_FELD].value_counts()
    assert g.loc["System", "links"] == counts["Sozialstruktur"]
    assert g.loc["System", "rechts"] == counts["Organisation"]
    assert g.loc["Lebenswelt", "links"] == counts["Netzwerk"]
    assert g.loc["Lebenswelt", "rechts"] == counts["Individuum"]
    back = aggregate.grid_to_fields(g_r)
    assert list(back.index) == list(grid.FIELD_NAMES)


def test_empty_fields_are_zero_not_missing():
    df = make_activities(100, seed=5, fields=["Netzwerk"], unclear_share=0)
    g_r = aggregate.field_grid(df, "anzahl")
    g = g_r.table
    assert g.loc["System"].tolist() == [0, 0]
    assert g.loc["Lebenswelt", "links"] == 100
    a_r = aggregate.aspect_grid(df, "stunden")
    a = a_r.table
    assert a.shape == (4, 3)
    assert (a.loc["Sozialstruktur"] == 0).all()


def test_aspect_grid_counts_each_aspect():
    df = make_activities(400, seed=11, categorical=True)
    a_r = aggregate.aspect_grid(df, "anzahl")
    a = a_r.table
    labels = aggregate.aspect_labels()
    assert list(a.index) == list(grid.FIELD_NAMES)
    assert list(a.columns) == [1, 2, 3]
    feld = df[schema.SONI_FELD].astype(str)
    aspekt = df[schema.SONI_ASPEKT].astype(str)
    for fname in grid.FIELD_NAMES:
        for pos in (1, 2, 3):
            expected = int(((feld == fname) & (aspekt == labels.at[fname, pos])).sum())
            assert a.at[fname, pos] == expected
    # rows with a field but no aspect are reported per field; together everything adds up
    no_aspect = a_r.ohne_aspekt
    assert sum(no_aspect.values()) == int(((feld != grid.UNKLAR) & (aspekt == "")).sum())
    assert int(a.to_numpy().sum()) + sum(no_aspect.values()) + a_r.unklar == len(df)


def test_aspect_of_another_field_does_not_count_as_aspect():
    df = make_activities(3, seed=1, unclear_share=0, no_aspect_share=0)
    df[schema.SONI_FELD] = pd.Series(["Netzwerk"] * 3, dtype="str")
    df[schema.SONI_ASPEKT] = pd.Series(["Case-Management", "Trägerübergreifende Kooperation", ""], dtype="str")
    a_r = aggregate.aspect_grid(df, "anzahl")
    a = a_r.table
    assert a.at["Individuum", 3] == 0
    assert a.at["Netzwerk", 3] == 1
    assert a_r.ohne_aspekt["Netzwerk"] == 2


def test_unknown_field_values_count_as_unclear():
    df = make_activities(4, seed=1, unclear_share=0)
    df[schema.SONI_FELD] = pd.Series(["Netzwerk", "", "Quatsch", grid.UNKLAR], dtype="str")
    assert aggregate.unclear_count(df) == 3
    assert aggregate.field_grid(df, "anzahl").table.to_numpy().sum() == 1


def test_field_shares_sum_to_one():
    df = make_activities(250, seed=9)
    for metric in METRICS:
        shares = aggregate.field_shares(df, metric)
        assert shares.sum() == pytest.approx(1.0)
        assert (shares >= 0).all()


def test_cell_table_adds_up():
    df = make_activities(300, seed=13)
    t = aggregate.cell_table(df, "stunden")
    assert len(t) == 12 + 4 + 2  # aspects, "ohne Aspekt" per field, unklar, kein Sozialbezug
    assert t["Wert"].sum() == pytest.approx(df[schema.STUNDEN].sum())
    assert t.loc[t["Feld"] != grid.UNKLAR, "Anteil"].sum() == pytest.approx(1.0)
    assert set(t["Schlüssel"]) >= {a.key for a in grid.ASPECTS}


def test_grids_on_empty_frame():
    empty = make_activities(0)
    g_r = aggregate.field_grid(empty, "anzahl")
    g = g_r.table
    assert g.shape == (2, 2) and g.to_numpy().sum() == 0
    a_r = aggregate.aspect_grid(empty, "kosten")
    a = a_r.table
    assert a.shape == (4, 3) and a.to_numpy().sum() == 0
    assert aggregate.unclear_count(empty) == 0
    assert aggregate.field_shares(empty, "anzahl").sum() == 0


# --- groups --------------------------------------------------------------------------


@pytest.mark.parametrize("by", [schema.QUARTIER, schema.JAHR, schema.HALBJAHR, schema.QUARTAL])
def test_by_group_count_total_equals_rows(by):
    df = make_activities(500, seed=21)
    table_r = aggregate.by_group(df, by, "anzahl")
    table = table_r.table
    assert list(table.columns) == [*grid.FIELD_NAMES, grid.UNKLAR, grid.KEIN_BEZUG]
    assert int(table.to_numpy().sum()) == len(df)
    assert table.index.is_unique


def test_by_group_quartier_values():
    df = make_activities(300, seed=22, categorical=True)
    table_r = aggregate.by_group(df, schema.QUARTIER, "kosten", total=True)
    table = table_r.table
    quartier = df[schema.QUARTIER].astype(str)
    feld = df[schema.SONI_FELD].astype(str)
    for q in table.index:
        for fname in grid.FIELD_NAMES:
            expected = df.loc[(quartier == q) & (feld == fname), schema.KOSTEN].sum()
            assert table.at[q, fname] == pytest.approx(expected)
        assert table.at[q, "Summe"] == pytest.approx(df.loc[quartier == q, schema.KOSTEN].sum())
    # "ohne Quartier" sorts last
    assert table.index[-1] == schema.OHNE_QUARTIER


def test_by_group_periods_sorted_and_undated_group():
    df = make_activities(300, seed=23, missing_share=0.2)
    table_r = aggregate.by_group(df, schema.JAHR, "anzahl")
    table = table_r.table
    dated = [i for i in table.index if i != "ohne Zeitangabe"]
    assert dated == sorted(dated)
    assert table.index[-1] == "ohne Zeitangabe"
    assert table.loc["ohne Zeitangabe"].sum() == df[schema.JAHR].isna().sum()
    quarters_r = aggregate.by_group(df, schema.QUARTAL, "anzahl")
    quarters = quarters_r.table
    # an activity dated only by its year has no Quartal: the group says what is missing
    undated = "ohne Quartal (kein Datum oder nur das Jahr)"
    assert quarters.index[-1] == undated
    assert quarters.loc[undated].sum() == (df[schema.QUARTAL] == "").sum()
    assert undated not in quarters_r.dated().table.index


def test_by_group_shares():
    df = make_activities(300, seed=24)
    shares_r = aggregate.by_group(df, schema.QUARTIER, "stunden", share=True)
    shares = shares_r.table
    assert shares[list(grid.FIELD_NAMES)].sum(axis=1).to_numpy() == pytest.approx(1.0)
    counts_r = aggregate.by_group(df, schema.QUARTIER, "stunden")
    counts = counts_r.table
    expected_unclear = counts[grid.UNKLAR] / counts.sum(axis=1)
    assert shares[grid.UNKLAR].to_numpy() == pytest.approx(expected_unclear.to_numpy())
    assert shares_r.share is True
    # row_shares is idempotent on shares and matches on counts
    assert aggregate.row_shares(counts).to_numpy() == pytest.approx(shares[list(grid.FIELD_NAMES)].to_numpy())
    assert aggregate.row_shares(shares).to_numpy() == pytest.approx(shares[list(grid.FIELD_NAMES)].to_numpy())


def test_by_group_all_unclear_group_has_zero_shares():
    df = make_activities(20, seed=25, quartiere=["Nordstadt"], unclear_share=1.0)
    shares_r = aggregate.by_group(df, schema.QUARTIER, "anzahl", share=True)
    shares = shares_r.table
    assert shares.loc["Nordstadt", list(grid.FIELD_NAMES)].sum() == 0
    assert shares.loc["Nordstadt", grid.UNKLAR] == 1.0


def test_by_group_empty_frame():
    table_r = aggregate.by_group(make_activities(0), schema.QUARTIER, "anzahl")
    table = table_r.table
    assert len(table) == 0
    assert list(table.columns) == [*grid.FIELD_NAMES, grid.UNKLAR, grid.KEIN_BEZUG]


def test_by_group_unknown_column():
    with pytest.raises(ValueError):
        aggregate.by_group(make_activities(5), "Farbe", "anzahl")


def test_period_column_names():
    assert aggregate.period_column("Jahr") == schema.JAHR
    assert aggregate.period_column("quartal") == schema.QUARTAL
    assert aggregate.period_column(" Halbjahr ") == schema.HALBJAHR
    with pytest.raises(ValueError, match="Zeitraum"):
        aggregate.period_column("Monat")


def test_auto_period_column():
    assert aggregate.auto_period_column(make_activities(100, years=(2022, 2025))) == schema.JAHR
    one_year = make_activities(100, seed=3, years=(2024, 2024), missing_share=0)
    assert aggregate.auto_period_column(one_year) == schema.HALBJAHR


# --- filters -------------------------------------------------------------------------


def test_filter_none_returns_everything():
    df = make_activities(100, seed=30)
    assert len(aggregate.filter_activities(df)) == 100
    assert len(aggregate.filter_activities(df, quartiere=[], traeger=None)) == 100


@pytest.mark.parametrize("categorical", [False, True])
def test_filter_combinations(categorical):
    df = make_activities(400, seed=31, categorical=categorical)
    out = aggregate.filter_activities(
        df, quartiere=["Nordstadt", "Altstadt"], traeger="Diakonie Musterstadt", period_col="Jahr",
        periods=["2023", 2024],
    )
    quartier = df[schema.QUARTIER].astype(str)
    expected = df[
        quartier.isin(["Nordstadt", "Altstadt"])
        & (df[schema.TRAEGER] == "Diakonie Musterstadt")
        & df[schema.JAHR].isin([2023, 2024]).fillna(False)
    ]
    assert list(out.index) == list(expected.index)
    assert len(out) > 0


def test_filter_zielgruppe_and_halbjahr():
    df = make_activities(300, seed=32)
    out = aggregate.filter_activities(df, zielgruppen=["Familien"], period_col="Halbjahr", periods=["2024-H1"])
    assert (out[schema.ZIELGRUPPE] == "Familien").all()
    assert (out[schema.HALBJAHR] == "2024-H1").all()
    assert len(out) == ((df[schema.ZIELGRUPPE] == "Familien") & (df[schema.HALBJAHR] == "2024-H1")).sum()


def test_filter_to_nothing_gives_empty_frame_that_aggregates():
    df = make_activities(50, seed=33)
    out = aggregate.filter_activities(df, quartiere=["Gibt es nicht"])
    assert len(out) == 0
    assert list(out.columns) == list(df.columns)
    assert aggregate.field_grid(out, "anzahl").table.to_numpy().sum() == 0


# --- differences ---------------------------------------------------------------------


def test_difference_against_other_group():
    df = make_activities(500, seed=40)
    diff_r = aggregate.difference(df, "anzahl", "Nordstadt", "Altstadt")
    diff = diff_r.table
    assert len(diff) == 16
    assert list(diff["Schlüssel"][diff["Ebene"] == "Feld"]) == ["S", "O", "N", "I"]
    share_n = aggregate.field_shares(aggregate.filter_activities(df, quartiere=["Nordstadt"]), "anzahl")
    share_a = aggregate.field_shares(aggregate.filter_activities(df, quartiere=["Altstadt"]), "anzahl")
    fields = diff[diff["Ebene"] == "Feld"].set_index("Feld")
    assert fields["Differenz"].to_numpy() == pytest.approx((share_n - share_a).to_numpy())
    assert fields["Anteil A"].sum() == pytest.approx(1.0)
    assert diff_r.b == "Altstadt"


def test_difference_aspects():
    df = make_activities(500, seed=41)
    diff_r = aggregate.difference(df, "stunden", "Am Hafen", "Südviertel")
    diff = diff_r.table
    hafen = aggregate.filter_activities(df, quartiere="Am Hafen")
    a_r = aggregate.aspect_grid(hafen, "stunden")
    a = a_r.table
    total = aggregate.field_totals(hafen, "stunden").sum()
    row = diff[diff["Schlüssel"] == "N2"].iloc[0]
    assert row["Anteil A"] == pytest.approx(a.at["Netzwerk", 2] / total)
    assert row["Aspekt"] == grid.ASPECT_BY_KEY["N2"].label


def test_difference_against_average_of_groups():
    df = make_activities(600, seed=42)
    diff_r = aggregate.difference(df, "anzahl", "Nordstadt")
    diff = diff_r.table
    groups_r = aggregate.by_group(df, schema.QUARTIER, "anzahl", share=True)
    groups = groups_r.table
    mean = groups[list(grid.FIELD_NAMES)].mean(axis=0)
    fields = diff[diff["Ebene"] == "Feld"].set_index("Feld")
    assert fields["Anteil B"].to_numpy() == pytest.approx(mean.to_numpy())
    assert fields["Differenz"].to_numpy() == pytest.approx(
        (groups.loc["Nordstadt", list(grid.FIELD_NAMES)] - mean).to_numpy()
    )
    # differences to the average cancel out over all groups
    total = sum(
        aggregate.difference(df, "anzahl", q).table["Differenz"].to_numpy() for q in groups.index
    )
    assert np.allclose(total, 0)
    assert "Durchschnitt" in diff_r.b


def test_difference_by_period():
    df = make_activities(400, seed=43)
    diff_r = aggregate.difference(df, "anzahl", "2023", "2025", by=schema.JAHR)
    diff = diff_r.table
    assert diff["Differenz"].notna().all()


def test_difference_unknown_group():
    df = make_activities(50, seed=44)
    with pytest.raises(ValueError, match="kommt"):
        aggregate.difference(df, "anzahl", "Atlantis")
    with pytest.raises(ValueError):
        aggregate.difference(df.iloc[:0], "anzahl", "Nordstadt")


# --- drill-down ----------------------------------------------------------------------


def test_activities_in_cell():
    df = make_activities(300, seed=50, categorical=True)
    feld = df[schema.SONI_FELD].astype(str)
    aspekt = df[schema.SONI_ASPEKT].astype(str)
    whole = aggregate.activities_in_cell(df, "Netzwerk")
    assert len(whole) == (feld == "Netzwerk").sum()
    by_key = aggregate.activities_in_cell(df, "N", "N2")
    by_pos = aggregate.activities_in_cell(df, "Netzwerk", 2)
    by_label = aggregate.activities_in_cell(df, "Netzwerk", "Aktivierung von Ressourcen im Gemeinwesen")
    assert list(by_key.index) == list(by_pos.index) == list(by_label.index)
    assert (by_key[schema.SONI_ASPEKT].astype(str) == "Aktivierung von Ressourcen im Gemeinwesen").all()
    without = aggregate.activities_in_cell(df, "Netzwerk", "")
    assert len(without) == ((feld == "Netzwerk") & (aspekt == "")).sum()
    assert len(by_key) + len(without) + len(aggregate.activities_in_cell(df, "Netzwerk", 1)) + len(
        aggregate.activities_in_cell(df, "Netzwerk", 3)
    ) == len(whole)
    assert len(aggregate.activities_in_cell(df, "unklar")) == (feld == "unklar").sum()
    # the grid cell and the list behind it agree
    assert aggregate.aspect_grid(df, "anzahl").table.at["Netzwerk", 2] == len(by_key)


def test_activities_in_cell_rejects_unknown():
    df = make_activities(10)
    with pytest.raises(ValueError):
        aggregate.activities_in_cell(df, "Kosmos")
    with pytest.raises(ValueError):
        aggregate.activities_in_cell(df, "Netzwerk", 4)
    with pytest.raises(ValueError):
        aggregate.activities_in_cell(df, "Netzwerk", "Case-Management")


# --- property: totals are preserved under any filter --------------------------------


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(0, 120),
    quartiere=st.lists(st.sampled_from(["Nordstadt", "Südviertel", "Altstadt", "Am Hafen"]), max_size=3),
    metric=st.sampled_from(METRICS),
)
def test_totals_preserved(seed, n, quartiere, metric):
    df = make_activities(n, seed=seed)
    sub = aggregate.filter_activities(df, quartiere=quartiere or None)
    values = aggregate.metric_values(sub, metric)
    total = float(values.sum(skipna=True))
    g_r = aggregate.field_grid(sub, metric)
    g = g_r.table
    assert float(g.to_numpy().sum()) + g_r.unklar == pytest.approx(total)
    table_r = aggregate.by_group(sub, schema.QUARTIER, metric)
    table = table_r.table
    assert float(table.to_numpy().sum()) == pytest.approx(total)
    cells = aggregate.cell_table(sub, metric)
    assert float(cells["Wert"].sum()) == pytest.approx(total)


def test_kein_sozialbezug_is_counted_apart_from_unklar() -> None:
    df = make_activities(60, seed=5)
    df[schema.SONI_FELD] = df[schema.SONI_FELD].astype(str)
    df.loc[df.index[:7], schema.SONI_FELD] = grid.KEIN_BEZUG
    df.loc[df.index[:7], schema.SONI_ASPEKT] = ""
    df.loc[df.index[7:10], schema.SONI_FELD] = grid.UNKLAR
    assert aggregate.no_social_count(df) == 7
    assert aggregate.unclear_count(df) == (df[schema.SONI_FELD] == grid.UNKLAR).sum()
    t = aggregate.cell_table(df, "anzahl")
    assert t.loc[t["Feld"] == grid.KEIN_BEZUG, "Wert"].item() == 7 and t["Wert"].sum() == len(df)
    by = aggregate.by_group(df, schema.QUARTIER, "anzahl").table
    assert by[grid.KEIN_BEZUG].sum() == 7 and by.sum(axis=1).sum() == len(df)
    assert len(aggregate.activities_in_cell(df, grid.KEIN_BEZUG)) == 7
    assert grid.KEIN_BEZUG not in set(aggregate.activities_in_cell(df, grid.UNKLAR)[schema.SONI_FELD].astype(str))
    assert aggregate.field_grid(df, "anzahl").kein_sozialbezug == 7
    assert aggregate.aspect_grid(df, "anzahl").kein_sozialbezug == 7
