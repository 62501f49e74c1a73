"""Opening a register for reading only (the reports never write to it).

``target`` is a file path (SQLite, opened read-only so a report can never change a register) or
a database URL (``postgresql+psycopg://...``). A path that does not exist, or a database without
procure's tables, is one clear error rather than an empty report.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from procure.errors import InputFileError
from procure.i18n import tr
from procure.register.tables import procurements, spend_lines


def is_url(target: str) -> bool:
    return "://" in target


def open_readonly(target: str | Path) -> sa.Engine:
    """An engine on the register at ``target``, checked to hold procure's tables."""
    text = str(target)
    if is_url(text):
        engine = sa.create_engine(text)
        shown = sa.engine.make_url(text).render_as_string(hide_password=True)
    else:
        path = Path(text)
        if not path.is_file():
            raise InputFileError(tr("the register does not exist", "registret finns inte"),
                                 file=path, hint=tr("give --db or set PROCURE_DB",
                                                    "ange --db eller sätt PROCURE_DB"))
        engine = sa.create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")
        shown = str(path)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise InputFileError(tr("cannot open the register: {error}",
                                "kan inte öppna registret: {error}",
                                error=str(exc.orig if hasattr(exc, "orig") else exc).strip()
                                .splitlines()[0]), file=shown) from None
    if not {procurements.name, spend_lines.name} <= names:
        engine.dispose()
        raise InputFileError(tr("is not a procure register (its tables are missing)",
                                "är inget procure-register (tabellerna saknas)"), file=shown)
    return engine
