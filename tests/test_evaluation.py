"""Verdicts, qualification, award deductions and result files."""

from __future__ import annotations

import csv
import importlib.util
import json

import openpyxl
import pandas as pd
import pytest

from procure.answers.evaluation import (
    STATUSES,
    VERDICTS,
    check_answers,
    evaluate,
    write_evaluation,
)
from procure.answers.read import read_answers
from procure.errors import OutputFileError
from procure.tender.spec import build_spec, load_spec, resolve
from procure.tender.template import fill_template, write_template

from .conftest import EXAMPLES

ALL_MET = {"TST-ISO-01": ("Ja", "Cert 1"), "TST-PLAN-01": None, "TST-CO2-01": "65 g/km",
           "TST-EURO-01": "Euro 6", "TST-ECO-01": "Nej", "TST-ZERO-01": "0 %",
           "TST-FUEL-01": "70 %"}


@pytest.fixture
def school(mini_set):
    # TST-PLAN-01 (free text, always review) is left out so suppliers can qualify
    spec = build_spec(mini_set, title="Skolskjuts", category="transport.school",
                      level="avancerad", remove=["TST-PLAN-01"])
    return spec, resolve(spec, mini_set)[1]


def run(tmp_path, mini_set, spec_selected, suppliers, lang="sv"):
    """Check a long CSV built from {supplier: ({criterion: answer|(answer, evidence)}, bid)}."""
    spec, selected = spec_selected
    path = tmp_path / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["supplier", "criterion_id", "answer", "evidence", "bid_price"])
        for name, (answers, bid) in suppliers.items():
            for cid, value in answers.items():
                if value is None:
                    continue
                answer, evidence = value if isinstance(value, tuple) else (value, "")
                writer.writerow([name, cid, answer, evidence, bid])
    answer_set = read_answers([path], criteria_ids=[s.id for s in selected])
    return evaluate(spec, mini_set, selected, answer_set, lang)


def verdict(evaluation, supplier, cid):
    v = evaluation.verdicts
    return v[(v["supplier"] == supplier) & (v["criterion_id"] == cid)].iloc[0]


def status(evaluation, supplier):
    s = evaluation.suppliers
    return s[s["supplier"] == supplier].iloc[0]


def test_frames_have_the_columns_the_reports_use(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": (ALL_MET, "1000")})
    assert {"supplier", "criterion_id", "kind", "verdict", "answer", "reason"} <= set(
        e.verdicts.columns)
    assert {"supplier", "status", "bid_price", "deductions", "comparison_price", "rank",
            "counts", *VERDICTS} <= set(e.suppliers.columns)
    assert set(e.verdicts["verdict"]) <= set(VERDICTS)
    assert set(e.suppliers["status"]) <= set(STATUSES)


def test_all_met_qualifies(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": (ALL_MET, "1 000 000 kr")})
    row = status(e, "A")
    assert row["status"] == "qualified"
    assert row["rank"] == 1
    assert row["comparison_price"] == 1_000_000
    assert row["counts"] == {"met": 4, "not_met": 2, "missing": 0, "invalid": 0, "review": 0}


@pytest.mark.parametrize(("cid", "answer", "expected", "reason"), [
    ("TST-FUEL-01", "69,9 %", "not_met", "'69,9 %' uppfyller inte kravet (minst 70 %)"),
    ("TST-FUEL-01", "sjuttio", "invalid", "'sjuttio' är inget tal; ett tal i % förväntas"),
    ("TST-CO2-01", "65 kg", "invalid", "'65 kg' har enheten 'kg'; g/km förväntas"),
    ("TST-CO2-01", "71", "not_met", "högst 70 g/km"),
    ("TST-EURO-01", "Euro V", "not_met", "minst 6 euroklass"),
    ("TST-ISO-01", "kanske", "invalid", "'kanske' kan inte läsas som ja eller nej"),
    ("TST-ISO-01", "Nej", "not_met", "svarat nej"),
])
def test_mandatory_failures_disqualify(tmp_path, mini_set, school, cid, answer, expected,
                                       reason):
    answers = {**ALL_MET, cid: (answer, "Cert 1")}
    e = run(tmp_path, mini_set, school, {"A": (answers, "1000")})
    v = verdict(e, "A", cid)
    assert v["verdict"] == expected
    assert reason in v["reason"]
    row = status(e, "A")
    # the supplier fails qualification; the tender fails a specification or clause
    assert row["status"] == ("not_qualified" if cid == "TST-ISO-01" else "rejected")
    assert cid in row["reason"]
    assert pd.isna(row["rank"])


def test_missing_mandatory_answer_says_so(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": ({**ALL_MET, "TST-FUEL-01": None}, "1000")})
    v = verdict(e, "A", "TST-FUEL-01")
    assert v["verdict"] == "missing"
    assert "obligatoriskt krav" in v["reason"]
    assert "svar saknas: TST-FUEL-01" in status(e, "A")["reason"]
    assert status(e, "A")["status"] == "rejected"  # a contract clause: the tender


@pytest.mark.parametrize(("cid", "answer", "code"), [
    ("TST-FUEL-01", "N/A", "not_applicable"),
    ("TST-FUEL-01", "Ej tillämpligt", "not_applicable"),
    ("TST-FUEL-01", "None", "not_applicable"),
    ("TST-FUEL-01", "ca 75 %", "approximate"),
    ("TST-ISO-01", "Ja, se bilaga", "yes_no_ambiguous"),
])
def test_answers_a_person_must_look_at(tmp_path, mini_set, school, cid, answer, code):
    e = run(tmp_path, mini_set, school, {"A": ({**ALL_MET, cid: (answer, "Cert")}, "1000")})
    v = verdict(e, "A", cid)
    assert (v["verdict"], v["reason_code"]) == ("review", code)
    assert v["answer"] == answer
    assert status(e, "A")["status"] == "pending_review"


def test_required_evidence_missing_is_review(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": ({**ALL_MET, "TST-ISO-01": "Ja"}, "1000")})
    v = verdict(e, "A", "TST-ISO-01")
    assert v["verdict"] == "review"
    assert "bevis" in v["reason"]


def test_text_answers_are_always_review(tmp_path, mini_set):
    spec = build_spec(mini_set, title="T", category="transport.school", level="avancerad")
    selected = resolve(spec, mini_set)[1]
    e = run(tmp_path, mini_set, (spec, selected),
            {"A": ({**ALL_MET, "TST-PLAN-01": "Vi har en plan"}, "1000")})
    assert verdict(e, "A", "TST-PLAN-01")["verdict"] == "review"
    assert status(e, "A")["status"] == "pending_review"


def test_choices_and_dates(tmp_path, mini_set):
    food = build_spec(mini_set, title="Mat", category="food", level="bas")
    sel = resolve(food, mini_set)[1]
    e = run(tmp_path, mini_set, (food, sel), {
        "A": ({"TST-ISO-01": ("ja", "c"), "TST-LABEL-01": "krav", "TST-MEAL-01": "65 %"}, "1"),
        "B": ({"TST-ISO-01": ("ja", "c"), "TST-LABEL-01": "Ingen", "TST-MEAL-01": "35"}, "1"),
        "C": ({"TST-ISO-01": ("ja", "c"), "TST-LABEL-01": "Svanen", "TST-MEAL-01": "5"}, "1"),
    })
    assert verdict(e, "A", "TST-LABEL-01")["verdict"] == "met"
    assert verdict(e, "B", "TST-LABEL-01")["verdict"] == "not_met"
    invalid = verdict(e, "C", "TST-LABEL-01")
    assert invalid["verdict"] == "invalid"
    assert "KRAV, EU-ekologiskt, Ingen" in invalid["reason"]
    # points are summed separately and do not touch the price
    assert list(e.suppliers.set_index("supplier").loc[["A", "B", "C"], "points"].fillna(0)) == \
        [10, 5, 0]
    assert status(e, "A")["comparison_price"] == 1

    spjut = build_spec(mini_set, title="T", category="transport", level="spjutspets")
    sel = resolve(spjut, mini_set)[1]
    base = {"TST-ISO-01": ("Ja", "c"), "TST-PLAN-01": "plan", "TST-FUEL-01": "100 %"}
    e = run(tmp_path, mini_set, (spjut, sel), {
        "A": ({**base, "TST-DATE-01": "2027-06-30"}, "1"),
        "B": ({**base, "TST-DATE-01": "2028-01-01"}, "1"),
        "C": ({**base, "TST-DATE-01": "30/6/2027"}, "1"),
    })
    assert [verdict(e, s, "TST-DATE-01")["verdict"] for s in "ABC"] == [
        "met", "not_met", "invalid"]


def test_deductions_in_sek_percent_and_steps(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {
        "low": ({**ALL_MET, "TST-ECO-01": "Ja", "TST-ZERO-01": "30 %"}, "1 000 000"),
        "best": ({**ALL_MET, "TST-ECO-01": "X", "TST-ZERO-01": "50"}, "1 100 000"),
        "none": ({**ALL_MET, "TST-ZERO-01": "24,9 %"}, "1 000 000"),
        "tiny": ({**ALL_MET, "TST-ECO-01": "ja"}, "50 000"),
    })
    zero = verdict(e, "low", "TST-ZERO-01")
    assert zero["deduction_sek"] == 30_000  # 3 % of the bid price: the first step
    assert verdict(e, "best", "TST-ZERO-01")["deduction_sek"] == 66_000  # 6 %: the best step
    none = verdict(e, "none", "TST-ZERO-01")
    assert none["verdict"] == "not_met"
    assert pd.isna(none["deduction_sek"])
    assert verdict(e, "low", "TST-ECO-01")["deduction_sek"] == 100_000
    rows = e.suppliers.set_index("supplier")
    assert rows.loc["low", "comparison_price"] == 870_000
    assert rows.loc["best", "comparison_price"] == 934_000
    assert rows.loc["tiny", "comparison_price"] == 0  # never below zero
    assert rows.loc["tiny", "rank"] == 1
    assert rows.loc["low", "rank"] == 2
    assert rows.loc["best", "rank"] == 3
    assert rows.loc["none", "rank"] == 4
    assert list(e.suppliers["supplier"]) == ["tiny", "low", "best", "none"]


def test_award_criteria_never_disqualify_and_ties_share_a_rank(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {
        "A": ({**ALL_MET, "TST-ZERO-01": "massor"}, "1000"),
        "B": ({**ALL_MET, "TST-ZERO-01": None}, "1000"),
    })
    assert verdict(e, "A", "TST-ZERO-01")["verdict"] == "invalid"
    assert verdict(e, "B", "TST-ZERO-01")["verdict"] == "missing"
    assert list(e.suppliers["status"]) == ["qualified", "qualified"]
    assert list(e.suppliers["rank"]) == [1, 1]


def test_only_qualified_suppliers_are_ranked(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {
        "cheap": ({**ALL_MET, "TST-FUEL-01": "10 %"}, "10"),
        "dear": (ALL_MET, "1000"),
    })
    rows = e.suppliers.set_index("supplier")
    assert pd.isna(rows.loc["cheap", "rank"])
    assert rows.loc["dear", "rank"] == 1


def test_missing_bid_price_is_a_finding_and_blocks_the_rank(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": ({**ALL_MET, "TST-ZERO-01": "60"}, ""),
                                         "B": (ALL_MET, "fyra miljoner")})
    rows = e.suppliers.set_index("supplier")
    assert rows.loc["A", "status"] == "qualified"
    assert pd.isna(rows.loc["A", "comparison_price"])
    assert pd.isna(rows.loc["A", "rank"])
    assert "anbudspris saknas" in rows.loc["A", "remarks"]
    messages = [f.message for f in e.findings.findings if f.code == "bid-price"]
    assert any("'A': no bid price given" in m for m in messages)
    assert any("'fyra miljoner' is not an amount" in m for m in messages)


def test_english_reasons(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": ({**ALL_MET, "TST-FUEL-01": "x"}, "1")},
            lang="en")
    assert verdict(e, "A", "TST-FUEL-01")["reason"] == \
        "'x' is not a number; a number in % is expected"
    assert status(e, "A")["reason"] == "invalid answers: TST-FUEL-01"


NASTY = "<b>Bygg & Co</b>"


def test_outputs_keep_names_verbatim_and_defuse_formulas(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {
        NASTY: ({**ALL_MET, "TST-FUEL-01": ("=HYPERLINK(\"http://x\")", "@cmd")}, "1000"),
        "-Minus AB": (ALL_MET, "2000"),
    })
    data = json.loads(write_evaluation(e, tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {s["supplier"] for s in data["suppliers"]} == {NASTY, "-Minus AB"}
    assert any(v["supplier"] == NASTY for v in data["verdicts"])
    assert data["summary"]["suppliers"] == 2
    text = write_evaluation(e, tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert NASTY in text
    for defused in ("'-Minus AB", "'=HYPERLINK", "'@cmd"):
        assert defused in text
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert len(rows) == len(e.verdicts)
    book = openpyxl.load_workbook(write_evaluation(e, tmp_path / "r.xlsx"))
    sheet = book.worksheets[1]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert NASTY in values
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert book.sheetnames == ["Leverantörer", "Bedömning", "Fynd"]


def test_unknown_output_format(tmp_path, mini_set, school):
    e = run(tmp_path, mini_set, school, {"A": (ALL_MET, "1")})
    with pytest.raises(OutputFileError, match=r"name the output \.xlsx, \.csv or \.json"):
        write_evaluation(e, tmp_path / "r.pdf")


def test_check_answers_end_to_end_with_templates(tmp_path, mini_set, school):
    spec, selected = school
    template = write_template(spec, mini_set, selected, tmp_path / "t.xlsx")
    folder = tmp_path / "answers"
    folder.mkdir()
    fill_template(template, folder / "a.xlsx", {"name": NASTY, "bid_price": "900"}, ALL_MET)
    e = check_answers(spec, [folder], criteria_set=mini_set)
    assert e.suppliers.iloc[0]["supplier"] == NASTY
    assert e.suppliers.iloc[0]["status"] == "qualified"
    assert verdict(e, NASTY, "TST-ISO-01")["location"] == "Svar!E4"


def test_formula_cells_are_invalid_not_evaluated(tmp_path, mini_set, school):
    spec, selected = school
    template = write_template(spec, mini_set, selected, tmp_path / "t.xlsx")
    folder = tmp_path / "answers"
    folder.mkdir()
    fill_template(template, folder / "a.xlsx", {"name": "A", "bid_price": "=1000*2"},
                  {**ALL_MET, "TST-FUEL-01": "=60+20"})
    e = check_answers(spec, [folder], criteria_set=mini_set)
    v = verdict(e, "A", "TST-FUEL-01")
    assert v["verdict"] == "invalid"
    assert "formeln '=60+20'" in v["reason"]
    assert status(e, "A")["status"] == "rejected"
    assert pd.isna(status(e, "A")["bid_price"])
    assert any("formula (=1000*2)" in f.message for f in e.findings.findings)


# --- the examples --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_evaluation(library):
    spec = load_spec(EXAMPLES / "spec.yaml")
    return check_answers(spec, [EXAMPLES / "answers"], criteria_set=library)


def test_example_answers_give_the_story_the_readme_tells(example_evaluation):
    rows = example_evaluation.suppliers.set_index("supplier")
    assert len(rows) == 5
    winner = example_evaluation.suppliers.iloc[0]
    assert winner["supplier"] == "Grön Skolskjuts i Örnsköldsvik AB"
    assert winner["rank"] == 1
    assert winner["bid_price"] == rows["bid_price"].max()  # the highest bid wins on deductions
    assert rows.loc["Norrlandsbuss AB", "rank"] == 2
    # both fail contract clauses: their tenders are rejected (förkastade)
    assert rows.loc["Kustlinjens Trafik AB", "status"] == "rejected"
    assert rows.loc["Byträsk Taxi & Buss", "status"] == "rejected"
    assert rows.loc["Byträsk Taxi & Buss", "missing"] > 0
    assert rows.loc["Skolskjuts Mitt AB", "status"] == "pending_review"
    assert example_evaluation.findings.valid


def test_example_generator_reproduces_the_committed_answers(tmp_path, example_evaluation,
                                                            library):
    spec_module = importlib.util.spec_from_file_location("make_answers",
                                                         EXAMPLES / "make_answers.py")
    module = importlib.util.module_from_spec(spec_module)
    spec_module.loader.exec_module(module)
    module.main(tmp_path)
    committed = sorted(p.name for p in (EXAMPLES / "answers").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    spec = load_spec(EXAMPLES / "spec.yaml")
    again = check_answers(spec, [tmp_path], criteria_set=library)
    columns = ["supplier", "criterion_id", "verdict", "answer"]
    pd.testing.assert_frame_equal(again.verdicts[columns], example_evaluation.verdicts[columns])
