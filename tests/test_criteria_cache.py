"""A validated set is kept between runs, and never reused for a changed set or other code."""

from __future__ import annotations

import shutil

import pytest

from procure.criteria import cache, load_criteria_set
from procure.criteria import load as load_module
from procure.errors import CriteriaSetError

from .conftest import ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    return folder / "criteria"


@pytest.fixture
def library_copy(tmp_path):
    return shutil.copytree(ROOT / "criteria", tmp_path / "set")


def _no_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(load_module, "read_raw", refuse)


def test_a_loaded_set_is_read_back_without_validating(cache_dir, library_copy, monkeypatch):
    first = load_criteria_set(library_copy)
    assert len(list(cache_dir.glob("*.criteria-set"))) == 1
    _no_validation(monkeypatch)
    again = load_criteria_set(library_copy)
    assert again == first
    assert again is not first


def test_a_changed_set_is_validated_again(cache_dir, library_copy):
    load_criteria_set(library_copy)
    header = library_copy / "set.yaml"
    header.write_text(header.read_text("utf-8").replace("version:", "version: [", 1), "utf-8")
    with pytest.raises(CriteriaSetError):
        load_criteria_set(library_copy)


def test_an_added_file_changes_the_key(cache_dir, library_copy):
    load_criteria_set(library_copy)
    (library_copy / "zz-extra.yaml").write_text("criteria: [1]\n", "utf-8")
    with pytest.raises(CriteriaSetError):
        load_criteria_set(library_copy)


def test_other_code_does_not_reuse_a_set(cache_dir, library_copy, monkeypatch):
    load_criteria_set(library_copy)
    key = cache.key_of(library_copy, load_module.set_files(library_copy))
    monkeypatch.setattr(cache, "_code", lambda: b"another version of procure")
    assert cache.key_of(library_copy, load_module.set_files(library_copy)) != key


def test_a_broken_entry_or_folder_is_passed_over(cache_dir, library_copy, tmp_path, monkeypatch):
    expected = load_criteria_set(library_copy)
    for entry in cache_dir.glob("*.criteria-set"):
        entry.write_bytes(b"not a pickle")
    assert load_criteria_set(library_copy) == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("x", "utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocked))  # a file where the folder should be
    assert load_criteria_set(library_copy) == expected


def test_the_cache_can_be_turned_off(cache_dir, library_copy, monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    load_criteria_set(library_copy)
    assert not cache_dir.exists()


def test_only_the_newest_entries_are_kept(cache_dir, library_copy, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    header = library_copy / "set.yaml"
    original = header.read_text("utf-8")
    for n in range(4):
        header.write_text(original + f"\n# edit {n}\n", "utf-8")
        load_criteria_set(library_copy)
    assert len(list(cache_dir.glob("*.criteria-set"))) == 2
    assert not list(cache_dir.glob(".tmp-*"))


def test_an_entry_others_may_change_is_not_read(cache_dir, library_copy, monkeypatch):
    """Reading a pickle can run code: an entry writable by others is passed over."""
    load_criteria_set(library_copy)
    [entry] = cache_dir.glob("*.criteria-set")
    entry.chmod(0o666)
    read_again = []
    original = load_module.read_raw

    def counting(*args, **kwargs):
        read_again.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(load_module, "read_raw", counting)
    load_criteria_set(library_copy)
    assert read_again  # validated again instead of trusting the entry
