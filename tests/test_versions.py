"""Criterion versions: superseded entries load, ``ID:N`` resolves, specs keep what they cite."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from procure.cli import main
from procure.criteria import load_criteria_set, select, validate_path
from procure.errors import ParamError, ProcureWarning, SpecError, UnknownCriterionError
from procure.model import parse_ref
from procure.tender.spec import build_spec, load_spec, resolve, save_spec

from .conftest import FIXTURES, assert_one_line_error

V1 = FIXTURES / "v1-set"
V2 = FIXTURES / "v2-set"


@pytest.fixture(scope="module")
def v2():
    return load_criteria_set(V2)


def test_parse_ref():
    assert parse_ref("VEH-CO2-01:2") == ("VEH-CO2-01", 2)
    assert parse_ref("VEH-CO2-01") == ("VEH-CO2-01", None)
    assert parse_ref("veh-co2-01:x") == ("veh-co2-01:x", None)


def test_superseded_versions_load_and_resolve(v2):
    assert set(v2.superseded) == {("TST-CO2-01", 1)}
    old = v2.criterion("TST-CO2-01:1")
    assert old.version == 1
    assert old.superseded.by == 2
    assert old.superseded.note["en"].startswith("Advanced level tightened")
    assert old.levels["avancerad"].params == {"max_g_km": 95}
    assert v2.criterion("TST-CO2-01").ref == "TST-CO2-01:2"
    assert v2.criterion("TST-CO2-01:2") is v2.criteria["TST-CO2-01"]
    assert [c.ref for c in v2.versions("TST-CO2-01")] == ["TST-CO2-01:1", "TST-CO2-01:2"]
    with pytest.raises(UnknownCriterionError, match=r"no version 3.*TST-CO2-01:1, TST-CO2-01:2"):
        v2.criterion("TST-CO2-01:3")


def test_new_specs_only_take_live_versions(v2):
    chosen = select(v2, "vehicles", "avancerad")
    assert {s.ref for s in chosen} == {"TST-CO2-01:2", "TST-SRV-01:1"}
    with pytest.raises(ParamError, match=r"TST-CO2-01:1 is an old version.*TST-CO2-01:2 replaces"):
        select(v2, "vehicles", "bas", remove=["TST-CO2-01"], add=["TST-CO2-01:1"])
    assert {s.ref for s in select(v2, "vehicles", "bas", remove=["TST-CO2-01:2"])} == {
        "TST-SRV-01:1"}


def copy_set(tmp_path: Path) -> Path:
    target = tmp_path / "set"
    shutil.copytree(V2, target)
    return target


def test_superseded_entry_needs_its_block_and_an_older_version(tmp_path):
    folder = copy_set(tmp_path)
    old = folder / "superseded" / "vehicles.yaml"
    text = old.read_text("utf-8")
    old.write_text("\n".join(line for line in text.splitlines()
                             if not line.strip().startswith("superseded: {by")) + "\n", "utf-8")
    assert "superseded-block" in [f.code for f in validate_path(folder).findings]
    old.write_text(text.replace("by: 2", "by: 5"), "utf-8")
    assert "superseded-by" in [f.code for f in validate_path(folder).findings]
    old.write_text(text.replace("version: 1", "version: 2"), "utf-8")
    report = validate_path(folder)
    finding = next(f for f in report.findings if f.code == "superseded-version")
    assert "not newer than its superseded version 2" in str(finding.message)
    assert finding.file.endswith("vehicles.yaml")
    assert finding.line is not None


def test_a_live_criterion_cannot_carry_a_superseded_block(tmp_path):
    folder = copy_set(tmp_path)
    live = folder / "vehicles.yaml"
    live.write_text(live.read_text("utf-8").replace(
        "    version: 2\n", "    version: 2\n    superseded: {by: 3, date: '2026-12-06'}\n"),
        "utf-8")
    assert "superseded-live" in [f.code for f in validate_path(folder).findings]


def test_a_one_file_set_keeps_old_versions_under_superseded(tmp_path):
    header = (V2 / "set.yaml").read_text("utf-8")
    body = (V2 / "vehicles.yaml").read_text("utf-8")
    old = (V2 / "superseded" / "vehicles.yaml").read_text("utf-8")
    path = tmp_path / "one.yaml"
    path.write_text(header + body + old, "utf-8")
    cset = load_criteria_set(path)
    assert cset.criterion("TST-CO2-01:1").superseded.by == 2


def write_v1_spec(tmp_path: Path, *, versions: bool = True) -> Path:
    """A spec written against 1.0.0, then pointed at the 2.0.0 set."""
    spec = build_spec(load_criteria_set(V1), title="Bilar", category="vehicles",
                      level="avancerad", set_path=str(V2))
    if not versions:
        spec.versions = {}
    path = tmp_path / "spec.yaml"
    save_spec(spec, path)
    return path


@pytest.mark.parametrize("versions", [True, False])
def test_a_1x_spec_on_2x_says_what_changed_and_keeps_its_versions(tmp_path, versions):
    path = write_v1_spec(tmp_path, versions=versions)
    spec = load_spec(path)
    assert spec.criteria_set == "test-v2@1.0.0"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProcureWarning)
        _, chosen = resolve(spec)
    messages = [str(w.message) for w in caught]
    changed = [m for m in messages if "changed in" in m]
    assert changed == [f"{path}: TST-CO2-01 changed in test-v2@2.0.0: version 1 → 2 (Advanced "
                       "level tightened from 95 to 0 g/km.); the spec keeps version 1"]
    co2 = next(s for s in chosen if s.id == "TST-CO2-01")
    assert co2.ref == "TST-CO2-01:1"
    assert co2.params == {"max_g_km": 95}
    new = [m for m in messages if "is new in" in m]
    assert new == ([f"{path}: TST-SRV-01:1 is new in test-v2@2.0.0 since the spec was written; "
                    "it is included (leave it out with criteria.remove)"] if versions else [])


def test_a_spec_records_the_version_of_each_criterion(tmp_path, v2):
    spec = build_spec(v2, title="Bilar", category="vehicles", level="bas")
    assert spec.versions == {"TST-CO2-01": 2, "TST-SRV-01": 1}
    path = tmp_path / "spec.yaml"
    save_spec(spec, path)
    assert load_spec(path).versions == spec.versions
    assert "versions:\n    TST-CO2-01: 2\n" in path.read_text("utf-8")


def test_a_cited_version_the_set_lacks_is_an_error(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(f"title: x\ncategory: vehicles\nlevel: bas\ncriteria_set_path: {V1}\n"
                    "criteria_set: test-v2@2.0.0\ncriteria:\n  versions: {TST-CO2-01: 2}\n",
                    "utf-8")
    spec = load_spec(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProcureWarning)
        with pytest.raises(SpecError, match=r"cites TST-CO2-01:2, which test-v2@1.0.0 does not"):
            resolve(spec)


def test_bad_versions_in_a_spec(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("title: x\ncategory: vehicles\nlevel: bas\n"
                    "criteria:\n  versions: {TST-CO2-01: två}\n", "utf-8")
    with pytest.raises(SpecError, match=r"criteria.versions must map criterion ids to version"):
        load_spec(path)


def test_cli_show_accepts_a_versioned_id(runner):
    result = runner.invoke(main, ["criteria", "show", "TST-CO2-01:1", "--set", str(V2),
                                  "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("TST-CO2-01:1  Carbon dioxide")
    assert "Superseded by version 2 on 2026-12-06: Advanced level tightened" in result.output
    assert "at most 95 g CO₂/km" in result.output
    assert_one_line_error(runner.invoke(main, ["criteria", "show", "TST-CO2-01:7", "--set",
                                               str(V2)]), "no version 7")


def test_a_criterion_withdrawn_from_the_set_stays_in_the_spec(tmp_path):
    folder = copy_set(tmp_path)
    live = folder / "vehicles.yaml"
    text = live.read_text("utf-8")
    start, end = text.index("  - id: TST-CO2-01"), text.index("  - id: TST-SRV-01")
    live.write_text(text[:start] + text[end:], "utf-8")
    assert [f.code for f in validate_path(folder).findings] == ["superseded-orphan"]
    path = tmp_path / "spec.yaml"
    path.write_text(f"title: x\ncategory: vehicles\nlevel: bas\ncriteria_set_path: {folder}\n"
                    "criteria_set: test-v2@1.0.0\ncriteria:\n"
                    "  versions: {TST-CO2-01: 1, TST-SRV-01: 1}\n"
                    "  params: {TST-SRV-01: {max_distance_km: 20}}\n", "utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProcureWarning)
        _, chosen = resolve(load_spec(path))
    assert f"{path}: TST-CO2-01:1 is no longer chosen by test-v2@2.0.0 for this category; the " \
        "spec keeps it" in [str(w.message) for w in caught]
    assert [s.ref for s in chosen] == ["TST-CO2-01:1", "TST-SRV-01:1"]
    path.write_text(path.read_text("utf-8").replace("TST-CO2-01: 1", "TST-GONE-01: 1"), "utf-8")
    spec = load_spec(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProcureWarning)
        with pytest.raises(SpecError, match=r"cites TST-GONE-01:1, which test-v2@2.0.0 does"):
            resolve(spec)
