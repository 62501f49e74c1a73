"""Alembic environment: always run from procure.register.db with an open connection.

``render_as_batch`` lets later migrations alter SQLite tables (SQLite cannot ALTER most things,
so Alembic copies the table). Autogenerate compares against :data:`tables.metadata`.
"""

from __future__ import annotations

from alembic import context

from procure.register import tables

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through procure.register.db (procure register upgrade)")

context.configure(connection=connection, target_metadata=tables.metadata,
                  render_as_batch=True, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
