"""The procurement spec: load, check, build, fingerprint, category choice."""

from __future__ import annotations

import pytest

from procure.errors import ProcureError, ProcureWarning, SpecError, UnknownCategoryError
from procure.tender.spec import (
    build_spec,
    choose_category,
    load_spec,
    relative_set_path,
    resolve,
    save_spec,
    spec_summary,
)

from .conftest import EXAMPLES, MINI_SET

SPEC_YAML = f"""\
reference: KS 2026/1
title: Skolskjuts
organisation: Barn- och utbildningsförvaltningen
organisation_type: administration
category: transport.school
level: avancerad
criteria_set: test-mini@0.1.0
criteria_set_path: {MINI_SET}
estimated_value_sek: 4800000
contract_period: {{start: 2027-07-01, end: 2031-06-30}}
award_method: price_deduction
criteria: {{add: [], remove: [], params: {{}}}}
"""


def write_spec(tmp_path, text=SPEC_YAML, name="spec.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_spec_loads_and_resolves_against_the_library(library):
    spec = load_spec(EXAMPLES / "spec.yaml")
    assert spec.category == "transport.school"
    assert spec.contract_start == "2027-07-01"
    cset, selected = resolve(spec, library)
    assert cset.ref == spec.criteria_set
    assert selected
    assert all(s.level in ("bas", "avancerad") for s in selected)


def test_load_reads_every_field(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    assert spec.reference == "KS 2026/1"
    assert spec.organisation_type == "administration"
    assert spec.estimated_value_sek == 4800000
    assert spec.contract_end == "2031-06-30"
    assert spec.set_path == str(MINI_SET)


def test_build_save_load_round_trip(tmp_path, mini_set):
    spec = build_spec(mini_set, title="Skolskjuts", category="transport.school",
                      level="avancerad", reference="KS 1", estimated_value_sek=1_000_000,
                      remove=["TST-PLAN-01"], params={"TST-FUEL-01": {"share_pct": 80}},
                      set_path=relative_set_path(MINI_SET, tmp_path / "s.yaml"))
    save_spec(spec, tmp_path / "s.yaml")
    loaded = load_spec(tmp_path / "s.yaml")
    assert loaded.remove == ["TST-PLAN-01"]
    assert loaded.params == {"TST-FUEL-01": {"share_pct": 80}}
    _, selected = resolve(loaded)
    ids = [s.id for s in selected]
    assert "TST-PLAN-01" not in ids
    fuel = next(s for s in selected if s.id == "TST-FUEL-01")
    assert fuel.answer.min == 80


def test_fingerprint_follows_what_suppliers_answer_to(mini_set):
    spec = build_spec(mini_set, title="A", category="transport.school", level="avancerad")
    _, selected = resolve(spec, mini_set)
    same = build_spec(mini_set, title="Other title", category="transport.school",
                      level="avancerad", reference="x")
    assert spec.fingerprint(selected) == same.fingerprint(resolve(same, mini_set)[1])
    changed = build_spec(mini_set, title="A", category="transport.school", level="avancerad",
                         params={"TST-FUEL-01": {"share_pct": 80}})
    assert changed.fingerprint(resolve(changed, mini_set)[1]) != spec.fingerprint(selected)
    other_level = build_spec(mini_set, title="A", category="transport.school", level="bas")
    assert other_level.fingerprint(resolve(other_level, mini_set)[1]) != spec.fingerprint(
        selected)


def test_build_refuses_unknown_ids_params_and_dates(mini_set):
    with pytest.raises(ProcureError, match="NOPE-01"):
        build_spec(mini_set, title="A", category="transport", level="bas", add=["NOPE-01"])
    with pytest.raises(ProcureError, match="no param 'share'"):
        build_spec(mini_set, title="A", category="transport", level="bas",
                   params={"TST-FUEL-01": {"share": 1}})
    with pytest.raises(SpecError, match="not a date"):
        build_spec(mini_set, title="A", category="transport", level="bas",
                   contract_start="1 juli")
    with pytest.raises(UnknownCategoryError):
        build_spec(mini_set, title="A", category="nope", level="bas")


@pytest.mark.parametrize(("text", "expected"), [
    ("transport.school", "transport.school"),
    ("TRANSPORT.SCHOOL", "transport.school"),
    ("skolskjutsar", "transport.school"),
    ("livsmedel", "food"),
])
def test_choose_category_from_id_or_free_text(mini_set, text, expected):
    choice = choose_category(mini_set, text)
    assert choice.id == expected
    assert choice.label
    assert choice.confidence in ("exact", "high", "medium", "low")


def test_choose_category_fails_clearly(mini_set):
    with pytest.raises(UnknownCategoryError, match="no category matches"):
        choose_category(mini_set, "qqqq zzzz")


@pytest.mark.parametrize(("change", "message"), [
    ("title: Skolskjuts\n", "'title' is missing"),
    ("level: avancerad\n", "level 'hög'"),
    ("criteria: {add: [], remove: [], params: {}}\n", "criteria.params"),
    ("estimated_value_sek: 4800000\n", "not a number"),
    ("contract_period: {start: 2027-07-01, end: 2031-06-30}\n", "contract_period"),
    ("organisation_type: administration\n", "organisation_type"),
    ("award_method: price_deduction\n", "award_method"),
])
def test_bad_spec_fields_name_the_field_and_line(tmp_path, change, message):
    replacement = {
        "title: Skolskjuts\n": "",
        "level: avancerad\n": "level: hög\n",
        "criteria: {add: [], remove: [], params: {}}\n": "criteria: {params: [1]}\n",
        "estimated_value_sek: 4800000\n": "estimated_value_sek: 4,8 Mkr\n",
        "contract_period: {start: 2027-07-01, end: 2031-06-30}\n": "contract_period: 2027\n",
        "organisation_type: administration\n": "organisation_type: bolag\n",
        "award_method: price_deduction\n": "award_method: lottery\n",
    }[change]
    path = write_spec(tmp_path, SPEC_YAML.replace(change, replacement))
    with pytest.raises(SpecError, match=message) as info:
        load_spec(path)
    assert str(path) in str(info.value)


def test_a_newer_version_of_the_set_is_an_error_unless_allowed(tmp_path, mini_set):
    path = write_spec(tmp_path, SPEC_YAML.replace("test-mini@0.1.0", "test-mini@0.2.0"))
    with pytest.raises(SpecError, match=r"test-mini@0\.2\.0 but test-mini@0\.1\.0"):
        resolve(load_spec(path), mini_set)
    with pytest.warns(ProcureWarning, match="0.2.0"):
        resolve(load_spec(path), mini_set, allow_other_version=True)


def test_an_older_version_of_the_set_warns(tmp_path, mini_set):
    path = write_spec(tmp_path, SPEC_YAML.replace("test-mini@0.1.0", "test-mini@0.0.9"))
    with pytest.warns(ProcureWarning, match="0.0.9"):
        resolve(load_spec(path), mini_set)


def test_another_set_is_an_error(tmp_path, mini_set):
    path = write_spec(tmp_path, SPEC_YAML.replace("test-mini@0.1.0", "se-klimat@1.0.0"))
    with pytest.raises(SpecError, match="se-klimat"):
        resolve(load_spec(path), mini_set)


def test_summary_lists_criteria_and_params_to_confirm(tmp_path, mini_set):
    spec = load_spec(write_spec(tmp_path))
    cset, selected = resolve(spec, mini_set)
    summary = spec_summary(spec, cset, selected, "en")
    assert summary["category_label"] == "School transport"
    assert summary["counts"]["award"] == 2
    assert {"criterion_id": "TST-ZERO-01", "param": "step1", "value": 3} in \
        summary["params_to_confirm"]
    assert summary["fingerprint"] == spec.fingerprint(selected)


@pytest.mark.parametrize(("old", "new", "where"), [
    ("criteria: {add: [], remove: [], params: {}}", "criteria: {add: [NOPE-01]}",
     "line 12, criteria.add"),
    ("criteria: {add: [], remove: [], params: {}}", "criteria:\n  remove: [NOPE-01]",
     "line 13, criteria.remove"),
    ("criteria: {add: [], remove: [], params: {}}",
     "criteria:\n  params:\n    TST-FUEL-01: {share_pct: '1,5'}",
     "line 14, criteria.params.TST-FUEL-01.share_pct"),
    ("category: transport.school", "category: rymdfart", "line 5, category"),
])
def test_resolve_names_the_field_and_line_of_the_spec(tmp_path, mini_set, old, new, where):
    path = write_spec(tmp_path, SPEC_YAML.replace(old, new))
    with pytest.raises(ProcureError) as info:
        resolve(load_spec(path), mini_set)
    assert str(info.value).startswith(f"{path}: {where}: ")


@pytest.mark.parametrize(("change", "message"), [
    ("start: 2027-07-01", "contract_period.start '1 juli 2027' is not a date"),
    ("end: 2031-06-30", "the contract ends (2026-01-01) before it starts (2027-07-01)"),
    ("title: Skolskjuts", "field 'title' must be a single value; found a list"),
    ("estimated_value_sek: 4800000", "estimated_value_sek -1 is not an amount"),
])
def test_load_checks_dates_single_values_and_amounts(tmp_path, change, message):
    replacement = {"start: 2027-07-01": "start: 1 juli 2027", "end: 2031-06-30": "end: 2026-01-01",
                   "title: Skolskjuts": "title: [Skolskjuts, Buss]",
                   "estimated_value_sek: 4800000": "estimated_value_sek: -1"}[change]
    path = write_spec(tmp_path, SPEC_YAML.replace(change, replacement))
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_spec(path)


def test_build_checks_the_contract_period(mini_set):
    with pytest.raises(SpecError, match="ends"):
        build_spec(mini_set, title="A", category="food", level="bas",
                   contract_start="2030-01-01", contract_end="2029-12-31")


def test_a_field_the_spec_does_not_use_is_a_warning(tmp_path):
    path = write_spec(tmp_path, SPEC_YAML.replace("award_method:", "award_metod:"))
    with pytest.warns(ProcureWarning, match="'award_metod' is not a spec field.*award_method"):
        spec = load_spec(path)
    assert spec.award_method == "price_deduction"


def test_a_missing_criteria_set_path_names_the_field(tmp_path, mini_set):
    path = write_spec(tmp_path, SPEC_YAML.replace(str(MINI_SET), "nowhere/set.yaml"))
    spec = load_spec(path)
    with pytest.raises(SpecError, match=r"line 8: criteria_set_path .* does not exist"):
        resolve(spec)
    assert resolve(spec, mini_set)[1]  # a set given in its place is used


@pytest.mark.parametrize("text", ["Juridiska konsulttjänster", "Revision av årsredovisning"])
def test_no_fuzzy_guess_when_the_matcher_finds_nothing(library, text):
    with pytest.raises(UnknownCategoryError, match="no category matches"):
        choose_category(library, text)


def test_a_mistyped_category_id_is_not_matched_as_text(mini_set):
    with pytest.raises(UnknownCategoryError, match=r"did you mean 'transport\.school'"):
        choose_category(mini_set, "transport.shcool")
