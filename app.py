"""SONI-Dashboard — the frame: page config, session state, page list and sidebar.

The pages live in ``views/`` and stay thin; ``views/common.py`` holds the shared UI code.
(Not ``pages/``: Streamlit treats a folder of that name as an old-style multipage app on
the first run of a process — and on every AppTest run — even when ``st.navigation`` is used.)
Start with ``make run`` (or ``streamlit run app.py``).
"""

import streamlit as st

from soni import texts
from views import common

st.set_page_config(page_title=texts.APP_TITLE, page_icon=":material/grid_view:", layout="wide")
common.init_state()
common.keep_widget_state()
# Less empty space above the page title, so the heatmap is visible without scrolling (static CSS only).
st.html("<style>.stMainBlockContainer{padding-top:2.5rem}</style>")

PAGES = {
    "Auswerten": [
        st.Page(common.PAGE_FILES["quartier"], title="Quartier", icon=":material/grid_view:", default=True),
        st.Page(common.PAGE_FILES["vergleich"], title="Vergleich", icon=":material/compare:",
                url_path="vergleich"),
    ],
    "Daten": [
        st.Page(common.PAGE_FILES["upload"], title=texts.PAGE_TITLES["upload"], icon=":material/upload_file:",
                url_path="hochladen"),
        st.Page(common.PAGE_FILES["pruefen"], title=texts.PAGE_TITLES["pruefen"], icon=":material/fact_check:",
                url_path="pruefen"),
    ],
    "Sitzung": [
        st.Page(common.PAGE_FILES["export"], title="Export", icon=":material/download:", url_path="export"),
    ],
}
page = st.navigation(PAGES)

with st.sidebar:
    st.markdown(f"**{texts.APP_TITLE}**")
    st.caption(texts.APP_SUBTITLE)
    st.markdown("**Datenquelle**")
    st.text(common.source_label())
    if common.has_uploads():
        st.button("Daten entfernen", on_click=common.clear_data, icon=":material/delete:",
                  help="Entfernt die hochgeladenen Dateien und alle Korrekturen aus dieser Sitzung.",
                  key="w_clear_data")
    elif st.session_state.get(common.CORRECTIONS):
        st.caption("Korrekturen an den Beispieldaten sind nur in dieser Sitzung gespeichert.")

common.show_notice()
page.run()
