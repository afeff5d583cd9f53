"""Vergleich: Quartiere side by side, their differences, and the same across periods."""

import pandas as pd
import streamlit as st

from soni import aggregate, charts, schema, texts
from views import data, jahre, plots, session, tables, widgets
from views.keys import Keys
from views.safe_text import md

T = texts.VERGLEICH_PAGE

inv = data.require_inventory()
df_all = inv.activities

st.title(texts.PAGE_TITLES["vergleich"])
c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
with c1:
    metric = widgets.metric_picker()
with c2:
    share = widgets.share_toggle()
filters = widgets.filter_controls(df_all)
df = filters.apply(df_all)
sources = session.source_names(inv)
missing = aggregate.missing_share(df, metric)
unclear = aggregate.unclear_count(df, "anzahl")
tables.empty_note(df)
tables.missing_note(df, metric)


def _scope(frame: pd.DataFrame, quartiere: list[str] | None = None) -> str:
    return texts.scope_label(frame, quartiere=quartiere, traeger=filters.traeger, zielgruppen=filters.zielgruppen,
                             periods=filters.periods)


def quartiere_view() -> None:
    """Small multiples, Quartier × field shares, and the difference of one Quartier to another."""
    all_q = aggregate.quartiere_of(df)
    widgets.choices_state(Keys.CMP_QUARTIERE, all_q)
    chosen = st.multiselect(T["quartiere"], all_q, key=Keys.CMP_QUARTIERE, select_all=False,
                            placeholder=texts.ALL_QUARTIERE_PLACEHOLDER,
                            help=T["quartiere_help"])
    shown = chosen or all_q
    df_q = filters.apply(df, shown) if chosen else df
    scope = _scope(df_q, chosen or None)

    fig = charts.small_multiples(df_q, metric, shown, share=share, cols=2 if plots.is_phone() else 3)
    plots.show_chart(
        fig, Keys.CHART_MULTIPLES,
        texts.caption("quartiere", metric, scope, sources, share=share, missing=missing,
                      unclear=aggregate.unclear_count(df_q, "anzahl")),
        filename=f"soni-quartiere-{metric}",
    )
    table = aggregate.by_group(df_q, schema.QUARTIER, metric)
    fig = charts.group_field_heatmap(table, texts.chart_title("gruppen", metric, by=schema.QUARTIER))
    plots.show_chart(fig, Keys.CHART_QUARTIER_FELDER, texts.caption("gruppen", metric, scope, sources, missing=missing),
                      filename="soni-quartier-feld")

    st.subheader(T["diff_quartiere"])
    if not all_q:
        st.info(texts.KEINE_DATEN)
        return
    d1, d2 = st.columns(2)
    widgets.choice_state(Keys.DIFF_A, all_q)
    a = d1.selectbox(texts.QUARTIER_LABEL, all_q, key=Keys.DIFF_A)
    average = texts.average_label(schema.QUARTIER)
    others = [average, *[q for q in all_q if q != a]]
    widgets.choice_state(Keys.DIFF_B, others)
    b_label = d2.selectbox(T["versus"], others, key=Keys.DIFF_B)
    b = None if b_label == average else b_label
    try:
        diff = aggregate.difference(df, metric, a, b, by=schema.QUARTIER)
    except ValueError as exc:
        st.warning(md(str(exc)))
        return
    fig = charts.difference_figure(diff, texts.chart_title("differenz", metric))
    plots.show_chart(fig, Keys.CHART_DIFF_QUARTIER,
                      texts.caption("differenz", metric, _scope(df), sources, a=a, b=b, missing=missing),
                      filename=f"soni-unterschied-{a}")


def perioden_view() -> None:
    """Fields per period (Jahr, Halbjahr, Quartal from the start dates) and the difference of two periods."""
    kinds = list(schema.PERIODS)
    widgets.choice_state(Keys.CMP_PERIOD_KIND, kinds, "Jahr")
    kind = st.segmented_control(T["period"], kinds, key=Keys.CMP_PERIOD_KIND) or "Jahr"
    column = schema.PERIODS[kind]
    scope = _scope(df)
    periods_table = aggregate.by_group(df, column, metric)
    fig = charts.period_figure(periods_table, metric, share=share)
    plots.show_chart(fig, Keys.CHART_PERIODEN,
                      texts.caption("zeitverlauf", metric, scope, sources, share=share, missing=missing,
                                    unclear=unclear),
                      filename=f"soni-zeitverlauf-{kind}")
    dated = periods_table.dated()
    fig = charts.group_field_heatmap(dated, texts.chart_title("gruppen", metric, by=kind))
    plots.show_chart(fig, Keys.CHART_PERIODEN_FELDER,
                      texts.caption("gruppen", metric, scope, sources, missing=missing, by=kind),
                      filename=f"soni-{kind}-feld")

    values = [str(v) for v in dated.table.index]
    if len(values) < 2:
        st.caption(texts.too_few_periods(kind))
        return
    st.subheader(T["diff_periods"])
    p1, p2 = st.columns(2)
    widgets.choice_state(Keys.PDIFF_A, values, values[-1])
    pa = p1.selectbox(kind, values, key=Keys.PDIFF_A)
    average = texts.average_label(kind)
    others = [average, *[v for v in values if v != pa]]
    widgets.choice_state(Keys.PDIFF_B, others)
    pb_label = p2.selectbox(T["versus"], others, key=Keys.PDIFF_B)
    pb = None if pb_label == average else pb_label
    try:
        diff = aggregate.difference(df, metric, pa, pb, by=column)
    except ValueError as exc:
        st.warning(md(str(exc)))
        return
    fig = charts.difference_figure(diff, texts.chart_title("differenz", metric))
    plots.show_chart(fig, Keys.CHART_DIFF_PERIODE,
                      texts.caption("differenz", metric, scope, sources, a=pa, b=pb, by=kind, missing=missing),
                      filename=f"soni-unterschied-{pa}")


# Only the open tab is computed (tabs that track their state rerun on a switch).
tab_q, tab_t, tab_j = st.tabs([T["tab_quartiere"], T["tab_periods"], texts.WS_YEARS_TAB], key=Keys.CMP_TAB,
                              on_change="rerun")
if tab_q.open:
    with tab_q:
        quartiere_view()
if tab_t.open:
    with tab_t:
        perioden_view()
if tab_j.open:
    with tab_j:
        jahre.years_view(metric)
