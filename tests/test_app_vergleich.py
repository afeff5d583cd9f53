"""AppTest of the Vergleich page: small multiples, Quartier × field, differences, periods."""

from __future__ import annotations

import numpy as np

from soni import aggregate, grid, schema, texts
from tests.test_app_common import (  # noqa: F401 — fixture
    all_heatmaps_z,
    app_fixture,
    charts,
    current_inventory,
    heatmap_z,
    run,
)


def test_quartiere_side_by_side_on_one_colour_scale(app):
    run(app)
    run(app, "vergleich")
    df = current_inventory(app).activities
    names = [q for q in sorted(df[schema.QUARTIER].astype(str).unique())]
    figs = charts(app)
    multiples = figs["chart_multiples"]
    grids = all_heatmaps_z(multiples)
    assert len(grids) == len(names)
    assert all(t.get("coloraxis") == "coloraxis" for t in multiples["data"] if t["type"] == "heatmap")
    total = sum(g.sum() for g in grids)
    assert total == (df[schema.SONI_FELD].astype(str) != grid.UNKLAR).sum()
    shares = heatmap_z(figs["chart_quartier_felder"])
    assert shares.shape == (len(names), 4)
    assert np.allclose(np.nansum(shares, axis=1), 1.0)


def test_choosing_quartiere_limits_the_small_multiples(app):
    run(app)
    run(app, "vergleich")
    names = app.multiselect(key="w_cmp_quartiere").options[:2]
    app.multiselect(key="w_cmp_quartiere").set_value(names)
    run(app)
    assert len(all_heatmaps_z(charts(app)["chart_multiples"])) == 2


def test_difference_against_the_average_and_against_another_quartier(app):
    run(app)
    run(app, "vergleich")
    df = current_inventory(app).activities
    a = app.selectbox(key="w_diff_a").value
    assert app.selectbox(key="w_diff_b").value == texts.average_label(schema.QUARTIER)
    expected = aggregate.difference(df, "anzahl", a, None).table
    z = heatmap_z(charts(app)["chart_diff_quartier"])
    field_rows = expected[expected["Ebene"] == "Feld"]["Differenz"].to_numpy()
    assert np.allclose(z[:, 0], field_rows)
    b = app.selectbox(key="w_diff_b").options[1]
    app.selectbox(key="w_diff_b").set_value(b)
    run(app)
    expected = aggregate.difference(df, "anzahl", a, b).table
    z = heatmap_z(charts(app)["chart_diff_quartier"])
    assert np.allclose(z[:, 0], expected[expected["Ebene"] == "Feld"]["Differenz"].to_numpy())
    assert any(f"{a} gegenüber {b}" in c.value for c in app.caption)


def test_periods_tab_by_year_and_quarter(app):
    run(app)
    run(app, "vergleich")
    app.session_state["w_cmp_tab"] = "Zeiträume"
    run(app)
    figs = charts(app)
    assert {"chart_perioden", "chart_perioden_felder"} <= set(figs)
    assert "chart_multiples" not in figs  # only the open tab is computed
    df = current_inventory(app).activities
    years = sorted(int(y) for y in df[schema.JAHR].dropna().unique())
    bars = figs["chart_perioden"]["data"]
    assert [str(x) for x in bars[0]["x"]] == [str(y) for y in years]
    app.session_state["w_cmp_period_kind"] = "Quartal"
    run(app)
    bars = charts(app)["chart_perioden"]["data"]
    quarters = sorted(q for q in df[schema.QUARTAL].astype(str).unique() if q)
    assert [str(x) for x in bars[0]["x"]] == quarters
    if len(years) >= 2:
        assert charts(app).get("chart_diff_periode") is not None
