"""Criteria sets as spreadsheets: export → import gives the same set; bad sheets fail clearly."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from procure.criteria.document import SetDocument, check_document, read_document
from procure.criteria.tabular import categories_file, export_csv, export_xlsx
from procure.criteria.tabular_import import import_table
from procure.errors import ColumnError, InputFileError

from .conftest import FIXTURES, MINI_SET

BUILTIN: SetDocument = read_document(Path(__file__).resolve().parent.parent / "criteria")
IDS = [c["id"] for c in BUILTIN.criteria]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"),
               min_size=1, max_size=40).map(str.strip).filter(bool)


def sample(ids: list[str]) -> SetDocument:
    doc = BUILTIN.copy()
    doc.data["criteria"] = [copy.deepcopy(c) for c in BUILTIN.criteria if c["id"] in ids]
    return doc


def roundtrip(doc: SetDocument, folder: Path, fmt: str, lang: str) -> SetDocument:
    out = folder / f"set.{fmt}"
    for old in folder.glob("set*"):
        old.unlink()
    if fmt == "xlsx":
        export_xlsx(doc, out, lang)
    else:
        export_csv(doc, out, lang)
    return import_table(out, name=doc.name, publisher=doc.data["publisher"])


def same_content(a: SetDocument, b: SetDocument) -> None:
    assert b.categories == a.categories
    assert b.criteria == a.criteria
    assert b.superseded == a.superseded
    assert b.header == a.header
    assert b.hash() == a.hash()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True),
       fmt=st.sampled_from(["xlsx", "csv"]), lang=st.sampled_from(["sv", "en"]),
       title=TEXT, param=st.one_of(st.integers(-10**6, 10**6),
                                   st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)),
                                   TEXT))
def test_export_then_import_gives_the_same_set(tmp_path_factory, ids, fmt, lang, title, param):
    """Over the built-in library's criteria, with a hostile title and any param value."""
    doc = sample(ids)
    first = doc.criteria[0]
    first["title"]["sv"] = title
    level = next(iter(first["levels"]))
    first["levels"][level] = {**(first["levels"][level] or {}),
                              "params": {**((first["levels"][level] or {}).get("params") or {}),
                                         "extra_value": param}}
    back = roundtrip(doc, tmp_path_factory.mktemp("rt"), fmt, lang)
    same_content(doc, back)


def test_the_whole_library_round_trips_with_old_versions(tmp_path):
    doc = BUILTIN.copy()
    old = copy.deepcopy(doc.criteria[0])
    old["version"] = 1
    old["superseded"] = {"by": 2, "date": "2026-12-06", "note": {"sv": "x", "en": "y"}}
    doc.criteria[0]["version"] = 2
    doc.superseded.append(old)
    for fmt in ("xlsx", "csv"):
        back = roundtrip(doc, tmp_path, fmt, "sv")
        same_content(doc, back)
    check_document(back, "imported")


def test_xlsx_has_language_headers_drop_downs_and_no_protection(tmp_path):
    out = export_xlsx(read_document(MINI_SET), tmp_path / "k.xlsx", "sv")
    book = load_workbook(out)
    assert book.sheetnames == ["Kriterier", "Kategorier", "Uppsättning"]
    sheet = book["Kriterier"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["Id", "Status", "Version", "Typ", "Kategorier", "Nivå"]
    assert "Rubrik (sv)" in headers
    assert "Title (en)" not in headers
    assert not sheet.protection.sheet
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"qualification,technical_spec,award,contract_clause"' in lists.values()
    assert '"bas,avancerad,spjutspets"' in lists.values()
    en = load_workbook(export_xlsx(read_document(MINI_SET), tmp_path / "e.xlsx", "en"))
    assert "Title (en)" in [c.value for c in en["Criteria"][1]]


def test_formulas_are_written_as_quoted_text_and_read_back(tmp_path):
    doc = read_document(MINI_SET)
    doc.criteria[0]["title"]["sv"] = '=HYPERLINK("http://evil","klicka")'
    doc.criteria[0]["title"]["en"] = "'=already quoted"
    out = export_xlsx(doc, tmp_path / "k.xlsx", "sv")
    sheet = load_workbook(out)["Kriterier"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in cells)
    csv_out = tmp_path / "k.csv"
    export_csv(doc, csv_out, "sv")
    raw = csv_out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw
    for path in (out, csv_out):
        back = import_table(path, name="x", publisher="x")
        assert back.criteria[0]["title"] == doc.criteria[0]["title"]


def test_swedish_csv_uses_semicolons_and_a_bom(tmp_path):
    out = tmp_path / "k.csv"
    written = export_csv(read_document(MINI_SET), out, "sv")
    assert written == [out, categories_file(out, "sv"), out.with_name("k.uppsattning.csv")]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][0] == "Id"
    fuel = [r for r in rows if r[0] == "TST-FUEL-01"]
    assert [r[5] for r in fuel] == ["bas", "avancerad", "spjutspets"]
    assert fuel[1][6] == "share_pct = 70"


# ---------------------------------------------------------------- bad spreadsheets

@pytest.fixture
def sheet(tmp_path):
    """An exported mini set, opened for editing; call save() to write it."""
    path = export_xlsx(read_document(MINI_SET), tmp_path / "k.xlsx", "sv")
    book = load_workbook(path)

    class Sheet:
        ws = book["Kriterier"]

        @staticmethod
        def column(header: str) -> int:
            return [c.value for c in Sheet.ws[1]].index(header) + 1

        @staticmethod
        def save() -> Path:
            book.save(path)
            return path

    return Sheet


def test_a_missing_column_is_named(sheet):
    sheet.ws.delete_cols(sheet.column("Svarstyp"))
    with pytest.raises(ColumnError) as info:
        import_table(sheet.save(), name="x", publisher="x")
    assert "missing column(s): Answer type" in str(info.value)


def test_a_renamed_header_is_an_error_with_a_guess(sheet):
    sheet.ws.cell(1, sheet.column("Rubrik (sv)"), "Rubriken (sv)")
    with pytest.raises(InputFileError) as info:
        import_table(sheet.save(), name="x", publisher="x")
    text = str(info.value)
    assert "unknown column 'Rubriken (sv)'" in text
    assert "did you mean 'Title (sv)'" in text
    assert "row 1" in text


def test_merged_cells_are_an_error(sheet):
    sheet.ws.merge_cells("A2:A4")
    with pytest.raises(InputFileError) as info:
        import_table(sheet.save(), name="x", publisher="x")
    assert "merged cells (A2:A4)" in str(info.value)
    assert "Kriterier" in str(info.value)


def test_an_unknown_level_names_the_row(sheet):
    sheet.ws.cell(3, sheet.column("Nivå"), "medel")
    with pytest.raises(InputFileError) as info:
        import_table(sheet.save(), name="x", publisher="x")
    assert "row 3, column 'Nivå': unknown level 'medel'" in str(info.value)


def test_criterion_fields_must_agree_between_level_rows(sheet):
    rows = [r for r in range(2, sheet.ws.max_row + 1)
            if sheet.ws.cell(r, 1).value == "TST-FUEL-01"]
    sheet.ws.cell(rows[1], sheet.column("Rubrik (sv)"), "Ändrad bara här")
    with pytest.raises(InputFileError) as info:
        import_table(sheet.save(), name="x", publisher="x")
    assert f"row {rows[0]}" in str(info.value)
    assert "must be the same on all its level rows" in str(info.value)


def test_a_broken_param_cell_is_an_error(sheet):
    rows = [r for r in range(2, sheet.ws.max_row + 1)
            if sheet.ws.cell(r, 1).value == "TST-FUEL-01"]
    sheet.ws.cell(rows[0], sheet.column("Parametrar"), "share_pct 50")
    with pytest.raises(InputFileError, match="is not name = value"):
        import_table(sheet.save(), name="x", publisher="x")


def test_a_changed_threshold_is_read(sheet):
    rows = [r for r in range(2, sheet.ws.max_row + 1)
            if sheet.ws.cell(r, 1).value == "TST-FUEL-01"]
    sheet.ws.cell(rows[1], sheet.column("Parametrar"), "share_pct = 72,5")
    back = import_table(sheet.save(), name="x", publisher="x")
    fuel = next(c for c in back.criteria if c["id"] == "TST-FUEL-01")
    assert fuel["levels"]["avancerad"]["params"]["share_pct"] == 72.5


def test_a_csv_without_its_categories_file_is_an_error(tmp_path):
    out = tmp_path / "k.csv"
    export_csv(read_document(MINI_SET), out, "sv")
    categories_file(out, "sv").unlink()
    with pytest.raises(InputFileError, match=r"k\.kategorier\.csv is missing"):
        import_table(out, name="x", publisher="x")


def test_a_workbook_that_unpacks_too_far_is_refused(tmp_path, monkeypatch):
    from procure.criteria import safety
    from procure.errors import UnsafeSetError

    out = export_xlsx(read_document(MINI_SET), tmp_path / "k.xlsx", "sv")
    monkeypatch.setattr(safety, "MAX_SET_BYTES", 1000)
    with pytest.raises(UnsafeSetError, match="more than a criteria set can hold"):
        import_table(out, name="x", publisher="x")


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "k.xlsx"
    path.write_text("Id;Typ\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a zip file"):
        import_table(path, name="x", publisher="x")


def test_a_text_too_long_for_an_excel_cell_is_an_error_not_a_cut(tmp_path):
    from procure.errors import OutputFileError

    doc = read_document(MINI_SET)
    doc.criteria[0]["text"]["sv"] = "x" * 40_000
    out = tmp_path / "k.xlsx"
    with pytest.raises(OutputFileError, match="longer than an Excel cell holds"):
        export_xlsx(doc, out, "sv")
    assert not out.exists()
    export_csv(doc, tmp_path / "k.csv", "sv")
    back = import_table(tmp_path / "k.csv", name="x", publisher="x")
    assert back.criteria[0]["text"]["sv"] == "x" * 40_000


@given(text=st.text(max_size=60))
def test_any_params_cell_is_read_or_refused_clearly(text):
    from procure.criteria.tabular import Column
    from procure.criteria.tabular_import import _Reader

    reader = _Reader(Path("k.csv"), None)
    column = Column("params", "Parametrar", "Params", "params")
    try:
        value = reader.parse(text, column, 2, "P")
    except InputFileError as exc:
        message = str(exc)
        value = None
    else:
        message = "row 2, column 'P'"
    assert "row 2, column 'P'" in message
    assert value is None or isinstance(value, dict)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_v2_set_with_old_versions_round_trips_with_its_header(tmp_path, fmt):
    doc = read_document(FIXTURES / "v2-set")
    assert doc.superseded
    back = roundtrip(doc, tmp_path, fmt, "en")
    same_content(doc, back)
    assert back.data["$schema"] == "procure/criteria-set/v2"
    check_document(back, "imported")


def test_without_the_set_sheet_the_header_comes_from_the_arguments(tmp_path):
    out = tmp_path / "k.csv"
    export_csv(read_document(MINI_SET), out, "sv")
    out.with_name("k.uppsattning.csv").unlink()
    back = import_table(out, name="egen", publisher="Kommunen", version="2.0.0")
    assert back.data["version"] == "2.0.0"
    assert back.data["title"] == {"sv": "egen", "en": "egen"}
    assert back.data["$schema"] == "procure/criteria-set/v1"
    check_document(back, "imported")


def test_a_broken_set_sheet_value_names_the_row(tmp_path):
    out = tmp_path / "k.csv"
    export_csv(read_document(MINI_SET), out, "sv")
    head = out.with_name("k.uppsattning.csv")
    head.write_text(head.read_text(encoding="utf-8-sig").replace('"0.1.0"', "0.1.0 beta"),
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="row 5, column 'version': cannot be read as JSON"):
        import_table(out, name="x", publisher="x")
