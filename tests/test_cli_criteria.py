"""``procure criteria ...`` through the CLI: exit codes and messages."""

from __future__ import annotations

import csv
import io
import json

from procure import __version__
from procure.cli import main

from .conftest import MINI_SET, ROOT, assert_one_line_error

SET = ["--set", str(MINI_SET)]


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_list_filters_and_formats(runner):
    result = runner.invoke(main, ["criteria", "list", *SET, "--category", "transport.school",
                                  "--kind", "award", "--format", "csv"])
    assert result.exit_code == 0, result.output
    # Swedish (the default): ';', a BOM and the kind's Swedish name, for Swedish Excel
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")), delimiter=";"))
    assert {r["id"] for r in rows} == {"TST-ZERO-01", "TST-ECO-01"}
    assert {r["typ"] for r in rows} == {"Tilldelningskriterium"}


def test_list_level_json_has_filled_text(runner):
    result = runner.invoke(main, ["criteria", "list", *SET, "--level", "bas", "--format", "json",
                                  "--lang", "en"])
    data = json.loads(result.output)
    fuel = next(r for r in data if r["id"] == "TST-FUEL-01")
    assert fuel["text"].startswith("At least 50 %")
    assert all(r["id"] != "TST-DATE-01" for r in data)  # spjutspets only


def test_show_all_levels(runner):
    result = runner.invoke(main, ["criteria", "show", "TST-FUEL-01", *SET])
    assert result.exit_code == 0
    for pct in ("50 %", "70 %", "100 %"):
        assert pct in result.output
    assert "Uppföljning" in result.output


def test_show_english(runner):
    result = runner.invoke(main, ["criteria", "show", "TST-FUEL-01", "--level", "bas", "--lang",
                                  "en", *SET])
    assert "At least 50 % of vehicles" in result.output
    assert "Follow-up" in result.output


def test_show_unknown_id(runner):
    result = runner.invoke(main, ["criteria", "show", "NOPE-01", *SET])
    assert result.exit_code == 1
    assert "Error: unknown criterion id 'NOPE-01'" in result.output
    assert "Traceback" not in result.output


def test_categories_json(runner):
    result = runner.invoke(main, ["criteria", "categories", "--format", "json", *SET])
    data = {c["id"]: c for c in json.loads(result.output)}
    assert data["transport.school"]["parent"] == "transport"
    assert data["transport.school"]["cpv"] == ["60130000"]
    assert "skolskjuts" in data["transport.school"]["keywords"]["sv"]
    assert data["transport.school"]["name"]["en"] == "School transport"


def test_validate_valid_and_invalid(runner, tmp_path):
    ok = runner.invoke(main, ["criteria", "validate", str(MINI_SET)])
    assert ok.exit_code == 0
    assert "valid" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_SET.read_text("utf-8").replace('cpv: ["60130000"]', 'cpv: ["6013000"]'),
                   "utf-8")
    result = runner.invoke(main, ["criteria", "validate", str(bad)])
    assert result.exit_code == 1
    assert "has 7 digits" in result.output
    js = runner.invoke(main, ["criteria", "validate", str(bad), "--format", "json"])
    report = json.loads(js.output)
    assert report["valid"] is False
    assert report["findings"][0]["code"] == "cpv-format"
    assert report["findings"][0]["path"] == "categories[1].cpv[0]"
    assert isinstance(report["findings"][0]["line"], int)


def test_validate_missing_path_is_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["criteria", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_invalid_set_gives_one_line_error(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [\n", "utf-8")
    result = runner.invoke(main, ["criteria", "list", "--set", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: invalid criteria set")
    assert len(result.output.strip().splitlines()) == 1


def test_builtin_library_is_valid(runner):
    result = runner.invoke(main, ["criteria", "validate", str(ROOT / "criteria")])
    assert result.exit_code == 0, result.output


def test_show_json_fills_award_steps(runner):
    result = runner.invoke(main, ["criteria", "show", "TST-ZERO-01", *SET, "--format", "json"])
    award = json.loads(result.output)["levels"]["avancerad"]["award"]
    assert [s["value"] for s in award["steps"]] == [3, 6]
    assert award["steps"][0]["at_least"] == 25


def test_show_an_id_in_the_wrong_case_suggests_the_right_one(runner):
    result = runner.invoke(main, ["criteria", "show", "tst-fuel-01", "--set", str(MINI_SET)])
    assert_one_line_error(result, "unknown criterion id 'tst-fuel-01'",
                          "did you mean 'TST-FUEL-01'?")


def test_csv_output_defuses_formulas():
    from procure.cli.output import to_csv

    text = to_csv(["a", "b"], [["=SUM(A1)", "ok"]], delimiter=";")
    assert text.splitlines()[1] == "'=SUM(A1);ok"
