"""Export: the meeting package (PDF, PowerPoint, Excel, chart images) for chosen Quartiere."""

import hashlib

import streamlit as st

from soni import aggregate, insights, texts
from soni.export import images, package
from views import data, loading, results, session, widgets
from views.keys import Keys
from views.safe_text import md

T = texts.EXPORT_PAGE
IMAGE_FORMATS = {"png", "svg"}
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "txt": "text/plain",
    "zip": "application/zip",
}
RESULT = Keys.EXPORT_RESULT

inv = data.require_inventory()
st.title(texts.PAGE_TITLES["export"])
st.write(texts.PAGE_INTROS["export"])

browser = images.browser_available()
if not browser:
    st.warning(images.unavailable_reason() or images.NO_BROWSER_MESSAGE, icon=":material/warning:")

all_q = aggregate.quartiere_of(inv.activities)
widgets.choices_state(Keys.EXPORT_QUARTIERE, all_q)
quartiere = st.multiselect(T["quartiere"], all_q, key=Keys.EXPORT_QUARTIERE, select_all=False,
                           help=T["quartiere_help"],
                           placeholder=texts.ALL_QUARTIERE_PLACEHOLDER)
metric = widgets.metric_picker(key=Keys.EXPORT_METRIC)
offered = [f for f in texts.EXPORT_FORMATS if browser or f not in IMAGE_FORMATS]
default = [f for f in ("pdf", "pptx", "xlsx", "png") if f in offered]
if Keys.EXPORT_FORMATS not in st.session_state:
    st.session_state[Keys.EXPORT_FORMATS] = default
widgets.choices_state(Keys.EXPORT_FORMATS, offered)
formats = st.pills(T["formats"], offered, selection_mode="multi", format_func=texts.EXPORT_FORMATS.get,
                   key=Keys.EXPORT_FORMATS)

# the reading of the selection, editable before export (a new selection starts from the computed one)
selection = (results.current_key(), session.corrections_rev(), tuple(quartiere), metric)
selected = aggregate.filter_activities(inv.activities, quartiere=quartiere or None)
computed = insights.schwerpunkte_und_luecken(selected, metric, texts.scope_label(selected, quartiere=quartiere))
with st.expander(T["lesart"]):
    lesart_text = st.text_area(T["lesart_label"], value=computed.as_text(), height=240, help=T["lesart_help"],
                               key=f"{Keys.EXPORT_LESART_}{hashlib.sha256(repr(selection).encode()).hexdigest()[:16]}")
edited = insights.Lesart.from_text(lesart_text) if lesart_text.strip() != computed.as_text() else None
stamp = (*selection, tuple(sorted(formats or [])), lesart_text)
if st.button(T["build"], type="primary", icon=":material/build:", disabled=not formats,
             key=Keys.EXPORT_BUILD):
    with st.status(T["building"], expanded=True) as status:
        progress = widgets.progress_reporter()
        failures: dict[str, str] = {}
        try:
            files = package.build_report(inv, quartiere=quartiere or None, metric=metric, formats=set(formats),
                                         progress=progress, lesart=edited)
        except package.PackageError as exc:  # the other formats are there; each failure said below
            files, failures = exc.files or None, exc.failures
            status.update(label=texts.export_partly(len(exc.files), len(failures)), state="error", expanded=False)
        except images.ImageExportError as exc:
            status.update(label=T["images_failed"], state="error")
            st.error(md(str(exc)))
            files = None
        except Exception as exc:  # a German message instead of a traceback
            loading.log_failure("export failed", exc)
            status.update(label=T["failed"], state="error")
            st.error(texts.export_unexpected(type(exc).__name__))
            files = None
        else:
            status.update(label=texts.files_built(len(files)), state="complete", expanded=False)
    for message in failures.values():  # outside the status box, which is collapsed by now
        st.error(md(message), icon=":material/error:")
    if files is not None:
        st.session_state[RESULT] = (stamp, files)

result = st.session_state.get(RESULT)
if result is not None:
    built_stamp, files = result
    if built_stamp != stamp:
        st.caption(T["stale"])
    st.subheader(T["download"])
    st.download_button(
        texts.zip_label(len(files)), data=lambda: package.build_zip(files),
        file_name="SONI_Sitzungsunterlagen.zip", mime=MIME["zip"], icon=":material/folder_zip:", type="primary",
        on_click="ignore", key=Keys.EXPORT_ZIP,
    )
    singles = [n for n in files if not n.startswith(f"{package.IMAGE_FOLDER}/")]
    pictures = [n for n in files if n.startswith(f"{package.IMAGE_FOLDER}/")]
    for i, name in enumerate(singles):
        ext = name.rsplit(".", 1)[-1].lower()
        st.download_button(name, data=files[name], file_name=name, mime=MIME.get(ext, "application/octet-stream"),
                           icon=":material/download:", on_click="ignore", key=f"{Keys.EXPORT_FILE_}{i}")
    if pictures:
        with st.expander(texts.single_charts(len(pictures))):
            for i, name in enumerate(pictures):
                ext = name.rsplit(".", 1)[-1].lower()
                st.download_button(name.split("/", 1)[-1], data=files[name], file_name=name.split("/", 1)[-1],
                                   mime=MIME.get(ext, "application/octet-stream"), on_click="ignore",
                                   key=f"{Keys.EXPORT_IMG_}{i}")

st.divider()
st.caption(texts.export_footer(md(session.source_label()), len(inv), metric, md(", ".join(quartiere))))
