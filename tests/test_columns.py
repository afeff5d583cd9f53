"""Stage columns: header synonyms, compounds, content checks, overrides."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


DESCRIPTIONS = ["Ältere Menschen treffen sich jede Woche zum Erzählen bei Kaffee und Kuchen.",
                "Ehrenamtliche helfen Schulkindern nachmittags bei den Hausaufgaben im Gemeindehaus.",
                "Beratung zu Anträgen, Schulden und Wohnungsfragen in einer offenen Sprechstunde.",
                "Die Träger im Stadtteil planen gemeinsam und stimmen ihre Angebote miteinander ab."]
REMARKS = ["läuft gut", "vertraulich", "neu", "läuft gut"]


@pytest.mark.parametrize("description_header", ["Worum geht's", "Was passiert da?", "Inhalt", "Spalte C"])
def test_the_description_is_the_longer_free_text_not_the_remarks(description_header: str) -> None:
    data = frame({"Angebot/Aktion": ["Erzählcafé", "Hausaufgabenhilfe", "Sozialberatung", "Stadtteilkonferenz"],
                  description_header: DESCRIPTIONS, "Bemerkungen": REMARKS})
    choice = columns.choose_mapping(data)
    assert choice.mapping[schema.BESCHREIBUNG] == description_header
    assert choice.mapping[schema.TITEL] == "Angebot/Aktion"


@pytest.mark.parametrize(("header", "canon"), [
    ("Wo (Bezirk/Viertel)", schema.QUARTIER), ("Wer macht's", schema.TRAEGER), ("ab wann", schema.BEGINN),
    ("bis wann", schema.ENDE), ("Std./Monat", schema.STUNDEN), ("Durchführung", schema.TRAEGER),
    ("Wochenstd.", schema.STUNDEN), ("Jahresstd", schema.STUNDEN), ("Std/Wo", schema.STUNDEN),
    ("Leute (ca.)", schema.TEILNEHMENDE), ("Anzahl Personen", schema.TEILNEHMENDE), ("Gäste", schema.TEILNEHMENDE)])
def test_office_wordings_are_known(header: str, canon: str) -> None:
    assert columns.match_header(header) == canon


def test_missing_and_contested_columns_are_reported_with_candidates() -> None:
    data = frame({"Titel": ["Erzählcafé", "Tafel", "Beratung", "Chor"],
                  "Text A": DESCRIPTIONS, "Text B": [d.upper() for d in DESCRIPTIONS],
                  "Wann": ["03/2019", "seit 2021", "01.09.2022", "2018"], "Verein": ["A", "B", "A", "B"]})
    report = Report()
    choice = columns.choose_mapping(data, {schema.BEGINN: None})
    columns.report_mapping(choice.mapping, data, report, file="f.csv", sheet="", choice=choice)
    messages = [p.message for p in report.problems]
    assert any(m.startswith("Für „Beschreibung“ kamen mehrere Spalten in Frage") and "„Text B“" in m for m in messages)
    assert not any("„Beginn“" in m for m in messages)  # the user removed it on purpose
    assert choice.mapping[schema.TRAEGER] == "Verein"
    report = Report()
    choice = columns.choose_mapping(data.rename(columns={"Wann": "Notiz 2"}))
    columns.report_mapping(choice.mapping, data.rename(columns={"Wann": "Notiz 2"}), report, file="f.csv", sheet="",
                           choice=choice)
    assert any("Keine Spalte für „Beginn“" in p.message and "„Notiz 2“" in p.message for p in report.problems)


@pytest.mark.parametrize(("header", "period"), [("Std./Monat", ("Monat", 12.0)), ("Stunden pro Woche", ("Woche", 52.0)),
                                                ("h/Jahr", ("Jahr", 1.0)), ("Wochenstunden", ("Woche", 52.0)),
                                                ("Aufwand p.a.", ("Jahr", 1.0)), ("Stunden", None),
                                                ("Wochenstd.", ("Woche", 52.0)), ("Std/Wo", ("Woche", 52.0)),
                                                ("Std./Mon.", ("Monat", 12.0)), ("h/a", ("Jahr", 1.0))])
def test_hours_period_from_the_header(header: str, period) -> None:
    assert columns.hours_period(header) == period


NAMES = ["Krabbelgruppe", "Lernpaten", "Sprachcafé", "Quartiersrat"]


@pytest.mark.parametrize(("names", "texts"), [
    ("Stichwort", "Was wir tun"),  # the text named as a description, the names by nothing
    ("Was?", "Kurz erklärt"),  # the names under a description's word, the text named by nothing
    ("Kurzinfo", "Maßnahme"),  # the names under a description's header, the text under a title's
    ("Spalte 1", "Spalte 2"),  # neither named
])
def test_content_decides_which_column_is_the_title_and_which_the_description(names: str, texts: str) -> None:
    data = frame({"Quartier": ["Nord", "Nord", "Süd", "Süd"], names: NAMES, texts: DESCRIPTIONS,
                  "Bemerkungen": REMARKS})
    mapping = columns.choose_mapping(data).mapping
    assert (mapping[schema.TITEL], mapping[schema.BESCHREIBUNG]) == (names, texts)


def test_the_activity_column_that_lost_the_description_to_remarks_becomes_the_title() -> None:
    # an office list: the activities under a description's word; the remarks (one empty) took the slot
    activities = ["Sprechstunde Schuldnerberatung für einzelne Haushalte", "Begleitung von Familien zu Ämtern",
                  "Mittagstisch für Seniorinnen und Senioren", "Runder Tisch Stadtteil mit Schulen und Vereinen",
                  "Befragung der Bewohner zu Bedarfen im Quartier", "Stellungnahme im Sozialausschuss",
                  "Nachbarschaftscafé mit Ehrenamtlichen", "Seelsorgliche Einzelgespräche",
                  "Bewerbungstraining für Arbeitssuchende", "Stadtteilfest mit allen Vereinen",
                  "Mitarbeit im Netzwerk Frühe Hilfen", "Leitung der Kleiderkammer"]
    remarks = ["Einzeltermine nach Vereinbarung", "Hilfeplan mit Jugendamt", "Ehrenamtliche kochen",
               "monatlich im Gemeindehaus", "Auswertung für den Sozialbericht", "zur Armutsberichterstattung",
               "Bewohner organisieren selbst", None, "Stärken entdecken", "Vorbereitungskreis",
               "trägerübergreifende AG", "eigene Einrichtung"]
    data = frame({"Stadtteil": ["Nord"] * 6 + ["Süd"] * 6, "Was wir tun": activities, "Anmerkungen": remarks})
    mapping = columns.choose_mapping(data).mapping
    assert (mapping[schema.TITEL], mapping[schema.BESCHREIBUNG]) == ("Was wir tun", "Anmerkungen")


def test_a_repeating_short_column_does_not_become_the_title() -> None:
    data = frame({"Was wir tun": DESCRIPTIONS, "Kontakt": ["Frau A", "Frau A", "Herr B", "Frau A"],
                  "Bemerkungen": REMARKS})
    mapping = columns.choose_mapping(data).mapping
    assert schema.TITEL not in mapping or mapping[schema.TITEL] == "Was wir tun"
    assert "Kontakt" not in mapping.values()


_NO_VALUE_LOOKALIKES = ["-bitte auswählen-", "( Bitte wählen )", "K. A.", "KEINE ANGABE", "keine  Angaben", "N.N.",
                        "--- entfällt ---", "#WERT!", " #n/a ", "Err:502", "ERR:502", "0", "n/a", "Please select",
                        "*** leer ***", "ﬀ", "K\u212a", "Stra\u00dfe", "bitte auswählen!", "k.a.-Gruppe",
                        "BITTEAUSWÄHLEN", "<<unbekannt>>", "Nicht bekannt", "#GETTING_DATA", "#SPILL!", "0 "]


@settings(deadline=None)  # Arrow calls: slow on a loaded machine, not a bug
@given(st.lists(st.one_of(st.sampled_from(_NO_VALUE_LOOKALIKES),
                          st.text(alphabet=st.sampled_from("kaAKn.-– _/#!?0eEiInNgGbB(ß\u0130\u212a"), max_size=16),
                          st.text(max_size=45)), min_size=70, max_size=120))
def test_no_value_texts_is_is_no_value_of_each_text(texts: list[str]) -> None:
    # more than 64 texts: the vectorised pre-filter (ASCII letters and digits) decides for most of them
    distinct = pd.Index(list(dict.fromkeys(texts)) + [f"Kurs {i} Nordstadt" for i in range(70)], dtype="str")
    for text_column in (False, True):
        got = columns.no_value_texts(distinct, text_column=text_column).tolist()
        assert got == [columns.is_no_value(t, text_column=text_column) for t in distinct]


def test_no_value_texts_finds_placeholders_among_many_titles() -> None:
    titles = [f"Treffen {i} im Quartier" for i in range(500)]
    distinct = pd.Index([*titles, "- bitte auswählen -", "#NV", "k.A."], dtype="str")
    assert columns.no_value_texts(distinct).tolist() == [False] * 500 + [True] * 3


def test_blank_cells_are_whitespace_only_for_every_code_point():
    """``filled_mask`` finds blank text without stripping it: the same answer as ``str.strip() != ""``
    on Arrow strings for every code point alone, inside text and around it."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    texts = pd.Series(chars + [f" {c} " for c in chars[::97]] + [f"a{c}" for c in chars[::89]]
                      + ["", " ", "\u3000\t\n", " x "], dtype="str")
    expected = texts.str.strip().ne("").to_numpy(dtype=bool)
    assert (columns._not_blank(texts) == expected).all()
    assert 20 < (~expected).sum() < 40  # the whitespace code points (and the blank texts)
    values = pd.Series(["\u2003", "Treff", None, 3, "\u00a0x\u00a0"], dtype=object)
    assert columns.filled_mask(values).tolist() == [False, True, False, True, True]


@settings(deadline=None, max_examples=50)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aZ09 -ä€😀#!\n")), max_size=60), min_size=0, max_size=90),
       st.integers(0, 3))
def test_no_value_candidates_counted_on_bytes_are_those_of_length_and_letters(texts: list[str], repeat: int) -> None:
    """Characters counted from bytes (1–4 a character) and ASCII letters and digits counted byte by byte give what
    ``str.len`` and the RE2 pattern give — also past ``_PREFILTER_FROM`` short texts, with multi-byte characters."""
    import numpy as np
    import pyarrow as pa

    series = pd.Series(texts * (repeat + 1), dtype="str")
    expected = series.str.len().to_numpy() <= columns.MAX_PLACEHOLDER_CHARS
    short = np.flatnonzero(expected)
    if len(short) > columns._PREFILTER_FROM:
        expected[short[series.iloc[short].str.contains(columns._MORE_ALNUM, regex=True).to_numpy(dtype=bool)]] = False
    assert columns.no_value_candidates(series).tolist() == expected.tolist()
    sliced = pd.Series(pd.arrays.ArrowStringArray(pa.array(["x" * 50, *series.tolist()], pa.large_string()).slice(1)))
    assert columns.no_value_candidates(sliced).tolist() == expected.tolist()
