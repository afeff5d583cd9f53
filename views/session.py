"""The session's state: which data it shows (sample, uploads, an opened inventory), corrections, notices.

Privacy: uploaded bytes and their pipeline results live only in this session's
``st.session_state``; reading them is ``views.loading``'s job.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from soni import texts
from soni.inventory import Inventory
from views import server
from views.keys import Keys
from views.safe_text import md


def init_state() -> None:
    """Create every session key once (idempotent)."""
    ss = st.session_state
    ss.setdefault(Keys.OPTIONS, {})
    ss.setdefault(Keys.DIGESTS, {})
    ss.setdefault(Keys.CORRECTIONS, {})
    ss.setdefault(Keys.CORRECTIONS_REV, 0)
    ss.setdefault(Keys.CACHE, {})
    ss.setdefault(Keys.PIPELINE_RUNS, 0)
    ss.setdefault(Keys.UPLOADER_REV, 0)


def keep_widget_state() -> None:
    """Keep the values of shared widgets when the user switches pages.

    Streamlit drops the state of widgets that are not drawn in a run; writing the
    value back once per run (before any widget is drawn) keeps it.
    """
    for key in Keys.PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def has_uploads() -> bool:
    return bool(st.session_state.get(Keys.UPLOADS))


def is_sample() -> bool:
    """The session shows the built-in sample (no uploads, no saved inventory opened)."""
    return not has_uploads() and Keys.OPENED not in st.session_state


def upload_names() -> list[str]:
    return [name for name, _ in st.session_state.get(Keys.UPLOADS) or []]


def clear_data() -> None:
    """Remove uploaded files, their results and corrections from the session (back to the sample)."""
    ss = st.session_state
    for key in Keys.DATA:
        ss.pop(key, None)
    for key in [k for k in ss if str(k).startswith(Keys.WIDGET_PREFIX)]:  # widget values may quote the upload
        del ss[key]
    ss[Keys.UPLOADER_REV] = ss.get(Keys.UPLOADER_REV, 0) + 1
    ss[Keys.CORRECTIONS_REV] = ss.get(Keys.CORRECTIONS_REV, 0) + 1
    ss[Keys.NOTICE] = texts.CLEAR_DATA_DONE
    init_state()
    server.release_memory()  # the frames of the removed upload go back to the system


def corrections() -> dict[str, tuple[str, str | None]]:
    """A copy of the session's corrections {Zeilen-ID: (field, aspect)}."""
    return dict(st.session_state[Keys.CORRECTIONS])


def corrections_rev() -> int:
    return int(st.session_state[Keys.CORRECTIONS_REV])


def set_corrections(corrections: Mapping[str, tuple[str, str | None]]) -> None:
    st.session_state[Keys.CORRECTIONS] = dict(corrections)
    st.session_state[Keys.CORRECTIONS_REV] = st.session_state.get(Keys.CORRECTIONS_REV, 0) + 1


def source_label() -> str:
    """``texts.SAMPLE_SOURCE`` or the uploaded file names."""
    if Keys.OPENED in st.session_state:
        return st.session_state[Keys.OPENED][0]
    if has_uploads():
        return ", ".join(upload_names())
    return texts.SAMPLE_SOURCE


def source_names(inv: Inventory) -> list[str]:
    """File names for chart captions (the sample says so)."""
    if Keys.OPENED in st.session_state:
        return [st.session_state[Keys.OPENED][0]]
    if not has_uploads():
        return [texts.SAMPLE_SOURCE]
    return upload_names()


def show_notice() -> None:
    """Show (once) a message left by an action of the previous run."""
    message = st.session_state.pop(Keys.NOTICE, None)
    if message:
        st.toast(md(message), icon=":material/info:")  # may name an uploaded file
