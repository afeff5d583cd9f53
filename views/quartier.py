"""Quartier: the SONI heatmaps of one Quartier (or all), the plain-German reading and the drill-down."""

import streamlit as st

from soni import aggregate, charts, grid, insights, texts
from views import common

inv = common.require_inventory()
df_all = inv.activities

st.title(texts.PAGE_TITLES["quartier"])
if not common.has_uploads():
    st.info(texts.SAMPLE_NOTE, icon=":material/lightbulb:")

c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
with c1:
    quartier = common.quartier_picker(df_all)
with c2:
    metric = common.metric_picker()
with c3:
    share = common.share_toggle()
filters = common.filter_controls(df_all)

quartiere = [quartier] if quartier else None
df = filters.apply(df_all, quartiere)
scope = texts.scope_label(df, quartiere=quartiere, traeger=filters.traeger, zielgruppen=filters.zielgruppen,
                          periods=filters.periods)
sources = common.source_names(inv)
missing = aggregate.missing_share(df, metric)
unclear = aggregate.unclear_count(df, "anzahl")
common.empty_note(df)
common.missing_note(df, metric)

left, right = st.columns([3, 2], gap="large")
with left:
    grid2 = aggregate.field_grid(df, metric)
    fig = charts.soni_grid_figure(grid2, metric, texts.chart_title("feld", metric, share), share=share)
    names = aggregate.grid_field_names()
    if grid2.attrs.get("gesamt", 0):
        common.add_click_targets(fig, [0, 1], [0, 1], names)
    event_grid = common.show_chart(
        fig, "chart_feld",
        texts.caption("feld", metric, scope, sources, share=share, missing=missing, unclear=unclear),
        filename=f"soni-felder-{scope}", selectable=True,
    )
with right:
    st.subheader(texts.SCHWERPUNKTE_TITLE)
    reading = insights.schwerpunkte_und_luecken(df, metric, scope)
    headline = reading.headline[:1].upper() + reading.headline[1:]  # "alle Quartiere, …" opens a sentence
    st.markdown(f"**{common.keep_units(common.md(headline))}**")
    if reading.points:
        st.markdown("\n".join(f"- {common.keep_units(common.md(p))}" for p in reading.points))
    with st.expander("Was ist das SONI-Modell?"):
        st.write(texts.SONI_KURZ)
        for f in grid.FIELDS:
            st.markdown(f"**{f.name}** ({f.level}, Bezug: {f.refers_to}): "
                        + ", ".join(a.label for a in grid.aspects_of(f.name)))

agrid = aggregate.aspect_grid(df, metric)
fig4 = charts.aspect_figure(agrid, metric, texts.chart_title("aspekt", metric, share), share=share)
if agrid.attrs.get("gesamt", 0):
    common.add_click_targets(fig4, list(aggregate.ASPECT_POSITIONS), list(grid.FIELD_NAMES),
                             aggregate.aspect_keys().to_numpy().tolist())
event_aspect = common.show_chart(
    fig4, "chart_aspekt",
    texts.caption("aspekt", metric, scope, sources, share=share, missing=missing, unclear=unclear),
    filename=f"soni-aspekte-{scope}", selectable=True,
)

# --- drill-down: a click on a cell (or the selectboxes) lists its activities ----------------
FIELD_CHOICES = [*grid.FIELD_NAMES, grid.UNKLAR]
ALL_ASPECTS = "alle Aspekte"


def _aspect_choices(field: str) -> list[str]:
    if field == grid.UNKLAR:
        return [ALL_ASPECTS]
    return [ALL_ASPECTS, *(a.label for a in grid.aspects_of(field)), texts.OHNE_ASPEKT]


clicked = common.selected_keys(event_aspect) or common.selected_keys(event_grid)
signature = tuple(clicked)
if clicked and st.session_state.get("_last_click") != signature:
    key = clicked[0]
    if key in grid.ASPECT_BY_KEY:
        aspect = grid.ASPECT_BY_KEY[key]
        st.session_state["w_cell_field"] = aspect.field
        st.session_state["w_cell_aspect"] = aspect.label
    elif key in grid.FIELD_BY_NAME:
        st.session_state["w_cell_field"] = key
        st.session_state["w_cell_aspect"] = ALL_ASPECTS
st.session_state["_last_click"] = signature

st.subheader("Aktivitäten in einem Feld")
st.caption("Auf eine Zelle der Heatmap klicken oder hier Feld und Aspekt wählen.")
d1, d2 = st.columns(2)
with d1:
    common.choice_state("w_cell_field", FIELD_CHOICES)
    field = st.selectbox("SONI-Feld", FIELD_CHOICES, key="w_cell_field")
with d2:
    aspect_choices = _aspect_choices(field)
    common.choice_state("w_cell_aspect", aspect_choices, ALL_ASPECTS)
    aspect_label = st.selectbox("Aspekt", aspect_choices, key="w_cell_aspect")
aspect_arg = None if aspect_label == ALL_ASPECTS else ("" if aspect_label == texts.OHNE_ASPEKT else aspect_label)
rows = aggregate.activities_in_cell(df, field, aspect_arg)
where = field if aspect_arg is None else f"{field} – {aspect_label}"
st.markdown(f"**{texts.fmt_metric(len(rows), 'anzahl')}** in {common.md(where)} ({common.md(scope)})")
if field != grid.UNKLAR:
    hint = texts.aspect_hint(aspect_label) if aspect_arg else texts.field_hint(field)
    if hint and len(rows) == 0 and len(df) > 0:
        st.caption(f"Arbeit hier könnte so aussehen: {hint}.")
common.activity_table(rows, metric, key="table_cell")
st.caption(f"Stand der Auswahl: {texts.fmt_metric(len(df), 'anzahl')} nach Filter, "
           f"davon {texts.fmt_number(unclear)} nicht zugeordnet. Quelle: {common.md(', '.join(sources))}.")
