"""Vergleich: Quartiere side by side, their differences, and the same across periods."""

import pandas as pd
import streamlit as st

from soni import aggregate, charts, schema, texts
from views import common

inv = common.require_inventory()
df_all = inv.activities

st.title(texts.PAGE_TITLES["vergleich"])
c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
with c1:
    metric = common.metric_picker()
with c2:
    share = common.share_toggle()
filters = common.filter_controls(df_all)
df = filters.apply(df_all)
sources = common.source_names(inv)
missing = aggregate.missing_share(df, metric)
unclear = aggregate.unclear_count(df, "anzahl")
common.empty_note(df)
common.missing_note(df, metric)


def _scope(frame: pd.DataFrame, quartiere: list[str] | None = None) -> str:
    return texts.scope_label(frame, quartiere=quartiere, traeger=filters.traeger, zielgruppen=filters.zielgruppen,
                             periods=filters.periods)


def quartiere_view() -> None:
    """Small multiples, Quartier × field shares, and the difference of one Quartier to another."""
    all_q = common.quartiere_of(df)
    common.choices_state("w_cmp_quartiere", all_q)
    chosen = st.multiselect("Quartiere", all_q, key="w_cmp_quartiere", placeholder="alle Quartiere",
                            help="Leer lassen, um alle Quartiere zu zeigen.")
    shown = chosen or all_q
    df_q = filters.apply(df, shown) if chosen else df
    scope = _scope(df_q, chosen or None)

    fig = charts.small_multiples(df_q, metric, shown, share=share)
    common.show_chart(
        fig, "chart_multiples",
        texts.caption("quartiere", metric, scope, sources, share=share, missing=missing,
                      unclear=aggregate.unclear_count(df_q, "anzahl")),
        filename=f"soni-quartiere-{metric}",
    )
    table = aggregate.by_group(df_q, schema.QUARTIER, metric)
    fig = charts.group_field_heatmap(table, texts.chart_title("gruppen", metric, by=schema.QUARTIER))
    common.show_chart(fig, "chart_quartier_felder", texts.caption("gruppen", metric, scope, sources, missing=missing),
                      filename="soni-quartier-feld")

    st.subheader("Unterschiede zwischen Quartieren")
    if not all_q:
        st.info(texts.KEINE_DATEN)
        return
    d1, d2 = st.columns(2)
    common.choice_state("w_diff_a", all_q)
    a = d1.selectbox("Quartier", all_q, key="w_diff_a")
    average = texts.average_label(schema.QUARTIER)
    others = [average, *[q for q in all_q if q != a]]
    common.choice_state("w_diff_b", others)
    b_label = d2.selectbox("im Vergleich zu", others, key="w_diff_b")
    b = None if b_label == average else b_label
    try:
        diff = aggregate.difference(df, metric, a, b, by=schema.QUARTIER)
    except ValueError as exc:
        st.warning(common.md(str(exc)))
        return
    fig = charts.difference_figure(diff, texts.chart_title("differenz", metric))
    common.show_chart(fig, "chart_diff_quartier",
                      texts.caption("differenz", metric, _scope(df), sources, a=a, b=b, missing=missing),
                      filename=f"soni-unterschied-{a}")


def perioden_view() -> None:
    """Fields per period (Jahr, Halbjahr, Quartal from the start dates) and the difference of two periods."""
    kinds = list(schema.PERIODS)
    common.choice_state("w_cmp_period_kind", kinds, "Jahr")
    kind = st.segmented_control("Zeitraum", kinds, key="w_cmp_period_kind") or "Jahr"
    column = schema.PERIODS[kind]
    scope = _scope(df)
    periods_table = aggregate.by_group(df, column, metric)
    fig = charts.period_figure(periods_table, metric, share=share)
    common.show_chart(fig, "chart_perioden",
                      texts.caption("zeitverlauf", metric, scope, sources, share=share, missing=missing,
                                    unclear=unclear),
                      filename=f"soni-zeitverlauf-{kind}")
    dated = periods_table.loc[[i for i in periods_table.index if str(i) != texts.OHNE_ZEITANGABE]]
    fig = charts.group_field_heatmap(dated, texts.chart_title("gruppen", metric, by=kind))
    common.show_chart(fig, "chart_perioden_felder",
                      texts.caption("gruppen", metric, scope, sources, missing=missing, by=kind),
                      filename=f"soni-{kind}-feld")

    values = [str(v) for v in dated.index]
    if len(values) < 2:
        st.caption("Für einen Vergleich zwischen Zeiträumen braucht es Aktivitäten aus mindestens zwei "
                   f"Zeiträumen ({kind}).")
        return
    st.subheader("Unterschiede zwischen Zeiträumen")
    p1, p2 = st.columns(2)
    common.choice_state("w_pdiff_a", values, values[-1])
    pa = p1.selectbox(kind, values, key="w_pdiff_a")
    average = texts.average_label(kind)
    others = [average, *[v for v in values if v != pa]]
    common.choice_state("w_pdiff_b", others)
    pb_label = p2.selectbox("im Vergleich zu", others, key="w_pdiff_b")
    pb = None if pb_label == average else pb_label
    try:
        diff = aggregate.difference(df, metric, pa, pb, by=column)
    except ValueError as exc:
        st.warning(common.md(str(exc)))
        return
    fig = charts.difference_figure(diff, texts.chart_title("differenz", metric))
    common.show_chart(fig, "chart_diff_periode",
                      texts.caption("differenz", metric, scope, sources, a=pa, b=pb, by=kind, missing=missing),
                      filename=f"soni-unterschied-{pa}")


# Only the open tab is computed (tabs that track their state rerun on a switch).
tab_q, tab_t = st.tabs(["Quartiere", "Zeiträume"], key="w_cmp_tab", on_change="rerun")
if tab_q.open:
    with tab_q:
        quartiere_view()
if tab_t.open:
    with tab_t:
        perioden_view()
