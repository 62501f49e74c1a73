"""Issue 11: a spec for a criteria-set version that is not installed, and outputs that would
replace an existing file. Through the command line, in both languages."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader

from procure.cli import main

from .conftest import EXAMPLES, MINI_SET, assert_one_line_error


def other_version_spec(folder) -> str:
    spec = folder / "spec.yaml"
    spec.write_text(f"title: Skolskjuts\ncategory: transport.school\nlevel: avancerad\n"
                    f"criteria_set: test-mini@9.9.9\ncriteria_set_path: {MINI_SET}\n",
                    encoding="utf-8")
    return str(spec)


# --- 7. a spec for another version of the criteria set --------------------------------------------

@pytest.mark.parametrize("command", [["spec", "show"], ["spec", "notice"], ["template"],
                                     ["annex"], ["check"]])
def test_a_spec_for_a_version_that_is_not_installed_is_an_error(runner, tmp_path, command):
    spec = other_version_spec(tmp_path)
    args = [*command, spec]
    if command == ["template"]:
        args += ["-o", str(tmp_path / "mall.xlsx")]
    if command == ["annex"]:
        args += ["-o", str(tmp_path / "bilaga.pdf")]
    if command == ["check"]:
        args += [str(EXAMPLES / "answers" / "05-skolskjuts-mitt-export.csv")]
    result = runner.invoke(main, args)
    assert_one_line_error(result, "test-mini@9.9.9", "test-mini@0.1.0", "--allow-other-version")
    assert not list(tmp_path.glob("*.pdf"))
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_spec_for_another_version_in_swedish(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PROCURE_LANG", "sv")
    result = runner.invoke(main, ["spec", "show", other_version_spec(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Fel: ")
    assert "är skriven för test-mini@9.9.9 men test-mini@0.1.0 är installerad" in result.output


def test_allow_other_version_and_the_annex_states_both(runner, tmp_path):
    spec = other_version_spec(tmp_path)
    out = tmp_path / "bilaga.pdf"
    result = runner.invoke(main, ["annex", spec, "-o", str(out), "--allow-other-version"])
    assert result.exit_code == 0, result.output
    assert "test-mini@9.9.9" in result.output  # the warning
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "test-mini@0.1.0" in text
    assert "test-mini@9.9.9" in text


# --- 8. outputs never replace an existing file without --force -------------------------------------

def _existing(path, content: bytes = b"a supplier's filled answers") -> None:
    path.write_bytes(content)


@pytest.mark.parametrize(("args", "name"), [
    (["template", str(EXAMPLES / "spec.yaml"), "-o"], "svar.xlsx"),
    (["annex", str(EXAMPLES / "spec.yaml"), "-o"], "bilaga.pdf"),
    (["check", str(EXAMPLES / "spec.yaml"), str(EXAMPLES / "answers"), "-o"], "resultat.xlsx"),
    (["check", str(EXAMPLES / "spec.yaml"), str(EXAMPLES / "answers"), "--pdf"], "rapport.pdf"),
    (["match", "--input", str(EXAMPLES / "spend.csv"), "--text-column", "Fakturatext", "-o"],
     "matchat.csv"),
])
def test_an_existing_output_is_not_replaced_without_force(runner, tmp_path, args, name):
    target = tmp_path / name
    _existing(target)
    result = runner.invoke(main, [*args, str(target)])
    assert_one_line_error(result, name, "--force")
    assert target.read_bytes() == b"a supplier's filled answers"
    forced = runner.invoke(main, [*args, str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != b"a supplier's filled answers"


def test_several_outputs_are_all_checked_before_the_first_is_written(runner, tmp_path):
    annex, template = tmp_path / "bilaga.pdf", tmp_path / "mall.xlsx"
    _existing(template)
    result = runner.invoke(main, ["annex", str(EXAMPLES / "spec.yaml"), "-o", str(annex),
                                  "--template", str(template)])
    assert_one_line_error(result, "mall.xlsx", "--force")
    assert not annex.exists()
    results, report = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    _existing(report)
    result = runner.invoke(main, ["check", str(EXAMPLES / "spec.yaml"), str(EXAMPLES / "answers"),
                                  "-o", str(results), "--pdf", str(report)])
    assert_one_line_error(result, "r.pdf")
    assert not results.exists()


def test_force_in_swedish(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PROCURE_LANG", "sv")
    target = tmp_path / "mall.xlsx"
    shutil.copy(EXAMPLES / "answers" / "01-norrlandsbuss.xlsx", target)
    result = runner.invoke(main, ["template", str(EXAMPLES / "spec.yaml"), "-o", str(target)])
    assert result.exit_code == 1
    assert "finns redan" in result.output
    assert "--force" in result.output
