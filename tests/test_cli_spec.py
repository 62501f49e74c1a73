"""``procure spec new|show|notice`` through the command line."""

from __future__ import annotations

import json

import yaml

from procure.cli import main

from .conftest import (
    EXAMPLES,
    MINI_SET,
    assert_one_line_error,
    assert_usage_error,
    write_comma_spec,
)


def new(runner, tmp_path, *extra, output="spec.yaml"):
    args = ["spec", "new", "--title", "Skolskjuts <b>2027</b>", "--level", "avancerad",
            "--set", str(MINI_SET), "-o", str(tmp_path / output), *extra]
    if "--category" not in extra:
        args += ["--category", "skolskjutsar"]
    return runner.invoke(main, args)


def test_new_matches_free_text_and_shows_the_choice(runner, tmp_path):
    result = new(runner, tmp_path, "--reference", "KS 2026/1", "--value", "48 000 000",
                 "--start", "2027-07-01", "--end", "2031-06-30",
                 "--param", "TST-FUEL-01.share_pct=80", "--remove", "TST-PLAN-01")
    assert result.exit_code == 0, result.output
    assert "transport.school – Skolskjuts (matchad från 'skolskjutsar'" in result.output
    assert "6 kriterier" in result.output
    data = yaml.safe_load((tmp_path / "spec.yaml").read_text(encoding="utf-8"))
    assert data["category"] == "transport.school"
    assert data["title"] == "Skolskjuts <b>2027</b>"
    assert data["estimated_value_sek"] == 48_000_000
    assert data["criteria"]["params"] == {"TST-FUEL-01": {"share_pct": 80}}
    assert data["criteria_set"] == "test-mini@0.1.0"
    shown = runner.invoke(main, ["spec", "show", str(tmp_path / "spec.yaml")])
    assert shown.exit_code == 0, shown.output
    assert "\nTST-FUEL-01:1 " in shown.output
    assert "\nTST-PLAN-01 " not in shown.output
    assert "-TST-PLAN-01" in shown.output  # the change is shown


def test_new_with_an_id_in_english(runner, tmp_path):
    result = new(runner, tmp_path, "--category", "food", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Category: food – Food\n" in result.output


def test_new_refuses_to_overwrite_without_force(runner, tmp_path):
    assert new(runner, tmp_path).exit_code == 0
    again = new(runner, tmp_path)
    assert again.exit_code == 1
    assert "exists already" in again.output
    assert new(runner, tmp_path, "--force").exit_code == 0


def test_new_bad_input(runner, tmp_path):
    result = new(runner, tmp_path, "--category", "qqqq zzzz")
    assert result.exit_code == 1
    assert "no category matches 'qqqq zzzz'" in result.output
    result = new(runner, tmp_path, "--param", "share_pct80")
    assert result.exit_code == 2
    assert "CRITERION-ID.KEY=VALUE" in result.output
    result = new(runner, tmp_path, "--param", "nope=1")
    assert result.exit_code == 1
    assert "no chosen criterion has a parameter 'nope'" in result.output
    result = new(runner, tmp_path, "--value", "många pengar")
    assert result.exit_code == 2
    result = new(runner, tmp_path, "--param", "TST-FUEL-01.nope=1")
    assert result.exit_code == 1
    assert "no param 'nope'" in result.output
    assert "Traceback" not in result.output


def test_show_example_spec(runner):
    result = runner.invoke(main, ["spec", "show", str(EXAMPLES / "spec.yaml")])
    assert result.exit_code == 0, result.output
    assert "KS 2026/0412" in result.output
    assert "48\u00a0000\u00a0000 kr" in result.output
    as_json = runner.invoke(main, ["spec", "show", str(EXAMPLES / "spec.yaml"),
                                   "--format", "json", "--lang", "en"])
    data = json.loads(as_json.output)
    assert data["category_label"] == "School transport"
    assert data["selected"]


def test_show_bad_spec(runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nlevel: bas\n", encoding="utf-8")
    result = runner.invoke(main, ["spec", "show", str(path)])
    assert result.exit_code == 1
    assert "field 'category' is missing" in result.output
    missing = runner.invoke(main, ["spec", "show", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "does not exist" in missing.output


def test_notice_text_and_json(runner):
    result = runner.invoke(main, ["spec", "notice", str(EXAMPLES / "spec.yaml")])
    assert result.exit_code == 0, result.output
    for code in ("BT-805", "BT-774", "BT-06", "BT-717", "BT-735", "pass-tran-serv",
                 "environmental.climateChangeMitigation"):
        assert code in result.output
    data = json.loads(runner.invoke(main, ["spec", "notice", str(EXAMPLES / "spec.yaml"),
                                           "--format", "json"]).output)
    assert data["eforms"]["BT-06"] == ["env-imp"]
    assert data["ocds"]["tender"]["hasSustainability"] is True


def test_new_reads_a_param_with_a_swedish_decimal_comma(runner, tmp_path):
    result = new(runner, tmp_path, "--param", "TST-FUEL-01.share_pct=72,5")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "spec.yaml").read_text(encoding="utf-8"))
    assert data["criteria"]["params"] == {"TST-FUEL-01": {"share_pct": 72.5}}


def test_new_bad_param_values(runner, tmp_path):
    result = new(runner, tmp_path, "--param", "TST-FUEL-01.share_pct=[1")
    assert_one_line_error(result, "criteria.params.TST-FUEL-01.share_pct",
                          "'[1' is not a number")
    result = new(runner, tmp_path, "--param", "TST-FUEL-01.share_pct=mycket")
    assert_one_line_error(result, "criteria.params.TST-FUEL-01.share_pct",
                          "'mycket' is not a number")
    assert not (tmp_path / "spec.yaml").exists()


def test_new_unknown_or_misspelt_ids(runner, tmp_path):
    assert_one_line_error(new(runner, tmp_path, "--add", "NOPE-1"), "criteria.add",
                          "unknown criterion id 'NOPE-1'")
    assert_one_line_error(new(runner, tmp_path, "--remove", "tst-iso-01"), "criteria.remove",
                          "did you mean 'TST-ISO-01'?")


def test_new_output_must_be_yaml_and_not_the_set(runner, tmp_path):
    assert_usage_error(new(runner, tmp_path, output="spec.txt"), "name it .yaml or .yml")
    copy = tmp_path / "set.yaml"
    copy.write_bytes(MINI_SET.read_bytes())
    result = runner.invoke(main, ["spec", "new", "--title", "T", "--category", "food",
                                  "--level", "bas", "--set", str(copy), "-o", str(copy),
                                  "--force"])
    assert_one_line_error(result, "would overwrite an input")
    assert copy.read_bytes() == MINI_SET.read_bytes()


def test_new_contract_that_ends_before_it_starts(runner, tmp_path):
    result = new(runner, tmp_path, "--start", "2030-01-01", "--end", "2027-01-01")
    assert_one_line_error(result, "the contract ends (2027-01-01) before it starts (2030-01-01)")


def test_new_with_no_matching_category_does_not_guess(runner, tmp_path):
    result = runner.invoke(main, ["spec", "new", "--title", "T", "--category",
                                  "Juridiska konsulttjänster", "--level", "bas",
                                  "-o", str(tmp_path / "spec.yaml")])
    assert_one_line_error(result, "no category matches 'Juridiska konsulttjänster'")
    assert not (tmp_path / "spec.yaml").exists()


def test_show_a_spec_with_a_decimal_comma_threshold(runner, tmp_path):
    spec = write_comma_spec(tmp_path)
    result = runner.invoke(main, ["spec", "show", str(spec)])
    assert_one_line_error(result, "spec.yaml: line 7, criteria.params.TST-FUEL-01.share_pct: "
                                  "'72,5' is not a number", "write 72.5 with a decimal point")


def test_new_value_with_one_thousands_group_is_thousands(runner, tmp_path):
    for text in ("850.000", "850,000 SEK"):
        result = new(runner, tmp_path, "--value", text, "--force")
        assert result.exit_code == 0, result.output
        data = yaml.safe_load((tmp_path / "spec.yaml").read_text(encoding="utf-8"))
        assert data["estimated_value_sek"] == 850_000
