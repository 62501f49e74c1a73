"""Reading user spreadsheets: encodings, delimiters, and clear errors for wrong files."""

from __future__ import annotations

import pandas as pd
import pytest

from procure.errors import ColumnError, InputFileError
from procure.io.tables import inspect, iter_table, read_table, require_columns

ROWS = "leverantör;text;belopp\nÅkeri AB;Skolskjuts vecka 12;1 234,50\nMat AB;Livsmedel;N/A\n"


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")])
def test_csv_encodings_are_detected(tmp_path, encoding, expected):
    path = tmp_path / "spend.csv"
    path.write_bytes(ROWS.encode(encoding))
    frame, info = read_table(path)
    assert info.encoding == expected
    assert info.delimiter == ";"
    assert list(frame.columns) == ["leverantör", "text", "belopp"]
    assert frame.loc[0, "leverantör"] == "Åkeri AB"
    assert frame.loc[0, "belopp"] == "1 234,50"  # text, for our own number parser
    assert frame.loc[1, "belopp"] == "N/A"  # an answer, not a missing value
    assert "semikolon" in info.describe()


def test_comma_delimited(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert inspect(path).delimiter == ","


def test_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "a.xlsx"
    pd.DataFrame({"id": ["X-1"], "svar": ["Ja"], "tal": [70]}).to_excel(path, index=False)
    frame, info = read_table(path)
    assert info.kind == "xlsx"
    assert frame.loc[0, "tal"] == "70"


def test_chunks(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("t\n" + "\n".join(f"rad {i}" for i in range(25)) + "\n", encoding="utf-8")
    sizes = [len(c) for c in iter_table(path, chunksize=10)]
    assert sizes == [10, 10, 5]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="file is empty"):
        read_table(path)


def test_binary_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(InputFileError, match="binary file, not a spreadsheet"):
        read_table(path)


def test_pdf_and_old_excel(tmp_path):
    pdf = tmp_path / "a.csv"
    pdf.write_bytes(b"%PDF-1.4\n...")
    with pytest.raises(InputFileError, match="is a PDF"):
        read_table(pdf)
    xls = tmp_path / "a.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(InputFileError, match=r"old Excel \.xls"):
        read_table(xls)


def test_unreadable_encoding(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a;b\n\x81\x8d;x\n")
    with pytest.raises(InputFileError, match="encoding could not be read"):
        read_table(path)


def test_missing_column_lists_existing(tmp_path):
    frame = pd.DataFrame({"a": ["1"], "b": ["2"]})
    with pytest.raises(ColumnError) as info:
        require_columns(frame, ["text"], tmp_path / "f.csv")
    assert "column(s) 'text' not found; the file has: 'a', 'b'" in str(info.value)


def test_a_first_row_wider_than_the_header_is_an_error(tmp_path):
    # pandas would take the extra values as the row index and shift every value right
    path = tmp_path / "a.csv"
    path.write_text("leverantör;text;belopp\nÅkeri AB;Skolskjuts;1 234;50\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="line 2 has 4 values but the header row has 3"):
        read_table(path)


def test_trailing_separators_on_data_rows_are_dropped(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("leverantör;text\n" + "".join(f"Åkeri {i};rad {i};\n" for i in range(25)),
                    encoding="utf-8")
    chunks = list(iter_table(path, chunksize=10))
    frame = pd.concat(chunks)
    assert list(frame.columns) == ["leverantör", "text"]
    assert frame.iloc[24].tolist() == ["Åkeri 24", "rad 24"]
    assert list(frame.index) == list(range(25))


def test_a_sheet_that_is_not_there(tmp_path):
    import openpyxl

    path = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(InputFileError, match="has no sheet number 3; it has 1: Sheet"):
        inspect(path, 3)
    with pytest.raises(InputFileError, match="has no sheet 'Utgifter'; sheets: Sheet"):
        inspect(path, "Utgifter")
    csv = tmp_path / "a.csv"
    csv.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="is a CSV file, which has no sheets"):
        inspect(csv, "Utgifter")


def test_a_password_protected_xlsx(tmp_path):
    # Excel saves an encrypted .xlsx as an OLE2 container, the format of old .xls files
    path = tmp_path / "svar.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(InputFileError, match="is password-protected") as info:
        read_table(path)
    assert "remove the password" in str(info.value)
