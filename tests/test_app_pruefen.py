"""AppTest of "Zuordnung prüfen": worklist order, corrections by hand, their effect, the round trip."""

from __future__ import annotations

import numpy as np

from soni import grid, schema, texts
from tests.test_app_common import XLSX_MIME, app_fixture, charts, current_inventory, heatmap_z, run, upload  # noqa: F401 — fixture
from views import downloads
from views.keys import Keys


def _edit(at, edits: dict[int, dict[str, str]]) -> None:
    """Edit cells of the (keyed) data editor as the browser would, then run."""
    editor = at.data_editor[0]
    at.session_state[editor.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    run(at)


def _corrected(at):
    return at.session_state[Keys.CORRECTED][1]


def _row(inventory, row_id: str):
    acts = inventory.activities
    return acts[acts[schema.ZEILEN_ID].astype(str) == row_id].iloc[0]


def test_worklist_starts_with_unclear_then_low_confidence(app):
    run(app)
    run(app, "pruefen")
    table = app.data_editor[0].value
    fields = list(table[schema.SONI_FELD])
    n_unclear = fields.count(grid.UNKLAR)
    assert n_unclear > 0, "the sample has unclear rows"
    assert fields[:n_unclear] == [grid.UNKLAR] * n_unclear
    rest = table[schema.SONI_KONFIDENZ].to_numpy()[n_unclear:]
    assert np.all(np.diff(rest) >= 0)
    # only field and aspect are editable
    assert app.data_editor[0].editing_mode == "fixed"


def test_correction_changes_the_heatmap_cell(app):
    run(app)
    before = heatmap_z(charts(app)["chart_feld"])
    run(app, "pruefen")
    table = app.data_editor[0].value
    assert table.iloc[0][schema.SONI_FELD] == grid.UNKLAR
    row_id = table.index[0]
    _edit(app, {0: {schema.SONI_FELD: "Sozialstruktur"}})
    assert app.session_state[Keys.CORRECTIONS] == {row_id: ("Sozialstruktur", "")}
    # the editor is redrawn from the corrected data; the row stays in place
    table = app.data_editor[0].value
    assert table.index[0] == row_id
    assert (table.iloc[0][schema.SONI_FELD], table.iloc[0][schema.SONI_QUELLE]) == ("Sozialstruktur", "manuell")
    run(app, "quartier")
    after = heatmap_z(charts(app)["chart_feld"])
    s = grid.FIELD_BY_NAME["Sozialstruktur"]
    assert after[s.row][s.col] == before[s.row][s.col] + 1
    others = [(f.row, f.col) for f in grid.FIELDS if f.name != "Sozialstruktur"]
    assert all(after[r][c] == before[r][c] for r, c in others)


def test_aspect_of_another_field_moves_the_field(app):
    run(app)
    run(app, "pruefen")
    table = app.data_editor[0].value
    pos = list(table[schema.SONI_FELD]).index("Netzwerk")
    row_id = table.index[pos]
    _edit(app, {pos: {schema.SONI_ASPEKT: "Case-Management"}})
    assert app.session_state[Keys.CORRECTIONS][row_id] == ("Individuum", "Case-Management")


def test_unklar_is_a_correction_and_ohne_aspekt_clears(app):
    run(app)
    run(app, "pruefen")
    table = app.data_editor[0].value
    pos = next(i for i, (f, a) in enumerate(zip(table[schema.SONI_FELD], table[schema.SONI_ASPEKT], strict=True))
               if f != grid.UNKLAR and a != texts.OHNE_ASPEKT)
    row_id = table.index[pos]
    field = table.iloc[pos][schema.SONI_FELD]
    _edit(app, {pos: {schema.SONI_ASPEKT: texts.OHNE_ASPEKT}})
    assert app.session_state[Keys.CORRECTIONS][row_id] == (field, "")
    row = _row(_corrected(app), row_id)
    assert (row[schema.SONI_FELD], row[schema.SONI_ASPEKT], row[schema.SONI_QUELLE]) == (field, "", "manuell")
    _edit(app, {pos: {schema.SONI_FELD: grid.UNKLAR}})
    assert app.session_state[Keys.CORRECTIONS][row_id] == (grid.UNKLAR, "")
    row = _row(_corrected(app), row_id)
    assert (row[schema.SONI_FELD], row[schema.SONI_ASPEKT], row[schema.SONI_QUELLE]) == (grid.UNKLAR, "", "manuell")
    assert app.metric[3].value == "1"  # "korrigiert"


def test_selected_corrections_are_taken_back(app):
    run(app)
    run(app, "pruefen")
    table = app.data_editor[0].value
    _edit(app, {0: {schema.SONI_FELD: "Organisation"}, 1: {schema.SONI_FELD: "Netzwerk"},
                2: {schema.SONI_FELD: "Individuum"}})
    corrections = app.session_state[Keys.CORRECTIONS]
    assert set(corrections) == set(table.index[:3])
    undo = app.button(key="w_undo_selected")
    assert undo.disabled  # nothing selected yet
    listing = next(d for d in app.dataframe if str(d.key).startswith("table_corrections"))
    taken_back = str(listing.value.iloc[1][schema.ZEILEN_ID])
    app.session_state[listing.key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    run(app)
    app.button(key="w_undo_selected").click()
    run(app)
    left = app.session_state[Keys.CORRECTIONS]
    assert taken_back not in left and len(left) == 2
    raw = current_inventory(app).activities
    row = _row(_corrected(app), taken_back)
    auto = raw[raw[schema.ZEILEN_ID].astype(str) == taken_back].iloc[0]
    assert (row[schema.SONI_FELD], row[schema.SONI_QUELLE]) == (auto[schema.SONI_FELD], auto[schema.SONI_QUELLE])
    # the selection does not outlive the list it was made in
    assert app.button(key="w_undo_selected").disabled


def test_reset_button_discards_all_corrections(app):
    run(app)
    run(app, "pruefen")
    _edit(app, {0: {schema.SONI_FELD: "Organisation"}, 1: {schema.SONI_FELD: "Netzwerk"}})
    assert len(app.session_state[Keys.CORRECTIONS]) == 2
    app.button(key="w_reset_corrections").click()
    run(app)
    assert app.session_state[Keys.CORRECTIONS] == {}


def test_corrected_download_round_trips(app):
    run(app)
    run(app, "pruefen")
    table = app.data_editor[0].value
    row_id = table.index[0]
    _edit(app, {0: {schema.SONI_FELD: "Individuum", schema.SONI_ASPEKT: "Case-Management"}})
    corrected = _corrected(app)
    data = downloads.inventory_xlsx(corrected)  # what the download button delivers
    upload(app, ("zugeordnet.xlsx", data, XLSX_MIME))
    assert not app.error, [e.value for e in app.error]
    again = current_inventory(app).activities
    assert len(again) == len(corrected.activities)
    old = corrected.activities
    for column in (schema.SONI_FELD, schema.SONI_ASPEKT):
        assert list(again[column].astype(str)) == list(old[column].astype(str)), column
    position = list(old[schema.ZEILEN_ID].astype(str)).index(row_id)
    assert again[schema.SONI_FELD].astype(str).iloc[position] == "Individuum"
