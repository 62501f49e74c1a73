"""``procure check`` (and the demo step) through the command line."""

from __future__ import annotations

import importlib.util
import json

import openpyxl
import pytest

from procure.cli import main
from procure.cli.check import demo_step
from procure.cli.demo import DemoContext

from .conftest import EXAMPLES, MINI_SET

SPEC = str(EXAMPLES / "spec.yaml")
ANSWERS = str(EXAMPLES / "answers")


def test_check_examples_table(runner):
    result = runner.invoke(main, ["check", SPEC, ANSWERS])
    assert result.exit_code == 0, result.output
    assert "5 leverantörer × 13 kriterier" in result.output
    lines = result.output.splitlines()
    first = next(line for line in lines if line.startswith("1 "))
    assert "Grön Skolskjuts" in first
    assert "kvalificerad" in first
    assert "- Kustlinjens Trafik AB: krav ej uppfyllda: TRN-FUEL-01" in result.output
    assert "- Skolskjuts Mitt AB: att granska: GEN-POLICY-01, TRN-IDLE-01" in result.output


def test_check_json_in_english(runner):
    result = runner.invoke(main, ["check", SPEC, ANSWERS, "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"] == {"suppliers": 5, "qualified": 2, "not_qualified": 2,
                               "pending_review": 1}
    assert data["suppliers"][0]["rank"] == 1
    assert all(v["reason"] for v in data["verdicts"])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_check_writes_results(runner, tmp_path, suffix):
    out = tmp_path / f"results{suffix}"
    result = runner.invoke(main, ["check", SPEC, ANSWERS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Skrev resultat: {out}" in result.output
    assert out.stat().st_size > 0
    if suffix == ".xlsx":
        assert openpyxl.load_workbook(out).sheetnames == ["Leverantörer", "Bedömning", "Fynd"]


def test_check_never_overwrites_an_answer_file(runner, tmp_path):
    target = EXAMPLES / "answers" / "05-skolskjuts-mitt-export.csv"
    before = target.read_bytes()
    result = runner.invoke(main, ["check", SPEC, ANSWERS, "-o", str(target)])
    assert result.exit_code == 1
    assert "would overwrite an input" in result.output
    assert target.read_bytes() == before


def test_check_pdf(runner, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(main, ["check", SPEC, ANSWERS, "--pdf", str(out)])
    if importlib.util.find_spec("procure.reports.evaluation") is None:
        assert result.exit_code == 1
        assert "PDF reports are not available" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"%PDF")


def test_check_template_of_another_spec(runner, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"title: Mat\ncategory: food\nlevel: bas\ncriteria_set_path: {MINI_SET}\n"
                    "criteria_set: test-mini@0.1.0\n", encoding="utf-8")
    answers = EXAMPLES / "answers" / "01-norrlandsbuss.xlsx"
    result = runner.invoke(main, ["check", str(spec), str(answers)])
    assert result.exit_code == 1
    assert "is an answer template for 'KS 2026/0412'" in result.output
    assert "--ignore-fingerprint" in result.output
    lenient = runner.invoke(main, ["check", str(spec), str(answers), "--ignore-fingerprint"])
    assert lenient.exit_code == 0, lenient.output
    assert "[template-mismatch]" in lenient.output
    assert "[unknown-criterion]" in lenient.output


def test_check_bad_inputs_exit_1_without_traceback(runner, tmp_path):
    pdf = tmp_path / "answers.xlsx"
    pdf.write_bytes(b"%PDF-1.4")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for args in ([SPEC, str(pdf)], [SPEC, str(empty)], [SPEC, str(tmp_path / "nope")],
                 [str(tmp_path / "nope.yaml"), ANSWERS]):
        result = runner.invoke(main, ["check", *args])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ")
        assert "Traceback" not in result.output
    assert runner.invoke(main, ["check", SPEC]).exit_code == 2


def test_check_exits_0_even_when_nobody_qualifies(runner, tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("supplier;criterion_id;answer\n<b>Bygg & Co</b>;TRN-FUEL-01;0 %\n",
                        encoding="utf-8")
    result = runner.invoke(main, ["check", SPEC, str(csv_path)])
    assert result.exit_code == 0, result.output
    assert "<b>Bygg & Co</b>" in result.output
    assert "ej kvalificerad" in result.output


def test_demo_step(tmp_path, library, capsys):
    ctx = DemoContext(outdir=tmp_path, examples=EXAMPLES, criteria_set=library)
    demo_step(ctx)
    names = sorted(p.name for p in ctx.written)
    assert names == ["svarsmall.xlsx", "utvardering.xlsx"]
    assert all(p.stat().st_size > 0 for p in ctx.written)
    assert ctx.state["evaluation"].suppliers.iloc[0]["rank"] == 1
    out = capsys.readouterr().out
    assert "5 leverantörer har svarat" in out
