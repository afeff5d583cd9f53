"""AppTest of the Arbeitsbereich page and the "Bestandsaufnahmen" tab of Vergleich (real SQLite file)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
import streamlit as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from soni import schema, store, texts, years
from soni.export import over_years
from tests.test_app_common import APP, TIMEOUT, XLSX_MIME, charts, current_inventory, run, upload, xlsx_bytes
from views.keys import Keys
from views.safe_text import md


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    monkeypatch.delenv(store.ENV_URL, raising=False)
    monkeypatch.setenv(store.ENV_FILE, str(tmp_path / "team.db"))
    return f"sqlite:///{tmp_path / 'team.db'}"


def _app(user: str | None = None, login: bool = False) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if login:
        at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
        at.user = {"is_logged_in": True, "email": user} if user else {"is_logged_in": False}
    return at


def _frames(at: AppTest, column: str) -> list:
    """The values of the dataframes on the page that have ``column``."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def _save(at: AppTest, name: str) -> None:
    at.text_input(key="w_ws_name").set_value(name)
    at.text_input(key="w_ws_gemeinde").set_value("Kirchengemeinde St. Beispiel")
    at.button(key="FormSubmitter:w_ws_save_form-Speichern").click()
    run(at)


def test_save_open_delete_and_what_was_learnt(db_file):
    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    assert any(texts.WS_EMPTY in i.value for i in at.info)
    raw = current_inventory(at).activities
    row_id = raw[schema.ZEILEN_ID][0]
    common_ids = {row_id: ("Sozialstruktur", None)}
    at.session_state[Keys.CORRECTIONS] = common_ids
    at.session_state[Keys.CORRECTIONS_REV] = 99
    _save(at, "Bestandsaufnahme 2024")
    assert any("Bestandsaufnahme 2024" in s.value and "1 neue Korrekturen" in s.value for s in at.success)
    db = store.Store(db_file)
    ws = db.workspace(None)
    saved = db.open(ws, "Bestandsaufnahme 2024")
    assert len(saved.activities) == len(raw) and saved.info.gemeinde == "Kirchengemeinde St. Beispiel"
    assert saved.activities.set_index(schema.ZEILEN_ID).at[row_id, schema.SONI_FELD] == "Sozialstruktur"
    log = db.corrections(ws)
    assert log[["zeilen_id", "old_feld", "new_feld"]].values.tolist() == [
        [row_id, str(raw[schema.SONI_FELD][0]), "Sozialstruktur"]]
    assert _frames(at, "nachher")[0]["nachher"].str.startswith("Sozialstruktur").all()

    # a second year; then open the first one as the session's data
    at.session_state[Keys.CORRECTIONS] = {}
    at.session_state[Keys.CORRECTIONS_REV] = 100
    _save(at, "Bestandsaufnahme 2025")
    first = db.find(ws, "Bestandsaufnahme 2024").id
    at.selectbox(key="w_ws_pick").set_value(first)
    at.button(key="w_ws_open").click()
    run(at)
    assert at.session_state[Keys.OPENED][0] == texts.WS_OPENED_SOURCE.format(name="Bestandsaufnahme 2024")
    run(at, "quartier")
    assert "gespeichert: Bestandsaufnahme 2024" in [t.value for t in at.sidebar.text]

    # the years on the Vergleich page
    at.session_state["w_cmp_tab"] = texts.WS_YEARS_TAB
    run(at, "vergleich")
    assert "chart_years_felder" in charts(at) and "chart_multiples" not in charts(at)
    grid_table = _frames(at, "Veränderung")[0]
    assert list(grid_table.columns[-3:]) == ["Bestandsaufnahme 2024", "Bestandsaufnahme 2025", "Veränderung"]
    moved = _frames(at, "Status")[0]
    assert moved["Status"].tolist() == ["verschoben"]  # the corrected activity, matched by its title
    assert at.get("download_button")
    # the meeting package over the years, built on request
    at.button(key="w_years_build").click()
    run(at, "vergleich")
    with zipfile.ZipFile(io.BytesIO(at.session_state[Keys.YEARS_PACKAGE][1])) as archive:
        handout = archive.read(over_years.NAME_PDF)
        assert over_years.NAME_PPTX in archive.namelist() and over_years.NAME_XLSX in archive.namelist()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(handout)).pages)
    assert "Aktivitäten Bestandsaufnahme 2024 → Bestandsaufnahme 2025" in text and "1 verschoben" in text

    # delete removes it
    run(at, "arbeitsbereich")
    at.selectbox(key="w_ws_pick").set_value(first)
    at.button(key="w_ws_delete").click()
    run(at)
    assert [i.name for i in db.inventories(ws)] == ["Bestandsaufnahme 2025"] and db.corrections(ws).empty
    db.close()


def test_the_page_names_the_kind_of_database_never_its_path(db_file):
    """QA: the caption showed "sqlite:////…/var/soni.db", a server path that means nothing to a parish office."""
    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    captions = " ".join(c.value for c in at.caption)
    assert md(texts.WS_DB_PLACES["sqlite"]) in captions
    assert "team.db" not in captions and "sqlite:" not in captions


def test_learning_carries_corrections_to_new_data(db_file):
    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    raw = current_inventory(at).activities
    row_id = raw[schema.ZEILEN_ID][3]
    at.session_state[Keys.CORRECTIONS] = {row_id: ("Organisation", None)}
    at.session_state[Keys.CORRECTIONS_REV] = 99
    _save(at, "2024")
    at.session_state[Keys.CORRECTIONS] = {}  # as if next year's list came in uncorrected
    at.session_state[Keys.CORRECTIONS_REV] = 100
    run(at)
    at.toggle(key="w_ws_learn").set_value(True)
    run(at)
    keys = years.title_keys(raw[schema.TITEL])
    place = raw[schema.QUARTIER].astype(str)
    # the same activity: that title in that Quartier (the sample repeats titles across Quartiere)
    same = raw[schema.ZEILEN_ID][(keys == keys[3]) & (place == place[3])].tolist()
    assert len(same) < (keys == keys[3]).sum() or place.nunique() == 1
    assert any(texts.WS_LEARN_APPLIED.format(n=len(same)) in s.value for s in at.success)
    assert at.session_state[Keys.CORRECTIONS] == dict.fromkeys(same, ("Organisation", None))


def test_each_login_sees_only_its_own_workspace(db_file):
    a = _app("a@example.org", login=True)
    run(a)
    run(a, "arbeitsbereich")
    _save(a, "Geheime Bestandsaufnahme")
    assert any("Geheime Bestandsaufnahme" in s.value for s in a.success)

    b = _app("b@example.org", login=True)
    run(b)
    run(b, "arbeitsbereich")
    assert any(texts.WS_EMPTY in i.value for i in b.info)
    assert not _frames(b, "Aktivitäten")
    b.session_state["w_cmp_tab"] = texts.WS_YEARS_TAB
    run(b, "vergleich")
    assert any(texts.WS_YEARS_NONE in i.value for i in b.info)

    anonymous = _app(None, login=True)
    run(anonymous)
    run(anonymous, "arbeitsbereich")
    assert any(texts.WS_LOGIN_NEEDED in i.value for i in anonymous.info)
    assert not _frames(anonymous, "Aktivitäten")
    assert _frames(a, "Aktivitäten")[0]["Name"].tolist() == ["Geheime Bestandsaufnahme"]


def test_learning_applies_to_the_next_upload(db_file):
    db = store.Store(db_file)
    ws = db.workspace(None)
    last_year = pd.DataFrame({schema.TITEL: ["Nachbarschaftstreff"], schema.ZEILEN_ID: ["alt.xlsx:2"],
                              schema.SONI_FELD: ["Netzwerk"], schema.SONI_ASPEKT: [""],
                              schema.SONI_QUELLE: [schema.QUELLE_REGEL]})
    fix = {"alt.xlsx:2": ("Sozialstruktur", None)}
    db.save(ws, "2024", last_year, corrections=years.corrections_of(last_year, fix))
    db.close()
    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    at.toggle(key="w_ws_learn").set_value(True)
    run(at)
    # a term the team adds while the switch is on counts for the next upload at once
    at.text_input(key=Keys.WS_TERM).set_value("Zwergenkiste")
    at.selectbox(key=Keys.WS_TERM_FELD).set_value("Individuum")
    at.number_input(key=Keys.WS_TERM_GEWICHT).set_value(5.0)
    run(at)
    at.button(key=Keys.WS_TERM_ADD).click()
    run(at)
    frame = pd.DataFrame({"Titel": ["Nachbarschafts-Treff", "Zwergenkiste", "Sozialberatung"],
                          "Beschreibung": ["Offener Treff", "Wir treffen uns donnerstags", "Einzelberatung"]})
    upload(at, ("neu.xlsx", xlsx_bytes(frame), XLSX_MIME))
    assert any(texts.WS_LEARN_APPLIED.format(n=1)[:-1] in t.value for t in at.toast)  # the user is told
    acts = common_inventory(at)
    assert acts.set_index(schema.TITEL).at["Nachbarschafts-Treff", schema.SONI_FELD] == "Sozialstruktur"
    assert acts.set_index(schema.TITEL).at["Zwergenkiste", schema.SONI_FELD] == "Individuum"


def common_inventory(at: AppTest) -> pd.DataFrame:
    """The session's activities with corrections, as every page sees them."""
    from soni.classify import apply_corrections

    return apply_corrections(current_inventory(at).activities, at.session_state[Keys.CORRECTIONS])


def test_a_failing_database_gives_a_german_message_not_a_crash(db_file):
    import sqlalchemy as sa

    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    engine = sa.create_engine(db_file)
    with engine.begin() as conn:  # the database breaks under the running session
        conn.execute(sa.text("DROP TABLE correction"))
        conn.execute(sa.text("DROP TABLE inventory"))
    engine.dispose()
    _save(at, "Bestandsaufnahme 2025")
    assert any("nicht erreichbar" in e.value for e in at.error)


def test_a_term_added_on_the_page_is_kept_and_shown(db_file):
    at = _app()
    run(at)
    run(at, "arbeitsbereich")
    at.text_input(key=Keys.WS_TERM).set_value("Zwergenkiste")
    at.selectbox(key=Keys.WS_TERM_FELD).set_value("Individuum")
    run(at)
    at.button(key=Keys.WS_TERM_ADD).click()
    run(at)
    assert any("Zwergenkiste" in s.value for s in at.success)
    db = store.Store(db_file)
    assert db.lexicon(db.workspace(None))[["Begriff", "Feld"]].values.tolist() == [["Zwergenkiste", "Individuum"]]
    db.close()
    run(at)
    assert _frames(at, "Begriff")[0]["Begriff"].tolist() == ["Zwergenkiste"]
    at.button(key=Keys.WS_TERM_REMOVE).click()  # a wrong term can be taken back
    run(at)
    db = store.Store(db_file)
    assert db.terms(db.workspace(None)).empty
    db.close()
    assert not _frames(at, "Begriff")
