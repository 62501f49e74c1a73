"""The results workbook as a procurement officer opens and prints it (issue 11)."""

from __future__ import annotations

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

from procure.answers.evaluation import check_answers, write_evaluation
from procure.tender.spec import load_spec

from .conftest import EXAMPLES

# A4 landscape less 1 cm margins holds about 150 characters of Calibri 11 at 100 %
_A4_CHARS = 150


def test_each_supplier_file_is_named_relative_to_the_answers_folder(tmp_path):
    evaluation = check_answers(load_spec(EXAMPLES / "spec.yaml"), [EXAMPLES / "answers"])
    assert set(evaluation.suppliers["source"]) == {
        p.name for p in (EXAMPLES / "answers").iterdir() if p.suffix in (".xlsx", ".csv")}
    out = write_evaluation(evaluation, tmp_path / "resultat.xlsx")
    book = openpyxl.load_workbook(out)
    files = [c.value for row in book.worksheets[0].iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.endswith((".xlsx", ".csv"))]
    assert "02-gron-skolskjuts.xlsx" in files
    assert not any("/" in f for f in files)


def test_every_sheet_prints_on_a4_landscape_at_a_readable_size(tmp_path):
    evaluation = check_answers(load_spec(EXAMPLES / "spec.yaml"), [EXAMPLES / "answers"])
    book = openpyxl.load_workbook(write_evaluation(evaluation, tmp_path / "r.xlsx"))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == 9, sheet.title  # A4
        assert sheet.print_title_rows == "$1:$1"
        area = str(sheet.print_area).split("!")[1].replace("$", "")
        last = column_index_from_string("".join(ch for ch in area.split(":")[1] if ch.isalpha()))
        width = sum(sheet.column_dimensions[get_column_letter(i)].width
                    for i in range(1, last + 1))
        assert _A4_CHARS / width >= 0.75, (sheet.title, width)  # fit-to-width scale
        headers = [c.value for c in sheet[1]][:last]
        assert "Motivering" in headers or "Meddelande" in headers
