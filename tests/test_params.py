"""Buyer parameters: open until the spec sets them; --param, prompts, spec show, annex --draft."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from procure.cli import main
from procure.criteria import load_criteria_set, select
from procure.errors import ParamError, SpecError
from procure.tender.params import assign, open_params, parse_value, require_complete

from .conftest import FIXTURES, assert_one_line_error

V2 = FIXTURES / "v2-set"


@pytest.fixture(scope="module")
def v2():
    return load_criteria_set(V2)


def test_unset_buyer_params_stay_open_in_the_text(v2):
    bas, adv = (next(s for s in select(v2, "vehicles", level) if s.id == "TST-SRV-01")
                for level in ("bas", "avancerad"))
    assert bas.open_params == ("max_distance_km",)  # the bas text has no report deadline
    assert adv.open_params == ("max_distance_km", "deadline_months")
    assert "{max_distance_km} km" in adv.text["sv"]
    assert [(o.criterion_id, o.name, o.suggested) for o in open_params([adv])] == [
        ("TST-SRV-01", "max_distance_km", 50), ("TST-SRV-01", "deadline_months", None)]
    with pytest.raises(SpecError, match=r"TST-SRV-01: the buyer parameter max_distance_km "
                                        r"\(Maximum distance to a workshop\) is not set \(and 1"):
        require_complete([adv])


def test_a_set_value_fills_text_and_answer(v2):
    chosen = select(v2, "vehicles", "avancerad",
                    overrides={"TST-SRV-01": {"max_distance_km": 40, "deadline_months": 6}})
    srv = next(s for s in chosen if s.id == "TST-SRV-01")
    assert srv.open_params == ()
    assert srv.text["sv"].startswith("Service ska kunna utföras inom 40 km")
    assert srv.answer.max == 40
    require_complete(chosen)
    with pytest.raises(ParamError, match=r"'fyrtio' is not a number; max_distance_km is a"):
        select(v2, "vehicles", "bas", overrides={"TST-SRV-01": {"max_distance_km": "fyrtio"}})


def test_assign_finds_the_owner_of_a_key_or_asks_for_the_id(v2):
    chosen = select(v2, "vehicles", "avancerad")
    assert assign(chosen, [(None, "max_distance_km", "1 000,5 km")]) == {
        "TST-SRV-01": {"max_distance_km": 1000.5}}
    assert assign(chosen, [("TST-CO2-01", "max_g_km", "10")]) == {"TST-CO2-01": {"max_g_km": 10}}
    with pytest.raises(ParamError, match="no chosen criterion has a parameter 'nope'"):
        assign(chosen, [(None, "nope", "1")])
    srv = next(s for s in chosen if s.id == "TST-SRV-01")
    clone = replace(srv, criterion=replace(srv.criterion, id="TST-SRV-02"))
    with pytest.raises(ParamError, match=r"'max_distance_km' is a parameter of TST-SRV-01, "
                                         r"TST-SRV-02; write CRITERION-ID.max_distance_km=VALUE"):
        assign([srv, clone], [(None, "max_distance_km", "5")])


def test_parse_value_by_type(v2):
    params = v2.criteria["TST-SRV-01"].parameters
    assert parse_value("1,5", params["max_distance_km"], "x") == 1.5
    assert parse_value("50 km", params["max_distance_km"], "x") == 50
    with pytest.raises(ParamError, match="'ca 50' is not a number"):
        parse_value("ca 50", params["max_distance_km"], "x")
    assert parse_value("Bra Miljöval", None, "x") == "Bra Miljöval"


def new_spec(runner, tmp_path: Path, *args: str, name: str = "spec.yaml", input=None):
    return runner.invoke(main, ["spec", "new", "--title", "Bilar 2027", "--category", "vehicles",
                                "--level", "avancerad", "--set", str(V2), "--reference", "KS 1",
                                "-o", str(tmp_path / name), "--lang", "en", *args],
                         input=input)


def test_spec_new_param_and_spec_show(runner, tmp_path):
    result = new_spec(runner, tmp_path, "--param", "max_distance_km=40")
    assert result.exit_code == 0, result.output
    assert "Not set yet" in result.output
    assert "TST-SRV-01.deadline_months  Time to first report (månader)" in result.output
    assert "max_distance_km  Maximum" not in result.output
    assert "max_distance_km: 40" in (tmp_path / "spec.yaml").read_text("utf-8")
    shown = runner.invoke(main, ["spec", "show", str(tmp_path / "spec.yaml"), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.rstrip().endswith(
        "Not set yet (set by the buyer; a final annex needs them):\n"
        "  TST-SRV-01.deadline_months  Time to first report (månader)")
    as_json = runner.invoke(main, ["spec", "show", str(tmp_path / "spec.yaml"),
                                   "--format", "json"])
    assert '"params_unset": [' in as_json.output
    assert_one_line_error(new_spec(runner, tmp_path, "--param", "TST-SRV-01.max_distance_km=nära",
                                   "--force"), "'nära' is not a number")


def test_spec_new_asks_on_a_terminal(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("procure.cli.spec.interactive", lambda: True)
    # the first answer is not a number and is asked again; Enter takes the suggested 50
    result = new_spec(runner, tmp_path, input="\nfem\n6\n")
    assert result.exit_code == 0, result.output
    assert "TST-SRV-01: suggested 50 per Upphandlingsmyndigheten 10700:1, avsnitt 4.2" in \
        result.output
    assert "'fem' is not a number" in result.output
    text = (tmp_path / "spec.yaml").read_text("utf-8")
    assert "max_distance_km: 50" in text
    assert "deadline_months: 6" in text
    assert "Not set yet" not in result.output


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_annex_refuses_a_final_annex_and_writes_a_marked_draft(runner, tmp_path):
    assert new_spec(runner, tmp_path).exit_code == 0
    spec = tmp_path / "spec.yaml"
    final = tmp_path / "annex.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(final)])
    assert_one_line_error(result, "TST-SRV-01: the buyer parameter max_distance_km (Maximum "
                                  "distance to a workshop) is not set", "--draft")
    assert not final.exists()
    template = runner.invoke(main, ["annex", str(spec), "-o", str(final), "--draft",
                                    "--template", str(tmp_path / "t.xlsx")])
    assert_one_line_error(template, "is not set")
    draft = tmp_path / "draft.pdf"
    result = runner.invoke(main, ["annex", str(spec), "-o", str(draft), "--draft"])
    assert result.exit_code == 0, result.output
    pages = pdf_pages(draft)
    assert all("UTKAST" in page for page in pages)
    text = " ".join(pages)
    assert "[Största avstånd till verkstad]" in text
    assert "{max_distance_km}" not in text
    english = tmp_path / "draft-en.pdf"
    runner.invoke(main, ["annex", str(spec), "-o", str(english), "--draft", "--lang", "en"])
    assert all("DRAFT" in page for page in pdf_pages(english))


def test_annex_with_every_value_set_has_no_watermark(runner, tmp_path):
    assert new_spec(runner, tmp_path, "--param", "max_distance_km=40",
                    "--param", "TST-SRV-01.deadline_months=6").exit_code == 0
    final = tmp_path / "annex.pdf"
    result = runner.invoke(main, ["annex", str(tmp_path / "spec.yaml"), "-o", str(final)])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages(final))
    assert "UTKAST" not in text
    assert "inom 40 km" in text
    assert "6 månader" in text


def test_answer_template_and_check_refuse_open_values(runner, tmp_path):
    assert new_spec(runner, tmp_path).exit_code == 0
    spec = str(tmp_path / "spec.yaml")
    result = runner.invoke(main, ["template", spec, "-o", str(tmp_path / "t.xlsx")])
    assert_one_line_error(result, "max_distance_km", "is not set")
    assert not (tmp_path / "t.xlsx").exists()


def test_a_buyer_value_typed_as_text_in_the_spec(runner, tmp_path):
    assert new_spec(runner, tmp_path, "--param", "max_distance_km=40").exit_code == 0
    path = tmp_path / "spec.yaml"
    path.write_text(path.read_text("utf-8").replace("max_distance_km: 40",
                                                    "max_distance_km: '4,5'"), "utf-8")
    result = runner.invoke(main, ["spec", "show", str(path)])
    assert_one_line_error(result, "criteria.params.TST-SRV-01.max_distance_km",
                          "'4,5' is not a number", "write 4.5 with a decimal point")
