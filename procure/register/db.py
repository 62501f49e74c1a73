"""Opening a register: a SQLite file on a laptop or a shared PostgreSQL server.

``--db`` / ``PROCURE_DB`` is either a plain path (a SQLite file, default ``./procure.db``) or a
database URL (``postgresql+psycopg://user@host/db``). The rest of procure never sees which one.

Why the connection set-up looks the way it does:

- SQLite runs in WAL mode (set once, by init/upgrade, after the file proved to be procure's) (readers never block the writer) with foreign keys on (SQLite ignores
  them otherwise) and a busy timeout, so a second writer waits instead of failing at once.
- Writing transactions start with ``BEGIN IMMEDIATE`` on SQLite and take an advisory lock on
  PostgreSQL: writers queue one behind the other, so a check for duplicates made inside a write
  transaction still holds when the rows go in (two imports at once lose nothing, double nothing).
- A database is procure's only when it has ``procure_meta``. Any other file or database with
  tables is refused and never touched; a database from a newer procure is refused too.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from procure.i18n import tr
from procure.register import tables
from procure.register.errors import RegisterError

DEFAULT_PATH = "procure.db"
ENV_VAR = "PROCURE_DB"
BUSY_TIMEOUT_S = 60
_ADVISORY_KEY = 0x70726F63  # "proc": one lock for all writers of a PostgreSQL register
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)


def database_url(db: str | Path | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` (else ``PROCURE_DB``, else ``./procure.db``)."""
    value = str(db) if db not in (None, "") else os.environ.get(ENV_VAR) or DEFAULT_PATH
    if _URL.match(value):
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def describe(url: str) -> str:
    """The register's location for messages, without a password."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        # SQLite's own lower() folds only A–Z: "ÅKERI ÖST AB" would not meet "Åkeri Öst AB"
        # when the report compares supplier names (PostgreSQL's folds every letter)
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("procure_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the settings above."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise RegisterError(tr("the folder {folder} does not exist",
                                       "mappen {folder} finns inte", folder=str(folder)))
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _sqlite_events(engine)
        return engine
    # psycopg's own executemany (pipeline mode) beats SQLAlchemy's multi-row VALUES batches,
    # whose giant statements psycopg must parse one by one
    return sa.create_engine(url, pool_pre_ping=True, use_insertmanyvalues=False)


def _alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "procure.register:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this procure knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    return {script.revision for script in
            ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


@dataclass
class Register:
    """An open register: the engine plus where it is. Use :meth:`read` and :meth:`write`."""

    engine: sa.Engine
    url: str

    @property
    def where(self) -> str:
        return describe(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only transaction (never blocks or waits for writers)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One all-or-nothing write transaction; writers wait for each other, never fail."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(procure_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": _ADVISORY_KEY})
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _state(conn: sa.Connection, where: str) -> tuple[bool, str | None]:
    """(is procure's, schema revision); refuses a database with other tables in it."""
    names = set(sa.inspect(conn).get_table_names())
    if tables.meta.name not in names:
        if names:
            raise RegisterError(
                tr("{where} is not a procure register (it has other tables and no procure_meta);"
                   " it was not changed", "{where} är inget procure-register (den har andra "
                   "tabeller men ingen procure_meta); den har inte ändrats", where=where),
                hint=tr("give another file with --db", "ange en annan fil med --db"))
        return False, None
    revision = MigrationContext.configure(conn).get_current_revision()
    return True, revision


def _check_revision(revision: str | None, where: str) -> None:
    if revision is not None and revision not in _known_revisions():
        raise RegisterError(
            tr("{where} was made by a newer procure (schema {revision}); this procure knows "
               "schemas up to {head}", "{where} är skapad av en nyare procure (schema "
               "{revision}); den här procure känner schema till och med {head}",
               where=where, revision=revision, head=head_revision()),
            hint=tr("upgrade procure (pip install -U procure)",
                    "uppgradera procure (pip install -U procure)"))


def _connect_error(exc: sa.exc.DBAPIError, where: str) -> RegisterError:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return RegisterError(tr("cannot open {where} as a database: {reason}",
                            "kan inte öppna {where} som databas: {reason}",
                            where=where, reason=reason))


def _migrate(register: Register, *, create: bool) -> tuple[str | None, str]:
    """Create or upgrade the schema in one transaction; (revision before, after)."""
    try:
        return _migrate_open(register, create=create)
    except BaseException:
        register.close()
        raise


def _migrate_open(register: Register, *, create: bool) -> tuple[str | None, str]:
    try:
        with register.write() as conn:
            ours, before = _state(conn, register.where)
            if not ours and not create:
                raise _missing(register.where)
            _check_revision(before, register.where)
            command.upgrade(_alembic_config(conn), "head")
            now = MigrationContext.configure(conn).get_current_revision()
    except sa.exc.DBAPIError as exc:
        raise _connect_error(exc, register.where) from None
    if register.dialect == "sqlite":
        raw = register.engine.raw_connection()  # WAL sticks to the file; outside a transaction
        try:
            raw.cursor().execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
    return before, now or ""


def _missing(where: str) -> RegisterError:
    return RegisterError(tr("{where} is not a register yet", "{where} är inget register än",
                            where=where),
                         hint=tr("create it with: procure register init",
                                 "skapa det med: procure register init"))


def init(db: str | Path | None = None) -> tuple[Register, str | None, str]:
    """Create a register (or bring an existing one up to date): (register, before, now)."""
    register = Register(make_engine(database_url(db)), database_url(db))
    before, now = _migrate(register, create=True)
    return register, before, now


def upgrade(db: str | Path | None = None) -> tuple[Register, str | None, str]:
    """Upgrade an existing register to this procure's schema: (register, before, now)."""
    url = database_url(db)
    _require_file(url)
    register = Register(make_engine(url), url)
    before, now = _migrate(register, create=False)
    return register, before, now


def _require_file(url: str) -> None:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database \
            and not Path(parsed.database).exists():
        raise _missing(parsed.database)


def open_register(db: str | Path | None = None) -> Register:
    """Open an existing, current register; refuse anything else with a clear message."""
    url = database_url(db)
    _require_file(url)
    register = Register(make_engine(url), url)
    try:
        _check_current(register)
    except BaseException:
        register.close()
        raise
    return register


def _check_current(register: Register) -> None:
    try:
        with register.read() as conn:
            ours, revision = _state(conn, register.where)
    except sa.exc.DBAPIError as exc:
        raise _connect_error(exc, register.where) from None
    if not ours:
        raise _missing(register.where)
    _check_revision(revision, register.where)
    if revision != head_revision():
        raise RegisterError(tr("{where} has an older schema ({revision})",
                               "{where} har ett äldre schema ({revision})",
                               where=register.where, revision=revision),
                            hint=tr("run: procure register upgrade",
                                    "kör: procure register upgrade"))
