"""Publication codes for the contract notice."""

from __future__ import annotations

import dataclasses
import json

from procure.tender.notice import ENVIRONMENTAL_IMPACT, GPP_CRITERIA, build_notice, notice_lines
from procure.tender.spec import build_spec, load_spec, resolve

from .conftest import EXAMPLES


def notice_for(cset, category, level="avancerad"):
    spec = build_spec(cset, title="T", category=category, level=level, reference="R 1")
    _, selected = resolve(spec, cset)
    return build_notice(spec, cset, selected)


def test_school_transport_codes(mini_set):
    notice = notice_for(mini_set, "transport.school")
    data = notice.to_dict()
    assert data["eforms"]["BT-805"] == ["national", "other"]
    assert data["eforms"]["BT-774"] == ["clim-mitig", "pollu-prev"]
    assert data["eforms"]["BT-06"] == ["env-imp"]
    assert data["eforms"]["BT-262"] == ["60130000"]
    cvd = data["eforms"]["cvd"]
    assert cvd["BT-717"] is True
    assert cvd["BT-735"] == "pass-tran-serv"
    goals = {s["goal"]: s for s in data["ocds"]["tender"]["sustainability"]}
    assert data["ocds"]["tender"]["hasSustainability"] is True
    climate = goals["environmental.climateChangeMitigation"]
    assert {"awardCriteria", "technicalSpecifications", "selectionCriteria",
            "contractPerformanceConditions", "nationalGPPCriteria"} <= set(climate["strategies"])
    assert "TST-ZERO-01" in climate["description"]
    assert goals["environmental.pollutionPrevention"]["strategies"] == [
        "technicalSpecifications", "nationalGPPCriteria"]


def test_food_is_outside_the_clean_vehicles_directive(mini_set):
    notice = notice_for(mini_set, "food", "bas")
    assert notice.cvd is None
    assert notice.gpp_criteria == ["national"]
    assert any("fordonsdirektivet" in line for line in notice_lines(notice, "sv"))


def test_cvd_scope_from_cpv_when_the_category_says_nothing(mini_set):
    food = mini_set.categories["food"]
    waste = dataclasses.replace(food, cpv=("90511000",), cvd=None)
    cset = dataclasses.replace(mini_set, categories={**mini_set.categories, "food": waste})
    notice = notice_for(cset, "food", "bas")
    assert notice.cvd["BT-735"] == "oth-serv-contr"
    assert notice.cvd["source"] == "CPV 90511000"


def test_example_spec_notice_is_valid_json_with_known_codes(library):
    spec = load_spec(EXAMPLES / "spec.yaml")
    cset, selected = resolve(spec, library)
    data = json.loads(json.dumps(build_notice(spec, cset, selected).to_dict()))
    assert set(data["eforms"]["BT-805"]) <= set(GPP_CRITERIA)
    assert data["eforms"]["BT-774"]
    assert set(data["eforms"]["BT-774"]) <= set(ENVIRONMENTAL_IMPACT)
    assert data["eforms"]["cvd"]["BT-735"] == "pass-tran-serv"
    assert len(data["criteria"]) == len(selected)


def test_notice_lines_in_both_languages(mini_set):
    notice = notice_for(mini_set, "transport.school")
    sv = "\n".join(notice_lines(notice, "sv"))
    en = "\n".join(notice_lines(notice, "en"))
    for code in ("BT-805", "BT-774", "BT-06", "BT-717", "BT-735", "clim-mitig"):
        assert code in sv
        assert code in en
    assert "Begränsning av klimatförändringar" in sv
    assert "Climate change mitigation" in en
