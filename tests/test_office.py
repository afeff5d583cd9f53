"""Inventories the way an office keeps them (tests/office.py): merged blocks, own headers, placeholders."""

from __future__ import annotations

import pytest

from soni import columns, pipeline, schema
from soni.intake import _child
from tests import office

EXPECTED_QUARTIER = [row[2] for row in office.ACTIVITIES]
EXPECTED_TRAEGER = [row[3] for row in office.ACTIVITIES]


@pytest.fixture(scope="module", params=["parish_xlsx", "parish_xls", "parish_ods"])
def merged_inventory(request):
    return pipeline.run([getattr(office, request.param)()])


def test_merged_blocks_give_every_activity_its_quartier_and_traeger(merged_inventory) -> None:
    inv = merged_inventory
    assert len(inv) == office.N_ACTIVITIES
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == EXPECTED_QUARTIER
    assert inv.original["Wer macht's"].tolist() == EXPECTED_TRAEGER
    filled = [p.message for p in inv.report.problems if "verbundenen Zellbereichen" in p.message]
    blanks_q = sum(b - a for a, b in office.parish_rows()[1][2])
    blanks_t = sum(b - a for a, b in office.parish_rows()[1][3])
    assert filled == [f"{blanks_q + blanks_t} Zellen aus verbundenen Zellbereichen gefüllt („Wo (Bezirk/Viertel)“ "
                      f"{blanks_q}, „Wer macht's“ {blanks_t}): der Wert eines über mehrere Zeilen verbundenen "
                      "Bereichs gilt für jede dieser Zeilen."]


def test_error_row_and_placeholder_row_are_skipped_and_reported(merged_inventory) -> None:
    skips = merged_inventory.report.skip_summary()
    assert skips["nur Fehlerwerte oder Platzhalter"] == 2
    assert office.PLACEHOLDER not in set(merged_inventory.activities[schema.QUARTIER].astype(str))
    first = len(office.TITLE_ROWS) + 2  # Excel row of the first activity
    assert merged_inventory.activities[schema.ZEILE].tolist() == list(range(first, first + office.N_ACTIVITIES))


def test_fill_merged_fills_blocks_over_rows_only_and_stays_inside_the_sheet() -> None:
    rows = [["Titel", "", ""], ["Nord", "a", ""], ["", "b", ""], ["", "c"]]
    counts = _child.fill_merged(rows, [((0, 0), (0, 2)), ((1, 0), (9, 0)), ((1, 1), (1, 2))])
    assert rows == [["Titel", "", ""], ["Nord", "a", ""], ["Nord", "b", ""], ["Nord", "c"]]
    assert counts == {0: 2}
    crafted = [["", "y", ""] for _ in range(3)]
    crafted[0][0] = "x"
    assert _child.fill_merged(crafted, [((0, 0), (10**9, 10**9))] * 3) == {0: 2, 2: 3}


def test_a_spacer_row_inside_a_merged_block_stays_empty() -> None:
    rows = [["Nord", "Café"], ["", "Tafel"], ["", ""], ["", "Chor"]]
    assert _child.fill_merged(rows, [((0, 0), (3, 0))]) == {0: 2}
    assert rows == [["Nord", "Café"], ["Nord", "Tafel"], ["", ""], ["Nord", "Chor"]]


def test_ods_merged_ranges_are_found_with_repeated_cells() -> None:
    _name, data = office.parish_ods()
    ranges = _child.ods_merged_ranges(data)["Angebote 2024"]
    first = len(office.TITLE_ROWS) + 1
    assert ((first, 2), (first + office.BLOCKS[0] - 1, 2)) in ranges


@pytest.mark.parametrize("text", ["-bitte auswählen-", "(bitte wählen)", "k.A.", "k. A.", "n.n.", "N.N.", "-", "–",
                                  "#WERT!", "#n/a", "Err:502", "keine Angabe"])
def test_placeholders_and_error_values_are_no_values(text: str) -> None:
    assert columns.is_no_value(text)


@pytest.mark.parametrize("text", ["Nordstadt", "0", "Kinder- und Jugendarbeit", "k.A.-Gruppe", "Wählen gehen"])
def test_real_values_are_values(text: str) -> None:
    assert not columns.is_no_value(text)


def test_zero_is_empty_only_in_text_columns() -> None:
    assert columns.is_no_value("0", text_column=True) and columns.is_no_value(0.0, text_column=True)
    assert not columns.is_no_value(0.0) and not columns.is_no_value("0")


def test_the_office_headers_map_and_hours_per_month_become_hours_per_year(merged_inventory) -> None:
    mapping = next(iter(merged_inventory.mappings.values()))
    assert mapping == {schema.TITEL: "Angebot/Aktion", schema.BESCHREIBUNG: "Worum geht's",
                       schema.QUARTIER: "Wo (Bezirk/Viertel)", schema.TRAEGER: "Wer macht's",
                       schema.BEGINN: "ab wann", schema.STUNDEN: "Std./Monat"}
    assert merged_inventory.activities[schema.STUNDEN].tolist() == [12.0 * row[5] for row in office.ACTIVITIES]
    assert merged_inventory.activities[schema.BEGINN].notna().all()
    assert any("in Stunden pro Jahr umgerechnet (× 12)" in p.message for p in merged_inventory.report.problems)


def test_the_office_list_as_csv_with_a_stray_quote_keeps_every_activity() -> None:
    rows, _blocks, first = office.parish_rows()
    rows[first + 5][1] = '"Treffpunkt für alle, offen'  # a quote opened and never closed
    rows[first + 9][6] = 'sagt "super'  # a stray quote in the remarks
    name, data = office.parish_csv(rows)
    inv = pipeline.run([(name, data)], options={name: pipeline.Options(fill_down=("*",))})
    assert len(inv) == office.N_ACTIVITIES
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == EXPECTED_QUARTIER
    repaired = sorted(p.row for p in inv.report.problems if p.message.startswith("CSV repariert"))
    assert repaired == [first + 6, first + 10]  # Excel row numbers of the two lines
    assert inv.report.skip_summary()["nur Fehlerwerte oder Platzhalter"] == 2


def test_a_second_office_with_abbreviated_headers_and_error_rows() -> None:
    inv = pipeline.run([office.club_xlsx()])
    _rows, errors = office.club_rows()
    assert len(inv) == len(office._CLUB)
    acts = inv.activities
    assert acts[schema.TITEL].tolist() == [c[0] for c in office._CLUB]
    assert acts[schema.BESCHREIBUNG].tolist() == [c[1] for c in office._CLUB]
    assert acts[schema.QUARTIER].astype(str).tolist() == ["Westend"] * 3 + ["Gartenstadt"] * 3
    assert acts[schema.STUNDEN].tolist() == [52.0 * c[2] for c in office._CLUB]  # hours per week → per year
    assert acts[schema.TEILNEHMENDE].iloc[[1, 2, 5]].tolist() == [8, 300, 15]
    skipped = [p for p in inv.report.problems if p.row in errors]
    assert sorted(p.row for p in skipped) == errors
    assert all("nur Fehlerwerte oder Platzhalter" in p.message for p in skipped), skipped


@pytest.fixture(scope="module", params=["works_xls", "works_ods"])
def works_inventory(request):
    return pipeline.run([getattr(office, request.param)()])


def test_a_third_office_reads_every_activity_in_its_stadtteil_with_hours_per_year(works_inventory) -> None:
    inv = works_inventory
    assert inv.activities[schema.TITEL].tolist() == [f"{row[0]} (erfunden)" for row in office._WORKS]
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == office.WORKS_QUARTIER
    assert inv.activities[schema.STUNDEN].tolist() == office.WORKS_HOURS  # "2,5", "ca. 6", "2-3" per week
    mapping = next(iter(inv.mappings.values()))
    assert mapping == {schema.TITEL: "Maßnahme", schema.BESCHREIBUNG: "Inhalt / Ziel", schema.QUARTIER: "Stadtteil",
                       schema.ZIELGRUPPE: "Zielgruppe", schema.BEGINN: "Zeitraum", schema.STUNDEN: "Std./Woche"}
    assert inv.report.skip_summary() == {
        f"vor der Kopfzeile („{office.WORKS_TITLE[0][0]}“)": 1, "vor der Kopfzeile („Stand 03/2024“)": 1,
        "Summenzeile": 1, "Legende oder Fußnote": 1}
    messages = [p.message for p in inv.report.problems]
    assert any(m.startswith("Keine Spalte für „Träger“ erkannt") for m in messages)  # the list has none
    assert "Lfd. Nr." in next(m for m in messages if m.startswith("Nicht zugeordnete Spalten"))


def test_a_zeitraum_column_gives_beginn_and_ende(works_inventory) -> None:
    inv = works_inventory
    assert inv.activities[schema.BEGINN].dt.year.tolist()[:3] == [2020, 2022, 2015]
    ends = inv.activities[schema.ENDE].dt.strftime("%Y-%m").fillna("").tolist()
    assert ends == ["", "2024-01", "", "", "2023-11", "", "", "2025-01"]
    assert "3 Zeiträume als Beginn und Ende gelesen (z. B. „2022–2024“ in Zeile 6)." in [
        p.message for p in inv.report.problems]
    assert not [p for p in inv.report.problems if "kein lesbares Datum" in p.message]
