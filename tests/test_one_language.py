"""One language per run (issue 13 of issue 11): what a run prints or writes is in its language."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from procure.cli import main

from .conftest import EXAMPLES, MINI_SET

SPEND = ["--input", str(EXAMPLES / "spend.csv"), "--text-column", "Fakturatext",
         "--amount-column", "Belopp"]


@pytest.mark.parametrize("value", ["tilldelningskriterium", "Tilldelningskriterium", "award",
                                   "award criterion"])
def test_swedish_option_values_are_accepted(runner, value):
    result = runner.invoke(main, ["criteria", "list", "--set", str(MINI_SET), "--kind", value,
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    kinds = {r["kind"] for r in json.loads(result.output)}
    assert kinds == {"award"}


def test_an_unknown_option_value_names_the_choices_in_swedish(runner, monkeypatch):
    monkeypatch.setenv("PROCURE_LANG", "sv")
    result = runner.invoke(main, ["criteria", "list", "--kind", "pris"])
    assert result.exit_code == 2
    assert "tilldelningskriterium" in result.output


def test_criteria_csv_in_swedish_opens_in_swedish_excel(runner):
    result = runner.invoke(main, ["criteria", "list", "--set", str(MINI_SET), "--format", "csv",
                                  "--lang", "sv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    header = result.output.lstrip("\ufeff").splitlines()[0]
    assert header.count(";") >= 3
    assert "tilldelningskriterium" in result.output.lower()
    english = runner.invoke(main, ["criteria", "list", "--set", str(MINI_SET), "--format", "csv",
                                   "--lang", "en"])
    assert not english.output.startswith("\ufeff")
    assert english.output.splitlines()[0].count(",") >= 3


def test_check_csv_in_swedish_has_swedish_values(runner, tmp_path):
    out = tmp_path / "resultat.csv"
    result = runner.invoke(main, ["check", str(EXAMPLES / "spec.yaml"),
                                  str(EXAMPLES / "answers"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert "uppfyllt" in set(frame["verdict"])
    assert "met" not in set(frame["verdict"])
    assert "kvalificerad" in set(frame["status"])
    assert any("," in v for v in frame["comparison_price"] if v)  # decimal comma
    assert "Tilldelningskriterium" in set(frame["kind"])


def test_match_output_and_json_in_the_run_language(runner, tmp_path):
    out = tmp_path / "matchad.csv"
    result = runner.invoke(main, ["match", *SPEND, "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "avgränsare" in data["read_as"]
    frame = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert set(frame["confidence"]) <= {"hög", "medel", "låg", "ingen"}
    result = runner.invoke(main, ["match", *SPEND, "-o", str(tmp_path / "en.csv"),
                                  "--format", "json", "--lang", "en"])
    assert "delimiter" in json.loads(result.output)["read_as"]
    frame = pd.read_csv(tmp_path / "en.csv", sep=";", dtype=str, encoding="utf-8-sig",
                        keep_default_na=False)
    assert set(frame["confidence"]) <= {"high", "medium", "low", "none"}


def test_demo_and_stats_take_lang(runner, tmp_path):
    result = runner.invoke(main, ["criteria", "stats", "--lang", "sv"])
    assert result.exit_code == 0, result.output
    assert "kategorier" in result.output.splitlines()[0]
    result = runner.invoke(main, ["criteria", "stats", "--lang", "en"])
    assert "categories" in result.output.splitlines()[0]
    result = runner.invoke(main, ["demo", str(tmp_path / "demo"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Done." in result.output
    assert "Klart" not in result.output
    assert "suppliers answered" in result.output


@pytest.mark.parametrize(("unit", "en"), [("år", "years"), ("st", "pcs"), ("månader", "months"),
                                          ("st/år", "pcs/year"), ("%", "%"),
                                          ("g CO2/km", "g CO2/km"), ("arbetsdagar", "working days")])
def test_units_in_english(unit, en):
    from procure.i18n import unit_label
    assert unit_label(unit, "en") == en
    assert unit_label(unit, "sv") == unit


@pytest.mark.parametrize(("typed", "rule"), [("years", "år"), ("year", "år"), ("pcs", "st"),
                                             ("months", "månader"), ("days", "dagar")])
def test_an_answer_in_english_units_meets_a_swedish_unit(typed, rule):
    from procure.io.numbers import normalise_unit
    assert normalise_unit(typed) == normalise_unit(rule)


def test_the_requirement_in_an_english_run_names_english_units(tmp_path, mini_set):
    from procure.answers.evaluation import _requirement, rules_frame
    from procure.model import AnswerRule
    from procure.tender.spec import build_spec, resolve
    spec = build_spec(mini_set, title="S", category="transport.school", level="avancerad")
    selected = resolve(spec, mini_set)[1]
    fuel = next(s for s in selected if s.id == "TST-FUEL-01")
    years = replace(fuel, answer=AnswerRule(type="number", unit="år", max=12))
    assert _requirement(years, "en") == "at most 12 years"
    assert _requirement(years, "sv") == "högst 12 år"
    assert "years" in rules_frame([years], "en")["unit"].iloc[0]


@pytest.mark.parametrize(("option", "value", "field", "expected"), [
    ("--level", "Avancerad", "level", "avancerad"), ("--level", "advanced", "level", "avancerad"),
    ("--award-method", "poängmodell", "award_method", "points"),
    ("--award-method", "Lowest price", "award_method", "lowest_price"),
])
def test_spec_new_takes_option_values_by_name(runner, tmp_path, option, value, field, expected):
    import yaml
    args = ["spec", "new", "--title", "T", "--category", "skolskjuts", "--set", str(MINI_SET),
            "-o", str(tmp_path / "s.yaml"), "--level", "avancerad", option, value]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    assert data[field] == expected
