"""Upload page, per file: fill down, and the column mapping saved to / loaded from a JSON file.

Not a page: ``render`` is called inside each file's expander on the upload page. The file
format is ``soni.mappingfile`` (the same as ``python -m soni … --zuordnung``).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from soni import mappingfile, pipeline, texts
from soni.report import InputError
from views import loading
from views.keys import Keys
from views.safe_text import md

T = texts.MAPPING_TOOLS


def _base(options: dict[str, pipeline.Options], file: str, sheet: str) -> pipeline.Options:
    base = options.get(file, pipeline.Options(sheet=sheet or None))
    return dataclasses.replace(base, sheet=base.sheet or sheet or None, mapping=dict(base.mapping))


def _apply(options: dict[str, pipeline.Options], file: str, changed: pipeline.Options) -> None:
    options[file] = changed
    if loading.apply_options(options):
        st.rerun()


def render(i: int, sheet_no: int, file: str, sheet: str, info: dict, mapping: dict[str, str], headers: list[str],
           options: dict[str, pipeline.Options]) -> None:
    """Fill-down choice, download and upload of the mapping file, for one file of the upload."""
    suggested = [str(h) for h in info.get("fill_suggested") or []]
    current = [str(h) for h in info.get("fill_down") or []]
    chosen = st.multiselect(T["fill"], headers, default=[h for h in current if h in headers],
                            help=texts.fill_hint(suggested), key=f"{Keys.FILL_}{i}_{sheet_no}_{'|'.join(current)}",
                            placeholder=T["fill_none"], select_all=False)
    if suggested and not current:
        st.caption(md(texts.fill_suggestion(suggested)))
    if chosen != current:
        _apply(options, file, dataclasses.replace(_base(options, file, sheet), fill_down=tuple(chosen)))

    left, right = st.columns(2)
    saved = mappingfile.from_choice(mapping, current)
    stem = file.rsplit(".", 1)[0] or "datei"
    left.download_button(T["save"], data=mappingfile.dumps(saved).encode("utf-8"),
                         file_name=f"{stem}_zuordnung.json", mime="application/json", icon=":material/download:",
                         on_click="ignore", key=f"{Keys.MAPPING_SAVE_}{i}_{sheet_no}",
                         help=T["save_help"])
    key = f"{Keys.MAPPING_LOAD_}{i}_{sheet_no}"
    upload = right.file_uploader(T["load"], type=["json"], key=key)
    loaded: dict[str, str] = st.session_state.setdefault(Keys.MAPPING_FILES_LOADED, {})
    if upload is None or loaded.get(key) == upload.file_id:
        return
    loaded[key] = upload.file_id
    try:
        saved = mappingfile.loads(upload.getvalue(), file=upload.name)
    except InputError as exc:
        st.error(md(exc.located()), icon=":material/error:")
        return
    missing = sorted({h for h in [*saved.columns.values(), *saved.fill_down] if h and h not in headers})
    st.session_state[Keys.NOTICE] = texts.mapping_loaded(upload.name, file, missing)
    columns = {k: v for k, v in saved.columns.items() if not v or v in headers}
    fill = tuple(h for h in saved.fill_down if h in headers)
    _apply(options, file, dataclasses.replace(_base(options, file, sheet), mapping=columns, fill_down=fill))
