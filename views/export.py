"""Export: the meeting package (PDF, PowerPoint, Excel, chart images) for chosen Quartiere."""

import streamlit as st

from soni import texts
from soni.export import images, package
from views import common

FORMAT_LABELS = {
    "pdf": "PDF-Sitzungsvorlage",
    "pptx": "PowerPoint-Folien",
    "xlsx": "Excel-Zusammenfassung",
    "png": "Diagramme als PNG",
    "svg": "Diagramme als SVG",
    "csv": "Aktivitäten als CSV",
}
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
RESULT = common.EXPORT_RESULT

inv = common.require_inventory()
st.title(texts.PAGE_TITLES["export"])
st.write(texts.PAGE_INTROS["export"])

browser = images.browser_available()
if not browser:
    st.warning(images.unavailable_reason() or images.NO_BROWSER_MESSAGE, icon=":material/warning:")

all_q = common.quartiere_of(inv.activities)
common.choices_state("w_export_quartiere", all_q)
quartiere = st.multiselect("Quartiere", all_q, key="w_export_quartiere", placeholder="alle Quartiere",
                           help="Leer lassen für alle Quartiere. Jedes gewählte Quartier bekommt eine eigene Seite.")
metric = common.metric_picker(key="w_export_metric")
offered = [f for f in FORMAT_LABELS if browser or f not in IMAGE_FORMATS]
default = [f for f in ("pdf", "pptx", "xlsx", "png") if f in offered]
if "w_export_formats" not in st.session_state:
    st.session_state["w_export_formats"] = default
common.choices_state("w_export_formats", offered)
formats = st.pills("Formate", offered, selection_mode="multi", format_func=FORMAT_LABELS.get,
                   key="w_export_formats")

stamp = (common.current_key(), st.session_state[common.CORRECTIONS_REV], tuple(quartiere), metric,
         tuple(sorted(formats or [])))
if st.button("Unterlagen erstellen", type="primary", icon=":material/build:", disabled=not formats,
             key="w_export_build"):
    with st.status("Unterlagen werden erstellt …", expanded=True) as status:
        progress = common.progress_reporter()
        try:
            files = package.build_report(inv, quartiere=quartiere or None, metric=metric, formats=set(formats),
                                         progress=progress)
        except images.ImageExportError as exc:
            status.update(label="Die Bilder konnten nicht erzeugt werden.", state="error")
            st.error(common.md(str(exc)))
            files = None
        except Exception as exc:  # a German message instead of a traceback
            common.log_failure("export failed", exc)
            status.update(label="Die Unterlagen konnten nicht erstellt werden.", state="error")
            st.error(f"Beim Erstellen ist ein Fehler aufgetreten ({type(exc).__name__}). Bitte weniger Formate "
                     "oder Quartiere wählen und erneut versuchen.")
            files = None
        else:
            status.update(label=f"{len(files)} Dateien erstellt.", state="complete", expanded=False)
    if files is not None:
        st.session_state[RESULT] = (stamp, files)

result = st.session_state.get(RESULT)
if result is not None:
    built_stamp, files = result
    if built_stamp != stamp:
        st.caption("Die Auswahl hat sich geändert – die Dateien unten gehören noch zur vorigen Auswahl.")
    st.subheader("Herunterladen")
    st.download_button(
        f"Alles als ZIP ({len(files)} Dateien)", data=lambda: package.build_zip(files),
        file_name="SONI_Sitzungsunterlagen.zip", mime=MIME["zip"], icon=":material/folder_zip:", type="primary",
        on_click="ignore", key="w_export_zip",
    )
    singles = [n for n in files if not n.startswith(f"{package.IMAGE_FOLDER}/")]
    pictures = [n for n in files if n.startswith(f"{package.IMAGE_FOLDER}/")]
    for i, name in enumerate(singles):
        ext = name.rsplit(".", 1)[-1].lower()
        st.download_button(name, data=files[name], file_name=name, mime=MIME.get(ext, "application/octet-stream"),
                           icon=":material/download:", on_click="ignore", key=f"w_export_file_{i}")
    if pictures:
        with st.expander(f"Einzelne Diagramme ({len(pictures)})"):
            for i, name in enumerate(pictures):
                ext = name.rsplit(".", 1)[-1].lower()
                st.download_button(name.split("/", 1)[-1], data=files[name], file_name=name.split("/", 1)[-1],
                                   mime=MIME.get(ext, "application/octet-stream"), on_click="ignore",
                                   key=f"w_export_img_{i}")

st.divider()
st.caption(f"Datengrundlage: {common.md(common.source_label())}, {texts.fmt_metric(len(inv), 'anzahl')}. "
           f"Kennzahl: {texts.METRIC_LABELS[metric]}." + (f" Quartiere: {common.md(', '.join(quartiere))}."
                                                            if quartiere else ""))
