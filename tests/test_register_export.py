"""``procure register list / show / export``; the OCDS package validated against OCDS 1.1."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json

import jsonschema
import pytest
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from procure.cli import main
from procure.register import followup

from .conftest import FIXTURES, assert_one_line_error
from .registerkit import REFERENCE, WINNER, register_example

OCDS = FIXTURES / "ocds"


def _merge(base: dict, patch: dict) -> dict:
    """JSON merge patch (RFC 7386), as OCDS applies an extension's release-schema.json."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def ocds_validator() -> jsonschema.Draft4Validator:
    package = json.loads((OCDS / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((OCDS / "release-schema.json").read_text(encoding="utf-8"))
    release = _merge(release, json.loads((OCDS / "sustainability" / "release-schema.json")
                                         .read_text(encoding="utf-8")))
    registry = Registry().with_resource(release["id"], Resource.from_contents(
        release, default_specification=DRAFT4))
    return jsonschema.Draft4Validator(package, registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _codes(name: str) -> set[str]:
    with (OCDS / "sustainability" / name).open(encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


@pytest.fixture
def filled(db_url):
    reg, _ = register_example(db_url)
    followup.record(reg, REFERENCE, "TRN-FUEL-01", "met", who="a", on=dt.date(2027, 10, 30),
                    evidence="Drivmedelsrapport Q3", valid_until=dt.date(2028, 6, 30))
    followup.record(reg, REFERENCE, "TRN-ZEV-01", "notMet", who="a", on=dt.date(2027, 11, 2),
                    note="två elbussar saknas")
    followup.deviation(reg, REFERENCE, "TRN-ZEV-01", followup.Deviation(
        category="färre elbussar", events=2, period_start=dt.date(2027, 7, 1),
        period_end=dt.date(2027, 10, 31), sanction_agreed="vite 10 000 kr per buss och månad",
        sanction_imposed_sek=80000, corrective_action="två elbussar till",
        corrective_due=dt.date(2028, 1, 31)), who="b")
    reg.close()
    return db_url


def test_ocds_package_is_valid_and_carries_the_follow_up(runner, filled, tmp_path):
    out = tmp_path / "ocds.json"
    result = runner.invoke(main, ["register", "export", "-o", str(out), "--format", "ocds",
                                  "--db", filled])
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    errors = sorted(ocds_validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    release = package["releases"][0]
    assert release["tender"]["hasSustainability"] is True
    sustainability = release["tender"]["sustainability"][0]
    assert sustainability["goal"] in _codes("sustainabilityGoal.csv")
    assert set(sustainability["strategies"]) <= _codes("sustainabilityStrategy.csv")
    assert "contractPerformanceConditions" in sustainability["strategies"]
    contract = release["contracts"][0]
    milestones = contract["implementation"]["milestones"]
    statuses = {m["code"]: m["status"] for m in milestones if m["status"] != "scheduled"}
    assert statuses == {"TRN-FUEL-01:1": "met", "TRN-ZEV-01:2": "notMet"}
    assert all("dateMet" not in m for m in milestones if m["status"] == "scheduled")
    failure = contract["implementation"]["performanceFailures"][0]
    assert failure["events"] == 2
    assert failure["penaltyImposed"] == "80000 SEK"
    assert release["awards"][0]["suppliers"][0]["name"] == WINNER
    assert "implementation" in release["tag"]


def test_an_invalid_package_is_caught_by_the_validator(filled, tmp_path):
    """The validator is not a rubber stamp: a closed-codelist value fails it."""
    from procure.register import db, export

    reg = db.open_register(filled)
    package = export.ocds_package(export.load(reg), prefix="ocds-x", publisher="p",
                                  published=dt.datetime(2026, 1, 1), uri="https://e.x/p.json")
    reg.close()
    package["releases"][0]["contracts"][0]["implementation"]["milestones"][0]["status"] = "done"
    assert list(ocds_validator().iter_errors(package))


def test_export_csv_xlsx_json(runner, filled, tmp_path):
    for name in ("r.csv", "r.xlsx", "r.json"):
        result = runner.invoke(main, ["register", "export", "-o", str(tmp_path / name),
                                      "--db", filled, "--today", "2027-11-20"])
        assert result.exit_code == 0, result.output
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))  # Swedish Excel
    assert rows[0]["reference"] == REFERENCE
    assert rows[0]["checkpoints_met"] == "1"
    assert rows[0]["deviations"] == "1"
    followed = {m["criterion_id"] for m in json.loads((tmp_path / "r.json").read_text(
        encoding="utf-8"))[0]["contracts"][0]["milestones"]}
    assert int(rows[0]["checkpoints_overdue"]) == len(followed) - 2  # all due 2027-11-01; 2 done
    sheet = load_workbook(tmp_path / "r.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[0] == "reference"
    assert sheet.cell(2, 1).value == REFERENCE
    assert sheet.cell(2, header.index("supplier") + 1).value == WINNER
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data[0]["contracts"][0]["failures"][0]["category"] == "färre elbussar"
    result = runner.invoke(main, ["register", "export", "-o", str(tmp_path / "r.csv"),
                                  "--db", filled])
    assert_one_line_error(result, "exists already")
    result = runner.invoke(main, ["register", "export", "-o", str(tmp_path / "r.txt"),
                                  "--db", filled])
    assert result.exit_code == 2


def test_list_and_show(runner, filled):
    result = runner.invoke(main, ["register", "list", "--db", filled, "--format", "json",
                                  "--today", "2027-11-20"])
    rows = json.loads(result.output)
    assert [r["reference"] for r in rows] == [REFERENCE]
    assert rows[0]["risk_tier"] == 1
    result = runner.invoke(main, ["register", "list", "--db", filled])
    assert result.exit_code == 0
    assert "1 procurements." in result.output
    result = runner.invoke(main, ["register", "show", REFERENCE, "--db", filled])
    assert result.exit_code == 0, result.output
    assert "Deviation 1 (TRN-ZEV-01): färre elbussar, 2 time(s)" in result.output
    assert "eForms BT-805: eu,national,other" in result.output
    result = runner.invoke(main, ["register", "show", "KS 0", "--db", filled])
    assert_one_line_error(result, "no procurement 'KS 0'")
