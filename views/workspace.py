"""The team workspace in the app: which database, which user, which workspace, and the session hooks
(open a saved inventory, apply what was learnt). The logic is in ``soni.store`` and ``soni.years``."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from soni import schema, store, texts, years
from soni.inventory import Inventory
from soni.report import InputError
from views import data, loading, session
from views.keys import Keys
from views.safe_text import md


def db_url() -> str | None:
    """``[soni] db_url`` in ``.streamlit/secrets.toml``, else ``SONI_DB_URL``/the SQLite file (``soni.store``)."""
    try:
        url = st.secrets.get("soni", {}).get("db_url")
    except Exception:  # no secrets file
        url = None
    return url or os.environ.get(store.ENV_URL) or None


@st.cache_resource(show_spinner=False)
def _store(url: str) -> store.Store:
    return store.Store(url)


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def current() -> tuple[store.Store, store.Workspace] | None:
    """The store and this user's workspace; None (after a message) when login is needed or the DB is down.

    With ``[auth]`` configured only a logged-in user has a workspace (their own team's); without it
    everyone shares the local workspace.
    """
    user = None
    if login_configured():
        user = str(st.user.get("email") or "") if st.user.is_logged_in else ""
        if not user:
            st.info(texts.WS_LOGIN_NEEDED, icon=":material/lock:")
            st.button(texts.WS_LOGIN, on_click=st.login)
            return None
    try:
        db = _store(store.resolve_url(db_url()))
        return db, db.workspace(user)
    except Exception as exc:  # the session goes on without the workspace
        loading.log_failure("workspace database", exc)
        st.warning(texts.WS_UNAVAILABLE.format(error=type(exc).__name__))
        return None


@contextlib.contextmanager
def reporting() -> Iterator[None]:
    """A German message instead of a crash when a workspace action fails (bad input, database gone)."""
    try:
        yield
    except InputError as exc:
        st.error(md(exc.located()))
    except Exception as exc:  # e.g. the database server stopped: the session goes on
        loading.log_failure("workspace action", exc)
        st.error(texts.WS_UNAVAILABLE.format(error=type(exc).__name__))


def save_current(db: store.Store, ws: store.Workspace, name: str, gemeinde: str, datum: dt.date | None
                 ) -> tuple[store.SavedInfo, int]:
    """Save the session's data (with its corrections) as ``name``; returns the info and the new corrections."""
    raw, inv = data.raw_inventory(), data.inventory()
    corrections = years.corrections_of(raw.activities, session.corrections())
    before = len(db.corrections(ws))
    info = db.save(ws, name, inv.activities, inv.original, gemeinde=gemeinde, datum=datum, mappings=inv.mappings,
                   sources=inv.sources, corrections=corrections)
    refresh_learning(db, ws)
    return info, len(db.corrections(ws)) - before


def open_saved(db: store.Store, ws: store.Workspace, inventory_id: int) -> str:
    """Make a saved inventory the session's data (until the next upload or "Daten entfernen")."""
    saved = db.open(ws, inventory_id)
    inv = Inventory(saved.activities, saved.original, mappings=saved.mappings, sources=saved.sources)
    st.session_state[Keys.OPENED] = (texts.WS_OPENED_SOURCE.format(name=saved.info.name), inv)
    session.set_corrections({})
    return saved.info.name


def set_learning(db: store.Store, ws: store.Workspace, on: bool) -> int:
    """Switch "Gelerntes anwenden": terms for the next readings, corrections carried to the current data."""
    ss = st.session_state
    ss[Keys.CACHE] = {}  # the uploads are read again (with or without the terms)
    ss.pop(Keys.CORRECTED, None)
    if not on:
        ss.pop(Keys.LEARN, None)
        return 0
    ss[Keys.LEARN] = (db.lexicon(ws), db.learnt(ws))
    raw = data.raw_inventory()
    if raw is None:
        return 0
    carried = years.carry_corrections(raw.activities, ss[Keys.LEARN][1])
    session.set_corrections({**carried, **session.corrections()})
    return len(carried)


def refresh_learning(db: store.Store, ws: store.Workspace, *, terms_changed: bool = False) -> None:
    """While "Gelerntes anwenden" is on: what was just saved or added counts from now on (changed terms: the
    uploads are read again with them)."""
    ss = st.session_state
    if Keys.LEARN not in ss:
        return
    ss[Keys.LEARN] = (db.lexicon(ws), db.learnt(ws))
    if terms_changed:
        ss[Keys.CACHE] = {}
        ss.pop(Keys.CORRECTED, None)


def learnt_table(learnt: pd.DataFrame) -> pd.DataFrame:
    """What was learnt, for display: title, Quartier, before → after, where, who, when."""
    return pd.DataFrame({
        schema.TITEL: learnt["titel"], schema.QUARTIER: learnt["quartier"].replace("", "(jedes)"),
        "vorher": learnt["old_feld"] + " " + learnt["old_aspekt"].fillna(""),
        "nachher": learnt["new_feld"] + " " + learnt["new_aspekt"].fillna(""), "in": learnt["inventar"],
        "von": learnt["who"], "am": pd.to_datetime(learnt["at"], utc=True).dt.strftime("%d.%m.%Y"),
    })
