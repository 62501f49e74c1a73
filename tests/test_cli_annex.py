"""``procure annex`` through the CLI: output, language, template, and every bad input."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from procure.cli import main
from procure.cli.annex import demo_evaluation_step, demo_step
from procure.cli.democontext import DemoContext
from procure.tender.spec import load_spec, resolve

from .conftest import EXAMPLES, MINI_SET, assert_one_line_error, assert_usage_error


def write_spec(folder: Path, **extra: str) -> Path:
    lines = {
        "reference": "KS 2026/0412",
        "title": "Upphandling av skolskjuts 2027–2031",
        "organisation": "Exempelkommun",
        "category": "transport.school",
        "level": "avancerad",
        "criteria_set": "test-mini@0.1.0",
        "criteria_set_path": str(MINI_SET),
        **extra,
    }
    path = folder / "spec.yaml"
    path.write_text("".join(f"{k}: {v!r}\n" if k == "title" else f"{k}: {v}\n"
                            for k, v in lines.items()), encoding="utf-8")
    return path


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_annex_writes_the_pdf_and_says_so(runner, tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "bilaga.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--date", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "7 krav på" in result.output
    text = text_of(out)
    for cid in ("TST-ISO-01", "TST-PLAN-01", "TST-CO2-01", "TST-EURO-01", "TST-ZERO-01",
                "TST-ECO-01", "TST-FUEL-01"):
        assert cid in text
    assert "2026-03-01" in text
    assert "CO₂" in text


def test_annex_in_english(runner, tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "annex.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote ")
    assert "Annex – Climate requirements" in text_of(out)


def test_set_option_overrides_the_spec(runner, tmp_path):
    spec = write_spec(tmp_path, criteria_set_path="/nowhere/set.yaml")
    out = tmp_path / "a.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--set", str(MINI_SET)])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_template_is_written_beside_the_annex(runner, tmp_path):
    pytest.importorskip("procure.tender.template")
    spec = write_spec(tmp_path)
    out, template = tmp_path / "a.pdf", tmp_path / "svar.xlsx"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--template",
                                  str(template)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert template.exists()
    assert "svarsmallen" in result.output


def test_template_writer_absent_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "procure.tender.template", None)
    spec = write_spec(tmp_path)
    result = runner.invoke(main, ["annex", str(spec), "-o", str(tmp_path / "a.pdf"),
                                  "--template", str(tmp_path / "t.xlsx")])
    assert_one_line_error(result, "template writer is not available")
    assert not (tmp_path / "a.pdf").exists()


def test_missing_spec_file(runner, tmp_path):
    result = runner.invoke(main, ["annex", str(tmp_path / "nope.yaml"), "-o",
                                  str(tmp_path / "a.pdf")])
    assert_one_line_error(result, "nope.yaml", "does not exist")


def test_invalid_spec(runner, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("title: Skolskjuts\ncategory: transport.school\nlevel: guld\n",
                    encoding="utf-8")
    result = runner.invoke(main, ["annex", str(spec), "-o", str(tmp_path / "a.pdf")])
    assert_one_line_error(result, "spec.yaml", "guld")


def test_spec_with_an_unknown_category(runner, tmp_path):
    spec = write_spec(tmp_path, category="rymdfart")
    result = runner.invoke(main, ["annex", str(spec), "-o", str(tmp_path / "a.pdf")])
    assert_one_line_error(result, "rymdfart")


def test_output_folder_that_does_not_exist(runner, tmp_path):
    spec = write_spec(tmp_path)
    result = runner.invoke(main, ["annex", str(spec), "-o", str(tmp_path / "nej" / "a.pdf")])
    assert_one_line_error(result, "output folder does not exist")


def test_output_folder_that_is_a_file(runner, tmp_path):
    spec = write_spec(tmp_path)
    result = runner.invoke(main, ["annex", str(spec), "-o", str(spec / "a.pdf")])
    assert_one_line_error(result, "cannot write")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root can write to read-only folders")
def test_output_folder_without_write_permission(runner, tmp_path):
    spec = write_spec(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = runner.invoke(main, ["annex", str(spec), "-o", str(locked / "a.pdf")])
    finally:
        locked.chmod(0o700)
    assert_one_line_error(result, "cannot write")


def test_output_equal_to_the_spec_is_refused_and_the_spec_kept(runner, tmp_path):
    spec = write_spec(tmp_path)
    before = spec.read_bytes()
    result = runner.invoke(main, ["annex", str(spec), "-o", str(spec)])
    assert_one_line_error(result, "overwrite an input")
    assert spec.read_bytes() == before


def test_output_equal_to_the_criteria_set_is_refused(runner, tmp_path):
    copy = tmp_path / "set.yaml"
    copy.write_bytes(MINI_SET.read_bytes())
    spec = write_spec(tmp_path, criteria_set_path=str(copy))
    result = runner.invoke(main, ["annex", str(spec), "-o", str(copy)])
    assert_one_line_error(result, "overwrite an input")


def test_template_equal_to_the_annex_is_refused(runner, tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "a.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--template", str(out)])
    assert_one_line_error(result, "cannot be the same file")
    assert not out.exists()


def test_bad_date_and_missing_output_are_usage_errors(runner, tmp_path):
    spec = write_spec(tmp_path)
    result = runner.invoke(main, ["annex", str(spec), "-o", str(tmp_path / "a.pdf"),
                                  "--date", "1 mars"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    assert runner.invoke(main, ["annex", str(spec)]).exit_code == 2


def test_help_has_an_example(runner):
    result = runner.invoke(main, ["annex", "--help"])
    assert result.exit_code == 0
    assert "Example: procure annex" in result.output


def test_demo_steps_write_the_annex_and_skip_the_record_without_a_check(tmp_path, library,
                                                                        capsys):
    ctx = DemoContext(outdir=tmp_path, examples=EXAMPLES, criteria_set=library)
    demo_step(ctx)
    assert ctx.written == [tmp_path / "bilaga-klimatkrav.pdf"]
    assert "Bilaga – Klimatkrav" in text_of(ctx.written[0])
    demo_evaluation_step(ctx)
    assert len(ctx.written) == 1
    assert "hoppar över" in capsys.readouterr().out


def test_demo_evaluation_step_writes_the_record_after_a_check(tmp_path, library):
    import pandas as pd

    from procure.reports.evaluation import EvaluationTables

    ctx = DemoContext(outdir=tmp_path, examples=EXAMPLES, criteria_set=library)
    spec = load_spec(EXAMPLES / "spec.yaml")
    _, selected = resolve(spec, library)
    verdicts = pd.DataFrame([{"supplier": "Norrlandsbuss AB", "criterion_id": s.id,
                              "kind": s.kind, "verdict": "met", "answer": "Ja", "reason": ""}
                             for s in selected])
    suppliers = pd.DataFrame([{"supplier": "Norrlandsbuss AB", "status": "qualified",
                               "bid_price": 46e6, "deductions": 0.0, "comparison_price": 46e6,
                               "rank": 1}])
    # what the check demo step leaves behind
    ctx.state.update(spec=spec, evaluation=EvaluationTables(verdicts, suppliers))
    demo_evaluation_step(ctx)
    assert ctx.written == [tmp_path / "utvarderingsprotokoll.pdf"]
    text = text_of(ctx.written[0])
    assert "Utvärderingsprotokoll" in text
    assert "Norrlandsbuss AB" in text


@pytest.mark.parametrize(("option", "name", "needle"), [
    ("-o", "a.txt", "the annex is a PDF; name it .pdf"),
    ("--template", "t.txt", "the template is an Excel file; name it .xlsx"),
])
def test_output_with_the_wrong_suffix_writes_nothing(runner, tmp_path, option, name, needle):
    spec = write_spec(tmp_path)
    args = ["annex", str(spec), "-o", str(tmp_path / "a.pdf"), option, str(tmp_path / name)]
    assert_usage_error(runner.invoke(main, args), needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_template_folder_missing_writes_no_annex(runner, tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "a.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(out), "--template",
                                  str(tmp_path / "nej" / "t.xlsx")])
    assert_one_line_error(result, "output folder does not exist")
    assert not out.exists()
