"""Error, warning and finding messages in Swedish (the user default), English on request.

Every other test reads messages in English (``conftest.english_messages``); these run without
``PROCURE_LANG``, as a user would, and check the Swedish wording across the modules — and that
no English is left in a Swedish run.
"""

from __future__ import annotations

import json
import warnings

import openpyxl
import pytest

from procure.cli import main
from procure.criteria import load_criteria_set, select
from procure.errors import (
    ColumnError,
    CriteriaSetError,
    InputFileError,
    ParamError,
    ProcureWarning,
    SpecError,
)
from procure.findings import Finding, Report
from procure.i18n import Msg, set_lang, tr
from procure.io.tables import read_table, require_columns
from procure.io.yamlio import load_yaml
from procure.model import check_level
from procure.tender.spec import load_spec

from .conftest import EXAMPLES, MINI_SET

ENGLISH = ("expected", "missing", "not found", "does not exist", "Error:", "line ", "Usage:",
           "is not", "cannot")


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    """No PROCURE_LANG and no --lang: messages in Swedish, the default."""
    monkeypatch.delenv("PROCURE_LANG", raising=False)
    set_lang(None)


def no_english(text: str, *paths: object) -> None:
    for path in (*paths, EXAMPLES):
        text = text.replace(str(path), "")
    for word in ENGLISH:
        assert word not in text, f"English {word!r} in: {text}"


def mini_spec(folder, extra: str = "") -> str:
    spec = folder / "spec.yaml"
    spec.write_text(f"title: Skolskjuts\ncategory: transport.school\nlevel: avancerad\n"
                    f"criteria_set_path: {MINI_SET}\n{extra}", encoding="utf-8")
    return str(spec)


def test_a_yaml_syntax_error_is_swedish(tmp_path):
    bad = tmp_path / "set.yaml"
    bad.write_text("name: x\ntitle: a: b\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_yaml(bad)
    message = str(info.value)
    assert "set.yaml: rad 2, kolumn 9: syntaxfel i YAML: ett kolon (nyckel: värde) är inte " \
        "tillåtet här" in message
    no_english(message)
    set_lang("en")
    assert "line 2, column 9: YAML syntax error: mapping values are not allowed" in \
        str(info.value)


def test_a_missing_column_is_swedish(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    frame, _ = read_table(path)
    with pytest.raises(ColumnError) as info:
        require_columns(frame, ["text"], path)
    assert str(info.value) == f"{path}: kolumnen/kolumnerna 'text' finns inte; filen har: 'a', 'b'"
    no_english(str(info.value), path)


def test_an_empty_file_and_a_missing_file_are_swedish(tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="filen är tom; ska ha en rubrikrad och rader med "
                                             "data"):
        read_table(empty)
    with pytest.raises(InputFileError, match="filen finns inte") as info:
        read_table(tmp_path / "saknas.csv")
    no_english(str(info.value), tmp_path)


def test_a_file_that_is_not_utf8_names_its_line_in_swedish(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_bytes("title: x\ncategory: Skolskjuts Ö\n".encode("cp1252"))
    with pytest.raises(InputFileError) as info:
        load_spec(path)
    message = str(info.value)
    assert "rad 2: är inte UTF-8-text (byte 0xd6 på position 30, 'Ö' i Windows-1252)" in message
    assert message.endswith("(spara filen som UTF-8)")


def test_an_unknown_criterion_id_is_swedish_and_english_with_lang_en(runner):
    sv = runner.invoke(main, ["criteria", "show", "trn-fuel-01"])
    assert sv.exit_code == 1
    assert sv.output == ("Fel: okänt kriterie-id 'trn-fuel-01' (menade du 'TRN-FUEL-01'? "
                         "se `procure criteria list` för giltiga id)\n")
    en = runner.invoke(main, ["criteria", "show", "trn-fuel-01", "--lang", "en"])
    assert en.output.startswith("Error: unknown criterion id 'trn-fuel-01' (did you mean "
                                "'TRN-FUEL-01'? see `procure criteria list` for the ids)")


def test_an_unknown_level_and_a_bad_param_are_swedish(mini_set):
    with pytest.raises(Exception, match="okänd nivå 'guld'; ska vara en av bas, avancerad, "
                                        "spjutspets"):
        check_level("guld")
    with pytest.raises(ParamError) as info:
        select(mini_set, "transport.school", "bas",
               overrides={"TST-FUEL-01": {"share_pct": "1,5"}})
    assert str(info.value) == ("params.TST-FUEL-01.share_pct: '1,5' är inget tal; ska vara ett "
                               "tal, t.ex. 50 (skriv 1.5 med decimalpunkt)")


def test_a_spec_with_a_missing_field_is_swedish(tmp_path, runner):
    spec = tmp_path / "spec.yaml"
    spec.write_text("category: transport.school\nlevel: bas\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert str(info.value) == f"{spec}: rad 1: fältet 'title' saknas (se examples/spec.yaml)"
    result = runner.invoke(main, ["spec", "show", str(spec)])
    assert result.exit_code == 1
    assert result.output.startswith("Fel: ")
    no_english(result.output, tmp_path)


def test_a_spec_error_at_a_field_names_the_line_in_swedish(tmp_path, runner):
    spec = mini_spec(tmp_path, "criteria:\n  add: [NOPE-01]\n")
    result = runner.invoke(main, ["spec", "show", spec])
    assert result.exit_code == 1
    assert "spec.yaml: rad 6, criteria.add: okänt kriterie-id 'NOPE-01'" in result.output
    no_english(result.output, tmp_path)


def test_validate_json_has_swedish_messages_and_the_same_codes(tmp_path, runner):
    text = MINI_SET.read_text(encoding="utf-8").replace("categories: [transport, food]",
                                                        "categories: [transport, rymd]", 1)
    bad = tmp_path / "set.yaml"
    bad.write_text(text.replace("version: 0.1.0\n", ""), encoding="utf-8")
    result = runner.invoke(main, ["criteria", "validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    findings = {f["code"]: f["message"] for f in json.loads(result.output)["findings"]}
    assert findings["schema"] == "'version' saknas (obligatoriskt)"
    assert findings["unknown-category"] == ("kriteriet TST-ISO-01 hänvisar till kategorin "
                                            "'rymd', som inte är definierad i uppsättningen")
    for message in findings.values():
        assert isinstance(message, str)
        no_english(message)
    en = runner.invoke(main, ["criteria", "validate", str(bad), "--format", "json",
                              "--lang", "en"])
    codes = {f["code"]: f["message"] for f in json.loads(en.output)["findings"]}
    assert codes.keys() == findings.keys()
    assert codes["schema"] == "'version' is missing (required)"


def test_validate_text_lines_are_swedish(tmp_path, runner):
    ok = runner.invoke(main, ["criteria", "validate", str(MINI_SET)])
    assert ok.output.rstrip().endswith(": giltig")
    bad = tmp_path / "set.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    result = runner.invoke(main, ["criteria", "validate", str(bad)])
    assert result.exit_code == 1
    assert "fel: " in result.output
    assert "OGILTIG (3 fel)" in result.output
    no_english(result.output, bad)


def test_an_invalid_set_fails_in_swedish(tmp_path):
    bad = tmp_path / "set.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(CriteriaSetError) as info:
        load_criteria_set(bad)
    assert str(info.value).startswith("ogiltig kriterieuppsättning: ")
    assert "(och 2 till; kör `procure criteria validate" in str(info.value)


def test_check_findings_are_swedish_in_json_and_in_the_workbook(tmp_path, runner):
    spec = mini_spec(tmp_path)
    answers = tmp_path / "svar.csv"
    answers.write_text("leverantör;kriterium;svar\nAlfa AB;TST-ISO-01;Ja\n"
                       "Alfa AB;TST-OLD-99;Ja\n", encoding="utf-8")
    result = runner.invoke(main, ["check", spec, str(answers), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    findings = {f["code"]: f["message"] for f in data["findings"]}
    assert findings["unknown-criterion"] == (
        "svar på kriterie-id 'TST-OLD-99', som inte ingår i den här upphandlingen, har "
        "ignorerats (leverantörer: Alfa AB)")
    assert findings["bid-price"] == ("'Alfa AB': anbudspris saknas; avdrag och jämförelsepris "
                                     "kan inte beräknas")
    iso = next(v for v in data["verdicts"] if v["criterion_id"] == "TST-ISO-01")
    assert iso["location"] == "rad 2"
    out = tmp_path / "resultat.xlsx"
    runner.invoke(main, ["check", spec, str(answers), "-o", str(out)])
    sheet = openpyxl.load_workbook(out)["Fynd"]
    messages = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("'Alfa AB': anbudspris saknas; avdrag och jämförelsepris kan inte beräknas"
            in messages)


def test_a_warning_is_swedish(tmp_path, runner):
    spec = tmp_path / "spec.yaml"
    spec.write_text("titel: x\ntitle: x\ncategory: transport.school\nlevel: bas\n",
                    encoding="utf-8")
    with pytest.warns(ProcureWarning) as caught:
        load_spec(spec)
    assert str(caught[0].message) == (f"{spec}: rad 1: fältet 'titel' finns inte i en spec-fil "
                                      "och ignoreras (menade du title?)")
    result = runner.invoke(main, ["spec", "show", mini_spec(tmp_path, "nivå: bas\n")])
    assert "Varning: " in result.output
    assert "fältet 'nivå' finns inte i en spec-fil och ignoreras" in result.output


def test_an_output_that_would_overwrite_an_input_is_refused_in_swedish(runner):
    target = EXAMPLES / "answers" / "05-skolskjuts-mitt-export.csv"
    before = target.read_bytes()
    result = runner.invoke(main, ["check", str(EXAMPLES / "spec.yaml"),
                                  str(EXAMPLES / "answers"), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == (f"Fel: {target}: utfilen skulle skriva över en av indatafilerna "
                             "(välj ett annat namn på utfilen)\n")
    assert target.read_bytes() == before


def test_usage_errors_are_swedish(tmp_path, runner):
    result = runner.invoke(main, ["annex", str(EXAMPLES / "spec.yaml"), "-o",
                                  str(tmp_path / "a.pdf"), "--date", "2027-13-01"])
    assert result.exit_code == 2
    assert "Användning: main annex [OPTIONS] SPEC" in result.output
    assert ("Fel: ogiltigt värde för '--date': '2027-13-01' är inget datum; skriv det som "
            "ÅÅÅÅ-MM-DD") in result.output
    level = runner.invoke(main, ["spec", "new", "--title", "x", "--category", "x", "--level",
                                 "guld", "-o", str(tmp_path / "s.yaml")])
    assert level.exit_code == 2
    assert "'guld' är inte ett av 'bas', 'avancerad', 'spjutspets'" in level.output
    suffix = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                  str(tmp_path / "mall.txt")])
    assert "svarsmallen är en Excel-fil; ge den ändelsen .xlsx" in suffix.output
    english = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o",
                                   str(tmp_path / "mall.txt"), "--lang", "en"])
    assert "Error: Invalid value for --output: the template is an Excel file; name it .xlsx" in \
        english.output


@pytest.mark.parametrize("args", [
    ["criteria", "show", "NOPE-01"],
    ["criteria", "list", "--set", "{tmp}/saknas"],
    ["spec", "show", "{tmp}/saknas.yaml"],
    ["check", str(EXAMPLES / "spec.yaml"), "{tmp}/saknas.xlsx"],
    ["check", str(EXAMPLES / "spec.yaml"), "{tmp}/tom.csv"],
    ["spec", "new", "--title", "x", "--category", "rymdfart", "--level", "bas", "-o",
     "{tmp}/s.yaml"],
    ["spec", "new", "--title", "x", "--category", "transport.school", "--level", "bas",
     "--start", "2027-06-01", "--end", "2026-01-01", "-o", "{tmp}/s.yaml"],
])
def test_no_english_leaks_into_a_swedish_run(tmp_path, runner, args):
    (tmp_path / "tom.csv").write_bytes(b"")
    result = runner.invoke(main, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Fel: ")
    assert "Traceback" not in result.output
    no_english(result.output, tmp_path)


def test_msg_objects_never_reach_json_or_spreadsheets():
    report = Report(source="x")
    report.add("code", tr("{n} rows", "{n} rader", n=3), line=4)
    data = report.to_dict()
    assert data["findings"][0]["message"] == "3 rader"
    assert type(data["findings"][0]["message"]) is str
    json.dumps(data)  # no default=str needed
    finding = Finding("code", Msg("bad", "fel"))
    assert str(finding) == "fel"
    assert str(Finding("code", Msg("bad", "fel"), line=3)) == "rad 3: fel"
    set_lang("en")
    assert str(Finding("code", Msg("bad", "fel"), line=3)) == "line 3: bad"


def test_warnings_print_with_a_swedish_prefix(tmp_path, runner):
    spec = mini_spec(tmp_path, "criteria_set: test-mini@9.9.9\n")
    with warnings.catch_warnings():
        result = runner.invoke(main, ["spec", "show", spec, "--allow-other-version"])
    assert result.exit_code == 0, result.output
    assert ("Varning: " + spec + ": skriven för test-mini@9.9.9 men test-mini@0.1.0 är inläst; "
            "kriterierna kan skilja sig") in result.output
