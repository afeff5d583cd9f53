"""Charts: layout of the SONI grid, scales, German formats and empty input."""

from __future__ import annotations

import itertools
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from soni import aggregate, charts, grid, schema, texts
from tests.conftest import make_activities


def _heatmaps(fig: go.Figure) -> list[go.Heatmap]:
    return [t for t in fig.data if t.type == "heatmap"]


def _annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text or "" for a in fig.layout.annotations]


def _check_common(fig: go.Figure) -> None:
    assert fig.layout.title.text
    assert fig.layout.separators == ",."
    assert fig.layout.height and fig.layout.height > 200
    assert fig.layout.paper_bgcolor == "white"


def _is_empty_figure(fig: go.Figure) -> bool:
    return len(fig.data) == 0 and len(fig.layout.annotations) >= 1


@pytest.fixture(scope="module")
def df():
    return make_activities(400, seed=5)


# --- 2×2 grid --------------------------------------------------------------------------


def test_grid_figure_positions(df):
    g = aggregate.field_grid(df, "anzahl")
    fig = charts.soni_grid_figure(g, "anzahl", "Test")
    _check_common(fig)
    (hm,) = _heatmaps(fig)
    # System is drawn on top: y index 0 = System and the y axis runs top-down
    assert fig.layout.yaxis.autorange == "reversed"
    assert "System" in fig.layout.yaxis.ticktext[list(fig.layout.yaxis.tickvals).index(hm.y[0])]
    assert "Lebenswelt" in fig.layout.yaxis.ticktext[list(fig.layout.yaxis.tickvals).index(hm.y[1])]
    assert hm.x[0] < hm.x[1]  # column 0 is left
    expected = {(0, 0): "Sozialstruktur", (0, 1): "Organisation", (1, 0): "Netzwerk", (1, 1): "Individuum"}
    counts = df[schema.SONI_FELD].value_counts()
    for (r, c), name in expected.items():
        assert hm.customdata[r][c] == name
        assert name in hm.text[r][c]
        assert hm.z[r][c] == counts[name]
        assert texts.fmt_metric(counts[name], "anzahl") in hm.text[r][c]
    # the cells are labelled on the figure itself
    labels = _annotation_texts(fig)
    for name in expected.values():
        assert any(name in t for t in labels)


def test_grid_figure_labels_value_and_share(df):
    g = aggregate.field_grid(df, "stunden")
    fig = charts.soni_grid_figure(g, "stunden", "Stunden", share=True)
    (hm,) = _heatmaps(fig)
    total = g.table.to_numpy().sum()
    assert np.asarray(hm.z, dtype=float).sum() == pytest.approx(1.0)
    assert texts.fmt_share(g.table.loc["System", "links"] / total) in hm.text[0][0]
    assert "Stunden" in hm.text[0][0]


def test_grid_figure_mentions_unclear(df):
    g = aggregate.field_grid(df, "anzahl")
    fig = charts.soni_grid_figure(g, "anzahl", "Test")
    assert any("unklar" in t for t in _annotation_texts(fig))


@pytest.mark.parametrize(
    ("frame", "metric", "needle"),
    [
        (make_activities(0), "anzahl", "Keine Aktivitäten"),
        (make_activities(10, unclear_share=1.0), "anzahl", "unklar"),
    ],
)
def test_grid_figure_empty(frame, metric, needle):
    fig = charts.soni_grid_figure(aggregate.field_grid(frame, metric), metric, "Leer")
    _check_common(fig)
    assert _is_empty_figure(fig)
    assert any(needle in t for t in _annotation_texts(fig))


def test_grid_figure_no_values_for_metric():
    df = make_activities(20)
    df[schema.KOSTEN] = np.nan
    fig = charts.soni_grid_figure(aggregate.field_grid(df, "kosten"), "kosten", "Kosten")
    assert _is_empty_figure(fig)
    assert any("Kosten" in t for t in _annotation_texts(fig))


def test_cell_label_contrast():
    assert charts.text_color_on("#08306b") == "#ffffff"
    assert charts.text_color_on("#f7fbff") == "#000000"
    assert charts.text_color_on("rgb(247, 251, 255)") == "#000000"
    # a cell at the top of the scale gets white text, at the bottom black
    dark = charts.cell_fill(10, 0, 10, charts.SEQUENTIAL)
    light = charts.cell_fill(0, 0, 10, charts.SEQUENTIAL)
    assert charts.text_color_on(dark) == "#ffffff"
    assert charts.text_color_on(light) == "#000000"


def test_sequential_scale_gets_darker():
    lum = [charts._luminance(charts.pc.hex_to_rgb(c)) for _, c in charts.SEQUENTIAL]
    assert all(a > b for a, b in itertools.pairwise(lum))


# --- 4×3 aspects -------------------------------------------------------------------------


def test_aspect_figure(df):
    a = aggregate.aspect_grid(df, "anzahl")
    fig = charts.aspect_figure(a, "anzahl", "Aspekte")
    _check_common(fig)
    (hm,) = _heatmaps(fig)
    assert list(hm.y) == list(grid.FIELD_NAMES)
    assert fig.layout.yaxis.autorange == "reversed"
    assert np.asarray(hm.z).shape == (4, 3)
    for r, fname in enumerate(grid.FIELD_NAMES):
        for c, aspect in enumerate(grid.aspects_of(fname)):
            assert hm.customdata[r][c] == aspect.key
            assert hm.z[r][c] == a.table.at[fname, c + 1]
    # long labels are wrapped
    assert "<br>" in hm.text[1][2].split("<b>")[0]


def test_aspect_figure_empty():
    fig = charts.aspect_figure(aggregate.aspect_grid(make_activities(0), "anzahl"), "anzahl", "Leer")
    assert _is_empty_figure(fig)


# --- small multiples ---------------------------------------------------------------------


def test_small_multiples_shared_scale(df):
    quartiere = ["Nordstadt", "Altstadt", "Am Hafen", "Südviertel"]
    fig = charts.small_multiples(df, "anzahl", quartiere, share=True)
    _check_common(fig)
    hms = _heatmaps(fig)
    assert [h.name for h in hms] == quartiere
    assert all(h.coloraxis == "coloraxis" for h in hms)
    assert fig.layout.coloraxis.cmin == 0
    zmax = max(np.nanmax(np.asarray(h.z, dtype=float)) for h in hms)
    assert fig.layout.coloraxis.cmax == pytest.approx(zmax)
    for h in hms:
        assert h.customdata[0][0] == "Sozialstruktur" and h.customdata[1][1] == "Individuum"
        assert np.asarray(h.z, dtype=float).sum() == pytest.approx(1.0)
    # subplot titles name every Quartier
    for q in quartiere:
        assert any(q in t for t in _annotation_texts(fig))


def test_small_multiples_values_match_groups(df):
    fig = charts.small_multiples(df, "stunden", None, share=False)
    table = aggregate.by_group(df, schema.QUARTIER, "stunden")
    hms = {h.name: h for h in _heatmaps(fig)}
    assert set(hms) == set(table.table.index)
    for q, h in hms.items():
        assert h.z[1][0] == pytest.approx(table.table.at[q, "Netzwerk"])


def test_small_multiples_empty():
    assert _is_empty_figure(charts.small_multiples(make_activities(0), "anzahl", None, False))
    assert _is_empty_figure(charts.small_multiples(make_activities(10), "anzahl", [], False))


# --- group × field heatmap ----------------------------------------------------------------


def test_group_field_heatmap(df):
    table = aggregate.by_group(df, schema.QUARTIER, "anzahl")
    fig = charts.group_field_heatmap(table, "Quartiere")
    _check_common(fig)
    (hm,) = _heatmaps(fig)
    assert list(hm.x) == list(grid.FIELD_NAMES)
    z = np.asarray(hm.z, dtype=float)
    assert z.shape == (len(table.table), 4)
    assert np.allclose(z.sum(axis=1), 1.0)
    assert hm.customdata[0][0] == table.table.index[0]
    # same picture from the share table
    fig2 = charts.group_field_heatmap(aggregate.by_group(df, schema.QUARTIER, "anzahl", share=True), "Q")
    assert np.allclose(np.asarray(fig2.data[0].z, dtype=float), z)


def test_group_field_heatmap_empty():
    table = aggregate.by_group(make_activities(0), schema.QUARTIER, "anzahl")
    assert _is_empty_figure(charts.group_field_heatmap(table, "Leer"))
    unclear = aggregate.by_group(make_activities(5, unclear_share=1.0), schema.QUARTIER, "anzahl")
    assert _is_empty_figure(charts.group_field_heatmap(unclear, "Leer"))


# --- differences ---------------------------------------------------------------------------


def test_difference_figure_diverges_around_zero(df):
    diff = aggregate.difference(df, "anzahl", "Nordstadt")
    fig = charts.difference_figure(diff, "Unterschied")
    _check_common(fig)
    (hm,) = _heatmaps(fig)
    assert hm.zmid == 0
    assert hm.zmin == pytest.approx(-hm.zmax)
    z = np.asarray(hm.z, dtype=float)
    assert z.shape == (4, 4)
    assert np.nanmax(np.abs(z)) <= hm.zmax + 1e-12
    fields = diff.table[diff.table["Ebene"] == "Feld"]["Differenz"].to_numpy()
    assert z[:, 0] == pytest.approx(fields)
    assert hm.customdata[2][2] == "N2"
    assert texts.fmt_points(z[2][2]) in hm.text[2][2]
    assert any("Nordstadt" in t for t in _annotation_texts(fig))


def test_difference_figure_empty():
    assert _is_empty_figure(charts.difference_figure(None, "Leer"))


# --- periods --------------------------------------------------------------------------------


def test_period_figure(df):
    table = aggregate.by_group(df, schema.JAHR, "anzahl")
    fig = charts.period_figure(table, "anzahl", share=False)
    _check_common(fig)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars][:4] == list(grid.FIELD_NAMES)
    for b in bars:
        assert b.marker.color == charts.FIELD_COLORS[b.name]
    assert fig.layout.barmode == "stack"
    assert "ohne Zeitangabe" not in list(bars[0].x)
    assert any("Ohne Zeitangabe" in t for t in _annotation_texts(fig))
    assert list(bars[0].x) == sorted(bars[0].x)


def test_period_figure_shares(df):
    table = aggregate.by_group(df, schema.HALBJAHR, "stunden", share=True)
    fig = charts.period_figure(table, "stunden", share=True)
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 4
    stacked = np.sum([np.asarray(b.y, dtype=float) for b in bars], axis=0)
    assert np.allclose(stacked, 1.0)
    assert "%" in fig.layout.yaxis.ticktext[1]


def test_period_figure_empty():
    table = aggregate.by_group(make_activities(0), schema.JAHR, "anzahl")
    assert _is_empty_figure(charts.period_figure(table, "anzahl"))
    undated = make_activities(10, missing_share=1.0)
    assert _is_empty_figure(charts.period_figure(aggregate.by_group(undated, schema.JAHR, "anzahl"), "anzahl"))


def test_field_colors_cover_all_fields():
    assert set(charts.FIELD_COLORS) == {*grid.FIELD_NAMES, grid.UNKLAR, grid.KEIN_BEZUG}
    assert len(set(charts.FIELD_COLORS.values())) == 6


def test_figures_are_serialisable(df):
    # the exports and st.plotly_chart both need plain JSON
    figs = [
        charts.soni_grid_figure(aggregate.field_grid(df, "kosten"), "kosten", "K"),
        charts.aspect_figure(aggregate.aspect_grid(df, "teilnehmende"), "teilnehmende", "T"),
        charts.small_multiples(df, "anzahl", None, False),
        charts.period_figure(aggregate.by_group(df, schema.QUARTAL, "anzahl"), "anzahl"),
    ]
    for fig in figs:
        assert fig.to_json()
        assert charts.export_size(fig)[1] == fig.layout.height


# --- user text is escaped wherever it enters a figure ------------------------------------------

HOSTILE = '<b>X</b><a href="http://x">y</a>'


def _strings(obj, path: str = "") -> list[tuple[str, str]]:
    """Every string of a figure's JSON with its path; ``customdata`` is data, never rendered as such."""
    if isinstance(obj, str):
        return [(path, obj)]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() if k != "customdata" for s in _strings(v, f"{path}.{k}")]
    if isinstance(obj, list | tuple):
        return [s for i, v in enumerate(obj) for s in _strings(v, f"{path}[{i}]")]
    return []


def _hostile_frame(name: str):
    df = make_activities(240, seed=11)
    quartier = df[schema.QUARTIER].astype(str)
    df[schema.QUARTIER] = quartier.where(quartier != quartier.iloc[0], name)
    return df


def _hostile_figures(name: str) -> dict[str, tuple[go.Figure, tuple[str, ...]]]:
    """Each chart function fed with ``name`` as Quartier (and in its title), and where the name must show."""
    df = _hostile_frame(name)
    title = f"Titel – Quartier {name}"
    groups = aggregate.by_group(df, schema.QUARTIER, "anzahl")
    return {
        "grid": (charts.soni_grid_figure(aggregate.field_grid(df, "anzahl"), "anzahl", title), ("layout.title",)),
        "aspect": (charts.aspect_figure(aggregate.aspect_grid(df, "anzahl"), "anzahl", title), ("layout.title",)),
        "multiples": (charts.small_multiples(df, "anzahl", None, title=title),
                      ("layout.title", "layout.annotations", "hovertemplate", ".name")),
        "gruppen": (charts.group_field_heatmap(groups, title), ("layout.title", ".y[")),
        "gruppen_anteile": (charts.group_field_heatmap(aggregate.by_group(df, schema.QUARTIER, "anzahl", share=True),
                                                       title), (".y[",)),
        "differenz": (charts.difference_figure(aggregate.difference(df, "anzahl", name), title),
                      ("layout.title", "layout.annotations")),
        "differenz_b": (charts.difference_figure(aggregate.difference(df, "anzahl", "Nordstadt", name), title),
                        ("layout.annotations",)),
        # period_figure draws any by_group frame: here the groups are Quartiere on the x axis
        "perioden": (charts.period_figure(groups, "anzahl", title=title), ("layout.title", ".x[")),
        "leer": (charts.empty_figure(title), ("layout.title",)),
    }


@pytest.mark.parametrize("name", [HOSTILE, 'Nord & "Süd" <i>10%{x}</i>'])
def test_user_text_is_escaped_in_every_chart(name):
    escaped = charts.escape(name)
    assert "<" not in escaped and ">" not in escaped and "%{" not in escaped
    for kind, (fig, places) in _hostile_figures(name).items():
        strings = _strings(fig.to_plotly_json())
        for path, text in strings:
            assert name not in text, (kind, path, text)
            assert "<a" not in text and "<b>X" not in text and "<i>10" not in text, (kind, path, text)
        for place in places:
            assert any(place in path and escaped in text for path, text in strings), (kind, place)


def test_escaped_names_keep_the_data_apart():
    # escaping is one-to-one: "&lt;b&gt;" typed by a user stays different from "<b>"
    assert charts.escape("<b>") != charts.escape("&lt;b&gt;")
    df = _hostile_frame(HOSTILE)
    hm = _heatmaps(charts.group_field_heatmap(aggregate.by_group(df, schema.QUARTIER, "anzahl", share=True), "T"))[0]
    assert HOSTILE in [row[0] for row in hm.customdata]  # raw value for click handlers
    assert len(set(hm.y)) == len(hm.y)


def test_grid_reference_is_wrapped_to_fit_the_cell(df):
    fig = charts.soni_grid_figure(aggregate.field_grid(df, "anzahl"), "anzahl", "T")
    (hm,) = _heatmaps(fig)
    s = hm.text[0][0]
    assert "Kommunalpolitik und</i><br><i>-verwaltung" in s
    lines = [line for cell in np.ravel(hm.text) for line in cell.split("<br>")]
    assert max(len(re.sub(r"<[^>]+>", "", line)) for line in lines) <= 20


def test_difference_colour_bar_is_readable_for_small_differences(df):
    same = aggregate.difference(df, "anzahl", "Nordstadt", "Nordstadt")  # all differences 0
    (hm,) = _heatmaps(charts.difference_figure(same, "T"))
    assert hm.zmin == -hm.zmax and hm.zmax >= charts.MIN_DIFFERENCE_RANGE
    ticks = list(hm.colorbar.ticktext)
    assert len(ticks) >= 5 and len(set(ticks)) == len(ticks)
    assert "+5" in ticks and "-5" in ticks and "±0" in ticks
    assert list(hm.colorbar.tickvals) == sorted(hm.colorbar.tickvals)


@pytest.mark.parametrize("max_abs", [0.0, 0.004, 0.05, 0.07, 0.13, 0.33, 0.8, 1.0])
def test_points_scale(max_abs):
    bound, ticks = charts.points_scale(max_abs)
    assert bound >= max(max_abs, charts.MIN_DIFFERENCE_RANGE) - 1e-12
    assert ticks[0] == -bound and ticks[-1] == bound and 0.0 in ticks
    assert 5 <= len(ticks) <= 11
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0])
    # whole percentage points on the colour bar
    assert all(abs(t * 100 - round(t * 100)) < 1e-9 for t in ticks)


@pytest.mark.browser
def test_plotly_shows_escaped_names_literally(tmp_path):
    """In chromium, the name is text of the SVG (no link, no bold), as the user typed it."""
    from tests.test_browser import CHROMIUM, browser_page

    if CHROMIUM is None:
        pytest.skip("kein chromium gefunden")
    figs = _hostile_figures(HOSTILE)
    with browser_page(CHROMIUM) as page:
        for kind in ("multiples", "gruppen", "differenz", "perioden"):
            path = tmp_path / f"{kind}.html"
            figs[kind][0].write_html(path, include_plotlyjs=True, full_html=True)
            page.goto(path.as_uri())
            page.wait_for_selector(".main-svg")
            assert page.eval_on_selector_all("svg a", "els => els.length") == 0, kind
            shown = " ".join(page.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)"))
            assert HOSTILE in shown, kind


def test_cell_fill_with_bounds_that_are_not_finite() -> None:
    """No NaN reaches the colour scale, whatever the bounds (issue #16)."""
    scale = [[0, "#ffffff"], [1, "#000000"]]
    for zmin, zmax in ((0, float("inf")), (float("-inf"), float("inf")), (float("nan"), 1), (5, 5)):
        assert charts.cell_fill(1.0, zmin, zmax, scale) == "rgb(255, 255, 255)"
    assert charts.cell_fill(float("inf"), 0, 1, scale) == "#ffffff"


def test_compact_lays_a_figure_out_for_a_phone(df):
    """On a phone a cell keeps only its number, colour bars and axis titles go, the data stay."""
    aspect = charts.aspect_figure(aggregate.aspect_grid(df, "anzahl"), "anzahl", "Anzahl Aktivitäten je SONI-Feld "
                                  "und Aspekt, ein langer Titel")
    z_before = np.asarray(_heatmaps(aspect)[0].z, dtype=float).copy()
    charts.compact(aspect)
    assert np.array_equal(np.asarray(_heatmaps(aspect)[0].z, dtype=float), z_before)
    cells = [a.text for a in aspect.layout.annotations if a.xref != "paper"]
    assert cells and all("<br>" not in t and "Aktivit" not in t for t in cells)
    assert any(t.endswith("%)") for t in cells)  # "6 (3 %)"
    assert "<br>" in aspect.layout.title.text and aspect.layout.margin.l <= 10
    grid2 = charts.compact(charts.soni_grid_figure(aggregate.field_grid(df, "anzahl"), "anzahl", "T"))
    names = [a.text for a in grid2.layout.annotations if a.xref != "paper"]
    assert all(t.startswith("<b>") and t.count("<br>") == 1 for t in names)  # the field's name stays
    diff = charts.compact(charts.difference_figure(aggregate.difference(df, "anzahl", "Nordstadt"), "T"))
    assert all(not t.showscale for t in _heatmaps(diff))
    assert list(diff.layout.xaxis.ticktext) == ["Feld", "1", "2", "3"]
