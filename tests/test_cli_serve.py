"""``procure serve``: binds 127.0.0.1 by default; any other address warns that there is no login."""

from __future__ import annotations

import os

import pytest

from procure.cli import main


@pytest.fixture
def started(monkeypatch):
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append({"target": target,
                                                                            **kw}))
    for name in ("PROCURE_WEB_DIR", "PROCURE_WEB_MAX_MB", "PROCURE_DB", "PROCURE_WEB_LANG"):
        monkeypatch.setenv(name, "")  # serve sets them; monkeypatch puts them back afterwards
    return calls


def test_serve_binds_localhost_by_default_without_a_warning(runner, started):
    result = runner.invoke(main, ["serve", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "127.0.0.1"
    assert started[0]["port"] == 8000
    assert started[0]["factory"] is True
    assert started[0]["workers"] == min(2, os.cpu_count() or 1)
    assert "http://127.0.0.1:8000/" in result.output
    assert "Warning" not in result.output


def test_serve_on_all_addresses_warns_there_is_no_login(runner, started):
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "0.0.0.0"
    assert "Varning: appen har ingen inloggning" in result.output


def test_serve_rejects_a_bad_port(runner, started):
    result = runner.invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert not started


def test_app_from_env_uses_the_folder_serve_made(tmp_path, monkeypatch):
    from procure.web.app import app_from_env

    monkeypatch.setenv("PROCURE_WEB_DIR", str(tmp_path))
    monkeypatch.setenv("PROCURE_WEB_MAX_MB", "7")
    monkeypatch.setenv("PROCURE_WEB_LANG", "en")
    app = app_from_env()
    assert app.state.pages.store.root == tmp_path.resolve()
    assert app.state.pages.config.max_upload_mb == 7
    from starlette.testclient import TestClient

    page = TestClient(app).get("/library").text
    assert '<html lang="en">' in page  # serve --lang en: English unless the browser chose


def test_serve_removes_its_uploads_folder_when_it_stops(runner, monkeypatch):
    import os
    from pathlib import Path

    import uvicorn

    seen: list[Path] = []

    def interrupted(target, **kw):
        seen.append(Path(os.environ["PROCURE_WEB_DIR"]))
        assert seen[0].is_dir()
        raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn, "run", interrupted)
    for name in ("PROCURE_WEB_DIR", "PROCURE_WEB_MAX_MB", "PROCURE_DB", "PROCURE_WEB_LANG"):
        monkeypatch.setenv(name, "")
    result = runner.invoke(main, ["serve", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "procure has stopped" in result.output
    assert not seen[0].exists()
