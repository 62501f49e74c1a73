"""Sharing criteria sets as a library: documents, safety, installed sets, diff and merge."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from procure.criteria import load_criteria_set, safety, validate_path
from procure.criteria.diff import check_bump, diff_sets, next_version, version_step
from procure.criteria.document import (
    SetDocument,
    check_document,
    dump_yaml,
    read_document,
    write_folder,
)
from procure.criteria.install import (
    builtin_set,
    install,
    installed_sets,
    locate,
    resolve_set,
    uninstall,
)
from procure.criteria.merge import merge_sets
from procure.errors import (
    CriteriaSetError,
    InputFileError,
    OutputFileError,
    ProcureError,
    SetConflictError,
    UnsafeSetError,
)

from .conftest import EXAMPLES, MINI_SET

UMEA = EXAMPLES / "umea-klimat"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("PROCURE_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def mini() -> SetDocument:
    return read_document(MINI_SET)


def write_doc(doc: SetDocument, path: Path) -> Path:
    path.write_text(dump_yaml(doc.data), encoding="utf-8")
    return path


def bumped(doc: SetDocument, version: str = "0.2.0") -> SetDocument:
    new = doc.copy()
    new.data["version"] = version
    return new


def crit(doc: SetDocument, cid: str) -> dict:
    return next(c for c in doc.criteria if c["id"] == cid)


# ---------------------------------------------------------------- documents

def test_folder_and_one_file_forms_hash_the_same(tmp_path):
    folder = read_document(UMEA)
    single = read_document(write_doc(folder, tmp_path / "umea.yaml"))
    assert folder.hash() == single.hash()
    assert folder.ref == "umea@1.0.0"
    assert [c["id"] for c in single.criteria] == ["TRN-FUEL-01", "TRN-EURO-01", "UME-REP-01",
                                                  "UME-DRV-01"]


def test_a_changed_threshold_changes_the_hash(mini):
    other = mini.copy()
    crit(other, "TST-FUEL-01")["levels"]["bas"]["params"]["share_pct"] = 51
    assert other.hash() != mini.hash()


def test_superseded_versions_travel_in_the_document(tmp_path, mini):
    doc = mini.copy()
    old = copy.deepcopy(crit(doc, "TST-FUEL-01"))
    old["version"] = 1
    old["superseded"] = {"by": 2, "date": "2026-12-06", "note": {"sv": "x", "en": "x"}}
    crit(doc, "TST-FUEL-01")["version"] = 2
    doc.superseded.append(old)
    folder = write_folder(doc, tmp_path / "set")
    assert (folder / "superseded" / "criteria.yaml").is_file()
    again = read_document(folder)
    assert again.superseded == [old]
    assert again.hash() == doc.hash()


def test_write_folder_refuses_a_non_empty_folder(tmp_path, mini):
    target = tmp_path / "set"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match="exists already"):
        write_folder(mini, target)
    assert (target / "keep.txt").exists()
    write_folder(mini, target, force=True)
    assert not (target / "keep.txt").exists()
    assert read_document(target).hash() == mini.hash()


def test_namespaced_ids_are_valid_ids(tmp_path, mini):
    doc = mini.copy()
    crit(doc, "TST-FUEL-01")["id"] = "umea/TST-FUEL-01"
    assert validate_path(write_doc(doc, tmp_path / "s.yaml")).valid
    crit(doc, "umea/TST-FUEL-01")["id"] = "Umea/TST-FUEL-01"
    assert not validate_path(write_doc(doc, tmp_path / "s.yaml")).valid


# ---------------------------------------------------------------- safety

def test_a_link_out_of_the_set_folder_is_refused(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for file in UMEA.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    secret = tmp_path / "secret.yaml"
    secret.write_text("categories: []\n", encoding="utf-8")
    (folder / "extra.yaml").symlink_to(secret)
    with pytest.raises(UnsafeSetError, match="leads out of the set's folder"):
        read_document(folder)


def test_a_linked_folder_climbing_out_is_refused(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    for file in UMEA.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "superseded").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafeSetError, match="leads out"):
        read_document(folder)


def test_a_link_inside_the_set_is_allowed(tmp_path):
    folder = tmp_path / "set"
    (folder / "real").mkdir(parents=True)
    for file in UMEA.iterdir():
        (folder / "real" / file.name).write_bytes(file.read_bytes())
    (folder / "set.yaml").symlink_to(folder / "real" / "set.yaml")
    (folder / "transport.yaml").symlink_to(folder / "real" / "transport.yaml")
    assert read_document(folder).ref == "umea@1.0.0"


def test_a_set_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_SET_BYTES", 1000)
    with pytest.raises(UnsafeSetError, match="too large"):
        read_document(UMEA)


def test_a_set_in_a_newer_format_is_refused(tmp_path):
    text = MINI_SET.read_text(encoding="utf-8").replace("procure/criteria-set/v1",
                                                        "procure/criteria-set/v7")
    path = tmp_path / "new.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnsafeSetError) as info:
        read_document(path)
    assert "format v7" in str(info.value)
    assert "upgrade procure" in str(info.value)


def test_yaml_tags_that_build_objects_are_refused(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(MINI_SET.read_text(encoding="utf-8").replace(
        "publisher: procure tests", "publisher: !!python/object/apply:os.system ['echo hi']"),
        encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_document(path)
    assert "is not allowed (only plain data is read)" in str(info.value)


def test_scan_warns_about_markup_and_formulas(tmp_path, mini):
    from procure.findings import Report

    doc = mini.copy()
    crit(doc, "TST-ISO-01")["title"]["sv"] = "=HYPERLINK(\"http://x\")"
    crit(doc, "TST-ISO-01")["text"]["sv"] = "<font size=40>stort</font>"
    report = Report(source="x")
    safety.scan_text(doc.data, report)
    codes = {f.code for f in report.findings}
    assert {"formula-in-text", "markup-in-text"} <= codes
    assert report.valid  # warnings: the writers defuse such text


# ---------------------------------------------------------------- installed sets

def test_install_list_resolve_and_uninstall(data_dir):
    result = install(UMEA)
    assert not result.already
    assert result.installed.ref == "umea@1.0.0"
    assert (data_dir / "sets" / "umea@1.0.0" / "set.yaml").is_file()
    refs = [s.ref for s in installed_sets()]
    assert refs[0] == builtin_set().ref
    assert "umea@1.0.0" in refs
    assert resolve_set("umea@1.0.0") == result.installed.path
    assert resolve_set("umea") == result.installed.path
    assert load_criteria_set(resolve_set("umea@1.0.0")).ref == "umea@1.0.0"
    assert install(UMEA).already
    uninstall("umea@1.0.0")
    assert not (data_dir / "sets" / "umea@1.0.0").exists()
    assert [p.name for p in (data_dir / "sets").iterdir()] == []


def test_the_built_in_set_is_always_there(data_dir):
    assert resolve_set(builtin_set().ref) == builtin_set().path
    with pytest.raises(ProcureError, match="built-in library and cannot be uninstalled"):
        uninstall(builtin_set().ref)


def test_same_name_and_version_with_other_content_is_refused(data_dir, tmp_path):
    install(UMEA)
    doc = read_document(UMEA)
    crit(doc, "TRN-FUEL-01")["levels"]["avancerad"]["params"]["share_pct"] = 90
    with pytest.raises(SetConflictError) as info:
        install(write_doc(doc, tmp_path / "umea.yaml"))
    assert "umea@1.0.0 is already installed with other content" in str(info.value)
    assert "new version" in str(info.value)
    assert load_criteria_set(resolve_set("umea@1.0.0")).criteria[
        "TRN-FUEL-01"].levels["avancerad"].params["share_pct"] == 100


def test_the_built_in_name_and_version_with_other_content_is_refused(data_dir, tmp_path):
    doc = read_document(MINI_SET)
    doc.data["name"], doc.data["version"] = builtin_set().name, builtin_set().version
    with pytest.raises(SetConflictError, match="built-in library"):
        install(write_doc(doc, tmp_path / "fake.yaml"))


def test_an_invalid_set_is_not_installed(data_dir, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(MINI_SET.read_text(encoding="utf-8").replace("kind: award", "kind: wish"),
                    encoding="utf-8")
    with pytest.raises(CriteriaSetError, match="invalid criteria set"):
        install(path)
    assert not (data_dir / "sets").exists() or not any((data_dir / "sets").iterdir())


def test_a_hostile_set_is_not_installed(data_dir, tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    for file in UMEA.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    with pytest.raises(UnsafeSetError):
        install(folder)
    assert not (data_dir / "sets").exists()


def test_an_unknown_set_names_what_is_installed(data_dir):
    install(UMEA)
    with pytest.raises(ProcureError) as info:
        resolve_set("umea@9.9.9")
    assert "umea@9.9.9 is not installed (installed: umea@1.0.0)" in str(info.value)
    with pytest.raises(InputFileError, match="does not exist"):
        locate("no-such-folder")


def test_a_crashed_uninstall_leaves_no_visible_set(data_dir):
    install(UMEA)
    path = resolve_set("umea@1.0.0")
    hidden = path.with_name(".removing-umea@1.0.0-1")
    path.rename(hidden)  # what a crash between rename and delete leaves
    assert "umea@1.0.0" not in [s.ref for s in installed_sets()]
    install(UMEA)
    uninstall("umea@1.0.0")
    assert not hidden.exists()


def test_resolve_set_ignores_the_real_user_folder(data_dir):
    assert str(resolve_set(builtin_set().ref)).startswith(str(builtin_set().path))
    assert os.environ["PROCURE_DATA_DIR"] == str(data_dir)


# ---------------------------------------------------------------- diff

def test_equal_sets_have_no_changes(mini):
    result = diff_sets(mini, mini.copy())
    assert result.equal
    assert result.bump is None


@pytest.mark.parametrize(("edit", "bump", "text"), [
    (lambda d: crit(d, "TST-FUEL-01")["title"].update(sv="Ny rubrik"), "patch",
     "TST-FUEL-01 title.sv Förnybara drivmedel → Ny rubrik"),
    (lambda d: crit(d, "TST-FUEL-01")["levels"]["avancerad"]["params"].update(share_pct=80),
     "major", "TST-FUEL-01 avancerad share_pct 70 → 80"),
    (lambda d: crit(d, "TST-FUEL-01")["levels"]["avancerad"]["params"].update(share_pct=60),
     "minor", "TST-FUEL-01 avancerad share_pct 70 → 60"),
    (lambda d: crit(d, "TST-ISO-01").update(kind="technical_spec"), "major",
     "TST-ISO-01 kind qualification → technical_spec"),
    (lambda d: d.criteria.remove(crit(d, "TST-EURO-01")), "major", "TST-EURO-01 removed"),
    (lambda d: d.criteria.append({**crit(d, "TST-EURO-01"), "id": "TST-EURO-02"}), "minor",
     "TST-EURO-02 added"),
    (lambda d: d.categories.append({"id": "food.extra", "name": {"sv": "x", "en": "x"}}),
     "minor", "food.extra added"),
    (lambda d: crit(d, "TST-ISO-01")["answer"].update(evidence="optional"), "minor",
     "TST-ISO-01 answer.evidence required → optional"),
])
def test_each_change_needs_its_bump(mini, edit, bump, text):
    new = mini.copy()
    edit(new)
    result = diff_sets(mini, new)
    assert result.bump == bump
    assert text in [c.describe() for c in result.changes]


def test_a_lower_max_is_tighter(tmp_path):
    old = read_document(MINI_SET)
    new = old.copy()
    rule = crit(new, "TST-FUEL-01")["answer"]
    rule.pop("min")
    rule["max"] = 10
    crit(old, "TST-FUEL-01")["answer"] = {**rule, "max": 20}
    assert diff_sets(old, new).bump == "major"
    assert diff_sets(new, old).bump == "minor"


def test_award_scoring_changes_are_minor(mini):
    new = mini.copy()
    crit(new, "TST-ZERO-01")["award"]["steps"][0]["at_least"] = 30
    assert diff_sets(mini, new).bump == "minor"


def test_versions_and_bumps():
    assert version_step("1.0.2", "1.0.3") == "patch"
    assert version_step("1.0.2", "1.1.0") == "minor"
    assert version_step("1.0.2", "2.0.0") == "major"
    assert version_step("1.0.2", "1.0.2") is None
    assert version_step("1.0.2", "1.0.1") is None
    assert next_version("1.4.2", "minor") == "1.5.0"


def test_check_bump_fails_when_the_version_is_not_raised_enough(mini):
    new = bumped(mini, "0.1.1")
    crit(new, "TST-FUEL-01")["levels"]["bas"]["params"]["share_pct"] = 55
    report = check_bump(diff_sets(mini, new), "0.1.0", "0.1.1", source="new")
    assert not report.valid
    message = str(report.errors[0].message)
    assert "the changes need a major bump" in message
    assert "1.0.0" in message
    assert "bas share_pct 50 → 55" in message
    assert [f.code for f in report.errors] == ["version-bump", "criterion-version"]
    crit(new, "TST-FUEL-01")["version"] = 2
    assert check_bump(diff_sets(mini, new), "0.1.0", "1.0.0", source="new").valid


# ---------------------------------------------------------------- merge

@pytest.fixture(scope="module")
def umea() -> SetDocument:
    return read_document(UMEA)


def test_a_conflict_stops_the_merge(mini, umea):
    base = read_document(UMEA)
    other = base.copy()
    other.data["name"] = "lulea"
    crit(other, "TRN-FUEL-01")["levels"]["bas"]["params"]["share_pct"] = 80
    with pytest.raises(SetConflictError) as info:
        merge_sets(base, [other])
    assert "TRN-FUEL-01" in str(info.value)
    assert "--prefer" in str(info.value)
    assert [f.code for f in info.value.report.errors] == ["conflict"]


def _lulea(umea: SetDocument) -> SetDocument:
    other = umea.copy()
    other.data["name"], other.data["version"] = "lulea", "2.1.0"
    crit(other, "TRN-FUEL-01")["levels"]["bas"]["params"]["share_pct"] = 80
    other.criteria.append({**copy.deepcopy(crit(other, "UME-REP-01")), "id": "LUL-REP-01"})
    return other


def test_prefer_base_keeps_both_namespaced_with_origin(umea):
    result = merge_sets(umea, [_lulea(umea)], prefer="base", today="2026-12-06")
    doc = result.document
    assert crit(doc, "TRN-FUEL-01") == crit(umea, "TRN-FUEL-01")
    theirs = crit(doc, "lulea/TRN-FUEL-01")
    assert theirs["origin"] == "lulea@2.1.0#TRN-FUEL-01:1"
    assert theirs["levels"]["bas"]["params"]["share_pct"] == 80
    assert crit(doc, "LUL-REP-01")["origin"] == "lulea@2.1.0#LUL-REP-01:1"
    assert "origin" not in crit(doc, "UME-REP-01")  # the base's own criteria are untouched
    assert doc.version == "1.1.0"
    assert doc.data["provenance"][-1]["merged"] == ["lulea@2.1.0"]


def test_take_replaces_and_keeps_the_old_version_citable(umea):
    result = merge_sets(umea, [_lulea(umea)], take={"TRN-FUEL-01"}, today="2026-12-06")
    doc = result.document
    new = crit(doc, "TRN-FUEL-01")
    assert new["version"] == 2
    assert new["origin"] == "lulea@2.1.0#TRN-FUEL-01:1"
    old = doc.superseded[0]
    assert old["id"] == "TRN-FUEL-01"
    assert old["version"] == 1
    assert old["levels"]["bas"]["params"]["share_pct"] == 70
    assert old["superseded"]["by"] == 2
    assert doc.version == "2.0.0"  # 70 → 80 at bas tightens: major


def test_prefer_other_and_take_by_set(umea):
    by_set = merge_sets(umea, [_lulea(umea)], take={"lulea/TRN-FUEL-01"})
    other = merge_sets(umea, [_lulea(umea)], prefer="other")
    assert crit(by_set.document, "TRN-FUEL-01") == crit(other.document, "TRN-FUEL-01")


def test_take_of_an_id_without_conflict_is_an_error(umea):
    with pytest.raises(ProcureError, match="no other set has a conflicting criterion"):
        merge_sets(umea, [_lulea(umea)], take={"TRN-EURO-01"}, prefer="base")


def test_only_missing_takes_only_what_the_base_lacks(umea):
    result = merge_sets(umea, [_lulea(umea)], only_missing=True)
    assert [t.id for t in result.taken] == ["LUL-REP-01"]
    assert [f.code for f in result.report.findings] == ["skipped-conflict"]
    assert crit(result.document, "TRN-FUEL-01") == crit(umea, "TRN-FUEL-01")


def test_an_origin_already_there_is_kept(umea):
    other = _lulea(umea)
    crit(other, "LUL-REP-01")["origin"] = "pitea@1.0.0#PIT-REP-01:3"
    result = merge_sets(umea, [other], prefer="base")
    assert crit(result.document, "LUL-REP-01")["origin"] == "pitea@1.0.0#PIT-REP-01:3"


def test_categories_come_along(library):
    base = read_document(MINI_SET)
    other = read_document(UMEA)
    result = merge_sets(base, [other], prefer="base")
    ids = {c["id"] for c in result.document.categories}
    assert {"transport", "transport.school"} <= ids
    assert "category-kept" in {f.code for f in result.report.findings}
    check_document(result.document, "merged")


def test_an_invalid_merge_result_raises_and_nothing_is_built(umea, tmp_path):
    other = _lulea(umea)
    other.data["languages"] = ["sv"]
    for item in other.criteria:
        for key in ("title", "text"):
            item[key] = {"sv": item[key]["sv"]}
    with pytest.raises(CriteriaSetError) as info:
        merge_sets(umea, [other], prefer="base")
    assert "would be invalid, nothing was written" in str(info.value)
    assert "LUL-REP-01" in str(info.value) or "lulea/TRN-FUEL-01" in str(info.value)


def test_a_hostile_other_set_cannot_smuggle_markup(umea, tmp_path):
    other = _lulea(umea)
    for lang in ("sv", "en"):  # the same numbers in both languages, as v2 wants
        crit(other, "LUL-REP-01")["title"][lang] = "<para><font size=60>X</font></para> & co"
    result = merge_sets(umea, [other], prefer="base")
    assert crit(result.document, "LUL-REP-01")["title"]["sv"].startswith("<para>")


# ---------------------------------------------------------------- the annex

def test_a_hostile_merged_set_prints_as_plain_text_with_its_origin(umea, tmp_path):
    """Markup in another municipality's set reaches the annex as text, never as markup."""
    from pypdf import PdfReader

    from procure.reports.annex import build_annex_pdf
    from procure.tender.spec import ProcurementSpec, resolve

    other = _lulea(umea)
    hostile = crit(other, "LUL-REP-01")
    hostile["categories"] = ["transport.school"]
    for lang in ("sv", "en"):  # the same numbers in both languages, as v2 wants
        hostile["title"][lang] = "<font size=40 color=red>Stor</font> & <b>fet"
        hostile["text"][lang] = "Text med <br/> och &amp; och <img src='/etc/passwd'/>"
    merged = merge_sets(umea, [other], prefer="base").document
    path = write_doc(merged, tmp_path / "merged.yaml")
    cset = load_criteria_set(path)
    assert cset.criteria["LUL-REP-01"].origin == "lulea@2.1.0#LUL-REP-01:1"
    spec = ProcurementSpec(title="Skolskjuts", category="transport.school", level="avancerad",
                           criteria_set=cset.ref)
    _, selected = resolve(spec, cset)
    out = tmp_path / "bilaga.pdf"
    build_annex_pdf(spec, cset, selected, out, date="2026-12-06")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    text = " ".join(text.split())
    assert "<font size=40 color=red>Stor</font> & <b>fet" in text
    assert "<img src='/etc/passwd'/>" in text
    assert "Ursprung: lulea@2.1.0#LUL-REP-01:1" in text
    # the conflicting TRN-FUEL-01 is asked for once, in the base's wording
    assert "Ursprung: lulea@2.1.0#TRN-FUEL-01:1" not in text


def test_old_versions_are_compared_too(mini):
    old = mini.copy()
    retired = copy.deepcopy(crit(old, "TST-FUEL-01"))
    retired["superseded"] = {"by": 2, "date": "2026-12-06", "note": {"sv": "a", "en": "a"}}
    old.superseded.append(retired)
    note = old.copy()
    note.superseded[0]["superseded"]["note"]["sv"] = "b"
    assert diff_sets(old, note).bump == "patch"
    rewritten = old.copy()
    rewritten.superseded[0]["levels"]["bas"]["params"]["share_pct"] = 1
    result = diff_sets(old, rewritten)
    assert result.bump == "major"
    assert result.changes[0].describe() == "TST-FUEL-01:1 bas share_pct 50 → 1"
    dropped = old.copy()
    dropped.superseded.clear()
    assert diff_sets(old, dropped).bump == "major"


def test_every_conflict_is_named(umea):
    other = _lulea(umea)
    crit(other, "TRN-EURO-01")["title"]["sv"] = "Annan rubrik"
    with pytest.raises(SetConflictError) as info:
        merge_sets(umea, [other])
    assert "2 conflict(s) (TRN-FUEL-01, TRN-EURO-01)" in str(info.value)
    assert len(info.value.report.errors) == 2


def test_a_spec_takes_the_base_wording_of_a_conflict_kept_both_ways(umea, tmp_path):
    """After --prefer base both wordings of TRN-FUEL-01 are in the set; a procurement must ask
    for the requirement once: the base's, unless the other's is added by name."""
    from procure.criteria.document import write_folder
    from procure.criteria.select import select

    merged = merge_sets(umea, [_lulea(umea)], prefer="base", today="2026-12-06").document
    cset = load_criteria_set(write_folder(merged, tmp_path / "merged"))
    assert {"TRN-FUEL-01", "lulea/TRN-FUEL-01"} <= set(cset.criteria)
    chosen = [s.criterion.id for s in select(cset, "transport.school", "bas")]
    assert "TRN-FUEL-01" in chosen
    assert "lulea/TRN-FUEL-01" not in chosen
    theirs = [s.criterion.id for s in select(cset, "transport.school", "bas",
                                             add=["lulea/TRN-FUEL-01"], remove=["TRN-FUEL-01"])]
    assert "lulea/TRN-FUEL-01" in theirs
    assert "TRN-FUEL-01" not in theirs
