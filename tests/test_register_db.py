"""Opening a register: created, upgraded, refused — on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from procure.register import db
from procure.register.errors import RegisterError


def test_database_url_plain_path_is_sqlite_and_url_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("PROCURE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert db.database_url(None) == f"sqlite:///{tmp_path / 'procure.db'}"
    monkeypatch.setenv("PROCURE_DB", "other.db")
    assert db.database_url(None) == f"sqlite:///{tmp_path / 'other.db'}"
    assert db.database_url("postgresql+psycopg://u@h/x") == "postgresql+psycopg://u@h/x"


def test_init_creates_then_reports_existing(db_url):
    reg, before, now = db.init(db_url)
    reg.close()
    assert before is None
    assert now == db.head_revision()
    reg, before, now = db.init(db_url)
    reg.close()
    assert before == now == db.head_revision()
    reg = db.open_register(db_url)
    with reg.read() as conn:
        names = set(sa.inspect(conn).get_table_names())
        assert {"procure_meta", "procurements", "contracts", "milestones", "history",
                "performance_failures", "spend_lines", "spend_corrections"} <= names
        assert conn.execute(sa.text("select value from procure_meta where key='application'")
                            ).scalar() == "procure register"
    reg.close()


def test_sqlite_is_wal_with_foreign_keys_and_busy_timeout(tmp_path):
    reg, _, _ = db.init(tmp_path / "r.db")
    with reg.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    reg.close()


def test_missing_register_is_not_created_by_open(tmp_path):
    with pytest.raises(RegisterError, match=r"not a register yet.*procure register init"):
        db.open_register(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_a_sqlite_file_with_other_tables_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table customers (name text)")
    before = path.read_bytes()
    for call in (db.init, db.upgrade, db.open_register):
        with pytest.raises(RegisterError, match="not a procure register"):
            call(path)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"


def test_a_file_that_is_no_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("meeting notes, not a database\n" * 50)
    before = path.read_bytes()
    with pytest.raises(RegisterError, match=r"cannot open .* as a database"):
        db.init(path)
    assert path.read_bytes() == before


def test_a_register_from_a_newer_procure_is_refused(db_url):
    reg, _, _ = db.init(db_url)
    with reg.write() as conn:
        conn.execute(sa.text("update alembic_version set version_num = '9999'"))
    reg.close()
    for call in (db.upgrade, db.open_register, db.init):
        with pytest.raises(RegisterError, match=r"newer procure.*9999"):
            call(db_url)


def test_other_tables_in_postgres_are_refused(pg_server):
    url = pg_server.new_database()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("create table customers (name text)"))
    engine.dispose()
    with pytest.raises(RegisterError, match="not a procure register"):
        db.init(url)


def test_migrations_ship_as_package_data():
    """Alembic finds the scripts inside the package (no alembic.ini, no source checkout);
    CI's wheel install then runs ``procure demo``, which creates a register from them."""
    from importlib.resources import files

    folder = files("procure.register.migrations")
    assert (folder / "env.py").is_file()
    assert [p.name for p in (folder / "versions").iterdir() if p.name.startswith("0001_")]
    assert db.head_revision() == "0001"


def test_lower_folds_swedish_letters_on_both_databases(db_url):
    """The report finds a supplier's spend by its name, case folded in SQL: "ÅKERI ÖST AB" in the
    ledger is the "Åkeri Öst AB" of the contract on SQLite as on PostgreSQL."""
    import sqlalchemy as sa

    reg, _, _ = db.init(db_url)
    try:
        with reg.read() as conn:
            folded = conn.execute(sa.select(sa.func.lower(sa.literal("ÅKERI ÖST AB É")),
                                            sa.func.lower(sa.null()))).one()
    finally:
        reg.close()
    assert tuple(folded) == ("åkeri öst ab é", None)
