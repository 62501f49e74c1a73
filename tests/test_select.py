"""Level selection: the right variant per criterion, params filled, overrides honoured."""

from __future__ import annotations

import pytest

from procure.criteria import select
from procure.criteria.select import at_level, fill_text
from procure.errors import (
    ParamError,
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


@pytest.mark.parametrize(("value", "message", "hint"), [
    ("1,5", "'1,5' is not a number; expected a number like", "write 1.5 with a decimal point"),
    ("mycket", "'mycket' is not a number", None),
    ([1, 2], "the value is a list; expected a single value", None),
    (None, "the value is empty", None),
])
def test_an_override_keeps_the_kind_of_its_param(mini_set, value, message, hint):
    # a threshold given as text would silently drop the bound it fills in
    with pytest.raises(ParamError, match=message) as info:
        select(mini_set, "transport.school", "bas", overrides={"TST-FUEL-01": {"share_pct": value}})
    assert info.value.location == "params.TST-FUEL-01.share_pct"
    assert info.value.hint == hint


def test_a_number_may_replace_a_number_of_another_type(mini_set):
    sel = {s.id: s for s in select(mini_set, "transport.school", "bas",
                                   overrides={"TST-FUEL-01": {"share_pct": 82.5}})}
    assert sel["TST-FUEL-01"].answer.min == 82.5


@pytest.mark.parametrize(("kwargs", "where"), [
    ({"category": "nope"}, "category"),
    ({"add": ["X-1"]}, "add"),
    ({"remove": ["X-1"]}, "remove"),
    ({"overrides": {"X-1": {"a": 1}}}, "params"),
    ({"overrides": {"TST-FUEL-01": {"share": 1}}}, "params.TST-FUEL-01"),
])
def test_errors_name_the_argument_at_fault(mini_set, kwargs, where):
    args = {"category": "transport.school", **kwargs}
    with pytest.raises(ProcureError) as info:
        select(mini_set, args.pop("category"), "bas", **args)
    assert info.value.location == where


def test_a_near_miss_id_is_suggested(mini_set):
    with pytest.raises(UnknownCriterionError, match="did you mean 'TST-FUEL-01'"):
        select(mini_set, "food", "bas", add=["tst-fuel-01"])
    with pytest.raises(UnknownCategoryError, match=r"did you mean 'transport\.school'"):
        select(mini_set, "transport.shcool", "bas")


def test_browse_filters_by_kind_level_and_words(library):
    from procure.criteria.select import browse

    found = browse(library, category="transport.school", kind="award", level="bas")
    assert found
    assert all(c.kind == "award" and s is not None and s.level == "bas" for c, s in found)
    fuel = browse(library, text="TRN-FUEL")
    assert fuel
    assert all("TRN-FUEL" in c.id for c, _ in fuel)
    assert browse(library, text="ordsomintefinns") == []
    food = browse(library, area="food")
    assert food
    assert all(any(c.startswith("food") for c in crit.categories) for crit, _ in food)
