"""The classes of confident mistakes the matcher must not make on free text (issue 17), each in
English and Swedish. A class is fixed as a rule, so new texts of the same shape pass too."""

from __future__ import annotations

import pytest

from procure.matching import Matcher

RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


@pytest.fixture(scope="module")
def matcher(library) -> Matcher:
    return Matcher(library)


def top(matcher: Matcher, text: str) -> tuple[str, str]:
    found = matcher.match(text, limit=1)
    return (found[0].category_id, found[0].confidence) if found else ("", "none")


# 6. a keyword inside an unrelated word; Swedish compounds still match
@pytest.mark.parametrize(("text", "not_category"), [
    ("Contractor to fabricate bespoke signage", "textiles"),
    ("Conference on electric vehicle charging stations for local authorities", "events"),
])
def test_keyword_inside_an_unrelated_word_or_topic_is_not_confident(matcher, text, not_category):
    category, confidence = top(matcher, text)
    assert not (category.startswith(not_category) and confidence == "high")


@pytest.mark.parametrize(("text", "category"), [
    ("Skolskjutsavtal 2026", "transport.school"),
    ("Fabrics and textiles for curtains", "textiles"),
])
def test_compounds_and_inflections_still_match(matcher, text, category):
    assert top(matcher, text) == (category, "high")


# 7. services delivered at a place are not works on it
@pytest.mark.parametrize("text", [
    "Residential care at a children's home",
    "Management of the sports hall and swimming pool",
    "Leisure centre management and operation",
    "Barnhem: vård och boende för barn",
    "Drift av fritidsgård",
    "Hemtjänst i ordinärt boende",
])
def test_a_service_at_a_place_is_not_construction(matcher, text):
    category, confidence = top(matcher, text)
    assert not (category.startswith("construction") and RANK[confidence] >= RANK["medium"])


@pytest.mark.parametrize("text", [
    "Nybyggnad av vård- och omsorgsboende",
    "Construction of a new care home",
])
def test_works_on_a_care_building_are_still_construction(matcher, text):
    category, confidence = top(matcher, text)
    assert category.startswith("construction")
    assert RANK[confidence] >= RANK["medium"]


# 8. advice, design and dialogue around a purchase: at most medium, unless design-and-build
@pytest.mark.parametrize("text", [
    "Market dialogue on zero-emission buses",
    "Design contest for the new library building",
    "Feasibility study for district heating network",
    "Marknadsdialog om fossilfria arbetsmaskiner",
    "Förstudie om solceller på skolor",
])
def test_advice_around_a_purchase_is_at_most_medium(matcher, text):
    assert RANK[top(matcher, text)[1]] <= RANK["medium"]


def test_design_and_build_is_the_purchase(matcher):
    category, confidence = top(matcher, "Design and build of a new primary school")
    assert category.startswith("construction")
    assert confidence == "high"


# 9. what the library has no criteria for: no match or low
@pytest.mark.parametrize("text", [
    "Insurance services for municipal vehicles",
    "Legal services for construction disputes",
    "Clinical equipment for the hospital ward",
    "Försäkring av kommunens fastigheter",
    "Juridiska tjänster inom upphandling",
    "Medicinteknisk utrustning till särskilt boende",
])
def test_no_criteria_area_is_no_match_or_low(matcher, text):
    assert RANK[top(matcher, text)[1]] <= RANK["low"]
