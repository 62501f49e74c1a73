"""Messages: Swedish by default, English with --lang en or PROCURE_LANG=en."""

from __future__ import annotations

from procure.cli import main
from procure.errors import InputFileError
from procure.i18n import Msg, get_lang, set_lang


def test_default_is_swedish(monkeypatch):
    monkeypatch.delenv("PROCURE_LANG")
    assert get_lang() == "sv"
    monkeypatch.setenv("PROCURE_LANG", "en")
    assert get_lang() == "en"
    set_lang("sv")
    assert get_lang() == "sv"


def test_msg_renders_lazily_in_the_current_language():
    error = InputFileError(Msg("{n} rows", "{n} rader", n=3), file="a.csv")
    set_lang("sv")
    assert str(error) == "a.csv: 3 rader"
    set_lang("en")
    assert str(error) == "a.csv: 3 rows"


def test_cli_error_prefix_follows_language(runner, monkeypatch):
    monkeypatch.delenv("PROCURE_LANG")
    sv = runner.invoke(main, ["criteria", "show", "NOPE-01"])
    assert sv.exit_code == 1
    assert sv.output.startswith("Fel: ")
    en = runner.invoke(main, ["criteria", "show", "NOPE-01", "--lang", "en"])
    assert en.output.startswith("Error: ")
