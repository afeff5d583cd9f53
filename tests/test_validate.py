"""Stage validate: skipped rows with reasons, cell checks."""

from __future__ import annotations

import pandas as pd

from soni import normalise, schema, validate
from soni.report import Report


def screen(rows: list[list], header: list[str], mapping: dict[str, str]) -> tuple[pd.Series, Report]:
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    report = Report()
    keep = validate.screen_rows(frame, list(range(2, 2 + len(rows))), mapping, report, file="f.xlsx", sheet="S")
    return keep, report


HEADER = ["Titel", "Quartier", "Kosten", "Teilnehmende", "Träger"]
MAPPING = {schema.TITEL: "Titel", schema.QUARTIER: "Quartier", schema.KOSTEN: "Kosten"}


def test_empty_total_and_repeated_header_rows_are_skipped_with_reasons() -> None:
    rows = [["Café", "Nord", 10, 5, "Gemeinde"], [None, "  ", None, None, None],
            ["Titel", "Quartier", "Kosten", "Teilnehmende", "Träger"], ["Tafel", "Süd", 20, 8, "Diakonie"],
            ["Summe", None, 30, 13, None]]
    keep, report = screen(rows, HEADER, MAPPING)
    assert keep.tolist() == [True, False, False, True, False]
    assert report.skip_summary() == {"leere Zeile": 1, "Kopfzeile wiederholt": 1, "Summenzeile": 1}
    assert {p.row for p in report.problems} == {3, 4, 6}


def test_a_title_that_starts_like_a_total_word_is_kept() -> None:
    rows = [["Gesamtelternbeirat der Kitas", "Nord", 0, 12, "Stadt"], ["Total verrückt: Theater", "Süd", 1, 2, "x"]]
    keep, _ = screen(rows, HEADER, MAPPING)
    assert keep.all()


def test_legend_rows_after_the_table_are_skipped_but_sparse_rows_inside_are_kept() -> None:
    rows = [["Café", "Nord", 10, 5, "Gemeinde"], ["Nur ein Titel", None, None, None, None],
            ["Tafel", "Süd", 20, 8, "Diakonie"], [None] * 5, ["* Kosten ohne Personal", None, None, None, None],
            [102, "Zugang zu Beschäftigung", None, None, None]]
    keep, report = screen(rows, HEADER, MAPPING)
    assert keep.tolist() == [True, True, True, False, False, False]
    assert report.skip_summary()["Legende oder Fußnote"] == 2


def test_check_cells_reports_error_values_cuts_long_cells_and_flags_dates() -> None:
    original = pd.DataFrame({"Titel": ["#DIV/0!", "x" * 40_000], "Start": ["2024", "01.01.2024"],
                             "Notiz": ["Err:502", "ok"], "Ende": ["2023", ""], "Kosten": [-5, 3]}, dtype=object)
    mapping = {schema.TITEL: "Titel", schema.BEGINN: "Start", schema.ENDE: "Ende", schema.KOSTEN: "Kosten"}
    report = Report()
    acts = normalise.normalise(original, mapping, [2, 3], report, file="f.xlsx", sheet="S")
    acts[schema.ZEILE] = [2, 3]
    original2, acts2 = validate.check_cells(original, acts, mapping, report, file="f.xlsx", sheet="S")
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "#DIV/0!" in messages[(2, "Titel")]
    assert "Err:502" in messages[(2, "Notiz")]  # LibreOffice's error codes too
    assert "gekürzt" in messages[(3, "Titel")]
    assert len(original2.at[1, "Titel"]) == validate.MAX_CELL_CHARS == len(acts2.at[1, schema.TITEL])
    assert "Negativer Wert" in messages[(2, "Kosten")]
    assert "Ende liegt vor dem Beginn" in messages[(2, "Ende")]
    assert acts2.at[0, schema.TITEL] == ""
    assert len(original.at[1, "Titel"]) == 40_000  # the input frame is not changed


def test_example_rows_of_the_template_are_skipped() -> None:
    rows = [[f"{schema.BEISPIEL_MARKE}: Nachbarschaftscafé", "Nord", 1, 2, "x"], ["Echte Aktivität", "Süd", 1, 2, "y"]]
    keep, report = screen(rows, HEADER, MAPPING)
    assert keep.tolist() == [False, True]
    assert report.skip_summary() == {"Beispielzeile der Vorlage": 1}


def test_footer_lines_of_an_office_list_are_notes_and_error_rows_are_skipped() -> None:
    rows = [["Café", "Nord", 10, 5, "Gemeinde"], ["Erstellt am 03.02.2024 (Gemeindebüro)", None, None, None, None],
            ["Tafel", "Süd", 20, 8, "Diakonie"], ["#WERT!", "#WERT!", "#WERT!", "#NV", "#WERT!"],
            ["-bitte auswählen-", "-bitte auswählen-", None, None, "0"], ["Seite 1 von 2", None, None, None, None]]
    keep, report = screen(rows, HEADER, {**MAPPING, schema.TRAEGER: "Träger"})
    assert keep.tolist() == [True, False, True, False, False, False]
    assert report.skip_summary() == {"Legende oder Fußnote": 2, "nur Fehlerwerte oder Platzhalter": 2}


def _xlsx(frame: pd.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def test_numbers_beyond_a_believable_range_are_refused_per_cell_and_the_row_stays() -> None:
    """Issue #16: Stunden 1e308 and Kosten 1e200 (real numbers in an xlsx) are refused with row and column."""
    from soni import aggregate, charts, pipeline
    from soni.report import FEHLER

    data = _xlsx(pd.DataFrame({"Aktivität": ["Treff", "Tafel", "Chor"], "Quartier": ["Nord", "Süd", "Süd"],
                               "Stunden": [1e308, 1e308, 3.0], "Kosten": [-1e200, 5.0, 1e10]}))
    inventory = pipeline.run([("werte.xlsx", data)])
    acts = inventory.activities
    assert len(acts) == 3  # no row lost
    assert acts[schema.STUNDEN].isna().tolist() == [True, True, False]
    assert acts[schema.KOSTEN].tolist()[1:] == [5.0, 1e10] and pd.isna(acts[schema.KOSTEN].iloc[0])
    errors = inventory.report.of_level(FEHLER)
    assert [(p.row, p.column) for p in errors] == [(2, "Stunden"), (3, "Stunden"), (2, "Kosten")]
    assert "unglaubhaft groß (höchstens 1.000.000)" in errors[0].message and "1e+308" in errors[0].message
    # what used to crash: the shares of the Stunden in the grid
    for share in (False, True):
        charts.soni_grid_figure(aggregate.field_grid(acts, "stunden"), "stunden", "Stunden", share=share)


def test_error_values_beside_only_block_columns_are_no_activity() -> None:
    header = ["Titel", "Beschreibung", "Quartier", "Träger", "Kosten"]
    mapping = {schema.TITEL: "Titel", schema.BESCHREIBUNG: "Beschreibung", schema.QUARTIER: "Quartier",
               schema.TRAEGER: "Träger", schema.KOSTEN: "Kosten"}
    rows = [["Café", "Treffen für alle", "Nord", "Gemeinde", 10],
            ["#WERT!", "#WERT!", "Nord", None, "#WERT!"],  # the Quartier of its block, errors elsewhere
            ["#NV", "k.A.", "Süd", "Diakonie", "#DIV/0!"],
            ["#WERT!", "Beratung bei Schulden", "Süd", None, None],  # a description of its own: an activity
            ["-", None, "Süd", "Diakonie", 20],  # a number of its own: an activity
            ["#NV", None, "Süd", "Diakonie", None]]  # more values than errors: kept, reported per cell later
    keep, report = screen(rows, header, mapping)
    assert keep.tolist() == [True, False, False, True, True, True]
    reason = "nur Fehlerwerte oder Platzhalter (neben Angaben wie Quartier oder Träger)"
    assert report.skip_summary() == {reason: 2}
    assert sorted(p.row for p in report.problems) == [3, 4]


def test_a_repeated_header_is_recognised_in_any_case_even_where_case_folding_lengthens_it() -> None:
    header = ["Titel", "STRASSE", "Kosten"]
    rows = [["Café", "Hauptstraße 1", 10], ["titel", "Straße", "KOSTEN"], ["Tafel", "Markt 2", 20]]
    keep, report = screen(rows, header, {schema.TITEL: "Titel", schema.KOSTEN: "Kosten"})
    assert keep.tolist() == [True, False, True]
    assert report.skip_summary() == {"Kopfzeile wiederholt": 1}


def test_a_total_row_needs_a_total_word_at_the_very_start_of_its_title() -> None:
    rows = [["Café", "Nord", 10, 5, "Gemeinde"], ["  Summe", None, 30, 13, None], ["Summe:", None, 30, 13, None]]
    keep, report = screen(rows, HEADER, MAPPING)
    assert keep.tolist() == [True, True, False]
    assert report.skip_summary() == {"Summenzeile": 1}


def test_check_cells_looks_only_at_candidates_and_finds_every_error_value_and_long_cell() -> None:
    """Error values are found behind any whitespace (also a no-break space) and in any case; a cell is too long by
    its characters after stripping — not by its bytes (umlauts) nor by the spaces around it."""
    limit = validate.MAX_CELL_CHARS
    cells = ["\u00a0#WERT!\u00a0", " #nv", "Err:502 ", "x#y", "Err:50", "# keine Angabe", "ä" * 20_000,
             " " * 10 + "x" * limit + " " * 10, "y" * (limit + 1), None, "\u2003", "Treff"]
    original = pd.DataFrame({"Titel": cells, "Beschreibung": ["", "  ", "", "", "", "", "", "", "", "", "", ""]},
                            dtype=object)
    mapping = {schema.TITEL: "Titel", schema.BESCHREIBUNG: "Beschreibung"}
    rows = list(range(2, 2 + len(cells)))
    report = Report()
    acts = normalise.normalise(original, mapping, rows, report, file="f.xlsx", sheet="S")
    acts[schema.ZEILE] = rows
    original2, acts2 = validate.check_cells(original, acts, mapping, report, file="f.xlsx", sheet="S")
    messages = {(p.row, p.column): p.message for p in report.problems if p.column == "Titel"}
    assert {r for r, _ in messages} == {2, 3, 4, 10}
    assert "#WERT!" in messages[(2, "Titel")] and "#nv" in messages[(3, "Titel")]
    assert "Err:502" in messages[(4, "Titel")] and "gekürzt" in messages[(10, "Titel")]
    assert len(original2.at[8, "Titel"]) == limit and len(original2.at[6, "Titel"]) == 20_000
    assert acts2[schema.TITEL].tolist()[:7] == ["", "", "", "x#y", "Err:50", "# keine Angabe", "ä" * 20_000]
    hint = [p.message for p in report.problems if "ohne Titel und Beschreibung" in p.message]
    assert hint and hint[0].startswith("5 Aktivitäten")


def test_total_words_are_looked_for_only_in_texts_that_can_start_one() -> None:
    """Only texts whose first letter starts a total word (either case) or is not ASCII are matched; the result is
    the pattern's own, also for the long s and the dotless i that Python's IGNORECASE lets stand for s and i."""
    titles = ["Summe", "SUMME 2024", "ſumme", "ınsgesamt", "Insgesamt:", "Gesamtelternbeirat", "Total verrückt",
              "Ergebnis", "Café", "", "Zwischensumme", "Nachbarschaftscafé", "sum", "Äpfel", "subtotal"]
    texts = pd.Series(titles, dtype=object)
    where = pd.Series(True, index=texts.index)
    got = validate._matches(texts, validate._TOTAL, where, max_len=40, starts=validate._TOTAL_STARTS)
    assert got.tolist() == [validate._TOTAL.match(t) is not None for t in titles]
    assert got.sum() >= 8
