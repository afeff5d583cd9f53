"""Stage columns: header synonyms, compounds, content checks, overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from soni import columns, schema
from soni.report import InputError, Report


def frame(data: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(data, dtype=object)


def test_fold_spells_out_umlauts_and_drops_punctuation() -> None:
    assert columns.fold(" Träger/-in ") == "traeger in"
    assert columns.fold("Angebot / Projekt") == "angebot projekt"


@pytest.mark.parametrize(
    ("header", "canon"),
    [("Stadtteil", schema.QUARTIER), ("Angebot / Projekt", schema.TITEL), ("Projektträger", schema.TRAEGER),
     ("Anzahl Teilnehmer", schema.TEILNEHMENDE), ("Kosten in €", schema.KOSTEN), ("Zielgruppe(n)", schema.ZIELGRUPPE),
     ("Beginn", schema.BEGINN), ("SONI-Feld", schema.IN_FELD), ("Kurzbeschreibung", schema.BESCHREIBUNG)],
)
def test_match_header_knows_german_synonyms(header: str, canon: str) -> None:
    assert columns.match_header(header) == canon


def test_content_decides_between_headers_that_share_words() -> None:
    data = frame({
        "Titel bzw. Position im Haushaltsplan": ["684.12", "685.01", "686.07"],
        "Zuwendung für": ["Betrieb eines Stadtteilcafés", "Mittagstisch für Senioren", "Hausaufgabenhilfe"],
        "Zeitraum Von": ["01.01.2012", "01.03.2012", "01.01.2013"],
        "Zeitraum Bis": ["31.12.2012", "31.12.2012", "30.06.2013"],
        "Gesamtzuwendung (in EURO)": [1000.0, 2500.5, 300.0],
    })
    mapping = columns.suggest_mapping(data)
    assert mapping[schema.TITEL] == "Zuwendung für"
    assert mapping[schema.BEGINN] == "Zeitraum Von"
    assert mapping[schema.ENDE] == "Zeitraum Bis"
    assert mapping[schema.KOSTEN] == "Gesamtzuwendung (in EURO)"


def test_each_header_is_used_once_and_number_columns_need_numbers() -> None:
    data = frame({"Kosten": ["viel", "wenig", "mittel"], "Titel": ["a", "b", "c"]})
    mapping = columns.suggest_mapping(data)
    assert schema.KOSTEN not in mapping
    assert mapping[schema.TITEL] == "Titel"


def test_without_known_headers_the_most_textual_column_becomes_the_title() -> None:
    data = frame({"Nr": [1, 2, 3], "Eintrag": ["Seniorenkreis am Mittwoch", "Tafel", "Sprachcafé"],
                  "X": ["a", "a", "a"]})
    assert columns.suggest_mapping(data)[schema.TITEL] == "Eintrag"


def test_override_moves_and_removes_mappings() -> None:
    data = frame({"Stadtteil": ["Nord"], "Ort": ["Kirche"], "Titel": ["Café"]})
    assert columns.suggest_mapping(data)[schema.QUARTIER] == "Stadtteil"
    mapping = columns.resolve_mapping(data, {schema.QUARTIER: "Ort", schema.TITEL: None})
    assert mapping[schema.QUARTIER] == "Ort"
    assert schema.TITEL not in mapping
    with pytest.raises(InputError, match="gibt es in der Datei nicht"):
        columns.resolve_mapping(data, {schema.QUARTIER: "Gibtsnicht"})


def test_report_mapping_warns_when_no_quartier_column() -> None:
    report = Report()
    data = frame({"Titel": ["Café"]})
    columns.report_mapping(columns.suggest_mapping(data), data, report, file="f.xlsx", sheet="S")
    assert any(p.level == "Warnung" and "Keine Quartier-Spalte" in p.message for p in report.problems)
