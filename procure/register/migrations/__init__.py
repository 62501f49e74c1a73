"""Alembic migrations of the register, shipped inside the package (no alembic.ini needed)."""
