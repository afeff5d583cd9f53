"""Zuordnung prüfen: the classified table with reason and confidence; corrections by hand."""

import pandas as pd
import streamlit as st

from soni import grid, schema, texts
from views import common

#: Rows shown in the editor at once (the worklist: unclear and uncertain ones first).
MAX_ROWS = 300
LOW = 0.5
EDITABLE = (schema.SONI_FELD, schema.SONI_ASPEKT)
SHOWN = (schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT, schema.SONI_KONFIDENZ, schema.SONI_BEGRUENDUNG,
         schema.BESCHREIBUNG, schema.QUARTIER, schema.SONI_QUELLE, schema.SONI_ZWEITFELD)

inv = common.require_inventory()
raw = common.raw_inventory()
acts = inv.activities
corrections: dict = dict(st.session_state[common.CORRECTIONS])

st.title(texts.PAGE_TITLES["pruefen"])
st.write(texts.PAGE_INTROS["pruefen"])

n_unclear = int((acts[schema.SONI_FELD].astype(str) == grid.UNKLAR).sum())
n_low = int((acts[schema.SONI_KONFIDENZ] < LOW).sum())
m1, m2, m3, m4 = st.columns(4)
m1.metric("Aktivitäten", texts.fmt_number(len(acts)))
m2.metric("unklar", texts.fmt_number(n_unclear))
m3.metric("unsicher (< 50 %)", texts.fmt_number(n_low))
m4.metric("korrigiert", texts.fmt_number(len(corrections)))

f1, f2, f3 = st.columns([2, 2, 2])
with f1:
    common.choice_state("w_check_filter", list(texts.CHECK_VIEWS), "queue")
    view = st.selectbox("Anzeigen", list(texts.CHECK_VIEWS), format_func=texts.CHECK_VIEWS.get,
                        key="w_check_filter")
with f2:
    quartier = common.quartier_picker(acts, key="w_check_quartier")
with f3:
    search = st.text_input("Suche in Titel und Beschreibung", key="w_check_search")

# Order and selection follow the classification *before* corrections, so that a corrected
# row stays where it was instead of jumping away while the user works down the list.
base = raw.activities if raw is not None else acts
order_frame = pd.DataFrame({
    "clear": (base[schema.SONI_FELD].astype(str) != grid.UNKLAR).to_numpy(),
    "conf": base[schema.SONI_KONFIDENZ].to_numpy(),
    "pos": range(len(base)),
}, index=base.index)
mask = pd.Series(True, index=base.index)
if view == "unklar":
    mask &= ~order_frame["clear"]
elif view == "low":
    mask &= order_frame["conf"] < LOW
elif view == "manuell":
    mask &= acts[schema.ZEILEN_ID].astype(str).isin(corrections.keys())
if quartier:
    mask &= acts[schema.QUARTIER].astype(str) == quartier
if search.strip():
    needle = search.strip().casefold()
    text = (acts[schema.TITEL].astype(str) + " " + acts[schema.BESCHREIBUNG].astype(str)).str.casefold()
    mask &= text.str.contains(needle, regex=False)
selected = order_frame[mask.to_numpy()]
if view in ("queue", "unklar", "low"):
    selected = selected.sort_values(["clear", "conf", "pos"], kind="stable")
index = selected.index[:MAX_ROWS]

table = acts.loc[index, [c for c in SHOWN if c in acts.columns]].copy()
for column in table.columns:
    if column != schema.SONI_KONFIDENZ:
        table[column] = table[column].astype(object).where(table[column].notna(), "").astype(str)
table[schema.SONI_ASPEKT] = table[schema.SONI_ASPEKT].replace("", texts.OHNE_ASPEKT)
table[schema.SONI_KONFIDENZ] = (table[schema.SONI_KONFIDENZ].astype("float64") * 100).round()
table.index = acts.loc[index, schema.ZEILEN_ID].astype(str).to_numpy()
table.index.name = schema.ZEILEN_ID
table[schema.ZEILEN_ID] = table.index  # shown last; the index identifies the rows of an edit

st.caption(f"{texts.fmt_number(len(selected))} Zeilen in dieser Ansicht"
           + (f", die ersten {texts.fmt_number(MAX_ROWS)} werden gezeigt" if len(selected) > MAX_ROWS else "")
           + ". Bearbeitbar sind die Spalten SONI-Feld und SONI-Aspekt.")

editor_key = f"w_editor_{st.session_state[common.CORRECTIONS_REV]}"
edited = st.data_editor(
    table, key=editor_key, width="stretch", height=min(38 + 35 * max(len(table), 1), 560), hide_index=True,
    disabled=[c for c in table.columns if c not in EDITABLE],
    column_config={
        schema.SONI_FELD: st.column_config.SelectboxColumn(
            "SONI-Feld", options=list(grid.FIELD_VALUES), required=True,
            help="Sozialstruktur, Organisation, Netzwerk oder Individuum – oder „unklar“, wenn Sie es nicht "
                 "wissen. Zurücknehmen lässt sich eine Korrektur unten unter „Korrekturen“."),
        schema.SONI_ASPEKT: st.column_config.SelectboxColumn(
            "SONI-Aspekt", options=[texts.OHNE_ASPEKT, *grid.ASPECT_LABELS], width="medium",
            help="Einer der drei Aspekte des Feldes (passt er nicht zum Feld, wird das Feld angepasst)"),
        schema.SONI_KONFIDENZ: st.column_config.ProgressColumn(
            "Konfidenz", min_value=0, max_value=100, format="%d %%"),
        schema.SONI_BEGRUENDUNG: st.column_config.TextColumn("Begründung", width="large"),
        schema.SONI_QUELLE: st.column_config.TextColumn("Quelle"),
        schema.SONI_ZWEITFELD: st.column_config.TextColumn("Zweitfeld"),
        schema.TITEL: st.column_config.TextColumn(width="medium", pinned=True),
        schema.BESCHREIBUNG: st.column_config.TextColumn(width="medium"),
    },
)


def _normalise(old_field: str, old_aspect: str, field: str, aspect: str) -> tuple[str, str]:
    """A consistent (field, aspect) from an edited row; the aspect is always explicit ("" = none).

    A newly chosen aspect of another field moves the field along; a new field drops an aspect
    that does not belong to it; "unklar" has no aspect.
    """
    field = grid.parse_field(field) or grid.UNKLAR
    found = grid.ASPECT_BY_LABEL.get(aspect) if aspect else None
    if field == grid.UNKLAR:
        return grid.UNKLAR, ""
    if found is None:
        return field, ""
    if found.field != field:
        if field == old_field and aspect != old_aspect:
            return found.field, found.label
        return field, ""
    return field, found.label


changes: dict[str, tuple[str, str]] = {}
if len(table):
    before = table[list(EDITABLE)]
    after = edited[list(EDITABLE)].astype(object).where(edited[list(EDITABLE)].notna(), "").astype(str)
    after[schema.SONI_ASPEKT] = after[schema.SONI_ASPEKT].replace("", texts.OHNE_ASPEKT)
    differs = (before != after.reindex(before.index)).any(axis=1)
    for row_id in before.index[differs.to_numpy()]:
        changes[str(row_id)] = _normalise(before.at[row_id, schema.SONI_FELD], before.at[row_id, schema.SONI_ASPEKT],
                                          after.at[row_id, schema.SONI_FELD], after.at[row_id, schema.SONI_ASPEKT])
if changes:
    corrections.update(changes)  # "unklar" too: the user says "I don't know" (undo is below)
    common.set_corrections(corrections)  # new editor key: the table is redrawn from the corrected data
    st.rerun()

# --- corrections and download ---------------------------------------------------------------
st.subheader("Korrekturen")
if corrections:
    ids = acts[schema.ZEILEN_ID].astype(str)
    titles = dict(zip(ids, acts[schema.TITEL].astype(str), strict=True))
    listing = pd.DataFrame(
        [(rid, titles.get(rid, "(nicht in den aktuellen Daten)"), f, a or texts.OHNE_ASPEKT)
         for rid, (f, a) in corrections.items()],
        columns=[schema.ZEILEN_ID, schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT],
    )
    st.caption("Zum Zurücknehmen Zeilen links ankreuzen: sie bekommen wieder die automatische Zuordnung. "
               "Korrekturen bleiben erhalten, wenn die Datei mit anderer Spaltenzuordnung neu gelesen wird.")
    # keyed by the corrections revision: a selection never outlives the list it was made in
    listing_key = f"table_corrections_{st.session_state[common.CORRECTIONS_REV]}"
    picked = st.dataframe(listing, hide_index=True, width="stretch", key=listing_key, on_select="rerun",
                          selection_mode="multi-row",
                          column_order=[schema.TITEL, schema.SONI_FELD, schema.SONI_ASPEKT, schema.ZEILEN_ID])
    rows = [r for r in picked.selection.rows if 0 <= r < len(listing)]
    b1, b2, _ = st.columns([2, 2, 3])
    undo = b1.button(f"Ausgewählte zurücknehmen ({len(rows)})" if rows else "Ausgewählte zurücknehmen",
                     icon=":material/undo:", disabled=not rows, key="w_undo_selected")
    if undo:
        for r in rows:
            corrections.pop(str(listing.iloc[r][schema.ZEILEN_ID]), None)
        common.set_corrections(corrections)
        st.rerun()
    if b2.button("Alle Korrekturen verwerfen", icon=":material/delete_sweep:", key="w_reset_corrections"):
        common.set_corrections({})
        st.rerun()
else:
    st.caption("Noch keine Korrekturen.")

st.subheader("Zugeordnete Liste herunterladen")
st.caption("Alle Spalten Ihrer Datei plus die fünf SONI-Spalten. Diese Datei kann später wieder hochgeladen "
           "werden: die Zuordnung (auch Ihre Korrekturen) wird dann übernommen.")


stem = common.slug(common.upload_names()[0].rsplit(".", 1)[0]) if common.has_uploads() else "beispieldaten"
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button("Excel (.xlsx)", data=lambda: common.inventory_xlsx(inv), file_name=f"{stem}_soni.xlsx",
                   on_click="ignore", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", key="w_download_xlsx")
d2.download_button("CSV", data=lambda: common.inventory_csv(inv), file_name=f"{stem}_soni.csv", mime="text/csv",
                   on_click="ignore", icon=":material/download:", key="w_download_csv")
