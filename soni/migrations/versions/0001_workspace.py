"""Workspace, members, saved inventories, corrections and own terms.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _workspace_fk() -> sa.Column:
    return sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspace.id", ondelete="CASCADE"),
                     nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "member",
        _workspace_fk(),
        sa.Column("user", sa.String(320), primary_key=True),  # one workspace per user
    )
    op.create_table(
        "inventory",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("gemeinde", sa.String(200), nullable=False, server_default=""),
        sa.Column("datum", sa.Date, nullable=True),
        sa.Column("saved_at", _WHEN, nullable=False),
        sa.Column("saved_by", sa.String(320), nullable=False),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("activities", sa.LargeBinary, nullable=False),  # Parquet of the activity table
        sa.Column("original", sa.LargeBinary, nullable=False),  # Parquet of the original columns
        sa.Column("mapping", sa.JSON, nullable=False),  # {"mappings": …, "sources": …}
        sa.UniqueConstraint("workspace_id", "name", name="uq_inventory_name"),
    )
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inventory_id", sa.Integer, sa.ForeignKey("inventory.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        _workspace_fk(),
        sa.Column("zeilen_id", sa.Text, nullable=False),
        sa.Column("titel", sa.Text, nullable=False),
        sa.Column("titel_key", sa.Text, nullable=False, index=True),
        sa.Column("old_feld", sa.String(40), nullable=False),
        sa.Column("old_aspekt", sa.String(80), nullable=False),
        sa.Column("new_feld", sa.String(40), nullable=False),
        sa.Column("new_aspekt", sa.String(80), nullable=True),  # NULL: keep or derive
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_table(
        "term",
        sa.Column("id", sa.Integer, primary_key=True),
        _workspace_fk(),
        sa.Column("begriff", sa.String(200), nullable=False),
        sa.Column("feld", sa.String(40), nullable=False),
        sa.Column("aspekt", sa.String(80), nullable=False, server_default=""),
        sa.Column("gewicht", sa.Float, nullable=False),
        sa.Column("grenze", sa.String(20), nullable=False, server_default=""),
        sa.Column("hinweis", sa.Text, nullable=False, server_default=""),
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.UniqueConstraint("workspace_id", "begriff", "feld", name="uq_term"),
    )


def downgrade() -> None:
    for table in ("term", "correction", "inventory", "member", "workspace"):
        op.drop_table(table)
