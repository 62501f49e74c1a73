"""The evaluation record PDF, built from frames made here (the documented input)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from procure.errors import ColumnError, ProcureError
from procure.reports.evaluation import EvaluationTables, build_evaluation_pdf
from procure.tender.spec import ProcurementSpec, resolve

DATE = "2026-03-01"
NAN = float("nan")
ODD = "<b>Bygg & Co</b>"


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def case(mini_set):
    spec = ProcurementSpec(title="Skolskjuts 2027–2031", category="transport.school",
                           level="spjutspets", reference="KS 2026/0412",
                           organisation="Exempelkommun", criteria_set=mini_set.ref)
    _, selected = resolve(spec, mini_set)
    return spec, mini_set, selected


def frames(selected, plan: dict[str, dict[str, str]], summary: list[dict]) -> EvaluationTables:
    """Verdict ``met`` unless ``plan[supplier][criterion_id]`` says otherwise."""
    rows = []
    for name, special in plan.items():
        for s in selected:
            verdict = special.get(s.id, "met")
            rows.append({
                "supplier": name, "criterion_id": s.id, "kind": s.kind, "verdict": verdict,
                "answer": {"not_met": "40", "invalid": "sjuttio"}.get(verdict, ""),
                "reason": {"met": "", "not_met": "Svaret 40 % är lägre än kravet 100 %.",
                           "missing": "Inget svar.",
                           "invalid": "”sjuttio” kunde inte läsas som ett tal.",
                           "review": "Fritextsvar bedöms av handläggare."}[verdict],
            })
    return EvaluationTables(pd.DataFrame(rows), pd.DataFrame(summary))


@pytest.fixture(scope="module")
def record(case, tmp_path_factory):
    spec, cset, selected = case
    evaluation = frames(selected, {
        ODD: {},
        "Nordbuss AB": {"TST-CO2-01": "not_met", "TST-ECO-01": "missing"},
        "Åkeri Öst & Söner": {"TST-ISO-01": "invalid", "TST-PLAN-01": "not_met"},
        "Grön Transport AB": {"TST-PLAN-01": "review"},
    }, [
        {"supplier": ODD, "status": "qualified", "bid_price": 48_000_000.0,
         "deductions": 2_980_000.0, "comparison_price": 45_020_000.0, "rank": 1},
        {"supplier": "Nordbuss AB", "status": "not_qualified", "bid_price": 46_500_000.0,
         "deductions": 0.0, "comparison_price": 46_500_000.0, "rank": NAN},
        {"supplier": "Åkeri Öst & Söner", "status": "not_qualified", "bid_price": NAN,
         "deductions": 0.0, "comparison_price": NAN, "rank": None},
        {"supplier": "Grön Transport AB", "status": "pending_review", "bid_price": 47_250_000.0,
         "deductions": 100_000.0, "comparison_price": 47_150_000.0, "rank": NAN},
    ])
    out = tmp_path_factory.mktemp("eval") / "utvardering.pdf"
    built = build_evaluation_pdf(evaluation, spec, cset, selected, out, date=DATE)
    return built, selected, pdf_pages(out)


def test_supplier_with_markup_in_its_name_appears_verbatim(record):
    _, _, pages = record
    text = flat("\n".join(pages))
    assert ODD in text
    assert "Åkeri Öst & Söner" in text


def test_summary_gives_status_prices_rank_and_the_winner(record):
    _, _, pages = record
    text = flat("\n".join(pages))
    assert "Utvärderingsprotokoll" in text
    assert "4 anbud har prövats mot 8 krav" in text
    assert "Kvalificerade: 1" in text
    assert f"Lägst jämförelsepris bland de kvalificerade anbuden: {ODD} (45 020 000 kr)" in text
    for needle in ("48 000 000", "2 980 000", "45 020 000", "Kvalificerad", "Ej kvalificerad",
                   "Granskas"):
        assert needle in text


def test_findings_list_each_deviation_with_its_reason(record):
    _, _, pages = record
    text = flat("\n".join(pages))
    assert "Avvikelser per leverantör" in text
    assert "Svaret 40 % är lägre än kravet 100 %." in text
    assert "”sjuttio” kunde inte läsas som ett tal." in text
    assert "Fritextsvar bedöms av handläggare." in text
    assert "Alla krav är uppfyllda." in text  # the qualified supplier has no deviations
    # suppliers in order: qualified by rank, then to review, then not qualified
    positions = [text.index(f"{n}. {name}") for n, name in enumerate(
        (ODD, "Grön Transport AB", "Nordbuss AB", "Åkeri Öst & Söner"), start=1)]
    assert positions == sorted(positions)


def test_matrix_has_every_criterion_and_the_ids_survive(record):
    _, selected, pages = record
    text = flat("\n".join(pages))
    assert "Alla bedömningar" in text
    for s in selected:
        assert s.id in text
    assert "✓" in text
    assert "✗" in text
    assert "\u25a0" not in text


def test_footer_total_matches_the_pages(record):
    built, _, pages = record
    assert built.pages == len(pages)
    for n, page in enumerate(pages, start=1):
        assert f"Sida {n} av {len(pages)}" in page


def test_thirty_suppliers_split_the_matrix_into_blocks(case, tmp_path):
    spec, cset, selected = case
    names = [f"Leverantör {n} AB" for n in range(1, 31)]
    evaluation = frames(selected, {n: {"TST-FUEL-01": "review"} for n in names}, [
        {"supplier": n, "status": "pending_review", "bid_price": 1e6, "deductions": 0.0,
         "comparison_price": 1e6, "rank": NAN} for n in names])
    built = build_evaluation_pdf(evaluation, spec, cset, selected, tmp_path / "e.pdf",
                                 date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert "1 = Leverantör 1 AB" in text
    assert "13 = Leverantör 13 AB" in text  # natural order: 2 before 10
    assert "25 = Leverantör 25 AB" in text
    assert text.index("2. Leverantör 2 AB") < text.index("10. Leverantör 10 AB")


def test_a_huge_answer_never_raises_layout_error(case, tmp_path):
    spec, cset, selected = case
    evaluation = frames(selected, {"A": {"TST-PLAN-01": "review"}}, [
        {"supplier": "A", "status": "pending_review", "bid_price": 1.0, "deductions": 0.0,
         "comparison_price": 1.0, "rank": None}])
    evaluation.verdicts.loc[evaluation.verdicts.criterion_id == "TST-PLAN-01", "answer"] = (
        "Vår klimatplan omfattar CO₂-mål för hela fordonsflottan. " * 500)
    built = build_evaluation_pdf(evaluation, spec, cset, selected, tmp_path / "e.pdf",
                                 date=DATE)
    assert built.pages > 4


def test_english_and_points(case, tmp_path):
    spec, cset, selected = case
    spec = ProcurementSpec(**{**spec.__dict__, "award_method": "points"})
    evaluation = frames(selected, {"A": {}}, [
        {"supplier": "A", "status": "qualified", "bid_price": 10.0, "deductions": 0.0,
         "points": 4321.0, "comparison_price": NAN, "rank": 1,
         "remarks": "Award answers for TST-ZERO-01 need review"}])
    built = build_evaluation_pdf(evaluation, spec, cset, selected, tmp_path / "e.pdf", "en",
                                 date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert "Evaluation record" in text
    assert "Points" in text
    assert "4,321" in text
    assert "Award answers for TST-ZERO-01 need review" in text
    assert "All requirements are met." in text
    assert "Page 1 of" in text


def test_no_suppliers_gives_a_line(case, tmp_path):
    spec, cset, selected = case
    empty = EvaluationTables(
        pd.DataFrame(columns=["supplier", "criterion_id", "kind", "verdict", "answer", "reason"]),
        pd.DataFrame(columns=["supplier", "status", "bid_price", "deductions",
                              "comparison_price", "rank"]))
    built = build_evaluation_pdf(empty, spec, cset, selected, tmp_path / "e.pdf", date=DATE)
    assert "Inga anbud har lämnats in." in flat("\n".join(pdf_pages(built.path)))


def test_same_frames_give_the_same_bytes(case, tmp_path):
    spec, cset, selected = case
    evaluation = frames(selected, {"A": {"TST-CO2-01": "not_met"}}, [
        {"supplier": "A", "status": "not_qualified", "bid_price": 1.0, "deductions": 0.0,
         "comparison_price": 1.0, "rank": None}])
    a = build_evaluation_pdf(evaluation, spec, cset, selected, tmp_path / "a.pdf", date=DATE)
    b = build_evaluation_pdf(evaluation, spec, cset, selected, tmp_path / "b.pdf", date=DATE)
    assert a.path.read_bytes() == b.path.read_bytes()


def test_bad_frames_are_clear_errors(case, tmp_path):
    spec, cset, selected = case
    good = frames(selected, {"A": {}}, [
        {"supplier": "A", "status": "qualified", "bid_price": 1.0, "deductions": 0.0,
         "comparison_price": 1.0, "rank": 1}])
    out = tmp_path / "e.pdf"
    with pytest.raises(ColumnError, match="'reason'"):
        build_evaluation_pdf(EvaluationTables(good.verdicts.drop(columns="reason"),
                                              good.suppliers), spec, cset, selected, out)
    bad = good.verdicts.copy()
    bad.loc[0, "verdict"] = "maybe"
    with pytest.raises(ProcureError, match="unknown verdict 'maybe'"):
        build_evaluation_pdf(EvaluationTables(bad, good.suppliers), spec, cset, selected, out)
    with pytest.raises(ProcureError, match="no row in the suppliers table"):
        build_evaluation_pdf(EvaluationTables(good.verdicts, good.suppliers.iloc[0:0]), spec,
                             cset, selected, out)
    with pytest.raises(ProcureError, match="no verdicts table"):
        build_evaluation_pdf(object(), spec, cset, selected, out)
    assert not out.exists()
