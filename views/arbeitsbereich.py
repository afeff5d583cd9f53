"""Arbeitsbereich: save the current inventory to the team's workspace, open or delete saved ones,
and see what the workspace has learnt (corrections by title, own terms)."""

import datetime as dt

import pandas as pd
import streamlit as st

from soni import grid, texts
from views import data, session, widgets, workspace
from views.keys import Keys
from views.safe_text import md

st.title(texts.WS_TITLE)
st.caption(texts.WS_INTRO)
here = workspace.current()
if here is None:
    st.stop()
db, ws = here
with workspace.reporting():
    place = texts.WS_DB_PLACES.get(db.dialect, db.dialect)  # never the server's path or URL
    st.caption(md(texts.WS_WHERE.format(name=ws.name, members=", ".join(db.members(ws)), where=place)))


def save_section() -> None:
    """Save the session's data (with its corrections) under a name."""
    st.subheader(texts.WS_SAVE_HEADING)
    inv = data.inventory()
    if inv is None:
        return
    with st.form(Keys.WS_SAVE_FORM, border=True):
        c1, c2, c3 = st.columns([3, 3, 2])
        name = c1.text_input(texts.WS_NAME, value=texts.WS_NAME_DEFAULT.format(year=dt.date.today().year),
                             max_chars=200, key=Keys.WS_NAME)
        gemeinde = c2.text_input(texts.WS_GEMEINDE, max_chars=200, key=Keys.WS_GEMEINDE)
        datum = c3.date_input(texts.WS_DATUM, value=dt.date.today(), format="DD.MM.YYYY", key=Keys.WS_DATUM)
        st.caption(f"{md(session.source_label())} · {len(inv)} Aktivitäten · {texts.WS_SAVE_HINT}")
        if st.form_submit_button(texts.WS_SAVE, icon=":material/save:", type="primary"):
            with workspace.reporting():
                info, new = workspace.save_current(db, ws, name, gemeinde, datum)
                st.success(md(texts.WS_SAVED.format(name=info.name, n=info.n_rows, k=new)))


def list_section() -> None:
    """The saved inventories: open one as the session's data, or delete it."""
    st.subheader(texts.WS_LIST_HEADING)
    infos = db.inventories(ws)
    if not infos:
        st.info(texts.WS_EMPTY)
        return
    st.dataframe(pd.DataFrame({
        "Name": [i.name for i in infos], "Gemeinde / Einrichtung": [i.gemeinde for i in infos],
        "Datum": [i.datum.strftime("%d.%m.%Y") if i.datum else "" for i in infos],
        "Aktivitäten": [i.n_rows for i in infos],
        "gespeichert": [f"{i.saved_at:%d.%m.%Y %H:%M} UTC · {i.saved_by}" for i in infos],
    }), hide_index=True, width="stretch")
    by_id = {i.id: i for i in infos}
    widgets.choice_state(Keys.WS_PICK, list(by_id))
    picked = st.selectbox(texts.WS_PICK, list(by_id), format_func=lambda k: by_id[k].name, key=Keys.WS_PICK)
    b1, b2 = st.columns([1, 3], vertical_alignment="center")
    if b1.button(texts.WS_OPEN, icon=":material/folder_open:", key=Keys.WS_OPEN):
        st.success(md(texts.WS_OPENED.format(name=workspace.open_saved(db, ws, picked))))
    with b2.popover(texts.WS_DELETE, icon=":material/delete:"):
        if st.button(md(texts.WS_DELETE_CONFIRM.format(name=by_id[picked].name)), key=Keys.WS_DELETE):
            db.delete(ws, picked)
            st.session_state.pop(Keys.YEARS_LOADED, None)
            st.session_state[Keys.NOTICE] = texts.WS_DELETED.format(name=by_id[picked].name)
            st.rerun()


def learnt_section() -> None:
    """What the workspace learnt (corrections by title, own terms) and the switch to apply it."""
    st.subheader(texts.WS_LEARN_HEADING)
    learning = st.toggle(texts.WS_LEARN_TOGGLE, value=Keys.LEARN in st.session_state, help=texts.WS_LEARN_HELP,
                         key=Keys.WS_LEARN)
    if learning != (Keys.LEARN in st.session_state):
        n = workspace.set_learning(db, ws, learning)
        if learning:
            st.success(texts.WS_LEARN_APPLIED.format(n=n))
    learnt = db.learnt(ws)
    st.caption(texts.WS_LEARNT_CAPTION if len(learnt) else texts.WS_NO_LEARNT)
    if len(learnt):
        st.dataframe(workspace.learnt_table(learnt), hide_index=True, width="stretch")
    st.markdown(f"**{texts.WS_TERMS_HEADING}**")
    terms = db.terms(ws)
    if len(terms):
        st.dataframe(terms[["Begriff", "Feld", "Aspekt", "Gewicht", "who"]].rename(columns={"who": "von"}),
                     hide_index=True, width="stretch")
        names = dict(zip(terms["id"].tolist(), (terms["Begriff"] + " → " + terms["Feld"]).tolist(), strict=True))
        widgets.choice_state(Keys.WS_TERM_PICK, list(names))
        r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = r1.selectbox(texts.WS_TERM_PICK, list(names), format_func=names.get, key=Keys.WS_TERM_PICK)
        if r2.button(texts.WS_TERM_REMOVE, icon=":material/delete:", key=Keys.WS_TERM_REMOVE):
            db.delete_term(ws, gone)
            workspace.refresh_learning(db, ws, terms_changed=True)
            st.session_state[Keys.NOTICE] = texts.WS_TERM_REMOVED.format(begriff=names[gone])
            st.rerun()
    t1, t2, t3, t4, t5 = st.columns([3, 2, 3, 1, 2], vertical_alignment="bottom")
    begriff = t1.text_input("Begriff", max_chars=200, key=Keys.WS_TERM)
    feld = t2.selectbox("Feld", grid.FIELD_NAMES, key=Keys.WS_TERM_FELD)
    aspekt = t3.selectbox("Aspekt", ["", *(a.label for a in grid.aspects_of(feld))], key=Keys.WS_TERM_ASPEKT)
    gewicht = t4.number_input("Gewicht", -10.0, 10.0, 2.0, 0.5, key=Keys.WS_TERM_GEWICHT)
    if t5.button(texts.WS_TERM_ADD, icon=":material/add:", key=Keys.WS_TERM_ADD):
        db.add_terms(ws, pd.DataFrame({"Begriff": [begriff], "Feld": [feld], "Aspekt": [aspekt], "Gewicht": [gewicht]}))
        workspace.refresh_learning(db, ws, terms_changed=True)
        st.success(md(texts.WS_TERM_ADDED.format(begriff=begriff)))
    if workspace.login_configured():
        with st.form(Keys.WS_MEMBER_FORM, border=False):
            email = st.text_input(texts.WS_MEMBER_ADD, max_chars=320, key=Keys.WS_MEMBER)
            if st.form_submit_button(texts.WS_MEMBER_ADD.split(" (")[0]):
                db.add_member(ws, email)
                st.rerun()


# Each part on its own: a failing database or a refused input is a German message, never a crash.
for part in (save_section, list_section, learnt_section):
    with workspace.reporting():
        part()
