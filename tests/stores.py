"""Workspace databases for tests: a fresh SQLite file, and a fresh PostgreSQL schema when
``SONI_TEST_PG_URL`` names a server (``.ci/run`` starts one; without it the PostgreSQL cases are
skipped with that reason — in CI (``CI`` set) they fail instead of skipping)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

PG_ENV = "SONI_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set, but CI must test against PostgreSQL")
        pytest.skip(f"no PostgreSQL: set {PG_ENV}=postgresql+psycopg://user:pass@host/db to run these")
    return url


def fresh_url(backend: str, tmp_path) -> str:
    """An empty database of ``backend``: a new SQLite file, or the PostgreSQL test database emptied."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'soni.db'}"
    url = pg_url()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url
