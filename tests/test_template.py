"""The answer template: what is written, and reading filled templates back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from procure.errors import InputFileError
from procure.tender.spec import build_spec, resolve
from procure.tender.template import (
    META_SHEET,
    answer_guidance,
    fill_template,
    read_filled_template,
    read_workbook,
    write_template,
)


@pytest.fixture
def mini_spec(mini_set):
    spec = build_spec(mini_set, title="Skolskjuts", category="transport.school",
                      level="avancerad", reference="KS 2026/1")
    return spec, resolve(spec, mini_set)[1]


@pytest.fixture
def food_spec(mini_set):
    spec = build_spec(mini_set, title="Livsmedel", category="food", level="bas")
    return spec, resolve(spec, mini_set)[1]


def test_template_layout(tmp_path, mini_set, mini_spec):
    spec, selected = mini_spec
    path = write_template(spec, mini_set, selected, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Leverantör", "Svar", META_SHEET]
    answers = book["Svar"]
    assert [c.value for c in answers[3]] == ["Id", "Typ av krav", "Krav", "Så svarar ni",
                                              "Svar", "Bevis / referens", "Kommentar"]
    ids = [answers.cell(r, 1).value for r in range(4, 4 + len(selected))]
    assert ids == [s.id for s in selected]
    assert answers.protection.sheet
    assert book["Leverantör"].protection.sheet
    assert book.security.lockStructure
    for row in range(4, 4 + len(selected)):
        assert answers.cell(row, 1).protection.locked
        for col in (5, 6, 7):
            assert not answers.cell(row, col).protection.locked
            assert answers.cell(row, col).number_format == "@"
    assert answers.column_dimensions["C"].width > 40
    meta = {r[0].value: r[1].value for r in book[META_SHEET].iter_rows(max_col=2)}
    assert book[META_SHEET].sheet_state == "hidden"
    assert meta["fingerprint"] == spec.fingerprint(selected)
    assert meta["criteria_set"] == "test-mini@0.1.0"


def test_yes_no_gets_a_drop_down(tmp_path, mini_set, mini_spec):
    spec, selected = mini_spec
    book = openpyxl.load_workbook(write_template(spec, mini_set, selected, tmp_path / "t.xlsx"))
    validations = book["Svar"].data_validations.dataValidation
    row_of = {s.id: 4 + i for i, s in enumerate(selected)}
    yes_no = next(v for v in validations if v.formula1 == '"Ja,Nej"')
    assert f"E{row_of['TST-ISO-01']}" in str(yes_no.sqref)
    assert f"E{row_of['TST-ECO-01']}" in str(yes_no.sqref)
    prompts = [v for v in validations if v.prompt and "g/km" in v.prompt]
    assert prompts
    assert f"E{row_of['TST-CO2-01']}" in str(prompts[0].sqref)


def test_choices_get_a_drop_down_from_the_hidden_sheet(tmp_path, mini_set, food_spec):
    spec, selected = food_spec
    book = openpyxl.load_workbook(write_template(spec, mini_set, selected, tmp_path / "t.xlsx"))
    lists = [v for v in book["Svar"].data_validations.dataValidation if v.type == "list"
             and META_SHEET in (v.formula1 or "")]
    assert len(lists) == 1
    column = lists[0].formula1.split("$")[1]
    values = [book[META_SHEET][f"{column}{r}"].value for r in range(2, 5)]
    assert values == ["KRAV", "EU-ekologiskt", "Ingen"]


def test_english_template(tmp_path, mini_set, mini_spec):
    spec, selected = mini_spec
    book = openpyxl.load_workbook(write_template(spec, mini_set, selected, tmp_path / "t.xlsx",
                                                 lang="en"))
    assert book.sheetnames[:2] == ["Supplier", "Answers"]
    assert book["Answers"]["E3"].value == "Answer"
    assert any(v.formula1 == '"Yes,No"' for v in book["Answers"].data_validations.dataValidation)


def test_formula_like_titles_stay_text(tmp_path, mini_set):
    spec = build_spec(mini_set, title="=HYPERLINK(\"x\")", category="food", level="bas")
    selected = resolve(spec, mini_set)[1]
    book = openpyxl.load_workbook(write_template(spec, mini_set, selected, tmp_path / "t.xlsx"))
    assert book["Leverantör"]["A1"].data_type == "s"
    assert book["Leverantör"]["A1"].value.startswith("Svarsmall: =")


def test_guidance_says_unit_threshold_and_scoring(mini_spec):
    _, selected = mini_spec
    by_id = {s.id: s for s in selected}
    assert answer_guidance(by_id["TST-FUEL-01"]) == "Ett tal i % (krav: minst 70 %)"
    assert "högst 70 g/km" in answer_guidance(by_id["TST-CO2-01"])
    zero = answer_guidance(by_id["TST-ZERO-01"], "en")
    assert "at least 25 %: 3 % of the bid price deducted" in zero
    assert "100\u00a0000 kr avdrag" in answer_guidance(by_id["TST-ECO-01"])
    assert "Bevis krävs." in answer_guidance(by_id["TST-ISO-01"])


def test_filled_template_reads_back(tmp_path, mini_set, mini_spec):
    spec, selected = mini_spec
    template = write_template(spec, mini_set, selected, tmp_path / "t.xlsx")
    filled = fill_template(template, tmp_path / "f.xlsx",
                           {"name": "<b>Bygg & Co</b>", "bid_price": "4 500 000 kr"},
                           {"TST-ISO-01": ("Ja", "Cert 1", "ok"), "TST-FUEL-01": "=70+1"})
    result = read_filled_template(filled)
    assert result.fingerprint == spec.fingerprint(selected)
    assert result.supplier["name"].value == "<b>Bygg & Co</b>"
    rows = {r[0]: r for r in result.rows}
    assert set(rows) == {s.id for s in selected}
    assert rows["TST-ISO-01"][1].value == "Ja"
    assert rows["TST-ISO-01"][2].value == "Cert 1"
    assert rows["TST-ISO-01"][3].value == "ok"
    assert rows["TST-FUEL-01"][1].formula == "=70+1"
    assert rows["TST-ISO-01"][4].startswith("Svar!E")


def test_reader_sees_types_as_a_person_would(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = 0.7
    sheet["A1"].number_format = "0%"
    sheet["A2"] = dt.date(2027, 6, 30)
    sheet["A3"] = 1234.5
    sheet["A4"] = True
    sheet["A5"] = "=SUM(A1:A3)"
    sheet["A6"] = 42
    sheet["C9"] = "text"
    book.save(tmp_path / "x.xlsx")
    cells = next(iter(read_workbook(tmp_path / "x.xlsx").values()))
    assert cells[(1, 1)].value == "70 %"
    assert cells[(2, 1)].value == "2027-06-30"
    assert cells[(3, 1)].value == "1234.5"
    assert cells[(4, 1)].value == "TRUE"
    assert cells[(5, 1)].formula == "=SUM(A1:A3)"
    assert cells[(6, 1)].value == "42"
    assert cells[(9, 3)].value == "text"
    assert read_filled_template(tmp_path / "x.xlsx") is None


def test_reader_refuses_a_damaged_workbook(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError, match="cannot be read as an Excel workbook"):
        read_workbook(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice_still_reads(tmp_path, mini_set, mini_spec):
    spec, selected = mini_spec
    template = write_template(spec, mini_set, selected, tmp_path / "t.xlsx")
    (tmp_path / "in").mkdir()
    filled = fill_template(template, tmp_path / "in" / "f.xlsx",
                           {"name": "Åkeri Öst AB", "bid_price": "100"},
                           {"TST-ISO-01": ("Ja", "Cert"), "TST-CO2-01": "65 g/km"})
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                    str(filled)], check=True, capture_output=True, timeout=180)
    result = read_filled_template(out / "f.xlsx")
    assert result.fingerprint == spec.fingerprint(selected)
    assert result.supplier["name"].value == "Åkeri Öst AB"
    rows = {r[0]: r for r in result.rows}
    assert rows["TST-CO2-01"][1].value == "65 g/km"
    assert rows["TST-ISO-01"][2].value == "Cert"
    book = openpyxl.load_workbook(out / "f.xlsx")
    assert book["Svar"].protection.sheet
    assert book[META_SHEET].sheet_state == "hidden"
