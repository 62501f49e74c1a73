"""Reading supplier answers: sources, tolerant value parsing, bad input."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.answers.read import (
    is_not_applicable,
    normalise_text,
    normalise_unit,
    parse_amount,
    parse_dates,
    parse_numbers,
    parse_yes_no,
    read_answers,
)
from procure.errors import AnswerError, InputFileError
from procure.tender.spec import build_spec, resolve
from procure.tender.template import fill_template, write_template


def series(*values):
    return normalise_text(pd.Series(list(values), dtype=object))


# --- value parsing -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Ja", "ja", "JA", "Yes", "yes.", "X", "x", "✓", "✔", "Sant"])
def test_yes(text):
    assert parse_yes_no(series(text)).iloc[0] == "yes"


@pytest.mark.parametrize("text", ["Nej", "nej", "NEJ", "No", "n", "Falskt"])
def test_no(text):
    assert parse_yes_no(series(text)).iloc[0] == "no"


def test_yes_with_more_text_is_ambiguous_and_other_text_is_not_yes_no():
    assert list(parse_yes_no(series("Ja, se bilaga 4", "Nej – men 2028", "Kanske", ""))) == [
        "ambiguous", "ambiguous", "", ""]


@pytest.mark.parametrize("text", ["N/A", "n/a", "None", "Ej tillämpligt", "ej tillämpligt.",
                                  "-", "Saknas"])
def test_not_applicable_is_an_answer(text):
    assert is_not_applicable(series(text)).iloc[0]
    assert normalise_text(pd.Series([text])).iloc[0] != ""


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("1,5", 1.5, ""), ("1.5", 1.5, ""), ("1 234,5", 1234.5, ""), ("1\u00a0234,5", 1234.5, ""),
    ("1.234,5", 1234.5, ""), ("1,234.5", 1234.5, ""), ("70 %", 70.0, "%"), ("70%", 70.0, "%"),
    ("65 g/km", 65.0, "g/km"), ("-3,5", -3.5, ""), ("−2", -2.0, ""), ("Euro VI", 6.0, ""),
    ("Euro 6d", 6.0, ""), ("38,5 procent", 38.5, "procent"), (",5", 0.5, ""),
])
def test_numbers_as_people_type_them(text, value, unit):
    parsed = parse_numbers(series(text)).iloc[0]
    assert parsed["ok"]
    assert parsed["value"] == pytest.approx(value)
    assert parsed["unit"] == unit


@pytest.mark.parametrize("text", ["abc", "12 34", "2027-06-30", "sjuttio", "", "1,2,3"])
def test_not_numbers(text):
    assert not parse_numbers(series(text)).iloc[0]["ok"]


def test_approximate_numbers_are_flagged():
    parsed = parse_numbers(series("ca 70 %", "minst 70", "≥ 70"))
    assert list(parsed["qualifier"]) == ["ca", "minst", "≥"]
    assert parsed["value"].tolist() == [70.0, 70.0, 70.0]


def test_units_compare_loosely():
    assert normalise_unit("g CO₂/km") == normalise_unit("g/km") == "g/km"
    assert normalise_unit("procent") == normalise_unit("%")
    assert normalise_unit("SEK") == normalise_unit("kr")
    assert normalise_unit("Euroklass") == ""


def test_amounts():
    assert parse_amount("4 500 000 kr") == 4_500_000
    assert parse_amount("4,5 MSEK") == 4_500_000
    assert parse_amount("3 000 000 SEK exkl. moms") == 3_000_000
    assert parse_amount("ca 4 Mkr") is None
    assert parse_amount("fyra miljoner") is None
    assert parse_amount("") is None


def test_iso_dates_only():
    dates = parse_dates(series("2027-06-30", "2027-06-30 00:00:00", "30/6/2027", "2027-13-01"))
    assert dates.iloc[0] == pd.Timestamp("2027-06-30")
    assert dates.iloc[1] == pd.Timestamp("2027-06-30")
    assert dates.iloc[2:].isna().all()


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_property_swedish_and_english_grouping_read_the_same(whole, cents):
    value = whole + cents / 100
    grouped = f"{whole:,}"
    swedish = grouped.replace(",", " ") + f",{cents:02d}"
    english = grouped + f".{cents:02d}"
    parsed = parse_numbers(series(swedish, english, swedish + " %"))
    assert parsed["ok"].all()
    assert parsed["value"].tolist() == pytest.approx([value] * 3)


@given(st.text(max_size=40))
def test_property_parsers_never_crash_and_never_invent(text):
    s = series(text)
    parsed = parse_numbers(s).iloc[0]
    assert parsed["ok"] == (not math.isnan(parsed["value"]))
    assert parse_yes_no(s).iloc[0] in ("yes", "no", "ambiguous", "")
    parse_dates(s)
    assert normalise_text(s).iloc[0] == s.iloc[0]  # normalising is idempotent


@given(st.sampled_from(["ja", "yes", "nej", "no"]), st.lists(st.booleans(), min_size=2,
                                                             max_size=3))
def test_property_yes_no_ignores_case(word, upper):
    typed = "".join(c.upper() if u else c for c, u in zip(word, upper * 2))
    assert parse_yes_no(series(typed + "  ")).iloc[0] == ("yes" if word in ("ja", "yes")
                                                          else "no")


# --- sources -------------------------------------------------------------------------------

@pytest.fixture
def setup(tmp_path, mini_set):
    spec = build_spec(mini_set, title="Skolskjuts", category="transport.school",
                      level="avancerad", reference="KS 2026/1")
    selected = resolve(spec, mini_set)[1]
    template = write_template(spec, mini_set, selected, tmp_path / "template.xlsx")
    folder = tmp_path / "answers"
    folder.mkdir()
    ids = [s.id for s in selected]
    return spec, selected, template, folder, ids


def read(paths, spec, selected, **kw):
    return read_answers(paths, criteria_ids=[s.id for s in selected],
                        fingerprint=spec.fingerprint(selected), **kw)


def test_folder_of_templates(setup):
    spec, selected, template, folder, _ = setup
    fill_template(template, folder / "a.xlsx", {"name": "Alfa AB", "bid_price": "100"},
                  {"TST-ISO-01": ("Ja", "Cert")})
    fill_template(template, folder / "b.xlsx", {"name": "<b>Bygg & Co</b>"},
                  {"TST-ISO-01": "N/A"})
    (folder / "~$a.xlsx").write_bytes(b"lock file")
    result = read([folder], spec, selected)
    assert list(result.suppliers["supplier"]) == ["Alfa AB", "<b>Bygg & Co</b>"]
    iso = result.answers[result.answers["criterion_id"] == "TST-ISO-01"]
    assert list(iso["answer"]) == ["Ja", "N/A"]
    assert list(iso["evidence"]) == ["Cert", ""]
    assert len(result.answers) == 2 * len(selected)
    assert result.report.valid


def test_long_csv_export(tmp_path, setup):
    spec, selected, _, _, _ = setup
    path = tmp_path / "export.csv"
    path.write_text("\ufeffLeverantör;Kriterium;Svar;Bevis;Anbudspris\n"
                    "Alfa AB;TST-ISO-01;Ja;Cert;4 500 000\n"
                    "Alfa AB;TST-FUEL-01;70 %;;\n"
                    "Beta AB;TST-ISO-01;nej;;3 000 000\n"
                    "Beta AB;anbudspris;999;;\n", encoding="utf-8")
    result = read([path], spec, selected)
    assert list(result.suppliers["supplier"]) == ["Alfa AB", "Beta AB"]
    assert list(result.suppliers["bid_price_text"]) == ["4 500 000", "3 000 000"]
    assert len(result.answers) == 3
    assert result.answers.iloc[1]["location"] == "row 3"


def test_long_export_with_bid_price_rows(tmp_path, setup):
    spec, selected, _, _, _ = setup
    path = tmp_path / "export.csv"
    path.write_text("supplier,criterion_id,answer,evidence\nAlfa AB,bid_price,\"1 000\",\n"
                    "Alfa AB,TST-ISO-01,yes,c\n", encoding="utf-8")
    result = read([path], spec, selected)
    assert result.suppliers.iloc[0]["bid_price_text"] == "1 000"
    assert list(result.answers["criterion_id"]) == ["TST-ISO-01"]


def test_wide_xlsx_export_with_evidence_columns_and_a_formula(tmp_path, setup):
    spec, selected, _, _, _ = setup
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Leverantör", "Anbudspris", "TST-ISO-01", "TST-ISO-01 bevis", "tst-fuel-01",
                  "TST-OLD-99", "Datum"])
    sheet.append(["Alfa AB", 4500000, "Ja", "Cert", "=60+10", "x", "2026-01-01"])
    sheet.append(["Beta AB", "3 000 000 kr", "Nej", "", 0.8, "", ""])
    sheet["E3"].number_format = "0%"
    book.save(tmp_path / "wide.xlsx")
    result = read([tmp_path / "wide.xlsx"], spec, selected)
    answers = result.answers.set_index(["supplier", "criterion_id"])
    assert answers.loc[("Alfa AB", "TST-ISO-01"), "evidence"] == "Cert"
    assert answers.loc[("Alfa AB", "TST-FUEL-01"), "formula"]
    assert answers.loc[("Alfa AB", "TST-FUEL-01"), "answer"] == "=60+10"
    assert answers.loc[("Beta AB", "TST-FUEL-01"), "answer"] == "80 %"
    assert list(result.suppliers["bid_price_text"]) == ["4500000", "3 000 000 kr"]
    codes = [f.code for f in result.report.findings]
    assert codes == ["unknown-criterion"]
    assert "TST-OLD-99" in result.report.findings[0].message


def test_unknown_criterion_in_a_template_is_a_finding(setup):
    _, selected, template, folder, _ = setup
    fill_template(template, folder / "a.xlsx", {"name": "Alfa AB"}, {"TST-ISO-01": "Ja"})
    ids = [s.id for s in selected if s.id != "TST-ISO-01"]
    result = read_answers([folder], criteria_ids=ids, fingerprint=None)
    assert [f.code for f in result.report.findings] == ["unknown-criterion"]
    assert "TST-ISO-01" in result.report.findings[0].message
    assert "TST-ISO-01" not in set(result.answers["criterion_id"])


def test_duplicate_supplier_names_are_an_error(setup):
    spec, selected, template, folder, _ = setup
    fill_template(template, folder / "a.xlsx", {"name": "Alfa AB"}, {})
    fill_template(template, folder / "b.xlsx", {"name": "alfa  ab "}, {})
    with pytest.raises(AnswerError, match=r"appears more than once \(a.xlsx, b.xlsx\)"):
        read([folder], spec, selected)


def test_duplicate_answers_in_a_long_table_keep_the_first(tmp_path, setup):
    spec, selected, _, _, _ = setup
    path = tmp_path / "export.csv"
    path.write_text("supplier;criterion_id;answer\nA;TST-ISO-01;Ja\nA;TST-ISO-01;Nej\n",
                    encoding="utf-8")
    result = read([path], spec, selected)
    assert list(result.answers["answer"]) == ["Ja"]
    assert result.report.findings[0].code == "duplicate-answer"


def test_template_for_another_spec_is_detected(tmp_path, mini_set, setup):
    spec, selected, _, folder, _ = setup
    other = build_spec(mini_set, title="Annan", category="transport.school", level="avancerad",
                       reference="KS 2025/9", params={"TST-FUEL-01": {"share_pct": 90}})
    other_template = write_template(other, mini_set, resolve(other, mini_set)[1],
                                    tmp_path / "other.xlsx")
    fill_template(other_template, folder / "a.xlsx", {"name": "Alfa AB"}, {})
    with pytest.raises(AnswerError, match="answer template for 'KS 2025/9'"):
        read([folder], spec, selected)
    result = read([folder], spec, selected, strict_fingerprint=False)
    assert result.report.findings[0].code == "template-mismatch"


def test_empty_file(tmp_path, setup):
    spec, selected, _, _, _ = setup
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read([tmp_path / "empty.xlsx"], spec, selected)


def test_header_only_csv_and_empty_workbook(tmp_path, setup):
    spec, selected, _, _, _ = setup
    (tmp_path / "h.csv").write_text("supplier;criterion_id;answer\n", encoding="utf-8")
    with pytest.raises(AnswerError, match="no answers"):
        read([tmp_path / "h.csv"], spec, selected)
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    with pytest.raises(AnswerError, match="no filled cells"):
        read([tmp_path / "blank.xlsx"], spec, selected)


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7 ...", "is a PDF"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"\xd0\xcf\x11\xe0old excel", "old Excel"),
])
def test_not_a_spreadsheet(tmp_path, setup, content, message):
    spec, selected, _, _, _ = setup
    path = tmp_path / "answers.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        read([path], spec, selected)


def test_a_table_that_is_not_answers(tmp_path, setup):
    spec, selected, _, _, _ = setup
    (tmp_path / "x.csv").write_text("namn;ålder\nAnna;40\n", encoding="utf-8")
    with pytest.raises(AnswerError, match="no supplier column"):
        read([tmp_path / "x.csv"], spec, selected)
    (tmp_path / "y.csv").write_text("leverantör;pris\nAnna;40\n", encoding="utf-8")
    with pytest.raises(AnswerError, match="neither criterion_id/answer"):
        read([tmp_path / "y.csv"], spec, selected)


def test_folder_without_answer_files(tmp_path, setup):
    spec, selected, _, _, _ = setup
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnswerError, match="holds no answer files"):
        read([tmp_path / "empty"], spec, selected)
    with pytest.raises(InputFileError, match="does not exist"):
        read([tmp_path / "nope.xlsx"], spec, selected)


def test_missing_supplier_name_uses_the_file_name(setup):
    spec, selected, template, folder, _ = setup
    fill_template(template, folder / "Gamma Bygg.xlsx", {}, {"TST-ISO-01": "Ja"})
    result = read([folder], spec, selected)
    assert list(result.suppliers["supplier"]) == ["Gamma Bygg"]
    assert result.report.findings[0].code == "supplier-name-missing"


def test_a_file_given_twice_is_read_once(setup):
    spec, selected, template, folder, _ = setup
    filled = fill_template(template, folder / "a.xlsx", {"name": "Alfa AB"}, {})
    result = read([folder, filled], spec, selected)
    assert list(result.suppliers["supplier"]) == ["Alfa AB"]


def test_a_folder_skips_notes_and_a_folder_of_notes_has_no_answers(tmp_path, setup):
    spec, selected, template, folder, _ = setup
    fill_template(template, folder / "a.xlsx", {"name": "Alfa AB"}, {"TST-ISO-01": "Ja"})
    (folder / "LÄSMIG.txt").write_text("Svaren kom in 2026-03-01.\n", encoding="utf-8")
    assert list(read([folder], spec, selected).suppliers["supplier"]) == ["Alfa AB"]
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "LÄSMIG.txt").write_text("inga svar än\n", encoding="utf-8")
    with pytest.raises(AnswerError, match="holds no answer files"):
        read([notes], spec, selected)


@pytest.mark.parametrize(("name", "message"), [
    ("spec.yaml", "is the spec, not an answer file; expected .xlsx or .csv"),
    ("svar.pdf", "is a PDF, not an answer file"),
    ("svar.ods", "is a LibreOffice spreadsheet, not an answer file"),
])
def test_a_file_that_is_not_answers_by_its_name(tmp_path, setup, name, message):
    spec, selected, _, _, _ = setup
    (tmp_path / name).write_text("title: x\n", encoding="utf-8")
    with pytest.raises(AnswerError, match=message):
        read([tmp_path / name], spec, selected)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_given_twice_is_reported(tmp_path, setup, suffix):
    spec, selected, _, _, _ = setup
    path = tmp_path / f"wide{suffix}"
    rows = [["Leverantör", "TST-ISO-01", "TST-ISO-01"], ["Alfa AB", "Ja", "Nej"]]
    if suffix == ".csv":
        path.write_text("".join(";".join(r) + "\n" for r in rows), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    result = read([path], spec, selected)
    assert list(result.answers["answer"]) == ["Ja"]
    finding = next(f for f in result.report.findings if f.code == "duplicate-column")
    assert "column 'TST-ISO-01' appears more than once" in finding.message
    assert "column 3 were not read" in finding.message


def test_an_answer_on_a_row_without_an_id_is_reported(tmp_path, setup):
    spec, selected, template, folder, _ = setup
    filled = fill_template(template, tmp_path / "a.xlsx", {"name": "Alfa AB"},
                           {"TST-ISO-01": "Ja"})
    book = openpyxl.load_workbook(filled)
    sheet = book["Svar"]
    sheet.append(["TST-EXTRA-99", "", "", "", "Ja", "", ""])  # a row the supplier added
    sheet.append(["", "", "", "", "70 %", "bilaga 3", ""])  # an answer with no id
    book.save(folder / "a.xlsx")
    result = read([folder], spec, selected)
    findings = {f.code: f.message for f in result.report.findings}
    assert "TST-EXTRA-99" in findings["unknown-criterion"]
    stray = [f.message for f in result.report.findings if f.code == "answer-without-id"]
    assert len(stray) == 2
    assert "'70 %' is on a row without a criterion id" in stray[0]
    assert "'bilaga 3'" in stray[1]


def test_a_template_whose_header_row_was_deleted(tmp_path, setup):
    spec, selected, template, folder, _ = setup
    filled = fill_template(template, tmp_path / "a.xlsx", {"name": "Alfa AB"},
                           {"TST-ISO-01": "Ja"})
    book = openpyxl.load_workbook(filled)
    book["Svar"].delete_rows(3)
    book.save(folder / "a.xlsx")
    with pytest.raises(AnswerError, match=r"is an answer template, but sheet 'Svar' has no "
                                          r"header row with 'Id' and 'Svar'; expected it in row 3"):
        read([folder], spec, selected)
