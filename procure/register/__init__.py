"""The procurement register: procurements, contracts, their climate criteria, follow-up and spend.

SQLAlchemy Core on SQLite (embedded default) or PostgreSQL (shared). All SQL lives in this package."""
