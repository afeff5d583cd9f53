"""The "Bestandsaufnahmen" tab of the Vergleich page: saved inventories of the workspace over the years."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from soni import aggregate, charts, texts, years
from views import plots, widgets, workspace
from views.keys import Keys
from views.safe_text import md

_COLUMN = "Bestandsaufnahme"


def _activities(db, ws, info) -> pd.DataFrame:
    loaded: dict = st.session_state.setdefault(Keys.YEARS_LOADED, {})
    key = (info.id, info.saved_at)
    if key not in loaded:
        if len(loaded) > 6:
            loaded.clear()
        loaded[key] = db.open(ws, info.id).activities
    return loaded[key]


def years_view(metric: str) -> None:
    """Pick two or more saved inventories: grid per inventory, shift, new/gone/moved activities."""
    here = workspace.current()
    if here is None:
        return
    with workspace.reporting():  # a failing database is a German message, not a crash
        _years(metric, *here)


def _years(metric: str, db, ws) -> None:
    infos = db.inventories(ws)
    if len(infos) < 2:
        st.info(texts.WS_YEARS_NONE)
        return
    by_id = {i.id: i for i in infos}
    ordered = sorted(infos, key=lambda i: (i.datum is None, i.datum or i.saved_at.date(), i.id))
    widgets.choices_state(Keys.YEARS_PICK, list(by_id))
    if Keys.YEARS_PICK not in st.session_state:
        st.session_state[Keys.YEARS_PICK] = [i.id for i in ordered[-2:]]
    picked = st.multiselect(texts.WS_YEARS_PICK, [i.id for i in ordered], format_func=lambda k: by_id[k].name,
                            key=Keys.YEARS_PICK, select_all=False, placeholder=texts.WS_YEARS_PICK)
    if len(picked) < 2:
        st.info(texts.WS_YEARS_NEED_TWO)
        return
    chosen = [by_id[k] for k in sorted(picked, key=[i.id for i in ordered].index)]
    frames = [(i.name, _activities(db, ws, i)) for i in chosen]

    both = pd.concat([f.assign(**{_COLUMN: name}) for name, f in frames], ignore_index=True)
    table = aggregate.by_group(both, _COLUMN, metric).rows(name for name, _ in frames)
    fig = charts.group_field_heatmap(table, texts.chart_title("gruppen", metric, by=_COLUMN))
    plots.show_chart(fig, Keys.CHART_YEARS, texts.WS_YEARS_GRID, filename="soni-bestandsaufnahmen")
    st.dataframe(years.grid_over_years(frames, metric), hide_index=True, width="stretch")

    st.markdown(f"**{texts.WS_YEARS_CHANGES}**")
    for (a_name, a), (b_name, b) in itertools.pairwise(frames):
        matched = years.match(a, b)
        counts = years.match_summary(matched)
        st.caption(md(f"{a_name} → {b_name}: " + ", ".join(f"{n} {s}" for s, n in counts.items())))
        changed = matched[matched["Status"] != years.GLEICH]
        st.dataframe(changed, hide_index=True, width="stretch")
    from soni.export import safe

    st.download_button(texts.WS_YEARS_DOWNLOAD, safe.to_xlsx_bytes(years.export_tables(frames, metric)),
                       file_name="soni-jahresvergleich.xlsx", icon=":material/download:", key=Keys.YEARS_XLSX,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    _package(frames, metric, (tuple((i.id, i.saved_at) for i in chosen), metric))


def _package(frames: list[tuple[str, pd.DataFrame]], metric: str, stamp: tuple) -> None:
    """The meeting package over the years (``soni.export.over_years``) as one ZIP, built on request."""
    from soni.export import over_years, package

    if st.button(texts.WS_YEARS_BUILD, icon=":material/build:", key=Keys.YEARS_BUILD):
        with st.status(texts.WS_YEARS_BUILDING, expanded=True) as status:
            try:
                files = over_years.build_years_report(frames, metric=metric, progress=widgets.progress_reporter())
            except package.PackageError as exc:  # the other formats are there; each failure said
                files = exc.files
                for message in exc.failures.values():
                    st.error(md(message), icon=":material/error:")
            status.update(label=texts.files_built(len(files)), state="complete", expanded=False)
        st.session_state[Keys.YEARS_PACKAGE] = (stamp, package.build_zip(files))
    built = st.session_state.get(Keys.YEARS_PACKAGE)
    if built is not None and built[0] == stamp:
        st.download_button(texts.WS_YEARS_ZIP, built[1], file_name="SONI_Jahresvergleich.zip", type="primary",
                           mime="application/zip", icon=":material/folder_zip:", on_click="ignore",
                           key=Keys.YEARS_ZIP)
