"""The data the pages show: the session's pipeline result with the user's corrections applied."""

from __future__ import annotations

import dataclasses

import streamlit as st

from soni import schema, texts
from soni.inventory import Inventory
from views import loading, results, session
from views.keys import PAGE_FILES, Keys
from views.safe_text import md


def raw_inventory() -> Inventory | None:
    """The session's pipeline result before corrections (sample without uploads), or None."""
    ss = st.session_state
    session.init_state()
    if Keys.OPENED in ss:
        return ss[Keys.OPENED][1]
    key = results.current_key()
    cached = ss[Keys.CACHE].get(key)
    if cached is not None:
        return cached
    if session.has_uploads():
        inventory = loading.load_with_progress(list(ss[Keys.UPLOADS]), ss[Keys.OPTIONS])
    else:
        inventory = loading.sample_inventory()
    if inventory is not None:
        results.remember(key, inventory)
    return inventory


def inventory() -> Inventory | None:
    """The session's data with the user's corrections applied (cached per corrections revision)."""
    raw = raw_inventory()
    if raw is None:
        return None
    corrections: dict = st.session_state[Keys.CORRECTIONS]
    if not corrections:
        return raw
    stamp = (results.current_key(), st.session_state[Keys.CORRECTIONS_REV])
    cached = st.session_state.get(Keys.CORRECTED)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from soni.classify import apply_corrections

    ids = set(raw.activities[schema.ZEILEN_ID].astype(str))
    relevant = {k: v for k, v in corrections.items() if k in ids}
    activities = apply_corrections(raw.activities, relevant) if relevant else raw.activities
    corrected = dataclasses.replace(raw, activities=activities)
    st.session_state[Keys.CORRECTED] = (stamp, corrected)
    return corrected


def require_inventory() -> Inventory:
    """The data, or a "no data" note with a link to the upload page and ``st.stop()``."""
    inv = inventory()
    if inv is None or len(inv) == 0:
        error = st.session_state.get(Keys.LOAD_ERROR)
        if error:
            st.error(md(error))  # names the file, sheet or zip part: never markup
        st.info(texts.NO_DATA)
        st.page_link(PAGE_FILES["upload"], label=texts.NO_DATA_LINK, icon=":material/upload_file:")
        st.stop()
    return inv
