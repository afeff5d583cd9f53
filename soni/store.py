"""The team workspace: saved inventories, their column mapping, every correction and the team's own
terms, in a database through SQLAlchemy (no Streamlit here; the app and the CLI share it).

Where: ``SONI_DB_URL`` (e.g. ``postgresql+psycopg://user:pass@host/db``) or, by default, an SQLite
file ``var/soni.db`` in the project (``SONI_DB_FILE`` moves it). The schema is created and
upgraded by Alembic (``soni/migrations``) when a ``Store`` opens.

Access: every call takes a ``Workspace`` and touches only that workspace's rows. A user belongs to
exactly one workspace (created on first use, ``Store.workspace``); without login everyone is the
local user ``LOCAL_USER``. An activity table is kept as one Parquet blob per inventory (column
names kept apart, so any header survives), not a row per activity: 5,000 activities save and
open in a few hundredths of a second (``bench/store_bench.py``). A save is one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from soni import years
from soni.report import InputError

LOCAL_USER = "lokal"
ENV_URL = "SONI_DB_URL"
ENV_FILE = "SONI_DB_FILE"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "var" / "soni.db"
MIGRATIONS = Path(__file__).with_name("migrations")
MAX_NAME = 200
_T = TypeVar("_T")
_SAVE_ATTEMPTS = 3  # a save (or first use) that meets a concurrent first one of the same name is retried

_meta = sa.MetaData()
_WHEN = sa.DateTime(timezone=True)
workspace_t = sa.Table("workspace", _meta, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("name", sa.String(200)), sa.Column("created_at", _WHEN))
member_t = sa.Table("member", _meta, sa.Column("workspace_id", sa.Integer), sa.Column("user", sa.String(320)))
inventory_t = sa.Table(
    "inventory", _meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("workspace_id", sa.Integer),
    sa.Column("name", sa.String(200)), sa.Column("gemeinde", sa.String(200)), sa.Column("datum", sa.Date),
    sa.Column("saved_at", _WHEN), sa.Column("saved_by", sa.String(320)), sa.Column("n_rows", sa.Integer),
    sa.Column("activities", sa.LargeBinary), sa.Column("original", sa.LargeBinary), sa.Column("mapping", sa.JSON))
correction_t = sa.Table(
    "correction", _meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("inventory_id", sa.Integer),
    sa.Column("workspace_id", sa.Integer), sa.Column("zeilen_id", sa.Text), sa.Column("titel", sa.Text),
    sa.Column("titel_key", sa.Text), sa.Column("old_feld", sa.String(40)), sa.Column("old_aspekt", sa.String(80)),
    sa.Column("new_feld", sa.String(40)), sa.Column("new_aspekt", sa.String(80)), sa.Column("who", sa.String(320)),
    sa.Column("at", _WHEN), sa.Column("quartier", sa.Text))
term_t = sa.Table(
    "term", _meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("workspace_id", sa.Integer),
    sa.Column("begriff", sa.String(200)), sa.Column("feld", sa.String(40)), sa.Column("aspekt", sa.String(80)),
    sa.Column("gewicht", sa.Float), sa.Column("grenze", sa.String(20)), sa.Column("ausnahme", sa.Text),
    sa.Column("hinweis", sa.Text),
    sa.Column("who", sa.String(320)), sa.Column("at", _WHEN))


def resolve_url(url: str | None = None) -> str:
    """The database URL: ``url``, else ``$SONI_DB_URL``, else the SQLite file (``$SONI_DB_FILE``)."""
    if url:
        return url
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    path = Path(os.environ.get(ENV_FILE) or DEFAULT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def describe_url(url: str) -> str:
    """The URL without password (for messages and the UI)."""
    return sa.make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Workspace:
    """A team's workspace, as seen by one user."""

    id: int
    name: str
    user: str


@dataclass(frozen=True)
class SavedInfo:
    """One saved inventory, without its data."""

    id: int
    name: str
    gemeinde: str
    datum: dt.date | None
    saved_at: dt.datetime
    saved_by: str
    n_rows: int


@dataclass
class Saved:
    """One saved inventory with its data."""

    info: SavedInfo
    activities: pd.DataFrame
    original: pd.DataFrame
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[str, dict[str, object]] = field(default_factory=dict)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(when: dt.datetime) -> dt.datetime:
    """Times are stored in UTC; SQLite gives them back without zone."""
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _engine(url: str) -> sa.Engine:
    if sa.make_url(url).get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # WAL: readers never wait; writers queue up to 30 s
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # writers take the lock at once (no deadlock between two saving sessions)
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


_READ_ONLY = "soni_read_only"  # execution option of the connections that only read (plain BEGIN on SQLite)


def migrate(engine: sa.Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision (one process at a time)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already serialises
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(51440014)"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


# --- tables as blobs ---------------------------------------------------------------------------

_NAMES_KEY = b"soni_columns"


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet (zstd). Headers may be any text, also repeated; a column of mixed
    cells (text, numbers, dates in one column, as in an original upload) is kept cell by cell with
    its types (``_encode_mixed``)."""
    names = [str(c) for c in frame.columns]
    plain = frame.reset_index(drop=True)
    plain.columns = [f"c{i}" for i in range(len(names))]
    mixed: list[str] = []
    try:
        table = pa.Table.from_pandas(plain, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        plain, mixed = _encode_mixed(plain)
        table = pa.Table.from_pandas(plain, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_NAMES_KEY] = json.dumps(names).encode()
    meta[_MIXED_KEY] = json.dumps(mixed).encode()
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf, compression="zstd")
    return buf.getvalue()


_MIXED_KEY = b"soni_mixed"


def _encode_cell(v: object) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return f"b:{int(v)}"
    if isinstance(v, int):
        return f"i:{v}"
    if isinstance(v, float):
        return f"f:{v!r}"
    if isinstance(v, pd.Timestamp | dt.datetime):
        return f"t:{pd.Timestamp(v).isoformat()}"
    if isinstance(v, dt.date):
        return f"d:{v.isoformat()}"
    if isinstance(v, dt.time):
        return f"h:{v.isoformat()}"
    return f"s:{v}"


_DECODE = {"b": lambda t: bool(int(t)), "i": int, "f": float, "t": pd.Timestamp, "d": dt.date.fromisoformat,
           "h": dt.time.fromisoformat, "s": str}


def _encode_mixed(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Columns Arrow cannot type as text with a type letter per cell ("i:3", "s:seit 2019", …)."""
    out, mixed = frame.copy(), []
    for col in out.columns:
        try:
            pa.array(out[col], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            out[col] = pd.Series([_encode_cell(v) for v in out[col].astype(object)], index=out.index, dtype=object)
            mixed.append(col)
    return out, mixed


def frame_from_bytes(data: bytes) -> pd.DataFrame:
    """Back from ``frame_to_bytes``."""
    table = pq.read_table(io.BytesIO(data))
    meta = table.schema.metadata or {}
    names = json.loads(meta.get(_NAMES_KEY, b"[]"))
    frame = table.to_pandas()
    for col in json.loads(meta.get(_MIXED_KEY, b"[]")):
        frame[col] = pd.Series([None if v is None or v != v else _DECODE[v[0]](v[2:]) for v in frame[col]],
                               index=frame.index, dtype=object)
    if len(names) == len(frame.columns):
        frame.columns = names
    return frame


# --- the store ----------------------------------------------------------------------------------


class Store:
    """The workspace database (SQLite file or PostgreSQL); thread-safe, one per process is enough."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = _engine(self.url)
        self._reads = self.engine.execution_options(**{_READ_ONLY: True})
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def where(self) -> str:
        """Where the data lives, without password (for the operator: CLI messages)."""
        return describe_url(self.url)

    @property
    def dialect(self) -> str:
        """The kind of database: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    # workspaces and members

    def workspace(self, user: str | None) -> Workspace:
        """The workspace of ``user`` (None or "": the local user); created on first use."""
        user = (user or LOCAL_USER).strip().casefold()[:320]
        find = (sa.select(workspace_t.c.id, workspace_t.c.name)
                .join(member_t, member_t.c.workspace_id == workspace_t.c.id).where(member_t.c.user == user))
        with self._reads.connect() as conn:  # every page run asks: a plain read, no write lock
            row = conn.execute(find).first()
        if row is not None:
            return Workspace(row.id, row.name, user)

        def find_or_create(conn: sa.Connection) -> Workspace:
            row = conn.execute(find).first()
            if row is not None:  # another session's first use created it just now
                return Workspace(row.id, row.name, user)
            name = "Lokaler Arbeitsbereich" if user == LOCAL_USER else f"Arbeitsbereich von {user}"
            ws_id = conn.execute(workspace_t.insert().values(name=name, created_at=_now())
                                 .returning(workspace_t.c.id)).scalar_one()
            conn.execute(member_t.insert().values(workspace_id=ws_id, user=user))
            return Workspace(ws_id, name, user)

        return self._retried(find_or_create)

    def members(self, ws: Workspace) -> list[str]:
        with self._reads.connect() as conn:
            return list(conn.execute(sa.select(member_t.c.user).where(member_t.c.workspace_id == ws.id)
                                     .order_by(member_t.c.user)).scalars())

    def add_member(self, ws: Workspace, user: str) -> None:
        """Give ``user`` access to ``ws``; a user who already saved something elsewhere is refused."""
        user = user.strip().casefold()
        if not user or "@" not in user:
            raise InputError("Bitte eine E-Mail-Adresse angeben.")
        with self.engine.begin() as conn:
            other = conn.execute(sa.select(member_t.c.workspace_id).where(member_t.c.user == user)).scalar()
            if other == ws.id:
                return
            if other is not None:
                if conn.execute(sa.select(sa.func.count()).select_from(inventory_t)
                                .where(inventory_t.c.workspace_id == other)).scalar():
                    raise InputError(f"{user} gehört schon zu einem anderen Arbeitsbereich mit Daten.")
                conn.execute(member_t.delete().where(member_t.c.user == user))
                conn.execute(workspace_t.delete().where(workspace_t.c.id == other))
            conn.execute(member_t.insert().values(workspace_id=ws.id, user=user))

    # inventories

    def save(self, ws: Workspace, name: str, activities: pd.DataFrame, original: pd.DataFrame | None = None, *,
             gemeinde: str | None = None, datum: dt.date | None = None, mappings: Mapping | None = None,
             sources: Mapping | None = None, corrections: Iterable[years.Correction] = ()) -> SavedInfo:
        """Save (or replace) the inventory ``name`` of ``ws`` in one transaction.

        ``gemeinde`` and ``datum`` None keep those of an inventory saved before under that name.
        Corrections are appended to the inventory's history (a correction equal to the latest one
        saved for that row is not repeated). Raises ``InputError`` for an empty or too long name.
        """
        name = " ".join(str(name).split())
        if not name or len(name) > MAX_NAME:
            raise InputError(f"Bitte einen Namen mit 1 bis {MAX_NAME} Zeichen angeben.")
        row = {
            "name": name, "gemeinde": None if gemeinde is None else " ".join(str(gemeinde).split())[:MAX_NAME],
            "datum": datum,
            "saved_at": _now(), "saved_by": ws.user, "n_rows": len(activities),
            "activities": frame_to_bytes(activities),
            "original": frame_to_bytes(original if original is not None else pd.DataFrame(index=activities.index)),
            "mapping": json.loads(json.dumps({"mappings": dict(mappings or {}), "sources": dict(sources or {})},
                                             default=str)),
        }
        corrections = list(corrections)

        def write(conn: sa.Connection) -> int:
            inv_id = self._upsert(conn, ws, row)
            self._log_corrections(conn, ws, inv_id, corrections, row["saved_at"])
            return inv_id

        return self.find(ws, self._retried(write))

    def _retried(self, work: Callable[[sa.Connection], _T]) -> _T:
        """``work`` in one transaction; run again (at most ``_SAVE_ATTEMPTS`` times in all) when it met a
        concurrent first insert of the same row (``IntegrityError``: on PostgreSQL; now the row exists)."""
        for _ in range(_SAVE_ATTEMPTS - 1):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except sa_exc.IntegrityError:
                pass
        with self.engine.begin() as conn:
            return work(conn)

    @staticmethod
    def _upsert(conn: sa.Connection, ws: Workspace, row: dict) -> int:
        found = conn.execute(sa.select(inventory_t.c.id).where(inventory_t.c.workspace_id == ws.id,
                                                                inventory_t.c.name == row["name"])).scalar()
        if found is None:
            new = {**row, "gemeinde": row["gemeinde"] or ""}
            return conn.execute(inventory_t.insert().values(workspace_id=ws.id, **new)
                                .returning(inventory_t.c.id)).scalar_one()
        keep = {k: v for k, v in row.items() if not (k in ("gemeinde", "datum") and v is None)}
        conn.execute(inventory_t.update().where(inventory_t.c.id == found).values(**keep))
        return found

    @staticmethod
    def _log_corrections(conn: sa.Connection, ws: Workspace, inv_id: int, corrections: list[years.Correction],
                         at: dt.datetime) -> None:
        if not corrections:
            return
        latest = sa.select(correction_t.c.zeilen_id, sa.func.max(correction_t.c.id).label("id")).where(
            correction_t.c.inventory_id == inv_id).group_by(correction_t.c.zeilen_id).subquery()
        known = {r.zeilen_id: (r.new_feld, r.new_aspekt) for r in conn.execute(
            sa.select(correction_t.c.zeilen_id, correction_t.c.new_feld, correction_t.c.new_aspekt)
            .join(latest, latest.c.id == correction_t.c.id))}
        rows = [{"inventory_id": inv_id, "workspace_id": ws.id, "zeilen_id": c.zeilen_id, "titel": c.titel,
                 "titel_key": years.title_key(c.titel), "old_feld": c.old_feld, "old_aspekt": c.old_aspekt,
                 "new_feld": c.new_feld, "new_aspekt": c.new_aspekt, "who": ws.user, "at": at,
                 "quartier": c.quartier}
                for c in corrections if known.get(c.zeilen_id) != (c.new_feld, c.new_aspekt)]
        if rows:
            conn.execute(correction_t.insert(), rows)

    def inventories(self, ws: Workspace) -> list[SavedInfo]:
        """The saved inventories of ``ws``, in the order they were first saved."""
        cols = [inventory_t.c[k] for k in ("id", "name", "gemeinde", "datum", "saved_at", "saved_by", "n_rows")]
        with self._reads.connect() as conn:
            rows = conn.execute(sa.select(*cols).where(inventory_t.c.workspace_id == ws.id)
                                .order_by(inventory_t.c.id)).all()
        return [SavedInfo(*r[:4], _utc(r[4]), *r[5:]) for r in rows]

    def find(self, ws: Workspace, name_or_id: str | int) -> SavedInfo:
        """One inventory of ``ws`` by name or id; ``InputError`` when ``ws`` has none such."""
        infos = self.inventories(ws)
        for info in infos:  # a name first ("2025" may be a name), then a number
            if info.name == str(name_or_id).strip():
                return info
        for info in infos:
            if str(info.id) == str(name_or_id).strip():
                return info
        raise InputError(f"Im Arbeitsbereich gibt es keine Bestandsaufnahme „{name_or_id}“.")

    def open(self, ws: Workspace, name_or_id: str | int) -> Saved:
        """An inventory of ``ws`` with its data (``InputError`` when ``ws`` has none such)."""
        info = self.find(ws, name_or_id)
        with self._reads.connect() as conn:
            row = conn.execute(sa.select(inventory_t.c.activities, inventory_t.c.original, inventory_t.c.mapping)
                               .where(inventory_t.c.id == info.id, inventory_t.c.workspace_id == ws.id)).one()
        mapping = row.mapping or {}
        return Saved(info, frame_from_bytes(row.activities), frame_from_bytes(row.original),
                     mapping.get("mappings", {}), mapping.get("sources", {}))

    def delete(self, ws: Workspace, inventory_id: int) -> bool:
        """Delete an inventory of ``ws`` with its corrections; False when ``ws`` has none such."""
        with self.engine.begin() as conn:
            gone = conn.execute(inventory_t.delete().where(inventory_t.c.id == inventory_id,
                                                           inventory_t.c.workspace_id == ws.id)).rowcount
        return bool(gone)

    # corrections and what they teach

    def corrections(self, ws: Workspace, inventory_id: int | None = None) -> pd.DataFrame:
        """Every saved correction of ``ws`` (or of one inventory), oldest first, with the inventory's name."""
        q = (sa.select(correction_t.c.id, inventory_t.c.name.label("inventar"), correction_t.c.zeilen_id,
                       correction_t.c.titel, correction_t.c.titel_key, correction_t.c.quartier, correction_t.c.old_feld,
                       correction_t.c.old_aspekt, correction_t.c.new_feld, correction_t.c.new_aspekt,
                       correction_t.c.who, correction_t.c.at)
             .join(inventory_t, inventory_t.c.id == correction_t.c.inventory_id)
             .where(correction_t.c.workspace_id == ws.id).order_by(correction_t.c.id))
        if inventory_id is not None:
            q = q.where(correction_t.c.inventory_id == inventory_id)
        with self._reads.connect() as conn:
            result = conn.execute(q)
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    def learnt(self, ws: Workspace) -> pd.DataFrame:
        """The latest correction per activity of ``ws`` — per title (``years.title_key``) and Quartier —
        what next year's inventory gets (``years.carry_corrections``)."""
        return years.latest_corrections(self.corrections(ws))

    # own terms

    def add_terms(self, ws: Workspace, terms: pd.DataFrame) -> int:
        """Add (or update) the team's own terms (lexicon format, validated); returns how many."""
        from soni.classify import _validate_frame

        checked = _validate_frame(terms, "eigene Begriffe")
        rows = [{"workspace_id": ws.id, "begriff": str(r["Begriff"])[:200], "feld": str(r["Feld"]),
                 "aspekt": str(r.get("Aspekt") or ""), "gewicht": float(r["Gewicht"]),
                 "grenze": str(r.get("Grenze") or ""), "ausnahme": str(r.get("Ausnahme") or ""),
                 "hinweis": str(r.get("Hinweis") or ""),
                 "who": ws.user, "at": _now()} for r in checked.to_dict("records")]
        with self.engine.begin() as conn:
            for r in rows:
                conn.execute(term_t.delete().where(term_t.c.workspace_id == ws.id, term_t.c.begriff == r["begriff"],
                                                   term_t.c.feld == r["feld"]))
            if rows:
                conn.execute(term_t.insert(), rows)
        return len(rows)

    def terms(self, ws: Workspace) -> pd.DataFrame:
        """The team's own terms: lexicon columns (``classify.LEXICON_COLUMNS``) plus id, who, at."""
        q = (sa.select(term_t.c.id, term_t.c.begriff.label("Begriff"), term_t.c.feld.label("Feld"),
                       term_t.c.aspekt.label("Aspekt"), term_t.c.gewicht.label("Gewicht"),
                       term_t.c.grenze.label("Grenze"), term_t.c.ausnahme.label("Ausnahme"),
                       term_t.c.hinweis.label("Hinweis"), term_t.c.who, term_t.c.at)
             .where(term_t.c.workspace_id == ws.id).order_by(term_t.c.begriff))
        with self._reads.connect() as conn:
            result = conn.execute(q)
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    def lexicon(self, ws: Workspace) -> pd.DataFrame:
        """The team's own terms as a lexicon table (``classify.LEXICON_COLUMNS``), for ``classify(extra_terms=…)``."""
        from soni.classify import LEXICON_COLUMNS

        return self.terms(ws).reindex(columns=list(LEXICON_COLUMNS), fill_value="")

    def delete_term(self, ws: Workspace, term_id: int) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(term_t.delete().where(term_t.c.id == term_id,
                                                           term_t.c.workspace_id == ws.id)).rowcount)
