"""The tender annex PDF: content, order, language, escaping, size and page count."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from procure.criteria import load_criteria_set
from procure.errors import ProcureError
from procure.io.textfmt import format_number
from procure.reports.annex import SECTIONS, build_annex_pdf
from procure.reports.wording import answer_instruction, award_description, short_answer
from procure.tender.spec import ProcurementSpec, load_spec, resolve

from .conftest import EXAMPLES

DATE = "2026-03-01"


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Extracted text with NBSP as space and whitespace runs collapsed (lines may wrap)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def make_spec(cset, level: str = "spjutspets", **changes) -> ProcurementSpec:
    spec = ProcurementSpec(
        title="Upphandling av skolskjuts 2027–2031", category="transport.school", level=level,
        reference="KS 2026/0412", organisation="Barn- och utbildningsförvaltningen, Exempelkommun",
        criteria_set=cset.ref, contract_start="2027-07-01", contract_end="2031-06-30",
    )
    return replace(spec, **changes)


@pytest.fixture(scope="module")
def mini_annex(tmp_path_factory, mini_set):
    spec = make_spec(mini_set)
    _, selected = resolve(spec, mini_set)
    out = tmp_path_factory.mktemp("annex") / "bilaga.pdf"
    built = build_annex_pdf(spec, mini_set, selected, out, date=DATE)
    return built, selected, pdf_pages(out)


def test_every_selected_criterion_id_and_filled_threshold_is_in_the_annex(mini_annex):
    _, selected, pages = mini_annex
    text = flat("\n".join(pages))
    assert len(selected) == 8
    for s in selected:
        assert s.id in text
        for value in s.params.values():
            shown = format_number(value, "sv") if isinstance(value, int | float) else str(value)
            assert flat(shown) in text, (s.id, value)
    # the thresholds as the supplier reads them
    assert "Minst 100 % av fordonen" in text
    assert "högst 50 g CO₂/km" in text
    assert "100 000 kr" in text
    assert "senast 2027-12-31" in text


def test_swedish_letters_and_co2_survive_and_no_missing_glyph_boxes(mini_annex):
    _, _, pages = mini_annex
    text = "\n".join(pages)
    for needle in ("CO₂", "å", "ä", "ö", "–"):
        assert needle in text
    assert "\u25a0" not in text
    assert "\ufffd" not in text


def test_cover_block_names_the_procurement_set_and_level(mini_annex):
    _, _, pages = mini_annex
    first = flat(pages[0])
    for needle in ("Bilaga – Klimatkrav", "Upphandling av skolskjuts 2027–2031", "KS 2026/0412",
                   "Barn- och utbildningsförvaltningen", DATE, "test-mini@0.1.0", "Spjutspets",
                   "2027-07-01 – 2031-06-30", "Så besvarar ni kraven"):
        assert needle in first, needle


def test_kinds_come_in_tender_order_with_their_criteria_under_them(mini_annex):
    _, _, pages = mini_annex
    text = flat("\n".join(pages))
    headings = [text.index(f"{n} {SECTIONS[kind]['sv']}") for n, kind in enumerate(
        ("qualification", "technical_spec", "award", "contract_clause"), start=1)]
    assert headings == sorted(headings)
    assert text.index("1.1 TST-ISO-01") < text.index("2.1 TST-CO2-01") < text.index(
        "3.1 TST-ECO-01") < text.index("4.1 TST-DATE-01")


def test_each_criterion_says_how_it_is_verified_answered_and_scored(mini_annex):
    _, _, pages = mini_annex
    text = flat("\n".join(pages))
    assert text.count("Verifiering:") == 8
    assert text.count("Svar:") == 8
    assert text.count("Utvärdering:") == 2  # the two award criteria
    assert "3 % av anbudspriset vid minst 25 %" in text
    assert "Sammanställning av kraven" in text


def test_page_count_is_known_and_every_footer_agrees(mini_annex):
    built, _, pages = mini_annex
    assert built.pages == len(pages) == 3
    for n, page in enumerate(pages, start=1):
        assert f"Sida {n} av 3" in page
        assert "test-mini@0.1.0" in page


def test_english_annex(tmp_path, mini_set):
    spec = make_spec(mini_set, level="avancerad")
    _, selected = resolve(spec, mini_set)
    built = build_annex_pdf(spec, mini_set, selected, tmp_path / "annex.pdf", "en", date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert "Annex – Climate requirements" in text
    assert "How to answer" in text
    assert "Vehicles shall meet at least Euro 6." in text
    assert f"Page 1 of {built.pages}" in text
    assert "Kvalificeringskrav" not in text


def test_data_with_markup_characters_is_printed_verbatim(tmp_path, mini_set):
    title = "<b>Skolskjuts</b> & taxi <i>2027</i>"
    spec = make_spec(mini_set, title=title, organisation="Kommun & Co <AB>")
    _, selected = resolve(spec, mini_set)
    built = build_annex_pdf(spec, mini_set, selected, tmp_path / "a.pdf", date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert title in text
    assert "Kommun & Co <AB>" in text


def test_the_same_input_gives_the_same_bytes(tmp_path, mini_set):
    spec = make_spec(mini_set)
    _, selected = resolve(spec, mini_set)
    a = build_annex_pdf(spec, mini_set, selected, tmp_path / "a.pdf", date=DATE)
    b = build_annex_pdf(spec, mini_set, selected, tmp_path / "b.pdf", date=DATE)
    assert a.path.read_bytes() == b.path.read_bytes()


def test_no_criteria_gives_a_line_not_an_empty_table(tmp_path, mini_set):
    spec = make_spec(mini_set)
    built = build_annex_pdf(spec, mini_set, [], tmp_path / "a.pdf", date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert "Inga klimatkrav har valts" in text
    assert "Sammanställning av kraven" not in text


def test_unknown_language_is_a_clear_error(tmp_path, mini_set):
    with pytest.raises(ProcureError, match="unknown language"):
        build_annex_pdf(make_spec(mini_set), mini_set, [], tmp_path / "a.pdf", "de")


def big_set(path: Path, n: int) -> Path:
    kinds = ("qualification", "technical_spec", "award", "contract_clause")
    criteria = []
    for i in range(n):
        crit = {
            "id": f"BIG-{i:03d}", "categories": ["transport"], "kind": kinds[i % 4],
            "title": {"sv": f"Krav {i} om CO₂ & <utsläpp>", "en": f"Requirement {i}"},
            "text": {"sv": "Högst {max_g} g CO₂/km; åäö “citat” ≤ ≥ € — " * (1 + i % 7),
                     "en": "At most {max_g} g CO₂/km."},
            "verification": {"sv": "Registreringsbevis.", "en": "Certificates."},
            "follow_up": {"sv": "Kontroll årligen.", "en": "Yearly check."},
            "rationale": {"sv": "Klimat.", "en": "Climate."},
            "answer": {"type": "number", "unit": "g/km", "max": "{max_g}"},
            "levels": {"bas": {"params": {"max_g": 1000 + i}}},
            "eforms": {"gpp_criteria": "national", "environmental_impact": ["clim-mitig"]},
            "sources": [{"title": "Test"}],
        }
        if crit["kind"] == "award":
            crit["award"] = {"method": "price_deduction_sek",
                             "steps": [{"at_most": 500, "value": 50000}]}
        criteria.append(crit)
    data = {"$schema": "procure/criteria-set/v1", "name": "big", "version": "1.0.0",
            "title": {"sv": "Stor", "en": "Big"}, "languages": ["sv", "en"],
            "categories": [{"id": "transport", "name": {"sv": "Transport", "en": "Transport"},
                            "keywords": {"sv": ["transport"], "en": ["transport"]}}],
            "criteria": criteria}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_annex_with_300_criteria_builds_with_every_id_and_threshold(tmp_path):
    cset = load_criteria_set(big_set(tmp_path / "big.yaml", 300))
    spec = ProcurementSpec(title="Stor upphandling", category="transport", level="bas",
                           criteria_set=cset.ref)
    _, selected = resolve(spec, cset)
    assert len(selected) == 300
    built = build_annex_pdf(spec, cset, selected, tmp_path / "big.pdf", date=DATE)
    pages = pdf_pages(built.path)
    text = flat("\n".join(pages))
    assert built.pages == len(pages) > 30
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    for s in selected:
        assert s.id in text
        assert f"Högst {format_number(s.params['max_g'], 'sv').replace(chr(160), ' ')} g CO₂/km" \
            in text
    assert "Krav 7 om CO₂ & <utsläpp>" in text
    assert "\u25a0" not in text


def test_the_example_spec_builds_on_the_built_in_library(tmp_path, library):
    spec = load_spec(EXAMPLES / "spec.yaml")
    cset, selected = resolve(spec, library)
    assert selected
    built = build_annex_pdf(spec, cset, selected, tmp_path / "example.pdf", date=DATE)
    text = flat("\n".join(pdf_pages(built.path)))
    assert all(s.id in text for s in selected)
    assert spec.title in text
    assert "\u25a0" not in text


# --- wording -------------------------------------------------------------------------------

def test_answer_and_award_wording_follow_the_rules(mini_set):
    spec = make_spec(mini_set)
    _, selected = resolve(spec, mini_set)
    by_id = {s.id: s for s in selected}
    assert answer_instruction(by_id["TST-ISO-01"]).startswith("Svara Ja eller Nej.")
    assert "Bifoga underlag" in answer_instruction(by_id["TST-ISO-01"])
    assert answer_instruction(by_id["TST-CO2-01"]) == \
        "Ange ett tal (enhet: g/km), högst 50\u00a0g/km."
    assert "senast 2027-12-31" in answer_instruction(by_id["TST-DATE-01"])
    assert "fritext" in answer_instruction(by_id["TST-PLAN-01"])
    assert short_answer(by_id["TST-FUEL-01"]) == "Tal, lägst 100\u00a0%"
    assert award_description(by_id["TST-ECO-01"]) == \
        "Uppfylls kriteriet görs ett avdrag med 100\u00a0000 kr från anbudspriset vid utvärderingen."
    assert "6 % av anbudspriset vid minst 50\u00a0%" in award_description(by_id["TST-ZERO-01"])
    assert award_description(by_id["TST-CO2-01"]) == ""
    assert answer_instruction(by_id["TST-ZERO-01"], "en") == "Enter a number (unit: %)."


def test_choice_and_points_wording(mini_set):
    spec = make_spec(mini_set, category="food", level="bas")
    _, selected = resolve(spec, mini_set)
    by_id = {s.id: s for s in selected}
    label = answer_instruction(by_id["TST-LABEL-01"])
    assert "KRAV, EU-ekologiskt, Ingen" in label
    assert "Godtas: KRAV, EU-ekologiskt." in label
    assert award_description(by_id["TST-MEAL-01"]) == (
        "5 poäng vid minst 30\u00a0%; 10 poäng vid minst 60\u00a0%. "
        "Det högsta steg som uppnås gäller; stegen läggs inte samman.")
