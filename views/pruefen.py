"""Zuordnung prüfen: the classified table with reason and confidence; corrections by hand."""

import pandas as pd
import streamlit as st

from soni import grid, review, schema, texts
from views import data, downloads, plots, session, widgets
from views.keys import Keys

#: Rows shown in the editor at once (the worklist: unclear and uncertain ones first).
MAX_ROWS = 300
EDITABLE = (schema.SONI_FELD, schema.SONI_ASPEKT)
SHOWN = (schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT, schema.SONI_KONFIDENZ, schema.SONI_BEGRUENDUNG,
         schema.BESCHREIBUNG, schema.QUARTIER, schema.SONI_QUELLE, schema.SONI_ZWEITFELD)
T = texts.CHECK

inv = data.require_inventory()
raw = data.raw_inventory()
acts = inv.activities
corrections = session.corrections()

st.title(texts.PAGE_TITLES["pruefen"])
st.write(texts.PAGE_INTROS["pruefen"])

n_unclear, n_low = review.counts(acts)
for column, (label, value) in zip(st.columns(4), ((T["activities"], len(acts)), (T["unclear"], n_unclear),
                                                  (T["low"], n_low), (T["corrected"], len(corrections))), strict=True):
    column.metric(label, texts.fmt_number(value))

f1, f2, f3 = st.columns([2, 2, 2])
with f1:
    widgets.choice_state(Keys.CHECK_FILTER, list(texts.CHECK_VIEWS), "queue")
    view = st.selectbox(T["view"], list(texts.CHECK_VIEWS), format_func=texts.CHECK_VIEWS.get,
                        key=Keys.CHECK_FILTER)
with f2:
    quartier = widgets.quartier_picker(acts, key=Keys.CHECK_QUARTIER)
with f3:
    search = st.text_input(T["search"], key=Keys.CHECK_SEARCH)

selected = review.worklist(raw.activities if raw is not None else acts, acts, view, corrected=corrections.keys(),
                           quartier=quartier, search=search)
index = selected[:MAX_ROWS]

table = acts.loc[index, [c for c in SHOWN if c in acts.columns]].copy()
for column in table.columns:
    if column != schema.SONI_KONFIDENZ:
        table[column] = table[column].astype(object).where(table[column].notna(), "").astype(str)
table[schema.SONI_ASPEKT] = table[schema.SONI_ASPEKT].replace("", texts.OHNE_ASPEKT)
table[schema.SONI_KONFIDENZ] = (table[schema.SONI_KONFIDENZ].astype("float64") * 100).round()
table.index = acts.loc[index, schema.ZEILEN_ID].astype(str).to_numpy()
table.index.name = schema.ZEILEN_ID
table[schema.ZEILEN_ID] = table.index  # shown last; the index identifies the rows of an edit

st.caption(texts.worklist_caption(len(selected), MAX_ROWS))

edited = st.data_editor(
    table, key=f"{Keys.EDITOR_}{session.corrections_rev()}", width="stretch",
    height=min(38 + 35 * max(len(table), 1), 560), hide_index=True,
    disabled=[c for c in table.columns if c not in EDITABLE],
    column_config={
        schema.SONI_FELD: st.column_config.SelectboxColumn(
            schema.SONI_FELD, options=list(grid.FIELD_VALUES), required=True, help=T["field_help"]),
        schema.SONI_ASPEKT: st.column_config.SelectboxColumn(
            schema.SONI_ASPEKT, options=[texts.OHNE_ASPEKT, *grid.ASPECT_LABELS], width="medium",
            format_func=texts.aspect_choice, help=T["aspect_help"]),
        schema.SONI_KONFIDENZ: st.column_config.ProgressColumn(
            texts.KONFIDENZ_LABEL, min_value=0, max_value=100, format="%d %%"),
        schema.SONI_BEGRUENDUNG: st.column_config.TextColumn(T["reason"], width="large"),
        schema.SONI_QUELLE: st.column_config.TextColumn(T["source"]),
        schema.SONI_ZWEITFELD: st.column_config.TextColumn(T["second"]),
        schema.TITEL: st.column_config.TextColumn(width="medium", pinned=True),
        schema.BESCHREIBUNG: st.column_config.TextColumn(width="medium"),
    },
)

changes: dict[str, tuple[str, str]] = {}
if len(table):
    before = table[list(EDITABLE)]
    after = edited[list(EDITABLE)].astype(object).where(edited[list(EDITABLE)].notna(), "").astype(str)
    after[schema.SONI_ASPEKT] = after[schema.SONI_ASPEKT].replace("", texts.OHNE_ASPEKT)
    differs = (before != after.reindex(before.index)).any(axis=1)
    for row_id in before.index[differs.to_numpy()]:
        changes[str(row_id)] = review.consistent_choice(
            before.at[row_id, schema.SONI_FELD], before.at[row_id, schema.SONI_ASPEKT],
            after.at[row_id, schema.SONI_FELD], after.at[row_id, schema.SONI_ASPEKT])
if changes:
    corrections.update(changes)  # "unklar" too: the user says "I don't know" (undo is below)
    session.set_corrections(corrections)  # new editor key: the table is redrawn from the corrected data
    st.rerun()

# --- corrections and download ---------------------------------------------------------------
st.subheader(T["corrections"])
if corrections:
    titles = dict(zip(acts[schema.ZEILEN_ID].astype(str), acts[schema.TITEL].astype(str), strict=True))
    listing = pd.DataFrame(
        [(rid, titles.get(rid, T["gone"]), f, a or texts.OHNE_ASPEKT) for rid, (f, a) in corrections.items()],
        columns=[schema.ZEILEN_ID, schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT],
    )
    st.caption(T["undo_hint"])
    # keyed by the corrections revision: a selection never outlives the list it was made in
    picked = st.dataframe(listing, hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row",
                          key=f"{Keys.TABLE_CORRECTIONS_}{session.corrections_rev()}",
                          column_order=[schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT, schema.ZEILEN_ID])
    rows = [r for r in picked.selection.rows if 0 <= r < len(listing)]
    b1, b2, _ = st.columns([2, 2, 3])
    if b1.button(texts.undo_label(len(rows)), icon=":material/undo:", disabled=not rows, key=Keys.UNDO_SELECTED):
        for r in rows:
            corrections.pop(str(listing.iloc[r][schema.ZEILEN_ID]), None)
        session.set_corrections(corrections)
        st.rerun()
    if b2.button(T["reset"], icon=":material/delete_sweep:", key=Keys.RESET_CORRECTIONS):
        session.set_corrections({})
        st.rerun()
else:
    st.caption(T["none"])

st.subheader(T["download"])
st.caption(T["download_hint"])
stem = plots.slug(session.upload_names()[0].rsplit(".", 1)[0]) if session.has_uploads() else T["sample_stem"]
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(T["xlsx"], data=lambda: downloads.inventory_xlsx(inv), file_name=f"{stem}_soni.xlsx",
                   on_click="ignore", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", key=Keys.DOWNLOAD_XLSX)
d2.download_button(T["csv"], data=lambda: downloads.inventory_csv(inv), file_name=f"{stem}_soni.csv", mime="text/csv",
                   on_click="ignore", icon=":material/download:", key=Keys.DOWNLOAD_CSV)
