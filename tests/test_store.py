"""soni.store against SQLite and a real PostgreSQL server (see tests/stores.py)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from soni import schema, store, years
from soni.classify import LEXICON_COLUMNS
from soni.report import InputError
from tests.conftest import make_activities
from tests.stores import BACKENDS, fresh_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def db(url):
    s = store.Store(url)
    yield s
    s.close()


def _original(n: int) -> pd.DataFrame:
    """Original columns as an upload has them: mixed cells, a repeated and an odd header."""
    mixed = [dt.datetime(2024, 5, 1), "seit 2019", 2024.0, None, 7, dt.date(2023, 1, 2), True]
    return pd.DataFrame([[f"Angebot {i}", mixed[i % len(mixed)], i * 1.5, "x"] for i in range(n)],
                        columns=["Titel", "Beginn", "Stunden", "Titel"]).rename(columns={"Stunden": 17})


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return n


def test_roundtrip_keeps_every_column_and_type(db):
    ws = db.workspace(None)
    acts = make_activities(300, seed=3, categorical=True)
    original = _original(300)
    mappings = {"a.xlsx › Blatt": {schema.TITEL: "Name der Aktivität"}}
    info = db.save(ws, "  Bestandsaufnahme   2025 ", acts, original, gemeinde="Kirchengemeinde St. Beispiel",
                   datum=dt.date(2025, 3, 1), mappings=mappings, sources={"a.xlsx › Blatt": {"header_row": 3}})
    assert info.name == "Bestandsaufnahme 2025" and info.n_rows == 300
    saved = db.open(ws, "Bestandsaufnahme 2025")
    pd.testing.assert_frame_equal(saved.activities, acts.reset_index(drop=True))
    assert [str(c) for c in original.columns] == list(saved.original.columns)
    assert saved.original.iloc[:, 1].tolist() == original.iloc[:, 1].tolist()  # types of mixed cells kept
    assert saved.mappings == mappings and saved.sources["a.xlsx › Blatt"]["header_row"] == 3
    assert saved.info.gemeinde == "Kirchengemeinde St. Beispiel" and saved.info.datum == dt.date(2025, 3, 1)
    assert saved.info.saved_at.tzinfo is not None and saved.info.saved_by == store.LOCAL_USER
    assert db.open(ws, info.id).info == saved.info


def test_names_are_checked(db):
    ws = db.workspace(None)
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(InputError):
            db.save(ws, bad, make_activities(3))
    with pytest.raises(InputError, match="keine Bestandsaufnahme"):
        db.open(ws, "gibt es nicht")


def test_resave_replaces_data_and_logs_each_correction_once(db):
    ws = db.workspace("a@example.org")
    acts = make_activities(20, seed=1)
    first = years.corrections_of(acts, {acts[schema.ZEILEN_ID][0]: ("Netzwerk", None)})
    a = db.save(ws, "2024", acts, corrections=first)
    b = db.save(ws, "2024", acts.head(10), corrections=first + years.corrections_of(
        acts, {acts[schema.ZEILEN_ID][1]: ("Organisation", "")}))
    assert a.id == b.id and [i.n_rows for i in db.inventories(ws)] == [10]
    log = db.corrections(ws)
    assert log["zeilen_id"].tolist() == [acts[schema.ZEILEN_ID][0], acts[schema.ZEILEN_ID][1]]
    assert log["who"].unique().tolist() == ["a@example.org"] and log["inventar"].unique().tolist() == ["2024"]
    assert log["old_feld"].tolist() == acts[schema.SONI_FELD][:2].astype(str).tolist()
    assert pd.isna(log["new_aspekt"][0]) and log["new_aspekt"][1] == ""  # None: keep or derive


def test_learnt_is_latest_correction_per_title(db):
    ws = db.workspace(None)
    acts = make_activities(5, seed=1)
    acts[schema.TITEL] = ["Chor", "chor", "Tafel", "", "Chor"]
    acts[schema.QUARTIER] = ["Nordstadt", "Nordstadt", "Nordstadt", "Nordstadt", "Südstadt"]
    ids = acts[schema.ZEILEN_ID].tolist()
    db.save(ws, "2024", acts, corrections=years.corrections_of(acts, {ids[0]: ("Netzwerk", None),
                                                                      ids[3]: ("Individuum", None),
                                                                      ids[4]: ("Sozialstruktur", "S1")}))
    db.save(ws, "2025", acts, corrections=years.corrections_of(acts, {ids[1]: ("Organisation", None)}))
    learnt = db.learnt(ws)  # the latest per title and Quartier: the same title in two Quartiere is two activities
    assert learnt[["titel_key", "quartier", "new_feld"]].values.tolist() == [
        ["chor", "Südstadt", "Sozialstruktur"], ["chor", "Nordstadt", "Organisation"]]
    assert learnt["new_aspekt"][0] == "S1" and pd.isna(learnt["new_aspekt"][1])


def test_delete_removes_everything_of_the_inventory(db, url):
    ws = db.workspace(None)
    acts = make_activities(10)
    keep = db.save(ws, "bleibt", acts, corrections=years.corrections_of(acts, {acts[schema.ZEILEN_ID][0]: ("S", None)}))
    gone = db.save(ws, "weg", acts, corrections=years.corrections_of(acts, {acts[schema.ZEILEN_ID][1]: ("O", None)}))
    assert _count(url, "correction") == 2
    assert db.delete(ws, gone.id) and not db.delete(ws, gone.id)
    assert [i.id for i in db.inventories(ws)] == [keep.id]
    assert _count(url, "correction") == 1 and _count(url, "inventory") == 1
    assert db.corrections(ws)["inventar"].tolist() == ["bleibt"]


def test_terms_validated_and_kept_per_workspace(db):
    ws = db.workspace(None)
    terms = pd.DataFrame({"Begriff": ["Konfirmandenfreizeit", "Kirchencafé"], "Feld": ["N", "Netzwerk"],
                          "Gewicht": ["2", "1,5"]})
    assert db.add_terms(ws, terms) == 2
    assert db.add_terms(ws, terms.head(1).assign(Gewicht="3")) == 1  # replaces, no duplicate
    got = db.terms(ws).set_index("Begriff")
    assert got.loc["Konfirmandenfreizeit", "Gewicht"] == 3.0 and got.loc["Kirchencafé", "Feld"] == "Netzwerk"
    with pytest.raises(InputError, match="kein SONI-Feld"):
        db.add_terms(ws, pd.DataFrame({"Begriff": ["x"], "Feld": ["Kirche"], "Gewicht": [1]}))
    assert list(db.lexicon(ws).columns) == list(LEXICON_COLUMNS)
    assert db.delete_term(ws, int(got["id"].iloc[0])) and len(db.terms(ws)) == 1


def test_no_user_sees_another_workspace(db):
    a, b = db.workspace("a@example.org"), db.workspace("B@Example.org ")
    assert a.id != b.id and db.workspace("b@example.org").id == b.id
    acts = make_activities(10)
    info = db.save(a, "2025", acts, corrections=years.corrections_of(acts, {acts[schema.ZEILEN_ID][0]: ("S", None)}))
    db.add_terms(a, pd.DataFrame({"Begriff": ["Geheimwort"], "Feld": ["S"], "Gewicht": [1]}))
    assert db.inventories(b) == [] and db.corrections(b).empty and db.learnt(b).empty and db.terms(b).empty
    for key in (info.id, "2025"):
        with pytest.raises(InputError):
            db.open(b, key)
    assert not db.delete(b, info.id) and not db.delete_term(b, int(db.terms(a)["id"][0]))
    db.save(b, "2025", make_activities(3))  # same name in another workspace: its own
    assert db.open(a, "2025").info.n_rows == 10 and db.open(b, "2025").info.n_rows == 3
    assert len(db.corrections(a)) == 1 and len(db.terms(a)) == 1


def test_members_share_a_workspace(db):
    a = db.workspace("a@example.org")
    db.add_member(a, "c@example.org")
    assert db.workspace("c@example.org").id == a.id and db.members(a) == ["a@example.org", "c@example.org"]
    b = db.workspace("b@example.org")
    db.save(b, "x", make_activities(2))
    with pytest.raises(InputError, match="anderen Arbeitsbereich"):
        db.add_member(a, "b@example.org")
    with pytest.raises(InputError):
        db.add_member(a, "kein-name")


def test_reopen_does_not_migrate_again(url):
    store.Store(url).close()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0003"
    engine.dispose()
    s = store.Store(url)
    s.save(s.workspace(None), "x", make_activities(2))
    s.close()


_HOLD = """
import sys, time
from sqlalchemy import event
from soni import store, years
from tests.conftest import make_activities
s = store.Store(sys.argv[1]); ws = s.workspace(None)
acts = make_activities(500, seed=9)
if sys.argv[2] == "hold":
    @event.listens_for(s.engine, "commit")
    def _hold(conn):
        print("mitten im Speichern", flush=True)
        time.sleep(600)
s.save(ws, "Bestand", acts, corrections=years.corrections_of(acts, {acts["Zeilen-ID"][0]: ("Netzwerk", None)}))
print("gespeichert", flush=True)
"""


def _saver(url: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _HOLD, url, mode], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_server_killed_during_save_keeps_old_state(db, url):
    ws = db.workspace(None)
    old = make_activities(40, seed=1)
    db.save(ws, "Bestand", old)
    proc = _saver(url, "hold")
    assert proc.stdout.readline().strip() == "mitten im Speichern"  # all rows written, not yet committed
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    saved = db.open(ws, "Bestand")
    pd.testing.assert_frame_equal(saved.activities, old)
    assert db.corrections(ws).empty and len(db.inventories(ws)) == 1
    proc = _saver(url, "go")  # the database is usable afterwards and a complete save lands whole
    assert proc.communicate(timeout=120)[0].strip() == "gespeichert" and proc.returncode == 0
    assert db.open(ws, "Bestand").info.n_rows == 500 and len(db.corrections(ws)) == 1


def test_concurrent_saves_all_land(db):
    ws_a, ws_b = db.workspace("a@example.org"), db.workspace("b@example.org")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(ws, name, seed):
        acts = make_activities(200, seed=seed)
        try:
            barrier.wait()
            for i in range(4):
                db.save(ws, f"{name} {i}", acts, corrections=years.corrections_of(
                    acts, {acts[schema.ZEILEN_ID][i]: ("Organisation", None)}))
                db.save(ws, "gemeinsam", acts, corrections=years.corrections_of(
                    acts, {f"{acts[schema.ZEILEN_ID][10 + seed]}": ("Netzwerk", None)}))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(ws, f"Sitzung {k}", k))
               for k, ws in enumerate((ws_a, ws_a, ws_b, ws_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    for ws, ks in ((ws_a, (0, 1)), (ws_b, (2, 3))):
        names = {i.name for i in db.inventories(ws)}
        assert names == {f"Sitzung {k} {i}" for k in ks for i in range(4)} | {"gemeinsam"}
        shared = db.corrections(ws, db.find(ws, "gemeinsam").id)
        assert len(shared) == 2  # both sessions' corrections of the shared inventory are kept


def test_first_use_from_many_sessions_at_once_gives_one_workspace(db):
    barrier = threading.Barrier(8)
    got: list[object] = []

    def first_use():
        barrier.wait()
        try:
            got.append(db.workspace("neu@example.org"))
        except BaseException as exc:  # reported below
            got.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(got) == 8 and len({ws.id for ws in got}) == 1, got  # no error, one workspace
    assert db.members(got[0]) == ["neu@example.org"]


def test_concurrent_saves_from_two_processes(url):
    store.Store(url).close()  # schema first; the two processes then only save
    script = ("import sys; from soni import store; from tests.conftest import make_activities\n"
              "s = store.Store(sys.argv[1]); ws = s.workspace(None)\n"
              "for i in range(5): s.save(ws, f'{sys.argv[2]} {i}', make_activities(300, seed=i))\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, url, name], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for name in ("A", "B")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    s = store.Store(url)
    assert {i.name for i in s.inventories(s.workspace(None))} == {f"{n} {i}" for n in "AB" for i in range(5)}
    s.close()


def test_an_older_schema_is_upgraded_with_its_data(url):
    from alembic import command
    from alembic.config import Config

    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")  # a database as the first release left it
        conn.execute(sa.text("INSERT INTO workspace (id, name, created_at) VALUES (1, 'alt', CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO member (workspace_id, \"user\") VALUES (1, 'lokal')"))
        conn.execute(sa.text("INSERT INTO term (workspace_id, begriff, feld, aspekt, gewicht, grenze, hinweis, who, at)"
                             " VALUES (1, 'Kirchencafé', 'Netzwerk', '', 2, '', '', 'lokal', CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO inventory (id, workspace_id, name, saved_at, saved_by, n_rows, activities,"
                             " original, mapping) VALUES (1, 1, '2023', CURRENT_TIMESTAMP, 'lokal', 0, :b, :b, '{}')"),
                     {"b": store.frame_to_bytes(pd.DataFrame())})
        conn.execute(sa.text("INSERT INTO correction (inventory_id, workspace_id, zeilen_id, titel, titel_key,"
                             " old_feld, old_aspekt, new_feld, new_aspekt, who, at) VALUES (1, 1, 'a:2', 'Chor',"
                             " 'chor', 'unklar', '', 'Netzwerk', NULL, 'lokal', CURRENT_TIMESTAMP)"))
    engine.dispose()
    db = store.Store(url)
    ws = db.workspace(None)
    terms = db.lexicon(ws)
    assert terms["Begriff"].tolist() == ["Kirchencafé"] and terms["Ausnahme"].tolist() == [""]
    # a correction from before Quartiere were kept holds for its title in every Quartier
    assert db.learnt(ws)[["titel", "quartier", "new_feld"]].values.tolist() == [["Chor", "", "Netzwerk"]]
    nxt = make_activities(2)
    nxt[schema.TITEL], nxt[schema.QUARTIER] = "Chor", ["Nordstadt", "Südstadt"]
    nxt[schema.SONI_QUELLE] = schema.QUELLE_REGEL
    assert set(years.carry_corrections(nxt, db.learnt(ws)).values()) == {("Netzwerk", None)}
    assert len(years.carry_corrections(nxt, db.learnt(ws))) == 2
    assert db.delete(ws, 1) and db.corrections(ws).empty  # the upgraded table still cascades
    db.close()
