"""``procure register`` and ``procure followup`` through the CLI (both databases)."""

from __future__ import annotations

import json
import re

import icalendar
import pytest

from procure.cli import main

from .conftest import EXAMPLES, assert_one_line_error
from .registerkit import REFERENCE, WINNER

SPEC = str(EXAMPLES / "spec.yaml")
ANSWERS = str(EXAMPLES / "answers")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> str:
    """The results workbook of the example check, as the buyer keeps it."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("results") / "utvardering.xlsx"
    result = CliRunner().invoke(main, ["check", SPEC, ANSWERS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return str(out)


@pytest.fixture
def awarded(runner, db_url, results) -> str:
    assert runner.invoke(main, ["register", "init", "--db", db_url]).exit_code == 0
    result = runner.invoke(main, ["register", "add", SPEC, "--results", results,
                                  "--winner", WINNER, "--db", db_url, "--who", "Anna"])
    assert result.exit_code == 0, result.output
    return db_url


def test_init_twice_and_upgrade(runner, db_url):
    result = runner.invoke(main, ["register", "init", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "Created the register" in result.output
    result = runner.invoke(main, ["register", "init", "--db", db_url])
    assert "exists already" in result.output
    result = runner.invoke(main, ["register", "upgrade", "--db", db_url, "--lang", "sv"])
    assert result.exit_code == 0
    assert "är redan aktuellt (schema 0001)" in result.output


def test_procure_db_environment_variable(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PROCURE_DB", str(tmp_path / "env.db"))
    assert runner.invoke(main, ["register", "init"]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_add_without_init_and_a_foreign_file_are_one_line_errors(runner, tmp_path):
    result = runner.invoke(main, ["register", "add", SPEC, "--db", str(tmp_path / "x.db")])
    assert_one_line_error(result, "not a register yet", "procure register init")
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"PK\x03\x04 not sqlite" * 100)
    result = runner.invoke(main, ["register", "upgrade", "--db", str(foreign)])
    assert_one_line_error(result, "cannot open", "as a database")


def test_add_shows_the_tier_and_plan_prints_it(runner, awarded, results):
    result = runner.invoke(main, ["register", "plan", REFERENCE, "--db", awarded])
    assert result.exit_code == 0, result.output
    assert WINNER in result.output
    assert "risk tier 1 (~10 % of contracts by value): every 4 months" in result.output
    assert "2027-11-01  TRN-FUEL-01:1" in result.output
    result = runner.invoke(main, ["register", "plan", REFERENCE, "--db", awarded,
                                  "--format", "json"])
    data = json.loads(result.output)
    assert data["risk_tier"] == 1
    assert re.fullmatch(r"[A-Z]+-[A-Z0-9]+-\d+:\d+", data["checkpoints"][0]["criterion"])


def test_add_only_the_procurement_then_plan_says_no_contract(runner, db_url):
    runner.invoke(main, ["register", "init", "--db", db_url])
    result = runner.invoke(main, ["register", "add", SPEC, "--db", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["register", "plan", REFERENCE, "--db", db_url])
    assert "No contract registered yet." in result.output
    result = runner.invoke(main, ["register", "add", SPEC, "--db", db_url])
    assert_one_line_error(result, "already has a procurement 'KS 2026/0412'")


def test_add_needs_winner_with_results_and_a_known_winner(runner, awarded, results):
    result = runner.invoke(main, ["register", "add", SPEC, "--results", results, "--db", awarded])
    assert result.exit_code == 2
    result = runner.invoke(main, ["register", "add", SPEC, "--results", results, "--winner",
                                  "Nobody AB", "--db", awarded])
    assert_one_line_error(result, "no supplier named 'Nobody AB'", "Norrlandsbuss AB")


def test_tier_by_hand_and_frequencies(runner, db_url, results):
    runner.invoke(main, ["register", "init", "--db", db_url])
    result = runner.invoke(main, ["register", "add", SPEC, "--results", results, "--winner",
                                  WINNER, "--tier", "3", "--db", db_url])
    assert "risk tier 3 (~60 % of contracts by value): every 24 months" in result.output
    result = runner.invoke(main, ["register", "add", SPEC, "--per-year", "3;1", "--db", db_url])
    assert result.exit_code == 2
    assert "give 3 numbers" in result.output


def test_plan_ics_file(runner, awarded, tmp_path):
    out = tmp_path / "plan.ics"
    result = runner.invoke(main, ["register", "plan", REFERENCE, "--format", "ics", "-o",
                                  str(out), "--db", awarded])
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    plan = json.loads(runner.invoke(main, ["register", "plan", REFERENCE, "--format", "json",
                                           "--db", awarded]).output)
    followed = {c["criterion"] for c in plan["checkpoints"]}
    assert len(events) == 11 * len(followed) == len(plan["checkpoints"])
    assert len({str(e["UID"]) for e in events}) == len(events)
    result = runner.invoke(main, ["register", "plan", REFERENCE, "--format", "ics", "-o",
                                  str(out), "--db", awarded])
    assert_one_line_error(result, "exists already", "--force")


def _followed(runner, db_url) -> int:
    plan = json.loads(runner.invoke(main, ["register", "plan", REFERENCE, "--format", "json",
                                           "--db", db_url]).output)
    return len({c["criterion"] for c in plan["checkpoints"]})


def test_followup_cycle(runner, awarded):
    followed = _followed(runner, awarded)  # one checkpoint each on 2027-11-01
    assert followed >= 10
    result = runner.invoke(main, ["followup", "due", "--today", "2027-10-25", "--db", awarded])
    assert result.exit_code == 0, result.output
    assert f"DUE ({followed})" in result.output
    result = runner.invoke(main, ["followup", "record", REFERENCE, "TRN-FUEL-01", "--status",
                                  "met", "--evidence", "Rapport Q3", "--valid-until",
                                  "2027-12-01", "--on", "2027-10-30", "--db", awarded])
    assert result.exit_code == 0, result.output
    assert "Recorded met for TRN-FUEL-01" in result.output
    result = runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-ZEV-01",
                                  "--category", "färre elbussar", "--sanction-imposed",
                                  "25 000", "--action", "Två elbussar till", "--action-due",
                                  "2028-03-31", "--db", awarded])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["followup", "due", "--today", "2027-11-20", "--within", "14",
                                  "--format", "json", "--db", awarded])
    items = json.loads(result.output)
    states = {(i["state"], i["criterion"]) for i in items}
    assert ("evidence_expiring", "TRN-FUEL-01") in states
    assert ("overdue", "TRN-ZEV-01") in states
    result = runner.invoke(main, ["followup", "due", "--today", "2027-12-02", "--db", awarded,
                                  "--lang", "sv"])
    assert "BEVIS HAR GÅTT UT (1)" in result.output
    assert f"FÖRSENAD ({followed - 1})" in result.output


@pytest.mark.parametrize(("args", "needle", "code"), [
    (["--status", "done"], "'done' is not one of", 2),
    (["--status", "met", "--valid-until", "31/12/2027"], "is not a date", 2),
])
def test_record_bad_options(runner, awarded, args, needle, code):
    result = runner.invoke(main, ["followup", "record", REFERENCE, "TRN-FUEL-01", *args,
                                  "--db", awarded])
    assert result.exit_code == code
    assert needle in result.output


def test_deviation_bad_amount(runner, awarded):
    result = runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-FUEL-01",
                                  "--category", "x", "--sanction-imposed", "-5", "--db", awarded])
    assert result.exit_code == 2
    assert "is not an amount" in result.output


def test_a_corrective_action_is_due_until_resolved(runner, awarded):
    result = runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-ZEV-01",
                                  "--category", "färre elbussar", "--action",
                                  "Två elbussar till", "--action-due", "2028-03-31",
                                  "--db", awarded])
    assert result.exit_code == 0, result.output
    fid = result.output.split("deviation ")[1].split()[0]

    def actions(today: str) -> list[dict]:
        out = runner.invoke(main, ["followup", "due", "--today", today, "--within", "14",
                                   "--format", "json", "--db", awarded])
        return [i for i in json.loads(out.output) if i["state"].startswith("action")]

    assert actions("2028-03-01") == []  # not yet within 14 days
    assert [(a["state"], a["deviation_id"], a["title"]) for a in actions("2028-03-20")] == \
        [("action_due", int(fid), "Två elbussar till")]
    assert [a["state"] for a in actions("2028-04-02")] == ["action_overdue"]
    shown = runner.invoke(main, ["followup", "due", "--today", "2028-04-02", "--db", awarded,
                                 "--lang", "sv"])
    assert "ÅTGÄRD FÖRSENAD (1)" in shown.output
    result = runner.invoke(main, ["followup", "resolve", fid, "--outcome", "genomförd",
                                  "--note", "Två elbussar i trafik", "--on", "2028-04-03",
                                  "--sanction-imposed", "10 000", "--db", awarded, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"Deviation {fid} (TRN-ZEV-01)" in result.output
    assert "is done" in result.output
    assert actions("2028-04-02") == []
    show = runner.invoke(main, ["register", "show", REFERENCE, "--db", awarded, "--lang", "sv"])
    assert "Två elbussar till senast 2028-03-31 (genomförd)" in show.output
    assert "sanktion 10\u00a0000 kr" in show.output


@pytest.mark.parametrize(("args", "needle", "code"), [
    (["999", "--outcome", "done"], "no deviation 999", 1),
    (["1", "--outcome", "kanske"], "'kanske' is not one of", 2),
    (["1", "--outcome", "done", "--sanction-imposed", "-5"], "is not an amount", 2),
])
def test_resolve_bad_input(runner, awarded, args, needle, code):
    made = runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-ZEV-01", "--category",
                                "x", "--action", "y", "--action-due", "2028-01-31", "--db",
                                awarded])
    assert made.exit_code == 0, made.output
    result = runner.invoke(main, ["followup", "resolve", *args, "--db", awarded, "--lang", "en"])
    assert result.exit_code == code, result.output
    assert needle in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "needle"), [
    (["--from", "2027-06-01", "--to", "2027-05-01"], "the period ends (2027-05-01) before it"),
    (["--action", "Byt till HVO100"], "the corrective action needs a due date"),
    (["--action-due", "2027-12-31"], "a due date (2027-12-31) but no corrective action"),
])
def test_a_deviation_that_cannot_be_followed_up_is_refused(runner, awarded, args, needle):
    result = runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-FUEL-01",
                                  "--category", "fel drivmedel", *args, "--db", awarded,
                                  "--lang", "en"])
    assert_one_line_error(result, needle)
    show = runner.invoke(main, ["register", "show", REFERENCE, "--db", awarded, "--lang", "en"])
    assert "Deviation" not in show.output  # nothing was written


def test_closing_an_action_twice_the_same_way_is_refused(runner, awarded):
    runner.invoke(main, ["followup", "deviation", REFERENCE, "TRN-ZEV-01", "--category", "x",
                         "--action", "y", "--action-due", "2028-01-31", "--db", awarded])
    first = runner.invoke(main, ["followup", "resolve", "1", "--outcome", "done", "--db", awarded])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["followup", "resolve", "1", "--outcome", "done", "--db", awarded,
                                 "--lang", "en"])
    assert_one_line_error(again, "already closed as done")
    corrected = runner.invoke(main, ["followup", "resolve", "1", "--outcome", "not_done",
                                     "--db", awarded])
    assert corrected.exit_code == 0, corrected.output  # a correction is kept in the history
