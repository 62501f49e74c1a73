"""``procure criteria install|sets|uninstall|export|import|diff|merge`` and ``validate
--previous`` through the command line, including hostile sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from procure.cli import main
from procure.criteria.diff import next_version
from procure.criteria.document import dump_yaml, read_document
from procure.criteria.install import builtin_set

from .conftest import (
    EXAMPLES,
    FIXTURES,
    MINI_SET,
    assert_one_line_error,
    assert_usage_error,
)

UMEA = EXAMPLES / "umea-klimat"
BUILTIN = builtin_set().ref


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("PROCURE_DATA_DIR", str(folder))
    return folder


def run(runner, *args: str):
    return runner.invoke(main, ["criteria", *map(str, args)])


def edited_mini(tmp_path: Path, name: str, edit, version: str | None = None) -> Path:
    doc = read_document(MINI_SET)
    edit(doc)
    if version:
        doc.data["version"] = version
    path = tmp_path / name
    path.write_text(dump_yaml(doc.data), encoding="utf-8")
    return path


def fuel(doc):
    return next(c for c in doc.criteria if c["id"] == "TST-FUEL-01")


def test_install_sets_uninstall(runner, data_dir):
    result = run(runner, "install", UMEA)
    assert result.exit_code == 0, result.output
    assert "Installed umea@1.0.0" in result.output
    again = run(runner, "install", UMEA)
    assert "already installed with the same content" in again.output
    listed = run(runner, "sets", "--format", "json")
    refs = [s["ref"] for s in json.loads(listed.output)]
    assert refs[1:] == ["umea@1.0.0"]
    assert json.loads(listed.output)[0]["builtin"] is True
    gone = run(runner, "uninstall", "umea@1.0.0")
    assert gone.exit_code == 0
    assert "Uninstalled umea@1.0.0" in gone.output
    assert_one_line_error(run(runner, "uninstall", "umea@1.0.0"), "umea@1.0.0 is not installed")
    table = run(runner, "sets", "--lang", "sv")
    assert "inbyggd" in table.output
    assert "umea@1.0.0" not in table.output


def test_install_same_name_version_other_content(runner, tmp_path):
    assert run(runner, "install", MINI_SET).exit_code == 0
    other = edited_mini(tmp_path, "m.yaml",
                        lambda d: fuel(d)["levels"]["bas"]["params"].update(share_pct=55))
    assert_one_line_error(run(runner, "install", other),
                          "test-mini@0.1.0 is already installed with other content")


def test_install_a_newer_format(runner, tmp_path):
    path = tmp_path / "v9.yaml"
    path.write_text(MINI_SET.read_text(encoding="utf-8").replace("criteria-set/v1",
                                                                 "criteria-set/v9"),
                    encoding="utf-8")
    assert_one_line_error(run(runner, "install", path), "format v9", "upgrade procure")


def test_install_warns_about_markup(runner, tmp_path):
    hostile = edited_mini(tmp_path, "h.yaml", lambda d: fuel(d)["title"].update(
        sv="<b>fet</b> & =1+1"))
    result = run(runner, "install", hostile)
    assert result.exit_code == 0, result.output
    assert "looks like markup" in result.output


def test_export_yaml_xlsx_csv_and_import_back(runner, tmp_path):
    for name in ("s.yaml", "s.xlsx", "s.csv"):
        result = run(runner, "export", MINI_SET, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "s.kategorier.csv").is_file()
    assert read_document(tmp_path / "s.yaml").hash() == read_document(MINI_SET).hash()
    for name in ("s.xlsx", "s.csv"):
        out = tmp_path / f"back-{name}"
        result = run(runner, "import", tmp_path / name, "--name", "test-mini", "--publisher",
                     "procure tests", "--version", "0.1.0", "--title", "T", "-o", out)
        assert result.exit_code == 0, result.output
        back = read_document(out)
        assert back.criteria == read_document(MINI_SET).criteria
        assert back.data["publisher"] == "procure tests"
    again = run(runner, "export", MINI_SET, "-o", tmp_path / "s.yaml")
    assert_one_line_error(again, "exists already")


def test_export_of_an_installed_set_by_name(runner, tmp_path):
    run(runner, "install", UMEA)
    result = run(runner, "export", "umea@1.0.0", "-o", tmp_path / "u.xlsx", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "u.xlsx").sheetnames == ["Criteria", "Categories", "Set"]


def test_export_with_a_wrong_suffix_is_a_usage_error(runner, tmp_path):
    assert_usage_error(run(runner, "export", MINI_SET, "-o", tmp_path / "s.txt"), ".yaml")


def test_import_of_a_sheet_that_breaks_the_set_writes_nothing(runner, tmp_path):
    run(runner, "export", MINI_SET, "-o", tmp_path / "s.xlsx")
    book = load_workbook(tmp_path / "s.xlsx")
    sheet = book["Kriterier"]
    column = [c.value for c in sheet[1]].index("Kategorier") + 1
    sheet.cell(2, column, "no.such.category")
    book.save(tmp_path / "s.xlsx")
    out = tmp_path / "out"
    result = run(runner, "import", tmp_path / "s.xlsx", "--name", "x", "--publisher", "x",
                 "-o", out)
    assert_one_line_error(result, "the imported set would be invalid", "no.such.category")
    assert not out.exists()


def test_import_with_a_hostile_formula_gives_text(runner, tmp_path):
    run(runner, "export", MINI_SET, "-o", tmp_path / "s.csv")
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Miljöledningssystem", "=cmd|' /C calc'!A0")
    (tmp_path / "s.csv").write_text("\ufeff" + text, encoding="utf-8")
    out = tmp_path / "out"
    result = run(runner, "import", tmp_path / "s.csv", "--name", "x", "--publisher", "x",
                 "-o", out)
    assert result.exit_code == 0, result.output
    iso = next(c for c in read_document(out).criteria if c["id"] == "TST-ISO-01")
    assert iso["title"]["sv"] == "=cmd|' /C calc'!A0"
    run(runner, "export", out, "-o", tmp_path / "again.csv")
    assert "'=cmd" in (tmp_path / "again.csv").read_text(encoding="utf-8-sig")


def test_diff_exit_codes_and_formats(runner, tmp_path):
    same = run(runner, "diff", MINI_SET, MINI_SET)
    assert same.exit_code == 0
    assert "are equal" in same.output
    new = edited_mini(tmp_path, "n.yaml",
                      lambda d: fuel(d)["levels"]["avancerad"]["params"].update(share_pct=80))
    result = run(runner, "diff", MINI_SET, new)
    assert result.exit_code == 1
    assert "TST-FUEL-01 avancerad share_pct 70 → 80" in result.output
    assert "major" in result.output
    data = json.loads(run(runner, "diff", MINI_SET, new, "--format", "json").output)
    assert data["bump"] == "major"
    assert data["changes"][0]["old"] == 70
    assert data["changes"][0]["new"] == 80
    markdown = run(runner, "diff", MINI_SET, new, "--format", "markdown").output
    assert markdown.startswith("| ")


def test_diff_of_installed_sets_by_name(runner):
    run(runner, "install", UMEA)
    result = run(runner, "diff", BUILTIN, "umea@1.0.0", "--format", "json")
    assert result.exit_code == 1
    texts = [c["text"] for c in json.loads(result.output)["changes"]]
    assert "TRN-FUEL-01 avancerad share_pct 70 → 100" in texts


def tighter(doc) -> None:
    fuel(doc)["levels"]["bas"]["params"]["share_pct"] = 60
    fuel(doc)["version"] = 2


def test_validate_previous_fails_when_not_bumped_enough(runner, tmp_path):
    small = edited_mini(tmp_path, "small.yaml", tighter, version="0.1.1")
    result = run(runner, "validate", "--previous", MINI_SET, small)
    assert result.exit_code == 1
    assert "the changes need a major bump (at least 1.0.0)" in result.output
    right = edited_mini(tmp_path, "right.yaml", tighter, version="1.0.0")
    assert run(runner, "validate", "--previous", MINI_SET, right).exit_code == 0, \
        run(runner, "validate", "--previous", MINI_SET, right).output


def test_validate_previous_wants_the_criterion_version_raised(runner, tmp_path):
    same = edited_mini(tmp_path, "same.yaml",
                       lambda d: fuel(d)["levels"]["bas"]["params"].update(share_pct=60),
                       version="1.0.0")
    result = run(runner, "validate", "--previous", MINI_SET, same)
    assert result.exit_code == 1
    assert "TST-FUEL-01: TST-FUEL-01 bas share_pct 50 → 60 but the criterion keeps version 1; " \
           "give it version: 2" in result.output
    wording = edited_mini(tmp_path, "w.yaml", lambda d: fuel(d)["title"].update(sv="Ny"),
                          version="0.1.1")
    assert run(runner, "validate", "--previous", MINI_SET, wording).exit_code == 0


def test_merge_needs_a_choice_then_writes_provenance(runner, tmp_path):
    out = tmp_path / "egna.yaml"
    result = run(runner, "merge", BUILTIN, UMEA, "-o", out)
    assert_one_line_error(result, "1 conflict(s) (TRN-FUEL-01); TRN-FUEL-01:", "--prefer base")
    assert not out.exists()
    result = run(runner, "merge", BUILTIN, UMEA, "--prefer", "base", "-o", out)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    taken = {c["id"]: c.get("origin") for c in data["criteria"] if c.get("origin")}
    assert taken == {"umea/TRN-FUEL-01": "umea@1.0.0#TRN-FUEL-01:1",
                     "UME-REP-01": "umea@1.0.0#UME-REP-01:1",
                     "UME-DRV-01": "umea@1.0.0#UME-DRV-01:1"}
    assert data["version"] == next_version(builtin_set().version, "minor")
    assert run(runner, "validate", out).exit_code == 0
    assert_one_line_error(run(runner, "merge", BUILTIN, UMEA, "--prefer", "base",
                              "-o", out), "exists already")


def test_merge_take_and_only_missing(runner, tmp_path):
    taken = run(runner, "merge", BUILTIN, UMEA, "--take", "TRN-FUEL-01", "-o",
                tmp_path / "t.yaml", "--format", "json")
    assert taken.exit_code == 0, taken.output
    hows = {t["id"]: t["how"] for t in json.loads(taken.output)["taken"]}
    assert hows["TRN-FUEL-01"] == "replaced"
    missing = run(runner, "merge", BUILTIN, UMEA, "--only-missing", "-o",
                  tmp_path / "m.yaml")
    assert missing.exit_code == 0, missing.output
    assert "skipped" in missing.output


def test_merge_with_an_invalid_result_writes_nothing(runner, tmp_path):
    doc = read_document(UMEA)
    doc.data["languages"] = ["sv"]
    for item in doc.criteria:
        item["title"] = {"sv": item["title"]["sv"]}
    other = tmp_path / "sv-only.yaml"
    other.write_text(dump_yaml(doc.data), encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = run(runner, "merge", BUILTIN, other, "--prefer", "base", "-o", out)
    assert_one_line_error(result, "would be invalid, nothing was written")
    assert not out.exists()


def test_merge_of_a_hostile_set_is_refused(runner, tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    for file in UMEA.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "more.yaml").symlink_to(MINI_SET)
    out = tmp_path / "out.yaml"
    result = run(runner, "merge", BUILTIN, folder, "--prefer", "base", "-o", out)
    assert_one_line_error(result, "leads out of the set's folder")
    assert not out.exists()


def test_demo_step_installs_into_the_demo_folder_only(runner, tmp_path, data_dir):
    out = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "procure-data" / "sets" / "umea@1.0.0" / "set.yaml").is_file()
    assert not data_dir.exists()  # the user's data folder is not touched
    merged = read_document(out / "egna-kriterier.yaml")
    assert any(c.get("origin", "").startswith("umea@1.0.0#") for c in merged.criteria)
    assert "umea/TRN-FUEL-01" in result.output


def test_the_v1_to_v2_migration_is_a_major_change_and_validates(runner):
    old, new = FIXTURES / "v1-set", FIXTURES / "v2-set"
    result = run(runner, "diff", old, new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["bump"] == "major"
    assert "TST-CO2-01 bas max_g_km 120 → 50" in [c["text"] for c in data["changes"]]
    assert "TST-CO2-01:1" in [c["id"] for c in data["changes"] if c["what"] == "superseded"]
    assert run(runner, "validate", "--previous", old, new).exit_code == 0


def test_install_and_export_keep_old_versions(runner, tmp_path):
    assert run(runner, "install", FIXTURES / "v2-set").exit_code == 0
    result = run(runner, "export", "test-v2@2.0.0", "-o", tmp_path / "v2.yaml")
    assert result.exit_code == 0, result.output
    assert "1 old versions" in result.output
    assert read_document(tmp_path / "v2.yaml").hash() == read_document(FIXTURES / "v2-set").hash()


def test_every_set_option_takes_an_installed_set_by_name(runner, tmp_path):
    assert run(runner, "install", UMEA).exit_code == 0
    listed = run(runner, "list", "--set", "umea@1.0.0", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert "TRN-FUEL-01" in {c["id"] for c in json.loads(listed.output)}
    shown = run(runner, "show", "TRN-FUEL-01", "--set", "umea", "--format", "json")
    assert shown.exit_code == 0, shown.output
    matched = runner.invoke(main, ["match", "skolskjuts", "--set", "umea@1.0.0",
                                   "--format", "json"])
    assert matched.exit_code == 0, matched.output
    assert json.loads(matched.output)["matches"][0]["category_id"] == "transport.school"
    assert_one_line_error(run(runner, "list", "--set", "umea@9.9.9"),
                          "umea@9.9.9 is not installed", "umea@1.0.0")
    assert_one_line_error(run(runner, "list", "--set", tmp_path / "nowhere"), "does not exist")
