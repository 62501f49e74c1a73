"""Who changed what, when: the append-only ``history`` table.

A follow-up record may be asked for in a review or in court, so every change to the register
writes a history row in the same transaction as the change itself: both are kept or neither.
"""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

import sqlalchemy as sa

from procure.register.tables import history


def current_user(who: str | None = None) -> str:
    """``--who`` if given, else the operating-system user (never empty)."""
    if who and who.strip():
        return who.strip()
    try:
        return getpass.getuser() or "okänd"
    except (OSError, KeyError):
        return "okänd"


def now() -> dt.datetime:
    """The moment of a change, UTC without tzinfo (as every DateTime column holds it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def log(conn: sa.Connection, who: str, table: str, row_id: int, action: str,
        data: dict[str, Any], at: dt.datetime | None = None) -> None:
    """Append one history row (call inside the transaction that makes the change)."""
    conn.execute(history.insert().values(at=at or now(), who=who, table_name=table,
                                         row_id=row_id, action=action, data=_plain(data)))
