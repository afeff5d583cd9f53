"""The frame of every page: page config, session state, page list and sidebar (run by ``app.py``).

The pages live in ``views/`` and stay thin; shared UI code is in rooms of one concern:
``views/session.py`` (state), ``views/loading.py`` (reading), ``views/results.py`` (result cache),
``views/data.py`` (shown data), ``views/downloads.py``, ``views/widgets.py`` (controls), ``views/tables.py``,
``views/plots.py`` (charts), ``views/safe_text.py``, ``views/keys.py``, ``views/server.py`` and
``views/middleware.py``.
(Not ``pages/``: Streamlit treats a folder of that name as an old-style multipage app on
the first run of a process — and on every AppTest run — even when ``st.navigation`` is used.)
"""

from pathlib import Path

import streamlit as st

from soni import texts
from views import session
from views.keys import PAGE_FILES, Keys

#: Icon and URL path of each page (the labels are in ``texts.NAV_LABELS``; "quartier" is the start page).
PAGE_META: dict[str, tuple[str, str | None]] = {
    "quartier": (":material/grid_view:", None),
    "vergleich": (":material/compare:", "vergleich"),
    "upload": (":material/upload_file:", "hochladen"),
    "pruefen": (":material/fact_check:", "pruefen"),
    "export": (":material/download:", "export"),
    "arbeitsbereich": (":material/inventory_2:", "arbeitsbereich"),
}


#: Streamlit 1.67's file uploader has no locale and no parameter for its texts: its button reads "Upload"
#: and its dropzone "50MB per file • XLSX, …". Static CSS hides the button's English label (display:none,
#: so screen readers skip it too), shows a German one (``::after`` content) and hides the English size
#: line; the upload page says the limit in German.
#: The dropzone's own button, not the chips' delete buttons (their icon must stay; issue #16).
_UPLOAD_BUTTON = '[data-testid="stFileUploaderDropzone"] button:not([data-testid="stBaseButton-minimal"])'
UPLOADER_GERMAN = (
    '[data-testid="stFileUploaderDropzoneInstructions"]{display:none}'
    f'{_UPLOAD_BUTTON}>*{{display:none}}'
    f'{_UPLOAD_BUTTON}::after{{content:"{texts.UPLOAD_BUTTON}"}}'
)

#: The browser-tab icon, shipped with the app: a ":material/…" page icon would be fetched from a
#: font CDN on every visit (Streamlit draws the favicon from there), against the privacy promise.
PAGE_ICON = Path(__file__).with_name("icon.png")


def _page(name: str) -> st.Page:
    icon, url_path = PAGE_META[name]
    extra = {"url_path": url_path} if url_path else {"default": True}
    return st.Page(PAGE_FILES[name], title=texts.NAV_LABELS[name], icon=icon, **extra)


def run() -> None:
    """One run of the app: the frame, then the chosen page."""
    st.set_page_config(page_title=texts.APP_TITLE, page_icon=str(PAGE_ICON), layout="wide")
    session.init_state()
    session.keep_widget_state()
    # Less empty space above the page title, so the heatmap is visible without scrolling (static CSS only).
    st.html(f"<style>.stMainBlockContainer{{padding-top:2.5rem}}{UPLOADER_GERMAN}</style>")

    pages = {section: [_page(name) for name in names] for section, names in texts.NAV_SECTIONS.items()}
    page = st.navigation(pages)

    with st.sidebar:
        st.markdown(f"**{texts.APP_TITLE}**")
        st.caption(texts.APP_SUBTITLE)
        st.markdown(f"**{texts.SIDEBAR_SOURCE}**")
        st.text(session.source_label())
        if not session.is_sample():
            st.button(texts.CLEAR_DATA_LABEL, on_click=session.clear_data, icon=":material/delete:",
                      help=texts.CLEAR_DATA_HELP, key=Keys.CLEAR_DATA)
        elif st.session_state.get(Keys.CORRECTIONS):
            st.caption(texts.SAMPLE_CORRECTIONS_NOTE)

    session.show_notice()
    page.run()
