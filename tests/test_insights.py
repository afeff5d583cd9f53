"""The plain-German reading, and the texts/number formats it is built from."""

from __future__ import annotations

import pandas as pd
import pytest

from soni import aggregate, grid, insights, schema, texts
from tests.conftest import make_activities

# --- the reading ----------------------------------------------------------------------


def test_missing_field_is_named_with_its_hint():
    df = make_activities(200, seed=1, fields=["Organisation", "Netzwerk", "Individuum"])
    reading = insights.schwerpunkte_und_luecken(df, "anzahl", "Quartier Nordstadt")
    text = reading.as_text()
    gap = [p for p in reading.points if "Sozialstruktur" in p]
    assert gap, text
    assert "keine Aktivität" in gap[0]
    assert texts.FIELD_HINTS["Sozialstruktur"] in gap[0]
    assert "Sozialausschuss" in gap[0]
    # fields that are present get no "missing" hint
    assert texts.FIELD_HINTS["Netzwerk"] not in text
    assert reading.headline.startswith("Quartier Nordstadt")


@pytest.mark.parametrize("missing", grid.FIELD_NAMES)
def test_each_missing_field_gets_its_own_hint(missing):
    others = [f for f in grid.FIELD_NAMES if f != missing]
    df = make_activities(150, seed=2, fields=others)
    text = insights.schwerpunkte_und_luecken(df, "anzahl", "Test").as_text()
    assert texts.FIELD_HINTS[missing] in text
    for f in others:
        assert texts.FIELD_HINTS[f] not in text


def test_focus_is_the_largest_field():
    df = make_activities(300, seed=3, fields=list(grid.FIELD_NAMES), field_weights=[1, 1, 6, 1], unclear_share=0)
    reading = insights.schwerpunkte_und_luecken(df, "anzahl", "Alle Quartiere")
    assert "Netzwerk" in reading.headline
    share = aggregate.field_shares(df, "anzahl")["Netzwerk"]
    assert texts.fmt_share(share) in reading.headline
    # the level with the focus is named
    assert any("Lebenswelt" in p for p in reading.points)


def test_fields_tied_for_the_largest_share_are_all_named():
    counts = {"Sozialstruktur": 5, "Organisation": 2, "Netzwerk": 7, "Individuum": 7}  # none reaches 35 %
    df = make_activities(sum(counts.values()), seed=3, unclear_share=0).copy()
    df[schema.SONI_FELD] = [f for f, n in counts.items() for _ in range(n)]
    df[schema.SONI_ASPEKT] = [grid.aspects_of(f)[0].label for f in df[schema.SONI_FELD]]
    headline = insights.schwerpunkte_und_luecken(df, "anzahl", "Alle Quartiere").headline
    assert "Netzwerk" in headline and "Individuum" in headline, headline


def test_weak_field_named_as_weak():
    df = make_activities(400, seed=4, field_weights=[1, 10, 10, 10], unclear_share=0)
    share = aggregate.field_shares(df, "anzahl")["Sozialstruktur"]
    assert 0 < share < insights.WEAK_SHARE
    reading = insights.schwerpunkte_und_luecken(df, "anzahl", "X")
    weak = [p for p in reading.points if p.startswith("Das Feld Sozialstruktur")]
    assert weak and "schwach" in weak[0] and texts.fmt_share(share) in weak[0]


def test_missing_aspect_gets_aspect_hint():
    df = make_activities(300, seed=5, unclear_share=0, no_aspect_share=0)
    drop = (df[schema.SONI_FELD] == "Netzwerk") & (df[schema.SONI_ASPEKT] == grid.ASPECT_BY_KEY["N3"].label)
    df = df.loc[~drop]
    text = insights.schwerpunkte_und_luecken(df, "anzahl", "X").as_text()
    assert "Trägerübergreifende Kooperation" in text
    assert texts.ASPECT_HINTS["N3"] in text


def test_empty_input():
    reading = insights.schwerpunkte_und_luecken(make_activities(0), "anzahl", "Quartier Leer")
    assert "keine Aktivitäten" in reading.headline
    assert reading.points == []


def test_all_unclear_input():
    df = make_activities(12, seed=6, unclear_share=1.0)
    reading = insights.schwerpunkte_und_luecken(df, "stunden", "X")
    assert "keine Aktivität ist einem SONI-Feld" in reading.headline
    assert any("12 Aktivitäten" in p for p in reading.points)
    assert not any(h in reading.as_text() for h in texts.FIELD_HINTS.values())


def test_metric_without_values():
    df = make_activities(30, seed=7, unclear_share=0)
    df[schema.KOSTEN] = float("nan")
    reading = insights.schwerpunkte_und_luecken(df, "kosten", "X")
    assert "keine Angaben zu Kosten" in reading.headline
    assert any("100 %" in p and "Kosten" in p for p in reading.points)


def test_field_with_rows_but_no_hours_is_not_called_empty():
    df = make_activities(200, seed=8, unclear_share=0, missing_share=0)
    df.loc[df[schema.SONI_FELD] == "Organisation", schema.STUNDEN] = float("nan")
    text = insights.schwerpunkte_und_luecken(df, "stunden", "X").as_text()
    line = next(p for p in text.splitlines() if "Im Feld Organisation" in p)
    assert "keine Angaben zu Stunden" in line
    assert "keine Aktivität" not in line


def test_unclear_and_missing_are_reported():
    df = make_activities(200, seed=9, unclear_share=0.2, missing_share=0.25)
    reading = insights.schwerpunkte_und_luecken(df, "stunden", "X")
    unclear = int((df[schema.SONI_FELD] == grid.UNKLAR).sum())
    assert any(texts.fmt_metric(unclear, "anzahl") in p and "zugeordnet" in p for p in reading.points)
    assert any(texts.fmt_share(aggregate.missing_share(df, "stunden")) in p for p in reading.points)


def test_few_activities_warning():
    df = make_activities(6, seed=10, unclear_share=0)
    reading = insights.schwerpunkte_und_luecken(df, "anzahl", "X")
    assert any("grobe Hinweise" in p for p in reading.points)


def test_categorical_input_reads_the_same():
    df = make_activities(200, seed=11)
    cat = make_activities(200, seed=11, categorical=True)
    assert insights.schwerpunkte_und_luecken(df, "anzahl", "X") == insights.schwerpunkte_und_luecken(
        cat, "anzahl", "X"
    )


# --- texts: numbers, captions, hints ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234, 0, "1.234"),
        (1234567.891, 2, "1.234.567,89"),
        (0.5, 1, "0,5"),
        (-1234.4, 0, "-1.234"),
        (-0.2, 0, "0"),
        (float("nan"), 0, "–"),
        (None, 0, "–"),
        (pd.NA, 0, "–"),
    ],
)
def test_fmt_number(value, decimals, expected):
    assert texts.fmt_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.12, "12 %"), (0.125, "12 %"), (1.0, "100 %"), (0.0, "0 %"), (0.001, "<1 %"), (None, "–")],
)
def test_fmt_share(value, expected):
    assert texts.fmt_share(value) == expected


def test_fmt_share_decimals_and_points():
    assert texts.fmt_share(0.1234, 1) == "12,3 %"
    assert texts.fmt_points(0.12) == "+12 %-Pkt."
    assert texts.fmt_points(-0.034) == "-3 %-Pkt."
    assert texts.fmt_points(0.001) == "±0 %-Pkt."


def test_fmt_metric_units():
    assert texts.fmt_metric(1, "anzahl") == "1 Aktivität"
    assert texts.fmt_metric(12, "anzahl") == "12 Aktivitäten"
    assert texts.fmt_metric(12300.4, "kosten") == "12.300 €"
    assert texts.fmt_metric(2.5, "stunden", 1) == "2,5 Stunden"


def test_scope_label():
    df = make_activities(100, years=(2023, 2025), missing_share=0)
    assert texts.scope_label(df, quartiere=["Nordstadt"]) == "Quartier Nordstadt, 2023–2025"
    assert texts.scope_label(None) == "alle Quartiere"
    assert texts.scope_label(None, quartiere=["A", "B"], periods=["2024"]) == "Quartiere A und B, 2024"
    assert "5 Quartiere" in texts.scope_label(None, quartiere=list("ABCDE"))
    assert "Träger Diakonie" in texts.scope_label(None, traeger=["Diakonie"])


def test_caption_stands_on_its_own():
    cap = texts.caption(
        "feld", "anzahl", "Quartier Nordstadt, 2023–2025", ["beispiel_inventar.xlsx"], missing=0, unclear=0
    )
    assert cap == "Anzahl Aktivitäten je SONI-Feld, Quartier Nordstadt, 2023–2025. Quelle: beispiel_inventar.xlsx"
    cap = texts.caption("aspekt", "stunden", "alle Quartiere", "a.xlsx", missing=0.2, unclear=3)
    assert "20 %" in cap and "Stunden" in cap and "3 Aktivitäten" in cap and cap.endswith("Quelle: a.xlsx")
    diff = texts.caption("differenz", "anzahl", "2024", a="Nordstadt")
    assert "Nordstadt gegenüber Durchschnitt aller Quartiere" in diff
    for kind in texts.CHART_KINDS:
        assert texts.caption(kind, "kosten", "X")
    with pytest.raises(ValueError):
        texts.chart_title("torte", "anzahl")


def test_hints_cover_the_model():
    assert set(texts.FIELD_HINTS) == set(grid.FIELD_NAMES)
    assert set(texts.ASPECT_HINTS) == {a.key for a in grid.ASPECTS}
    assert texts.aspect_hint("Case-Management") == texts.ASPECT_HINTS["I3"]
    assert texts.aspect_hint("I3") == texts.ASPECT_HINTS["I3"]
    assert texts.field_hint("unklar") == ""
    for f in grid.FIELD_NAMES:
        assert f in texts.SONI_KURZ
    assert 3 <= texts.SONI_KURZ.count(". ") + 1 <= 5


def test_metric_texts_cover_all_metrics():
    for table in (texts.METRIC_LABELS, texts.METRIC_UNITS, texts.METRIC_GENITIVE, texts.METRIC_SHORT):
        assert set(table) == set(schema.METRICS)


def test_wrap_label():
    wrapped = texts.wrap_label("Koordinierung trägerübergreifender Angebote", 20)
    assert wrapped.split("<br>") == ["Koordinierung", "trägerübergreifender", "Angebote"]


def test_grammar_with_numbers_one_activity_and_an_empty_level():
    df = make_activities(1, seed=4, fields=["Netzwerk"], unclear_share=0)
    text = insights.schwerpunkte_und_luecken(df, "anzahl", "Test").as_text()
    assert "Es ist nur 1 Aktivität zugeordnet" in text
    assert "Es sind nur 1" not in text
    assert "mit 0 %" not in text  # an empty level is named as empty, not as "0 % schwächer vertreten"
    assert "auf der Systemebene ist bisher nichts erfasst" in text
    few = make_activities(3, seed=4, fields=["Netzwerk"], unclear_share=0)
    assert "Es sind nur 3 Aktivitäten zugeordnet" in insights.schwerpunkte_und_luecken(few, "anzahl", "T").as_text()


def test_lesart_round_trips_through_edited_text():
    lesart = insights.Lesart("Kopf.", ["eins", "zwei"])
    assert insights.Lesart.from_text(lesart.as_text()) == lesart
    edited = insights.Lesart.from_text("\n  Neuer Kopf.\n- erstens\n• zweitens\n\nohne Strich\n")
    assert edited == insights.Lesart("Neuer Kopf.", ["erstens", "zweitens", "ohne Strich"])
    assert insights.Lesart.from_text("  \n").headline == ""
