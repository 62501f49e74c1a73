"""Level selection: the right variant per criterion, params filled, overrides honoured."""

from __future__ import annotations

import pytest

from procure.criteria import select
from procure.criteria.select import at_level, fill_text
from procure.errors import (
    ProcureError,
    UnknownCategoryError,
    UnknownCriterionError,
    UnknownLevelError,
)


def ids(selected):
    return [s.id for s in selected]


def test_parent_category_criteria_apply_to_child(mini_set):
    chosen = ids(select(mini_set, "transport.school", "bas"))
    assert "TST-FUEL-01" in chosen  # attached to the parent "transport"
    assert "TST-LABEL-01" not in chosen  # food only


def test_child_criteria_do_not_apply_to_parent(mini_set):
    assert "TST-EURO-01" not in ids(select(mini_set, "transport", "spjutspets"))


def test_highest_variant_not_above_level(mini_set):
    by_level = {lv: {s.id: s for s in select(mini_set, "transport.school", lv)}
                for lv in ("bas", "avancerad", "spjutspets")}
    assert by_level["bas"]["TST-FUEL-01"].params["share_pct"] == 50
    assert by_level["avancerad"]["TST-FUEL-01"].params["share_pct"] == 70
    # EURO has bas and avancerad only: spjutspets takes avancerad
    assert by_level["spjutspets"]["TST-EURO-01"].level == "avancerad"
    # a spjutspets-only criterion appears only at spjutspets
    assert "TST-DATE-01" not in by_level["avancerad"]
    assert "TST-DATE-01" in by_level["spjutspets"]
    # an avancerad-only criterion does not appear at bas
    assert "TST-CO2-01" not in by_level["bas"]


def test_params_filled_into_text_and_rules(mini_set):
    sel = {s.id: s for s in select(mini_set, "transport.school", "avancerad")}
    fuel = sel["TST-FUEL-01"]
    assert fuel.text["sv"].startswith("Minst 70 % av fordonen")
    assert fuel.text["en"].startswith("At least 70 % of vehicles")
    assert fuel.answer.min == 70
    zero = sel["TST-ZERO-01"]
    assert [s.value for s in zero.award.steps] == [3, 6]
    assert sel["TST-ECO-01"].award.value == 100000


def test_tender_order_by_kind(mini_set):
    kinds = [s.kind for s in select(mini_set, "transport.school", "spjutspets")]
    order = ["qualification", "technical_spec", "award", "contract_clause"]
    assert kinds == sorted(kinds, key=order.index)


def test_overrides_replace_params(mini_set):
    sel = {s.id: s for s in select(mini_set, "transport.school", "bas",
                                   overrides={"TST-FUEL-01": {"share_pct": 85}})}
    assert sel["TST-FUEL-01"].answer.min == 85
    assert "85 %" in sel["TST-FUEL-01"].text["sv"]


def test_override_of_unknown_param_is_an_error(mini_set):
    with pytest.raises(ProcureError, match="has no param 'share'"):
        select(mini_set, "transport.school", "bas", overrides={"TST-FUEL-01": {"share": 1}})


def test_add_and_remove(mini_set):
    chosen = ids(select(mini_set, "transport.school", "bas", add=["TST-LABEL-01"],
                        remove=["TST-ISO-01"]))
    assert "TST-LABEL-01" in chosen
    assert "TST-ISO-01" not in chosen


def test_unknown_ids_are_clear_errors(mini_set):
    with pytest.raises(UnknownCategoryError, match="unknown category 'nope'"):
        select(mini_set, "nope", "bas")
    with pytest.raises(UnknownCriterionError, match="unknown criterion id 'X-1'"):
        select(mini_set, "food", "bas", remove=["X-1"])
    with pytest.raises(UnknownLevelError, match="unknown level 'hög'"):
        select(mini_set, "food", "hög")


def test_swedish_number_format_in_text():
    assert fill_text("{v} kr", {"v": 100000}, "sv") == "100\u00a0000 kr"
    assert fill_text("{v} SEK", {"v": 100000}, "en") == "100,000 SEK"
    assert fill_text("{v} %", {"v": 1.5}, "sv") == "1,5 %"


def test_at_level_returns_none_below_first_variant(mini_set):
    assert at_level(mini_set.criterion("TST-DATE-01"), "bas") is None
