"""``procure template`` through the command line."""

from __future__ import annotations

import openpyxl

from procure.cli import main

from .conftest import EXAMPLES, MINI_SET, assert_one_line_error, write_comma_spec


def test_template_for_the_example_spec(runner, tmp_path):
    out = tmp_path / "answers.xlsx"
    result = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Skrev svarsmall" in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Leverantör", "Svar"]
    assert book["Svar"]["A4"].value


def test_template_in_english_with_another_set(runner, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"title: Mat\ncategory: food\nlevel: bas\ncriteria_set_path: {MINI_SET}\n",
                    encoding="utf-8")
    out = tmp_path / "a.xlsx"
    result = runner.invoke(main, ["template", str(spec), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Wrote answer template (3 criteria" in result.output
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Supplier", "Answers"]


def test_template_bad_output(runner, tmp_path):
    result = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                  str(tmp_path / "a.csv")])
    assert result.exit_code == 2
    assert "name it .xlsx" in result.output
    result = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                  str(tmp_path / "missing-folder" / "a.xlsx")])
    assert result.exit_code == 1
    assert "output folder does not exist" in result.output


def test_template_never_overwrites_the_spec(runner, tmp_path):
    spec = tmp_path / "spec.xlsx"
    spec.write_text("title: x\n", encoding="utf-8")
    result = runner.invoke(main, ["template", str(spec), "-o", str(spec)])
    assert result.exit_code == 1
    assert "would overwrite an input" in result.output


def test_template_for_a_spec_with_a_decimal_comma_threshold(runner, tmp_path):
    spec = write_comma_spec(tmp_path)
    out = tmp_path / "a.xlsx"
    result = runner.invoke(main, ["template", str(spec), "-o", str(out)])
    assert_one_line_error(result, "criteria.params.TST-FUEL-01.share_pct", "'72,5'")
    assert not out.exists()


def test_template_into_a_folder_that_is_a_file(runner, tmp_path):
    afile = tmp_path / "a"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                  str(afile / "t.xlsx")])
    assert_one_line_error(result, "cannot write", "is a file, not a folder")
