"""Loading and validating criteria sets: every bad input gets one clear, located message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from procure.criteria import load_criteria_set, validate_path
from procure.errors import CriteriaSetError, InputFileError

from .conftest import MINI_SET


def write_set(tmp_path: Path, mutate=None, raw: str | None = None) -> Path:
    """A copy of the mini set, changed by ``mutate(data)`` or replaced by ``raw`` text."""
    path = tmp_path / "set.yaml"
    if raw is not None:
        path.write_text(raw, encoding="utf-8")
        return path
    data = yaml.safe_load(MINI_SET.read_text(encoding="utf-8"))
    if mutate:
        mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(f) for f in validate_path(path).errors]


def test_mini_set_loads_with_every_part(mini_set):
    assert mini_set.ref == "test-mini@0.1.0"
    assert set(mini_set.categories) == {"transport", "transport.school", "food"}
    assert len(mini_set.criteria) == 10
    crit = mini_set.criterion("TST-FUEL-01")
    assert crit.answer.type == "number"
    assert crit.answer.min == "{share_pct}"
    assert crit.levels["avancerad"].params == {"share_pct": 70}
    assert mini_set.categories["transport.school"].parent == "transport"


def test_folder_set_is_merged_from_files(tmp_path):
    data = yaml.safe_load(MINI_SET.read_text(encoding="utf-8"))
    header = {k: v for k, v in data.items() if k not in ("categories", "criteria")}
    (tmp_path / "set.yaml").write_text(yaml.safe_dump(header, allow_unicode=True), "utf-8")
    (tmp_path / "cats.yaml").write_text(yaml.safe_dump({"categories": data["categories"]},
                                                        allow_unicode=True), "utf-8")
    (tmp_path / "crit.yaml").write_text(yaml.safe_dump({"criteria": data["criteria"]},
                                                        allow_unicode=True), "utf-8")
    cset = load_criteria_set(tmp_path)
    assert len(cset.criteria) == 10
    assert cset.criteria["TST-ISO-01"].file.endswith("crit.yaml")


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write_set(tmp_path, raw="name: x\nversion: 1.0.0\ntitle: {sv: a, en: b\nlanguages: [sv]\n")
    (msg,) = messages(path)
    assert str(path) in msg
    assert "YAML syntax error" in msg
    assert ":4" in msg or "line 4" in msg


def test_criterion_without_text(tmp_path):
    path = write_set(tmp_path, lambda d: d["criteria"][1].pop("text"))
    (msg,) = messages(path)
    assert "criteria[1]" in msg
    assert "'text' is missing (required)" in msg
    assert f"{path}:" in msg  # with its line number


def test_duplicate_id(tmp_path):
    def dup(d):
        d["criteria"][2]["id"] = "TST-FUEL-01"

    path = write_set(tmp_path, dup)
    (msg,) = messages(path)
    assert "criterion id 'TST-FUEL-01' is defined more than once" in msg
    assert "criteria[2].id" in msg


def test_unknown_category_reference(tmp_path):
    path = write_set(tmp_path, lambda d: d["criteria"][0]["categories"].append("transprot"))
    (msg,) = messages(path)
    assert "refers to category 'transprot', which is not defined" in msg
    assert "criteria[0].categories[2]" in msg


def test_placeholder_without_param(tmp_path):
    def drop(d):
        d["criteria"][1]["levels"]["avancerad"]["params"] = {}

    path = write_set(tmp_path, drop)
    (msg,) = messages(path)
    assert "placeholder {share_pct} has no value at level 'avancerad'" in msg
    assert "criteria[1].levels.avancerad.params" in msg


def test_placeholder_in_english_text_only_is_checked(tmp_path):
    def add(d):
        d["criteria"][0]["text"]["en"] += " Within {days} days."

    path = write_set(tmp_path, add)
    (msg,) = messages(path)
    assert "placeholder {days} has no value at level 'bas'" in msg


def test_unknown_level_name(tmp_path):
    def rename(d):
        d["criteria"][1]["levels"]["basic"] = d["criteria"][1]["levels"].pop("bas")

    path = write_set(tmp_path, rename)
    msgs = messages(path)
    assert any("'basic'" in m and "criteria[1].levels" in m for m in msgs)
    assert any("bas" in m and "avancerad" in m and "spjutspets" in m for m in msgs)


def test_seven_digit_cpv(tmp_path):
    def short(d):
        d["categories"][1]["cpv"] = ["6013000"]

    path = write_set(tmp_path, short)
    (msg,) = messages(path)
    assert "CPV code '6013000' has 7 digits; expected 8 digits" in msg
    assert "categories[1].cpv[0]" in msg


def test_unquoted_cpv_read_as_number(tmp_path):
    text = MINI_SET.read_text(encoding="utf-8").replace('cpv: ["15800000"]', "cpv: [15800000]")
    path = write_set(tmp_path, raw=text)
    (msg,) = messages(path)
    assert "was read as a number" in msg


def test_missing_language(tmp_path):
    path = write_set(tmp_path, lambda d: d["criteria"][3]["verification"].pop("en"))
    (msg,) = messages(path)
    assert "verification in language 'en' is missing" in msg


def test_not_utf8(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_bytes("name: miljö\n".encode("cp1252"))
    (msg,) = messages(path)
    assert "is not UTF-8" in msg
    assert "0xf6" in msg


def test_empty_file(tmp_path):
    path = write_set(tmp_path, raw="")
    (msg,) = messages(path)
    assert "file is empty" in msg


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        validate_path(tmp_path / "nope")


def test_folder_without_set_yaml(tmp_path):
    (tmp_path / "x.yaml").write_text("criteria: []\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"no set\.yaml"):
        validate_path(tmp_path)


def test_python_object_tag_is_rejected_not_constructed(tmp_path):
    marker = tmp_path / "pwned"
    path = write_set(tmp_path, raw=(
        "name: x\nversion: 1.0.0\nlanguages: [sv]\n"
        f"title: !!python/object/apply:os.system ['touch {marker}']\n"))
    (msg,) = messages(path)
    assert "YAML tag" in msg
    assert "not allowed" in msg
    assert not marker.exists()


def test_all_errors_are_collected_not_just_the_first(tmp_path):
    def many(d):
        d["criteria"][0].pop("text")
        d["criteria"][2]["categories"] = ["nowhere"]
        d["categories"][0]["cpv"] = ["123"]

    path = write_set(tmp_path, many)
    assert len(messages(path)) == 3


def test_load_raises_with_the_report(tmp_path):
    path = write_set(tmp_path, lambda d: d["criteria"][0].pop("text"))
    with pytest.raises(CriteriaSetError) as info:
        load_criteria_set(path)
    assert not info.value.report.valid
    assert "invalid criteria set" in str(info.value)


def test_award_criterion_needs_award_rule(tmp_path):
    path = write_set(tmp_path, lambda d: d["criteria"][4].pop("award"))
    (msg,) = messages(path)
    assert "has no `award` rule" in msg


def test_answer_rule_must_fit_type(tmp_path):
    def bad(d):
        d["criteria"][0]["answer"]["min"] = 3

    path = write_set(tmp_path, bad)
    (msg,) = messages(path)
    assert "`min` does not apply to a boolean answer" in msg


def test_duplicate_yaml_key(tmp_path):
    text = MINI_SET.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.1.0\nversion: 0.2.0")
    path = write_set(tmp_path, raw=text)
    (msg,) = messages(path)
    assert "duplicate key 'version'" in msg


def test_builtin_library_copy_is_independent(tmp_path, mini_set):
    # a set is found by path; copying it elsewhere loads the same content
    target = tmp_path / "copy.yaml"
    shutil.copy(MINI_SET, target)
    assert load_criteria_set(target).ref == mini_set.ref
