"""Daten hochladen: files in, sheet and column mapping per file, the validation report."""

import dataclasses

import streamlit as st

from soni import pipeline, schema, texts
from soni.report import FEHLER, HINWEIS, WARNUNG
from views import data, downloads, loading, mapping_tools, session
from views.keys import PAGE_FILES, Keys
from views.safe_text import md

TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
T = texts.UPLOAD


st.title(texts.PAGE_TITLES["upload"])
st.write(texts.PAGE_INTROS["upload"])
st.download_button(
    T["template"], data=downloads.template_bytes, file_name="Vorlage_SONI_Inventar.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
    on_click="ignore", key=Keys.TEMPLATE,
)

files = st.file_uploader(T["uploader"], type=TYPES, accept_multiple_files=True, help=T["uploader_help"],
                         key=f"{Keys.UPLOADER_}{st.session_state[Keys.UPLOADER_REV]}")
st.caption(texts.upload_limit(st.get_option("server.maxUploadSize")))
# A file the browser refuses (size, type) gets a red chip with Streamlit's English reason in a tooltip and a
# hidden alert (hidden here): chip and tooltip say it in German (static CSS; views/frame.py does so for the
# button). The tooltip's English text node is shrunk to nothing, the German one shown after it.
_refused = texts.upload_refused(TYPES, st.get_option("server.maxUploadSize"))
st.html('<style>[data-testid="stFileChip"][aria-invalid="true"]::after{content:"' + _refused
        + '";flex-basis:100%;font-size:0.8rem;white-space:normal}'
        '[data-testid="stFileChip"] [role="alert"]{display:none}'
        '[data-testid="stTooltipErrorContent"]{font-size:0!important}'
        '[data-testid="stTooltipErrorContent"]::after{content:"' + _refused + '";font-size:0.875rem}</style>')
if files:
    signature = tuple((f.name, f.file_id) for f in files)
    if st.session_state.get(Keys.UPLOAD_SIGNATURE) != signature:
        st.session_state[Keys.UPLOAD_SIGNATURE] = signature
        names = pipeline.unique_names([f.name for f in files])
        if not loading.uploads_fit([f.size for f in files]) or loading.accept_uploads(
                [(name, f.getvalue()) for name, f in zip(names, files, strict=True)]):
            st.rerun()

error = st.session_state.get(Keys.LOAD_ERROR)
if error:
    st.error(md(error), icon=":material/error:")  # names the file, sheet or zip part: never markup

if not session.has_uploads():
    st.info(texts.NO_UPLOAD_YET, icon=":material/info:")
    st.stop()
# the uploader forgets its files when the page is left or a mapping is applied; the data stay loaded
st.caption(texts.loaded_files([md(n) for n in session.upload_names()]))

inv = data.raw_inventory()
if inv is None:
    st.stop()

# --- summary -------------------------------------------------------------------------------
report = inv.report
n_files = len({str(s.get("file")) for s in inv.sources.values()})
st.success(md(texts.upload_summary(len(inv), n_files, report.skipped, report.skip_summary())),
           icon=":material/check_circle:")
for p in report.of_level(FEHLER):
    if p.row is None and not p.column:
        st.error(md(p.located()))
n1, n2, _ = st.columns([1, 1, 2])
n1.page_link(PAGE_FILES["quartier"], label=T["next_heatmap"], icon=":material/grid_view:")
n2.page_link(PAGE_FILES["pruefen"], label=texts.PAGE_TITLES["pruefen"], icon=":material/fact_check:")

# --- sheet and column mapping per file --------------------------------------------------------
st.subheader(T["mapping_title"])
st.caption(T["mapping_hint"])
options: dict[str, pipeline.Options] = {k: dataclasses.replace(v, mapping=dict(v.mapping))
                                        for k, v in st.session_state[Keys.OPTIONS].items()}


def _headers(info: dict, mapping: dict[str, str | None]) -> list[str]:
    """All headers of one file's table, as the pipeline stored them (empty columns too).

    A header the current mapping uses is always offered, so that submitting the form unchanged
    never drops a mapping.
    """
    headers = [str(h) for h in info.get("headers") or []]
    return headers + [h for h in dict.fromkeys(str(v) for v in mapping.values() if v) if h not in headers]


for i, (source, info) in enumerate(inv.sources.items()):
    file = str(info.get("file"))
    with st.expander(f"{md(file)}: {texts.fmt_metric(info.get('rows', 0), 'anzahl')}",
                     expanded=len(inv.sources) == 1):
        sheets = [str(s) for s in info.get("sheets") or []]
        current_sheet = str(info.get("sheet") or "")
        sheet_no = sheets.index(current_sheet) if current_sheet in sheets else 0  # keys never hold names
        if len(sheets) > 1:
            choice = st.selectbox(T["sheet"], sheets, index=sheet_no, key=f"{Keys.SHEET_}{i}_{sheet_no}")
            if choice != current_sheet:
                automatic = st.session_state.get(Keys.AUTO_SHEETS, {}).get(file)
                # the sheet the pipeline chose itself = no option (same cache key as the first read)
                options[file] = pipeline.Options(sheet=None if choice == automatic else choice)
                if loading.apply_options(options):
                    st.rerun()
        st.caption(texts.header_row(info.get("header_row")))
        mapping = inv.mappings.get(source, {})
        headers = _headers(info, mapping)
        with st.form(f"{Keys.MAPPING_FORM_}{i}", border=False):
            cols = st.columns(3)
            chosen: dict[str, str | None] = {}
            # the columns of an inventory first, an already given SONI assignment last
            canons = sorted(schema.CANON, key=lambda c: c.name in (schema.IN_FELD, schema.IN_ASPEKT, schema.IN_QUELLE))
            for j, canon in enumerate(canons):
                current = mapping.get(canon.name)
                opts = [texts.NOT_MAPPED, *headers]
                value = cols[j % 3].selectbox(texts.mapping_label(canon.name), opts,
                                              index=opts.index(current) if current in opts else 0, help=canon.help,
                                              key=f"{Keys.MAP_}{i}_{j}_{sheet_no}")
                chosen[canon.name] = None if value == texts.NOT_MAPPED else value
            submitted = st.form_submit_button(T["apply"], icon=":material/check:")
        if submitted:
            override = {k: v for k, v in chosen.items() if v != mapping.get(k)}
            if override:
                base = options.get(file, pipeline.Options(sheet=current_sheet or None))
                merged = {**base.mapping, **override}
                options[file] = dataclasses.replace(base, sheet=base.sheet or current_sheet or None, mapping=merged)
                if loading.apply_options(options):
                    st.rerun()
            else:
                st.caption(T["no_change"])
        mapping_tools.render(i, sheet_no, file, current_sheet, info, mapping, headers, options)

# --- validation report ----------------------------------------------------------------------
st.subheader(T["report_title"])
frame = report.sorted_frame()
if frame.empty:
    st.write(T["report_empty"])
else:
    st.caption(texts.report_caption(report.level_counts()))
    levels = st.pills(T["report_show"], [FEHLER, WARNUNG, HINWEIS], selection_mode="multi",
                      default=[FEHLER, WARNUNG, HINWEIS], key=Keys.REPORT_LEVELS)
    shown = frame[frame["Stufe"].isin(levels or [])] if levels is not None else frame
    if shown.empty:
        st.caption(texts.NO_ROWS)
    else:
        st.dataframe(shown, hide_index=True, width="stretch", key=Keys.TABLE_REPORT, column_config={
            "Stufe": st.column_config.TextColumn(width=80), "Datei": st.column_config.TextColumn(width=130),
            "Blatt": st.column_config.TextColumn(width=90), "Zeile": st.column_config.TextColumn(width=55),
            "Spalte": st.column_config.TextColumn(width=110), "Meldung": st.column_config.TextColumn(width=900)})
