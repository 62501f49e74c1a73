"""The built-in library meets its coverage promises (asserted from the data, not hard-coded)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from procure.criteria.stats import coverage
from procure.model import KINDS, LEVELS

from .conftest import ROOT

AREAS = ("vehicles", "transport", "energy", "construction", "machines", "food", "it",
         "furniture", "textiles", "cleaning", "facility", "travel", "events", "office", "care")
CPV_FILE = ROOT.parent / "shared" / "data" / "cpv-2008-sv-en.csv"


def test_size(library):
    assert len(library.criteria) >= 120
    assert len(library.categories) >= 25


def test_every_area_exists(library):
    assert set(AREAS) <= {c.id for c in library.categories.values() if c.parent is None}


@pytest.mark.parametrize("area", AREAS)
def test_area_has_each_mandatory_kind_and_levels(library, area):
    row = coverage(library)["areas"][area]
    for kind in ("technical_spec", "award", "contract_clause"):
        assert row["kinds"][kind] >= 1, f"{area} has no {kind}"
    assert row["levels"]["bas"] >= 1, f"{area} has nothing at bas"
    assert row["levels"]["avancerad"] + row["levels"]["spjutspets"] >= 1


def test_all_kinds_and_levels_used(library):
    kinds = Counter(c.kind for c in library.criteria.values())
    levels = Counter(lv for c in library.criteria.values() for lv in c.levels)
    assert all(kinds[k] > 0 for k in KINDS)
    assert all(levels[lv] > 0 for lv in LEVELS)


def test_every_criterion_is_complete_in_both_languages(library):
    for crit in library.criteria.values():
        for field in ("title", "text", "verification", "follow_up", "rationale"):
            value = getattr(crit, field)
            for lang in ("sv", "en"):
                assert value.get(lang, "").strip(), f"{crit.id}: {field} lacks {lang}"
        assert crit.sources, f"{crit.id} has no source"


def test_shared_criteria_are_attached_to_several_areas(library):
    shared = [c for c in library.criteria.values()
              if len({cat.split(".")[0] for cat in c.categories}) >= 3]
    assert len(shared) >= 3
    texts = " ".join(c.text["sv"] for c in shared)
    assert "14001" in texts


def test_category_vocabulary_minimums(library):
    for cat in library.categories.values():
        assert len(cat.keywords.get("sv", ())) >= 8, f"{cat.id}: fewer than 8 Swedish keywords"
        assert len(cat.keywords.get("en", ())) >= 1, f"{cat.id}: no English keywords"
        assert cat.cpv, f"{cat.id}: no CPV code"


# A whole CPV division only where a category's scope is what the division holds, so that a
# buyer's broad code finds it: construction work (45), energy (09), transport services (60,
# waste transport excepted), food and drink (15), clothing (18), construction machinery (43).
WHOLE_DIVISIONS = {"45000000": "construction", "09000000": "energy", "60000000": "transport",
                   "15000000": "food.products", "18000000": "textiles", "43000000": "machines"}


@pytest.mark.skipif(not CPV_FILE.exists(), reason="shared CPV reference list not present")
def test_cpv_codes_exist_and_whole_divisions_only_where_the_area_is_the_division(library):
    with open(CPV_FILE, encoding="utf-8") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    for cat in library.categories.values():
        for code in cat.cpv:
            assert code in known, f"{cat.id}: CPV {code} is not in the CPV list"
            if code.endswith("000000"):
                assert WHOLE_DIVISIONS.get(code) == cat.id, \
                    f"{cat.id}: CPV {code} is a whole division"


def test_award_criteria_have_award_rules(library):
    for crit in library.criteria.values():
        assert (crit.award is not None) == (crit.kind == "award"), crit.id
        assert crit.eforms.get("environmental_impact"), f"{crit.id}: no BT-774 code"
        assert crit.eforms.get("gpp_criteria"), f"{crit.id}: no BT-805 code"


def test_criteria_readme_table_is_current(runner):
    from procure.cli import main

    readme = (ROOT / "criteria" / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- stats:begin", 1)[1].split("-->", 1)[1].split("<!-- stats:end")[0]
    result = runner.invoke(main, ["criteria", "stats", "--format", "markdown", "--lang", "en"])
    assert block.strip() == result.output.strip(), \
        "run: procure criteria stats --format markdown --lang en"
