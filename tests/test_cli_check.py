"""``procure check`` (and the demo step) through the command line."""

from __future__ import annotations

import importlib.util
import json

import openpyxl
import pytest

from procure.cli import main
from procure.cli.check import demo_step
from procure.cli.democontext import DemoContext

from .conftest import EXAMPLES, MINI_SET, assert_one_line_error, assert_usage_error

SPEC = str(EXAMPLES / "spec.yaml")
ANSWERS = str(EXAMPLES / "answers")


def test_check_examples_table(runner):
    result = runner.invoke(main, ["check", SPEC, ANSWERS])
    assert result.exit_code == 0, result.output
    assert "5 leverantörer × 15 kriterier" in result.output
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
    assert data["summary"] == {"suppliers": 5, "qualified": 2, "not_qualified": 0,
                               "rejected": 2, "pending_review": 1}
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


def test_check_answers_folder_with_only_a_note(runner, tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "LÄSMIG.txt").write_text("inga svar än\n", encoding="utf-8")
    result = runner.invoke(main, ["check", SPEC, str(folder)])
    assert_one_line_error(result, "svar: folder holds no answer files (.xlsx or .csv)")


def test_check_with_spec_and_answers_swapped(runner):
    result = runner.invoke(main, ["check", ANSWERS, SPEC])
    assert_one_line_error(result, "spec.yaml: is the spec, not an answer file",
                          "the spec comes first")


@pytest.mark.parametrize(("content", "needles"), [
    ("Leverantör;TRN-FUEL-01\nBuss AB;80 %;extra\n",
     ["line 2 has 3 values but the header row has 2 columns"]),
    ("Leverantör;Kriterium;Svar;Bevis\n", ["has a header row but no answers"]),
    ("", ["file is empty"]),
])
def test_check_broken_answer_tables(runner, tmp_path, content, needles):
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["check", SPEC, str(path), "-o", str(tmp_path / "r.xlsx")])
    assert_one_line_error(result, "export.csv", *needles)
    assert not (tmp_path / "r.xlsx").exists()


def test_check_reads_a_windows_1252_export(runner, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Leverantör;TRN-FUEL-01;Anbudspris\nBuss Åkerö AB;80 %;1 000 000\n"
                     .encode("cp1252"))
    result = runner.invoke(main, ["check", SPEC, str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["suppliers"][0]["supplier"] == "Buss Åkerö AB"
    assert data["suppliers"][0]["bid_price"] == 1_000_000


@pytest.mark.parametrize(("option", "name", "needle"), [
    ("-o", "r.txt", "results are written as Excel, CSV or JSON"),
    ("--pdf", "r.txt", "the report is a PDF; name it .pdf"),
    ("--pdf", "r.json", "the report is a PDF; name it .pdf"),
])
def test_check_output_suffixes(runner, tmp_path, option, name, needle):
    result = runner.invoke(main, ["check", SPEC, ANSWERS, option, str(tmp_path / name)])
    assert_usage_error(result, needle)
    assert not list(tmp_path.iterdir())
