"""Upload page, per file: fill down, and the column mapping saved to / loaded from a JSON file.

Not a page: ``render`` is called inside each file's expander on the upload page. The file
format is ``soni.mappingfile`` (the same as ``python -m soni … --zuordnung``).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from soni import mappingfile, pipeline
from soni.report import InputError
from views import common

LOADED = "soni_mapping_files_loaded"  # {widget key: file_id} of mapping files already applied


def _base(options: dict[str, pipeline.Options], file: str, sheet: str) -> pipeline.Options:
    base = options.get(file, pipeline.Options(sheet=sheet or None))
    return dataclasses.replace(base, sheet=base.sheet or sheet or None, mapping=dict(base.mapping))


def _apply(options: dict[str, pipeline.Options], file: str, changed: pipeline.Options) -> None:
    options[file] = changed
    if common.apply_options(options):
        st.rerun()


def render(i: int, sheet_no: int, file: str, sheet: str, info: dict, mapping: dict[str, str], headers: list[str],
           options: dict[str, pipeline.Options]) -> None:
    """Fill-down choice, download and upload of the mapping file, for one file of the upload."""
    suggested = [str(h) for h in info.get("fill_suggested") or []]
    current = [str(h) for h in info.get("fill_down") or []]
    label = "Leere Zellen mit dem Wert darüber füllen (nach unten auffüllen)"
    hint = ("Für Listen, in denen z. B. das Quartier nur in der ersten Zeile jedes Blocks steht."
            + (f" Vorgeschlagen: {', '.join(suggested)}." if suggested else ""))
    chosen = st.multiselect(label, headers, default=[h for h in current if h in headers], help=hint,
                            key=f"w_fill_{i}_{sheet_no}_{'|'.join(current)}", placeholder="keine Spalte")
    if suggested and not current:
        st.caption(common.md(f"Vorschlag: {', '.join(suggested)} nach unten auffüllen (siehe Prüfbericht)."))
    if chosen != current:
        _apply(options, file, dataclasses.replace(_base(options, file, sheet), fill_down=tuple(chosen)))

    left, right = st.columns(2)
    saved = mappingfile.from_choice(mapping, current)
    stem = file.rsplit(".", 1)[0] or "datei"
    left.download_button("Spaltenzuordnung speichern", data=mappingfile.dumps(saved).encode("utf-8"),
                         file_name=f"{stem}_zuordnung.json", mime="application/json", icon=":material/download:",
                         on_click="ignore", key=f"w_mapping_save_{i}_{sheet_no}",
                         help="Als JSON-Datei, für die nächste Liste gleicher Art oder für "
                         "python -m soni … --zuordnung DATEI.json")
    key = f"w_mapping_load_{i}_{sheet_no}"
    upload = right.file_uploader("Gespeicherte Zuordnung laden", type=["json"], key=key)
    loaded: dict[str, str] = st.session_state.setdefault(LOADED, {})
    if upload is None or loaded.get(key) == upload.file_id:
        return
    loaded[key] = upload.file_id
    try:
        saved = mappingfile.loads(upload.getvalue(), file=upload.name)
    except InputError as exc:
        st.error(common.md(exc.located()), icon=":material/error:")
        return
    missing = sorted({h for h in [*saved.columns.values(), *saved.fill_down] if h and h not in headers})
    st.session_state[common.NOTICE] = (f"Zuordnung aus {upload.name} übernommen." + (
        f" Diese Spalten gibt es in {file} nicht; sie bleiben unberücksichtigt: {', '.join(missing)}."
        if missing else ""))
    columns = {k: v for k, v in saved.columns.items() if not v or v in headers}
    fill = tuple(h for h in saved.fill_down if h in headers)
    _apply(options, file, dataclasses.replace(_base(options, file, sheet), mapping=columns, fill_down=fill))
