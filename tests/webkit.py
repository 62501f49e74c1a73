"""Helpers the browser app's register tests share: a fresh register, a client, what a page says."""

from __future__ import annotations

import html
import re
from pathlib import Path

import sqlalchemy as sa
from starlette.testclient import TestClient

from procure.register.db import open_register
from procure.web import WebConfig, create_app

from .registerkit import register_example


def example_register(folder: Path) -> str:
    """A fresh SQLite register in ``folder`` holding the example procurement and its winner."""
    path = str(folder / "register.db")
    reg, _ = register_example(path)
    reg.close()
    return path


def example_group_register(path: Path, library) -> str:
    """A fresh SQLite register at ``path`` holding the example municipal group
    (examples/register/: 150 procurements, follow-ups, deviations, three years of spend)."""
    from procure.register.db import init
    from procure.register.example import build_example

    from .conftest import EXAMPLES

    with init(str(path))[0] as reg:
        build_example(reg, EXAMPLES / "register", library)
    return str(path)


def register_client(folder: Path, db: str) -> TestClient:
    """The app on register ``db`` (use it in a ``with``: the lifespan loads the library)."""
    return TestClient(create_app(WebConfig(workdir=folder / "work", db=db)),
                      raise_server_exceptions=False)


def table_rows(db: str, table: sa.Table, *where: sa.ColumnElement[bool]) -> list[dict]:
    """What the register holds in ``table`` (read afresh, as another person would see it)."""
    with open_register(db) as reg, reg.read() as conn:
        query = sa.select(table).where(*where).order_by(table.c.id)
        return [dict(r._mapping) for r in conn.execute(query)]


def page_text(page: str) -> str:
    """A page's text as read: no tags, entities decoded, non-breaking spaces as spaces."""
    return html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\xa0", " ")


def one_line_error(response) -> str:
    """The one line an error answer shows (status 400, one line, no traceback)."""
    assert response.status_code == 400, response.text[-800:]
    block = re.search(r'role="alert">.*?<p>(.*?)</p>', response.text, flags=re.S)
    assert block, response.text[-800:]
    line = html.unescape(block.group(1))
    assert "\n" not in line
    assert "Traceback" not in response.text
    return line
