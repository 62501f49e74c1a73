"""Outputs are atomic, never overwrite inputs, and defuse formula injection."""

from __future__ import annotations

import errno

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.errors import OutputFileError
from procure.io.outputs import (
    check_not_input,
    ensure_folder,
    neutralise,
    write_atomic,
    write_text_atomic,
)


def test_output_equal_to_input_is_refused(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match="would overwrite an input"):
        check_not_input(tmp_path / "." / "in.csv", [src])


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(out, broken)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_missing_output_folder(tmp_path):
    with pytest.raises(OutputFileError, match="output folder does not exist"):
        write_text_atomic(tmp_path / "no" / "x.txt", "x")


@given(st.text())
def test_neutralise_never_leaves_a_formula(value):
    result = neutralise(value)
    assert not result.startswith(("=", "+", "-", "@"))
    assert result.endswith(value)


def test_neutralise_leaves_numbers():
    assert neutralise(-5) == -5
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"


def test_written_files_get_normal_permissions(tmp_path):
    import os

    out = write_text_atomic(tmp_path / "x.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_output_under_a_file_is_refused_before_any_work(tmp_path):
    afile = tmp_path / "a.txt"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match=r"cannot write: .* is a file, not a folder"):
        check_not_input(afile / "out.csv", [])
    with pytest.raises(OutputFileError, match="is a file, not a folder"):
        write_text_atomic(afile / "out.csv", "x")
    with pytest.raises(OutputFileError, match="output folder does not exist"):
        check_not_input(tmp_path / "no" / "out.csv", [])
    with pytest.raises(OutputFileError, match="output is a folder"):
        check_not_input(tmp_path, [])


def test_ensure_folder(tmp_path):
    assert ensure_folder(tmp_path / "a" / "b").is_dir()
    afile = tmp_path / "f"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match="is a file; expected a folder"):
        ensure_folder(afile)
    with pytest.raises(OutputFileError, match="cannot create the folder"):
        ensure_folder(afile / "sub")


def test_os_errors_about_the_output_become_output_errors(tmp_path):
    def disk_full(tmp):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputFileError, match="cannot write: No space left on device"):
        write_atomic(tmp_path / "out.txt", disk_full)
    assert list(tmp_path.iterdir()) == []


def test_os_errors_about_another_file_are_not_disguised(tmp_path):
    def reads_a_missing_input(tmp):
        (tmp_path / "input.csv").read_text(encoding="utf-8")

    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "out.txt", reads_a_missing_input)
    assert list(tmp_path.iterdir()) == []
