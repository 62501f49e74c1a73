"""Ledgers as finance systems export them (issue 11): title rows above the header, total rows,
UTF-16 "Unicode text", merged cells. Through the table reader and ``procure match``."""

from __future__ import annotations

import json

import openpyxl
import pytest

from procure.cli import main
from procure.errors import InputFileError
from procure.io.tables import inspect, read_table

from .conftest import MINI_SET

LEDGER = ("Leverantörsreskontra 2024\nUtskriven 2025-01-15;;\n;;\n"
          "Leverantör;Text;Belopp\nÅkeri AB;Skolskjuts vecka 12;12 000,00\n"
          "Buss AB;Skolskjuts vecka 13;8 000,00\nSumma;;20 000,00\n")


def match(runner, source, *extra):
    return runner.invoke(main, ["match", "--input", str(source), "--text-column", "Text",
                                "--amount-column", "Belopp", "--set", str(MINI_SET),
                                "--format", "json", *extra])


def test_title_rows_above_the_header_are_found(tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    frame, info = read_table(path, columns=["Text", "Belopp"])
    assert list(frame.columns) == ["Leverantör", "Text", "Belopp"]
    assert info.header_row == 4
    assert frame.loc[0, "Leverantör"] == "Åkeri AB"


def test_header_row_given(tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    frame, _info = read_table(path, header_row=4)
    assert list(frame.columns) == ["Leverantör", "Text", "Belopp"]
    with pytest.raises(InputFileError, match="row 2"):
        read_table(path, header_row=2, columns=["Text"])


def test_no_unnamed_columns_are_shown(tmp_path):
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Text", None, "Belopp"])
    book.active.append(["Skolskjuts", "x", "100"])
    book.save(path)
    frame, _ = read_table(path)
    assert list(frame.columns) == ["Text", "column 2", "Belopp"]
    assert not any("Unnamed" in str(c) for c in frame.columns)


def test_utf16_unicode_text_is_read(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(LEDGER.replace(";", "\t").encode("utf-16"))
    frame, info = read_table(path, columns=["Text"])
    assert info.encoding == "utf-16"
    assert info.delimiter == "\t"
    assert frame.loc[0, "Leverantör"] == "Åkeri AB"
    assert "UTF-16" in info.describe("en")


def test_merged_cells_apply_to_every_row_they_cover(tmp_path):
    path = tmp_path / "huvudbok.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Huvudbok 2024"])
    sheet.merge_cells("A1:C1")
    sheet.append(["Leverantör", "Text", "Belopp"])
    sheet.append(["Åkeri AB", "Skolskjuts", 100])
    sheet.append([None, "Skolskjuts extra", 50])
    sheet.merge_cells("A3:A4")
    book.save(path)
    frame, info = read_table(path, columns=["Text", "Belopp"])
    assert info.header_row == 2
    assert list(frame["Leverantör"]) == ["Åkeri AB", "Åkeri AB"]


def test_match_leaves_total_rows_out_of_spend_and_says_so(runner, tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    result = match(runner, path, "-o", str(tmp_path / "ut.csv"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spend"]["total"] == 20_000
    assert data["spend"]["total_rows_left_out"] == 1
    assert data["header_row"] == 4
    text = runner.invoke(main, ["match", "--input", str(path), "--text-column", "Text",
                                "--amount-column", "Belopp", "--set", str(MINI_SET),
                                "-o", str(tmp_path / "ut2.csv"), "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "1 total row" in text.output
    assert "Summa" in text.output


def test_match_header_row_option(runner, tmp_path):
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    result = match(runner, path, "-o", str(tmp_path / "ut.csv"), "--header-row", "4")
    assert result.exit_code == 0, result.output
    bad = match(runner, path, "-o", str(tmp_path / "ut3.csv"), "--header-row", "2")
    assert bad.exit_code == 1
    assert "Unnamed" not in bad.output


def test_inspect_utf16_is_not_binary(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes("Text\tBelopp\nA\t1\n".encode("utf-16-le"))  # no BOM
    assert inspect(path).encoding == "utf-16-le"


def test_a_sum_formula_row_in_an_xlsx_ledger_is_not_spend(runner, tmp_path):
    path = tmp_path / "huvudbok.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Leverantör", "Text", "Belopp"])
    sheet.append(["Åkeri AB", "Skolskjuts vecka 12", 12000])
    sheet.append(["Buss AB", "Skolskjuts vecka 13", 8000])
    sheet.append([None, None, "=SUM(C2:C3)"])
    book.save(path)
    result = match(runner, path, "-o", str(tmp_path / "ut.csv"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spend"]["total_rows_left_out"] == 1
    assert data["spend"]["total_rows"][0]["row"] == 4
    assert data["spend"]["total"] == 20_000
