"""Quartier: the SONI heatmaps of one Quartier (or all), the plain-German reading and the drill-down."""

import streamlit as st

from soni import aggregate, charts, grid, insights, texts
from views import data, plots, session, tables, widgets
from views.keys import Keys
from views.safe_text import keep_units, md

T = texts.QUARTIER_PAGE

inv = data.require_inventory()
df_all = inv.activities

st.title(texts.PAGE_TITLES["quartier"])
if session.is_sample():
    st.info(texts.SAMPLE_NOTE, icon=":material/lightbulb:")

c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
with c1:
    quartier = widgets.quartier_picker(df_all)
with c2:
    metric = widgets.metric_picker()
with c3:
    share = widgets.share_toggle()
filters = widgets.filter_controls(df_all)

quartiere = [quartier] if quartier else None
df = filters.apply(df_all, quartiere)
scope = texts.scope_label(df, quartiere=quartiere, traeger=filters.traeger, zielgruppen=filters.zielgruppen,
                          periods=filters.periods)
sources = session.source_names(inv)
missing = aggregate.missing_share(df, metric)
unclear = aggregate.unclear_count(df, "anzahl")
tables.empty_note(df)
tables.missing_note(df, metric)

left, right = st.columns([3, 2], gap="large")
drill_near_grid = st.container()  # the activity list appears next to the chart last clicked
with left:
    grid2 = aggregate.field_grid(df, metric)
    fig = charts.soni_grid_figure(grid2, metric, texts.chart_title("feld", metric, share), share=share)
    if grid2.gesamt:
        plots.add_click_targets(fig, [0, 1], [0, 1], aggregate.grid_field_names())
    event_grid = plots.show_chart(
        fig, Keys.CHART_FELD,
        texts.caption("feld", metric, scope, sources, share=share, missing=missing, unclear=unclear),
        filename=f"soni-felder-{scope}", selectable=True,
    )
with right:
    st.subheader(texts.SCHWERPUNKTE_TITLE)
    reading = insights.schwerpunkte_und_luecken(df, metric, scope)
    headline = reading.headline[:1].upper() + reading.headline[1:]  # "alle Quartiere, …" opens a sentence
    st.markdown(f"**{keep_units(md(headline))}**")
    if reading.points:
        st.markdown("\n".join(f"- {keep_units(md(p))}" for p in reading.points))
    with st.expander(T["model"]):
        st.write(texts.SONI_KURZ)
        for f in grid.FIELDS:
            st.markdown(texts.field_summary(f.name))

agrid = aggregate.aspect_grid(df, metric)
fig4 = charts.aspect_figure(agrid, metric, texts.chart_title("aspekt", metric, share), share=share)
if agrid.gesamt:
    plots.add_click_targets(fig4, list(aggregate.ASPECT_POSITIONS), list(grid.FIELD_NAMES),
                            aggregate.aspect_keys().to_numpy().tolist())
event_aspect = plots.show_chart(
    fig4, Keys.CHART_ASPEKT,
    texts.caption("aspekt", metric, scope, sources, share=share, missing=missing, unclear=unclear),
    filename=f"soni-aspekte-{scope}", selectable=True,
)
drill_near_aspects = st.container()

# --- drill-down: a click on a cell (or the selectboxes) lists its activities ----------------
FIELD_CHOICES = [*grid.FIELD_NAMES, grid.UNKLAR, grid.KEIN_BEZUG]


def _chosen() -> None:
    st.session_state[Keys.CELL_CHOSEN] = True


def _aspect_choices(field: str) -> list[str]:
    if field in (grid.UNKLAR, grid.KEIN_BEZUG):
        return [texts.ALL_ASPECTS]
    return [texts.ALL_ASPECTS, *(a.label for a in grid.aspects_of(field)), texts.OHNE_ASPEKT]


# Both charts keep their last click; the one whose click changed in this run was clicked.
signatures = {"grid": plots.click_signature(event_grid), "aspect": plots.click_signature(event_aspect)}
before = st.session_state.get(Keys.LAST_CLICK) or {}
changed = [chart for chart, sig in signatures.items() if sig and sig != before.get(chart)]
if changed:
    key = signatures[changed[0]][0]
    st.session_state[Keys.DRILL_AT] = changed[0]
    st.session_state[Keys.CELL_CHOSEN] = True
    if key in grid.ASPECT_BY_KEY:
        aspect = grid.ASPECT_BY_KEY[key]
        st.session_state[Keys.CELL_FIELD] = aspect.field
        st.session_state[Keys.CELL_ASPECT] = aspect.label
    elif key in grid.FIELD_BY_NAME:
        st.session_state[Keys.CELL_FIELD] = key
        st.session_state[Keys.CELL_ASPECT] = texts.ALL_ASPECTS
st.session_state[Keys.LAST_CLICK] = signatures

drill = drill_near_grid if st.session_state.get(Keys.DRILL_AT) == "grid" else drill_near_aspects
drill.subheader(T["cell_title"])
drill.caption(T["cell_hint"])
d1, d2 = drill.columns(2)
with d1:
    widgets.choice_state(Keys.CELL_FIELD, FIELD_CHOICES)
    field = st.selectbox(T["field"], FIELD_CHOICES, key=Keys.CELL_FIELD, on_change=_chosen)
with d2:
    aspect_choices = _aspect_choices(field)
    widgets.choice_state(Keys.CELL_ASPECT, aspect_choices, texts.ALL_ASPECTS)
    aspect_label = st.selectbox(T["aspect"], aspect_choices, key=Keys.CELL_ASPECT, on_change=_chosen)
aspect_arg = None if aspect_label == texts.ALL_ASPECTS else ("" if aspect_label == texts.OHNE_ASPEKT else aspect_label)
# The list shows once a cell was chosen: before that, its table (Streamlit's data grid, ~2 MB of scripts for
# the browser) would compete with the charts for the first heatmap (docs/performance.md, "Erste Heatmap").
if st.session_state.get(Keys.CELL_CHOSEN):
    rows = aggregate.activities_in_cell(df, field, aspect_arg)
    where = field if aspect_arg is None else f"{field} – {aspect_label}"
    drill.markdown(texts.cell_count(len(rows), md(where), md(scope)))
    if field not in (grid.UNKLAR, grid.KEIN_BEZUG):
        hint = texts.aspect_hint(aspect_label) if aspect_arg else texts.field_hint(field)
        if hint and len(rows) == 0 and len(df) > 0:
            drill.caption(texts.cell_example(hint))
    with drill:
        tables.activity_table(rows, metric, key=Keys.TABLE_CELL, height=320)
st.caption(texts.selection_footer(len(df), unclear, md(", ".join(sources))))
