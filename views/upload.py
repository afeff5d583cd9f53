"""Daten hochladen: files in, sheet and column mapping per file, the validation report."""

import dataclasses

import pandas as pd
import streamlit as st

from soni import pipeline, schema, texts
from soni.report import FEHLER, HINWEIS, WARNUNG
from views import common, mapping_tools

TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
NOT_MAPPED = "– nicht zugeordnet –"
LEVEL_ORDER = {FEHLER: 0, WARNUNG: 1, HINWEIS: 2}


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    from soni.template import build_template

    return build_template()


st.title(texts.PAGE_TITLES["upload"])
st.write(texts.PAGE_INTROS["upload"])
st.download_button(
    "Leere Vorlage herunterladen (Excel)", data=_template, file_name="Vorlage_SONI_Inventar.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
    on_click="ignore", key="w_template",
)

files = st.file_uploader(
    "Dateien auswählen oder hierher ziehen", type=TYPES, accept_multiple_files=True,
    key=f"w_uploader_{st.session_state[common.UPLOADER_REV]}",
    help="Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) oder CSV. Die Daten bleiben in Ihrer Sitzung.",
)
if files:
    signature = tuple((f.name, f.file_id) for f in files)
    if st.session_state.get(common.UPLOAD_SIGNATURE) != signature:
        st.session_state[common.UPLOAD_SIGNATURE] = signature
        named: list[tuple[str, bytes]] = []
        seen: dict[str, int] = {}
        for f in files:
            name = f.name
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                stem, dot, ext = name.rpartition(".")
                name = f"{stem} ({seen[name]}).{ext}" if dot else f"{name} ({seen[name]})"
            named.append((name, f.getvalue()))
        if common.accept_uploads(named):
            st.rerun()

error = st.session_state.get(common.LOAD_ERROR)
if error:
    st.error(error, icon=":material/error:")

if not common.has_uploads():
    st.info(texts.NO_UPLOAD_YET, icon=":material/info:")
    st.stop()

inv = common.raw_inventory()
if inv is None:
    st.stop()

# --- summary -------------------------------------------------------------------------------
report = inv.report
n_files = len({str(s.get("file")) for s in inv.sources.values()})
summary = (f"{texts.fmt_metric(len(inv), 'anzahl')} aus {n_files} Datei{'en' if n_files != 1 else ''}, "
           f"{texts.fmt_number(report.skipped)} Zeile{'n' if report.skipped != 1 else ''} übersprungen")
skips = report.skip_summary()
if skips:
    top = sorted(skips.items(), key=lambda kv: -kv[1])
    listed = "; ".join(f"{reason} ({texts.fmt_number(n)}×)" for reason, n in top[:5])
    summary += f": {listed}" + (" …" if len(top) > 5 else "")
st.success(common.md(summary + "."), icon=":material/check_circle:")
failed = [p for p in report.of_level(FEHLER) if p.row is None and not p.column]
for p in failed:
    st.error(common.md(p.located()))
n1, n2, _ = st.columns([1, 1, 2])
n1.page_link(common.PAGE_FILES["quartier"], label="Weiter: Heatmap ansehen", icon=":material/grid_view:")
n2.page_link(common.PAGE_FILES["pruefen"], label=texts.PAGE_TITLES["pruefen"], icon=":material/fact_check:")

# --- sheet and column mapping per file --------------------------------------------------------
st.subheader("Blatt und Spalten")
st.caption("Welche Spalte der Datei bedeutet was? Die Zuordnung ist vorgeschlagen; ändern Sie sie bei Bedarf "
           "und klicken Sie auf „Zuordnung übernehmen“.")
options: dict[str, pipeline.Options] = {k: dataclasses.replace(v, mapping=dict(v.mapping))
                                        for k, v in st.session_state[common.OPTIONS].items()}


def _headers(info: dict, mapping: dict[str, str | None]) -> list[str]:
    """All headers of one file's table, as the pipeline stored them (empty columns too).

    A header the current mapping uses is always offered, so that submitting the form unchanged
    never drops a mapping.
    """
    headers = [str(h) for h in info.get("headers") or []]
    return headers + [h for h in dict.fromkeys(str(v) for v in mapping.values() if v) if h not in headers]


for i, (source, info) in enumerate(inv.sources.items()):
    file = str(info.get("file"))
    label = f"{common.md(file)}: {texts.fmt_metric(info.get('rows', 0), 'anzahl')}"
    with st.expander(label, expanded=len(inv.sources) == 1):
        sheets = [str(s) for s in info.get("sheets") or []]
        current_sheet = str(info.get("sheet") or "")
        sheet_no = sheets.index(current_sheet) if current_sheet in sheets else 0  # keys never hold names
        if len(sheets) > 1:
            choice = st.selectbox("Tabellenblatt", sheets, index=sheets.index(current_sheet)
                                  if current_sheet in sheets else 0, key=f"w_sheet_{i}_{sheet_no}")
            if choice != current_sheet:
                automatic = st.session_state.get(common.AUTO_SHEETS, {}).get(file)
                # the sheet the pipeline chose itself = no option (same cache key as the first read)
                options[file] = pipeline.Options(sheet=None if choice == automatic else choice)
                if common.apply_options(options):
                    st.rerun()
        st.caption(f"Kopfzeile: Zeile {info.get('header_row')}")
        mapping = inv.mappings.get(source, {})
        headers = _headers(info, mapping)
        with st.form(f"w_mapping_form_{i}", border=False):
            cols = st.columns(3)
            chosen: dict[str, str | None] = {}
            # the columns of an inventory first, an already given SONI assignment last
            canons = sorted(schema.CANON, key=lambda c: c.name in (schema.IN_FELD, schema.IN_ASPEKT, schema.IN_QUELLE))
            for j, canon in enumerate(canons):
                current = mapping.get(canon.name)
                opts = [NOT_MAPPED, *headers]
                idx = opts.index(current) if current in opts else 0
                label = canon.name.replace(" (Datei)", " (SONI, aus der Datei)")
                value = cols[j % 3].selectbox(label, opts, index=idx, help=canon.help,
                                              key=f"w_map_{i}_{j}_{sheet_no}")
                chosen[canon.name] = None if value == NOT_MAPPED else value
            submitted = st.form_submit_button("Zuordnung übernehmen", icon=":material/check:")
        if submitted:
            override = {k: v for k, v in chosen.items() if v != mapping.get(k)}
            if override:
                base = options.get(file, pipeline.Options(sheet=current_sheet or None))
                merged = {**base.mapping, **override}
                options[file] = dataclasses.replace(base, sheet=base.sheet or current_sheet or None, mapping=merged)
                if common.apply_options(options):
                    st.rerun()
            else:
                st.caption("Keine Änderung.")
        mapping_tools.render(i, sheet_no, file, current_sheet, info, mapping, headers, options)

# --- validation report ----------------------------------------------------------------------
st.subheader("Prüfbericht")
frame = report.to_frame()
if frame.empty:
    st.write("Keine Auffälligkeiten.")
else:
    frame = frame.assign(_o=frame["Stufe"].map(LEVEL_ORDER).fillna(3)).sort_values(["_o"], kind="stable")
    frame = frame.drop(columns="_o").reset_index(drop=True)
    if "Zeile" in frame.columns:  # a blank cell instead of "None" where a message has no row
        frame["Zeile"] = [str(int(v)) if pd.notna(v) else "" for v in frame["Zeile"]]
    counts = frame["Stufe"].value_counts()
    parts = [f"{texts.fmt_number(counts.get(lvl, 0))} {name}" for lvl, name in
             ((FEHLER, "Fehler"), (WARNUNG, "Warnungen"), (HINWEIS, "Hinweise"))]
    st.caption("Probleme nach Zeile und Spalte, Fehler zuerst: " + ", ".join(parts) + ".")
    levels = st.pills("Anzeigen", [FEHLER, WARNUNG, HINWEIS], selection_mode="multi",
                      default=[FEHLER, WARNUNG, HINWEIS], key="w_report_levels")
    shown = frame[frame["Stufe"].isin(levels or [])] if levels is not None else frame
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch", key="table_report",
                 column_config={"Meldung": st.column_config.TextColumn(width="large")})
