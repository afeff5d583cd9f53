"""Corrections remember the activity's Quartier: the same title in two Quartiere is two activities.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("correction") as batch:  # "": not known (corrections saved before)
        batch.add_column(sa.Column("quartier", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("correction") as batch:
        batch.drop_column("quartier")
