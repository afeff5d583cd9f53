"""AppTest of the Quartier page: heatmaps, metric, filters, shares, the reading and the drill-down."""

from __future__ import annotations

import json

import numpy as np

from soni import aggregate, grid, schema, texts
from tests.test_app_common import (  # noqa: F401 — fixture
    app_fixture,
    chart_args,
    chart_elements,
    charts,
    csv_bytes,
    current_inventory,
    heatmap_z,
    run,
    small_inventory,
    upload,
)


def _field_total(at, key: str = "chart_feld") -> float:
    return float(heatmap_z(charts(at)[key]).sum())


def test_heatmaps_match_the_data_and_have_captions_and_png_config(app):
    run(app)
    df = current_inventory(app).activities
    figs = charts(app)
    z2 = heatmap_z(figs["chart_feld"])
    assert z2.shape == (2, 2)
    for f in grid.FIELDS:  # System above, Lebenswelt below
        assert z2[f.row][f.col] == (df[schema.SONI_FELD].astype(str) == f.name).sum()
    z4 = heatmap_z(figs["chart_aspekt"])
    assert z4.shape == (4, 3)
    assert z4.sum() <= z2.sum()
    # every chart: a title and a caption that names the scope and the source
    for spec in figs.values():
        assert spec["layout"]["title"]["text"]
    captions = [c.value for c in app.caption]
    assert sum("Quelle" in c and "alle Quartiere" in c for c in captions) >= 2
    for element in chart_elements(app):
        config = json.loads(chart_args(element)["config"])
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["showSendToCloud"] is False  # plotly.js 4 would offer an upload to Plotly Cloud
        assert element.key
    assert not app.get("plotly_chart")  # Streamlit's full plotly bundle (4.7 MB) is never asked for


def test_metric_switch_changes_values_and_says_what_is_missing(app):
    upload(app, ("liste.csv", csv_bytes(small_inventory(20)), "text/csv"))
    run(app, "quartier")
    df = current_inventory(app).activities
    assert _field_total(app) == (df[schema.SONI_FELD].astype(str) != grid.UNKLAR).sum()
    app.radio(key="w_metric").set_value("stunden")
    run(app)
    assigned = df[df[schema.SONI_FELD].astype(str) != grid.UNKLAR]
    assert np.isclose(_field_total(app), assigned[schema.STUNDEN].sum())
    missing = int(df[schema.STUNDEN].isna().sum())
    assert missing > 0
    assert any(f"Für {missing} von {len(df)} Aktivitäten fehlt die Angabe Stunden" in c.value for c in app.caption)


def test_quartier_and_filters_restrict_the_heatmap(app):
    upload(app, ("liste.csv", csv_bytes(small_inventory(30)), "text/csv"))
    run(app, "quartier")
    df = current_inventory(app).activities
    assigned = df[df[schema.SONI_FELD].astype(str) != grid.UNKLAR]
    app.selectbox(key="w_quartier").set_value("Nordstadt")
    run(app)
    assert _field_total(app) == (assigned[schema.QUARTIER].astype(str) == "Nordstadt").sum()
    app.multiselect(key="w_traeger").set_value(["Diakonie Musterstadt"])
    run(app)
    expected = ((assigned[schema.QUARTIER].astype(str) == "Nordstadt")
                & (assigned[schema.TRAEGER].astype(str) == "Diakonie Musterstadt")).sum()
    assert _field_total(app) == expected
    app.multiselect(key="w_periods").set_value(["2024"])
    run(app)
    expected = ((assigned[schema.QUARTIER].astype(str) == "Nordstadt")
                & (assigned[schema.TRAEGER].astype(str) == "Diakonie Musterstadt")
                & (assigned[schema.JAHR] == 2024)).sum()
    assert _field_total(app) == expected


def test_share_toggle_shows_shares_that_add_up_to_one(app):
    run(app)
    app.toggle(key="w_share").set_value(True)
    run(app)
    assert np.isclose(_field_total(app), 1.0)


def test_reading_and_model_explanation_are_shown(app):
    run(app)
    assert "Schwerpunkte und Lücken" in [s.value for s in app.subheader]
    texts_ = [m.value for m in app.markdown]
    assert any("Schwerpunkt" in t for t in texts_)
    assert any(t.startswith("**Alle Quartiere") for t in texts_)  # the headline opens a sentence
    assert not any(" %" in t for t in texts_)  # "25 %" never breaks between number and unit
    assert any(e.label == "Was ist das SONI-Modell?" for e in app.expander)


def test_drill_down_lists_the_activities_of_a_cell(app):
    run(app)
    df = current_inventory(app).activities
    app.selectbox(key="w_cell_field").set_value("Netzwerk")
    run(app)
    app.selectbox(key="w_cell_aspect").set_value("Trägerübergreifende Kooperation")
    run(app)
    expected = aggregate.activities_in_cell(df, "Netzwerk", "Trägerübergreifende Kooperation")
    table = app.dataframe[-1].value
    assert len(table) == len(expected) > 0
    assert set(table[schema.SONI_ASPEKT].astype(str)) == {"Trägerübergreifende Kooperation"}
    assert any(m.value.startswith(f"**{len(expected)} Aktivit") for m in app.markdown)


def test_clicked_cell_selects_field_and_aspect(app):
    """A click on a heatmap cell arrives as the chart's value (its key and time); the drill-down follows it.
    (AppTest sets the value the chart component sends; tests/test_browser.py clicks in a real browser.)"""
    run(app)
    app.session_state["chart_aspekt"] = {"keys": ["I3"], "at": 1}
    run(app)
    assert app.selectbox(key="w_cell_field").value == "Individuum"
    assert app.selectbox(key="w_cell_aspect").value == "Case-Management"


def test_filters_that_leave_nothing_say_so(app):
    run(app)
    df = current_inventory(app).activities
    years = sorted(df[schema.JAHR].dropna().astype(int).unique())
    first = df[df[schema.JAHR] == years[0]]
    other = sorted(set(df[schema.TRAEGER].astype(str)) - set(first[schema.TRAEGER].astype(str)))
    assert other, "a Träger without activities in the first year"
    app.multiselect(key="w_periods").set_value([str(years[0])])
    run(app)
    app.multiselect(key="w_traeger").set_value([other[0]])
    run(app)
    assert any(texts.EMPTY_SELECTION in i.value for i in app.info)
    assert not any("könnte so aussehen" in c.value for c in app.caption)  # no hint for a cell of nothing
    run(app, "vergleich")
    assert any(texts.EMPTY_SELECTION in i.value for i in app.info)


def _click(app, chart: str, key: str, at: int = 1) -> None:
    """What the chart component sends on a click on the cell ``key`` at time ``at``."""
    app.session_state[chart] = {"keys": [key], "at": at}


def _drill_position(app) -> tuple[int, int]:
    """(index of the drill-down heading, index of the 4×3 chart) in the page's element order."""
    flat: list[object] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            value = getattr(child, "value", None)
            flat.append(value if isinstance(value, str) else getattr(child, "key", None))
            walk(child)

    walk(app.main)
    return flat.index(texts.QUARTIER_PAGE["cell_title"]), flat.index("chart_aspekt")


def test_a_click_in_the_2x2_grid_counts_after_a_click_in_the_aspect_grid(app):
    """Both charts keep their selection: the chart whose selection changed was clicked."""
    run(app)
    _click(app, "chart_aspekt", "I3")
    run(app)
    assert app.selectbox(key="w_cell_field").value == "Individuum"
    heading, aspects = _drill_position(app)
    assert heading > aspects  # the list sits below the 4×3 grid that was clicked
    _click(app, "chart_feld", "Netzwerk")
    run(app)
    assert app.selectbox(key="w_cell_field").value == "Netzwerk"
    assert app.selectbox(key="w_cell_aspect").value == texts.ALL_ASPECTS
    heading, aspects = _drill_position(app)
    assert heading < aspects  # now right below the 2×2 grid, above the 4×3 grid
    run(app)  # a rerun without a new click changes nothing
    assert app.selectbox(key="w_cell_field").value == "Netzwerk"
    _click(app, "chart_aspekt", "I3", at=2)  # the same cell of the 4×3 grid again: a new click
    run(app)
    assert app.selectbox(key="w_cell_field").value == "Individuum"
    heading, aspects = _drill_position(app)
    assert heading > aspects


def test_choosing_every_traeger_is_no_filter(app):
    run(app)
    options = app.multiselect(key="w_traeger").options
    app.multiselect(key="w_traeger").set_value(options)
    run(app)
    captions = [c.value for c in app.caption]
    assert len(options) > 1
    for c in captions:  # the scope in the chart captions names no Träger: it is all of them
        assert f"{len(options)} Träger" not in c and not any(f"Träger {o}" in c for o in options), c
    assert any("alle Quartiere" in c for c in captions)


def test_empty_cells_say_so_in_german(app):
    run(app)
    app.selectbox(key="w_cell_field").set_value(grid.UNKLAR)
    run(app)
    shown = [c.value for c in app.caption]
    if not len(aggregate.activities_in_cell(current_inventory(app).activities, grid.UNKLAR)):
        assert texts.NO_ROWS in shown


def test_the_activity_list_shows_once_a_cell_is_chosen(app):
    """Before a click (or a choice in the selectboxes) the page has no table: the data grid's scripts would
    compete with the charts for the first heatmap in the browser. After a choice it stays."""
    run(app)
    assert not app.dataframe
    assert texts.QUARTIER_PAGE["cell_hint"] in [c.value for c in app.caption]
    _click(app, "chart_feld", "Netzwerk")
    run(app)
    assert len(app.dataframe) == 1 and any("in Netzwerk" in m.value for m in app.markdown)
    app.toggle(key="w_share").set_value(True)
    run(app)
    assert len(app.dataframe) == 1
