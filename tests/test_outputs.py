"""Outputs are atomic, never overwrite inputs, and defuse formula injection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.errors import OutputFileError
from procure.outputs import check_not_input, neutralise, write_atomic, write_text_atomic


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
