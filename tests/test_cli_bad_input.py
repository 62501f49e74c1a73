"""Bad input across commands: one clear ``Error:`` line, exit 1, no traceback, nothing written.

Every command that reads a spec (``spec show``, ``spec notice``, ``template``, ``check``,
``annex``) gets the same broken specs; every command that writes a file gets the same broken
output paths. Command-specific cases live in ``test_cli_<command>.py``.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from procure.cli import main

from .conftest import MINI_SET, assert_one_line_error, assert_usage_error

SPEC = f"""\
reference: KS 2026/1
title: Skolskjuts
category: transport.school
level: avancerad
criteria_set: test-mini@0.1.0
criteria_set_path: {MINI_SET}
contract_period: {{start: 2027-07-01, end: 2031-06-30}}
criteria:
  add: []
  remove: []
  params: {{}}
"""

# (what is wrong, the spec text, what the one error line must say)
BAD_SPECS = [
    ("missing field", SPEC.replace("title: Skolskjuts\n", ""), ["field 'title' is missing"]),
    ("wrong level", SPEC.replace("level: avancerad", "level: guld"),
     ["line 4", "level 'guld' is not one of bas, avancerad, spjutspets"]),
    ("unknown category", SPEC.replace("category: transport.school", "category: rymdfart"),
     ["line 3, category", "unknown category 'rymdfart'"]),
    ("unknown id in add", SPEC.replace("add: []", "add: [NOPE-01]"),
     ["line 9, criteria.add", "unknown criterion id 'NOPE-01'"]),
    ("unknown id in remove", SPEC.replace("remove: []", "remove: [NOPE-02]"),
     ["line 10, criteria.remove", "unknown criterion id 'NOPE-02'"]),
    ("unknown id in params", SPEC.replace("params: {}", "params: {NOPE-03: {x: 1}}"),
     ["line 11, criteria.params", "unknown criterion id 'NOPE-03'"]),
    ("id in the wrong case", SPEC.replace("add: []", "add: [tst-fuel-01]"),
     ["criteria.add", "did you mean 'TST-FUEL-01'?"]),
    ("unknown param", SPEC.replace("params: {}", "params: {TST-FUEL-01: {share: 80}}"),
     ["criteria.params.TST-FUEL-01", "no param 'share'", "share_pct"]),
    ("Swedish decimal comma", SPEC.replace("params: {}",
                                           "params: {TST-FUEL-01: {share_pct: '1,5'}}"),
     ["line 11, criteria.params.TST-FUEL-01.share_pct", "'1,5' is not a number",
      "write 1.5 with a decimal point"]),
    ("decimal comma splitting a flow mapping",
     SPEC.replace("params: {}", "params: {TST-FUEL-01: {share_pct: 1,5}}"),
     ["no param 5", "a decimal comma in {…} splits the value"]),
    ("text for a number", SPEC.replace("params: {}",
                                       "params: {TST-FUEL-01: {share_pct: mycket}}"),
     ["'mycket' is not a number; expected a number like"]),
    ("a list for a number", SPEC.replace("params: {}",
                                         "params: {TST-FUEL-01: {share_pct: [1, 2]}}"),
     ["the value is a list; expected a single value"]),
    ("a list for the title", SPEC.replace("title: Skolskjuts", "title: [a, b]"),
     ["line 2", "field 'title' must be a single value; found a list"]),
    ("not a date", SPEC.replace("start: 2027-07-01", "start: 1 juli 2027"),
     ["line 7", "contract_period.start '1 juli 2027' is not a date", "YYYY-MM-DD"]),
    ("an impossible date", SPEC.replace("start: 2027-07-01", "start: 2027-13-01"),
     ["line 7, contract_period.start", "'2027-13-01' cannot be read"]),
    ("end before start", SPEC.replace("end: 2031-06-30", "end: 2026-06-30"),
     ["the contract ends (2026-06-30) before it starts (2027-07-01)"]),
    ("negative value", SPEC + "estimated_value_sek: -5\n",
     ["estimated_value_sek -5 is not an amount"]),
    ("malformed YAML", SPEC.replace("level: avancerad", "level: [avancerad"),
     ["YAML syntax error"]),
    ("a list instead of a mapping", "- title: Skolskjuts\n- level: bas\n",
     ["expected a mapping with title, category, level; found a list"]),
    ("a self-referring alias", SPEC + "notes: &a [*a]\n",
     ["an alias refers to the value that contains it"]),
    ("a criteria set that is not there",
     SPEC.replace(str(MINI_SET), "nowhere/set.yaml"),
     ["line 6", "criteria_set_path", "does not exist"]),
]


def _commands(spec: Path, tmp_path: Path) -> dict[str, list[str]]:
    answers = tmp_path / "answers.csv"
    answers.write_text("Leverantör;TST-FUEL-01\nBuss AB;80 %\n", encoding="utf-8")
    return {
        "spec show": ["spec", "show", str(spec)],
        "spec notice": ["spec", "notice", str(spec)],
        "template": ["template", str(spec), "-o", str(tmp_path / "out.xlsx")],
        "check": ["check", str(spec), str(answers), "-o", str(tmp_path / "out.xlsx")],
        "annex": ["annex", str(spec), "-o", str(tmp_path / "out.pdf")],
    }


COMMANDS = ["spec show", "spec notice", "template", "check", "annex"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("problem", "text", "needles"), BAD_SPECS,
                         ids=[case[0] for case in BAD_SPECS])
def test_a_bad_spec_is_one_clear_line(runner, tmp_path, command, problem, text, needles):
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = runner.invoke(main, _commands(spec, tmp_path)[command])
    assert_one_line_error(result, "spec.yaml", *needles)
    assert not list(tmp_path.glob("out.*"))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("problem", "content", "needles"), [
    ("missing", None, ["does not exist"]),
    ("empty", b"", ["file is empty"]),
    ("binary", bytes(range(256)) * 4, ["is a binary file; expected a YAML file"]),
    ("Windows-1252", "title: Skolskjuts Örnsköldsvik\n".encode("cp1252"),
     ["line 1", "'Ö' in Windows-1252", "save the file as UTF-8"]),
    ("a PDF", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", ["is a PDF; expected a YAML file"]),
])
def test_an_unreadable_spec_file_is_one_clear_line(runner, tmp_path, command, problem, content,
                                                   needles):
    spec = tmp_path / "spec.yaml"
    if content is not None:
        spec.write_bytes(content)
    result = runner.invoke(main, _commands(spec, tmp_path)[command])
    assert_one_line_error(result, "spec.yaml", *needles)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_given_as_the_spec(runner, tmp_path, command):
    folder = tmp_path / "specs"
    folder.mkdir()
    result = runner.invoke(main, _commands(folder, tmp_path)[command])
    assert_one_line_error(result, "specs", "is a folder; expected a YAML file")


def test_a_misspelt_field_warns_and_the_command_runs(runner, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("criteria:", "kriterier:"), encoding="utf-8")
    result = runner.invoke(main, ["spec", "show", str(spec)])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output
    assert "field 'kriterier' is not a spec field and is ignored" in result.output


# --- outputs -----------------------------------------------------------------------------------

def _writers(spec: Path, tmp_path: Path, output: Path) -> dict[str, list[str]]:
    answers = tmp_path / "answers.csv"
    answers.write_text("Leverantör;TST-FUEL-01\nBuss AB;80 %\n", encoding="utf-8")
    return {
        "spec new": ["spec", "new", "--title", "T", "--category", "transport.school", "--level",
                     "bas", "--set", str(MINI_SET), "-o", str(output)],
        "template": ["template", str(spec), "-o", str(output)],
        "check": ["check", str(spec), str(answers), "-o", str(output)],
        "check --pdf": ["check", str(spec), str(answers), "--pdf", str(output)],
        "annex": ["annex", str(spec), "-o", str(output)],
        "annex --template": ["annex", str(spec), "-o", str(tmp_path / "annex.pdf"),
                             "--template", str(output)],
        "match": ["match", "--input", str(answers), "--text-column", "Leverantör", "--set",
                  str(MINI_SET), "-o", str(output)],
    }


SUFFIX = {"spec new": ".yaml", "template": ".xlsx", "check": ".xlsx", "check --pdf": ".pdf",
          "annex": ".pdf", "annex --template": ".xlsx", "match": ".csv"}


@pytest.fixture
def good_spec(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


@pytest.mark.parametrize("command", list(SUFFIX))
def test_output_in_a_folder_that_does_not_exist(runner, tmp_path, good_spec, command):
    output = tmp_path / "nej" / f"out{SUFFIX[command]}"
    result = runner.invoke(main, _writers(good_spec, tmp_path, output)[command])
    assert_one_line_error(result, "output folder does not exist", "create")
    assert not (tmp_path / "annex.pdf").exists()  # nothing half-written


@pytest.mark.parametrize("command", list(SUFFIX))
def test_output_in_a_folder_that_is_a_file(runner, tmp_path, good_spec, command):
    output = good_spec / f"out{SUFFIX[command]}"
    result = runner.invoke(main, _writers(good_spec, tmp_path, output)[command])
    assert_one_line_error(result, "cannot write", "is a file, not a folder")
    assert not (tmp_path / "annex.pdf").exists()


@pytest.mark.parametrize("command", [c for c in SUFFIX if c != "spec new"])
def test_output_with_an_unknown_suffix(runner, tmp_path, good_spec, command):
    output = tmp_path / "out.txt"
    result = runner.invoke(main, _writers(good_spec, tmp_path, output)[command])
    assert_usage_error(result, "Invalid value for", SUFFIX[command])
    assert not output.exists()
    assert not (tmp_path / "annex.pdf").exists()


def test_spec_new_with_an_unknown_suffix(runner, tmp_path, good_spec):
    output = tmp_path / "out.txt"
    result = runner.invoke(main, _writers(good_spec, tmp_path, output)["spec new"])
    assert_usage_error(result, "the spec is a YAML file; name it .yaml or .yml")
    assert not output.exists()


@pytest.mark.parametrize("command", ["template", "check", "annex", "annex --template"])
def test_output_equal_to_the_spec(runner, tmp_path, command):
    spec = tmp_path / f"spec{SUFFIX[command]}"
    spec.write_text(SPEC, encoding="utf-8")
    before = spec.read_bytes()
    result = runner.invoke(main, _writers(spec, tmp_path, spec)[command])
    assert_one_line_error(result, "would overwrite an input")
    assert spec.read_bytes() == before


@pytest.mark.parametrize("command", ["spec show", "template", "check", "annex"])
def test_an_unknown_language_is_a_usage_error(runner, tmp_path, good_spec, command):
    result = runner.invoke(main, [*_commands(good_spec, tmp_path)[command], "--lang", "xx"])
    assert_usage_error(result, "'xx' is not one of 'sv', 'en'")


# --- tables: the answers of `check` and the ledger of `match` ----------------------------------

def _empty_sheet(path: Path) -> None:
    openpyxl.Workbook().save(path)


def _headers_only(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Leverantör", "TST-FUEL-01"])
    book.save(path)


TABLES = [
    ("a PDF renamed .xlsx", "t.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", ["is a PDF"]),
    ("a password-protected .xlsx", "t.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
     ["is password-protected"]),
    ("a binary file", "t.csv", bytes(range(256)), ["binary file, not a spreadsheet"]),
    ("an empty file", "t.csv", b"", ["file is empty"]),
    ("a first row wider than the header", "t.csv", "Leverantör;TST-FUEL-01\nBuss AB;80;%\n"
     .encode(), ["line 2 has 3 values but the header row has 2 columns"]),
    ("an empty sheet", "t.xlsx", _empty_sheet, ["no filled cells", "is empty"]),
    ("a header row only", "t.xlsx", _headers_only, ["no answers", "no data rows"]),
]


@pytest.mark.parametrize("command", ["check", "match"])
@pytest.mark.parametrize(("problem", "name", "content", "needles"), TABLES,
                         ids=[case[0] for case in TABLES])
def test_a_bad_table_is_one_clear_line(runner, tmp_path, good_spec, command, problem, name,
                                       content, needles):
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    out = tmp_path / "out.csv"
    args = (["check", str(good_spec), str(path), "-o", str(out)] if command == "check" else
            ["match", "--input", str(path), "--text-column", "Leverantör", "--set", str(MINI_SET),
             "-o", str(out)])
    result = runner.invoke(main, args)
    assert_one_line_error(result, name)
    assert any(needle in result.output for needle in needles), result.output
    assert not out.exists()


def test_match_sheet_for_a_csv_file(runner, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("Leverantör;Belopp\nBuss AB;100\n", encoding="utf-8")
    result = runner.invoke(main, ["match", "--input", str(path), "--text-column", "Leverantör",
                                  "--sheet", "Blad1", "-o", str(tmp_path / "out.csv")])
    assert_one_line_error(result, "ledger.csv: is a CSV file, which has no sheets")
