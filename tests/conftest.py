"""Shared fixtures: the small test set, the example spec, a CLI runner."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from procure.criteria import load_criteria_set
from procure.model import CriteriaSet

# Property tests check what is read, not how fast: a loaded CI machine must not fail them on
# hypothesis' per-example deadline.
settings.register_profile("procure", deadline=None)
settings.load_profile("procure")

# Validated criteria sets are cached per user (procure.criteria.cache): the tests keep theirs in
# a folder of their own, shared with the commands they start, not in the user's cache.
os.environ.setdefault("PROCURE_CACHE_DIR", tempfile.mkdtemp(prefix="procure-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
MINI_SET = FIXTURES / "mini-set.yaml"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests read messages in English unless they choose Swedish (the user default)."""
    from procure.i18n import set_lang

    monkeypatch.setenv("PROCURE_LANG", "en")
    set_lang(None)
    yield
    set_lang(None)


@pytest.fixture(scope="session")
def mini_set() -> CriteriaSet:
    return load_criteria_set(MINI_SET)


@pytest.fixture(scope="session")
def library() -> CriteriaSet:
    """The built-in library (loaded once per test session)."""
    return load_criteria_set()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def assert_one_line_error(result, *needles: str) -> None:
    """Exit code 1 and exactly one line, ``Error: …``, holding every needle; no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("Error: "), result.output
    assert result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


def assert_usage_error(result, *needles: str) -> None:
    """A bad option: click's usage error, exit code 2, naming the problem."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


def write_comma_spec(folder: Path) -> Path:
    """A spec on the mini set whose threshold is written with a Swedish decimal comma."""
    spec = folder / "spec.yaml"
    spec.write_text(f"title: x\ncategory: transport.school\nlevel: avancerad\n"
                    f"criteria_set_path: {MINI_SET}\n"
                    "criteria:\n  params:\n    TST-FUEL-01: {share_pct: '72,5'}\n",
                    encoding="utf-8")
    return spec


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the whole session (see tests/pgserver.py).

    Skipped with the reason shown when the binaries are absent, unless
    PROCURE_REQUIRE_POSTGRES=1 (CI), which turns the skip into a failure.
    """
    from .pgserver import PgServer, binaries

    if binaries() is None:
        reason = "PostgreSQL not installed (/usr/lib/postgresql/*/bin/initdb not found)"
        if os.environ.get("PROCURE_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " and PROCURE_REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A register location on each database: a SQLite file path, or a fresh PostgreSQL
    database's URL. The register is not created yet."""
    if request.param == "sqlite":
        return str(tmp_path / "register.db")
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def example_db(tmp_path) -> str:
    """A fresh SQLite register holding the example procurement and its winner."""
    from .webkit import example_register

    return example_register(tmp_path)


@pytest.fixture
def register_web(tmp_path, example_db):
    """The browser app on ``example_db`` through Starlette's TestClient, CSRF cookie set."""
    from .webkit import register_client

    with register_client(tmp_path, example_db) as client:
        client.get("/")
        yield client
