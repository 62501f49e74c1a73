"""Small slips users saw in one run (issue 11): plurals, grouping, cut names, a blank template."""

from __future__ import annotations

import shutil

import pytest

from procure.cli import main
from procure.cli.output import table
from procure.i18n import set_lang
from procure.io.textfmt import count_text
from procure.reports.annex import _count_text
from procure.tender.spec import build_spec, resolve

from .conftest import EXAMPLES


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (1, "sv", "1 leverantör"), (2, "sv", "2 leverantörer"), (293896, "sv", "293\u00a0896 leverantörer"),
    (1, "en", "1 supplier"), (1234, "en", "1,234 suppliers"), (0, "sv", "0 leverantörer"),
])
def test_count_text(n, lang, expected):
    assert count_text(n, lang, ("leverantör", "leverantörer"), ("supplier", "suppliers")) == \
        expected


def test_one_technical_specification_is_singular(mini_set):
    spec = build_spec(mini_set, title="S", category="transport.school", level="avancerad")
    _, selected = resolve(spec, mini_set)
    text = _count_text(selected, "sv")
    assert "1 teknisk specifikation" in text or "tekniska specifikationer" in text
    one = [s for s in selected if s.kind == "technical_spec"][:1] + \
        [s for s in selected if s.kind == "award"]
    assert "1 teknisk specifikation" in _count_text(one, "sv")
    assert "1 tekniska" not in _count_text(one, "sv")


def test_a_table_never_cuts_names_or_amounts():
    rows = [["1", "Grön Skolskjuts i Örnsköldsvik AB", "49 500 000 kr",
             "en lång fritext som får kortas när terminalen är smal"]]
    out = table(["rang", "leverantör", "anbudspris", "anmärkning"], rows, max_width=40)
    assert "Grön Skolskjuts i Örnsköldsvik AB" in out
    assert "49 500 000 kr" in out
    assert "…" in out  # the free text at the end gives way
    assert "…" not in table(["rang", "leverantör", "anbudspris"], [r[:3] for r in rows],
                            max_width=40, shorten=())


def test_check_says_one_supplier_and_skips_a_blank_template(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PROCURE_LANG", "sv")
    set_lang(None)
    folder = tmp_path / "svar"
    folder.mkdir()
    shutil.copy(EXAMPLES / "answers" / "01-norrlandsbuss.xlsx", folder)
    assert runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                str(folder / "svarsmall.xlsx")]).exit_code == 0
    result = runner.invoke(main, ["check", str(EXAMPLES / "spec.yaml"), str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 leverantör ×" in result.output
    assert "svarsmall.xlsx" in result.output  # the note
    assert "tom svarsmall" in result.output
    assert "Norrlandsbuss AB" in result.output
    assert result.output.count("\n- ") == 1  # one supplier line
