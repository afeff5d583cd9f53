"""Alembic environment of the workspace database (run programmatically by ``soni.store.migrate``).

The caller passes an open connection in ``config.attributes["connection"]``; there is no
alembic.ini and no offline mode.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
