"""``procure template`` and ``procure check``: the answer template, and checking the answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd

from procure.answers.evaluation import STATUS_LABELS, Evaluation, evaluate, write_evaluation
from procure.answers.read import answer_files, read_answers
from procure.answers.results import RESULT_SUFFIXES
from procure.cli.output import (
    allow_other_version_option,
    echo_json,
    force_option,
    format_option,
    lang_option,
    require_suffix,
    table,
)
from procure.cli.spec import load_resolved, set_option
from procure.errors import ProcureError
from procure.i18n import pick, tr
from procure.io.outputs import check_not_input, refuse_existing
from procure.io.textfmt import count_text, format_money
from procure.model import CriteriaSet, SelectedCriterion
from procure.tender.params import require_complete
from procure.tender.spec import ProcurementSpec, load_spec, resolve
from procure.tender.template import write_template

if TYPE_CHECKING:
    from procure.cli.democontext import DemoContext

SUPPLIERS = (("leverantör", "leverantörer"), ("supplier", "suppliers"))
CRITERIA = (("kriterium", "kriterier"), ("criterion", "criteria"))
TEMPLATE_IS_XLSX = tr("the template is an Excel file", "svarsmallen är en Excel-fil")


@click.command("template")
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the answer template (.xlsx).")
@lang_option
@set_option
@force_option
@allow_other_version_option
def template(spec_path: Path, output: Path, lang: str, set_path: Path | None, force: bool,
             allow_other_version: bool) -> None:
    """Write the answer template (XLSX) that suppliers fill in.

    Example: procure template spec.yaml -o answers.xlsx
    """
    require_suffix(output, (".xlsx",), "--output", TEMPLATE_IS_XLSX)
    check_not_input(output, [spec_path])
    refuse_existing([output], force)
    spec, cset, selected = load_resolved(spec_path, set_path, allow_other_version)
    write_template(spec, cset, selected, output, lang)
    sv = lang == "sv"
    click.echo(f"{'Skrev svarsmall' if sv else 'Wrote answer template'} ({len(selected)} "
               f"{'kriterier' if sv else 'criteria'}, {'mallens id' if sv else 'template id'} "
               f"{spec.fingerprint(selected)}): {output}")


def summary_table(evaluation: Evaluation, lang: str = "sv") -> str:
    """The per-supplier result as an aligned text table (ranked first)."""
    sv = lang == "sv"
    headers = (["rang", "leverantör", "status", "anbudspris", "avdrag", "jämförelsepris",
                "uppf.", "ej", "saknas", "ogilt.", "granska"] if sv else
               ["rank", "supplier", "status", "bid price", "deductions", "comparison",
                "met", "not", "missing", "invalid", "review"])
    rows = []
    for row in evaluation.suppliers.itertuples(index=False):
        money = ["–" if pd.isna(v) else format_money(float(v), lang)
                 for v in (row.bid_price, row.deductions, row.comparison_price)]
        rows.append([
            "" if pd.isna(row.rank) else str(row.rank),
            row.supplier, STATUS_LABELS[row.status][lang], *money,
            row.met, row.not_met, row.missing, row.invalid, row.review,
        ])
    return table(headers, rows, shorten=(), right=range(3, 11))


def summary_lines(evaluation: Evaluation, lang: str = "sv") -> list[str]:
    """Why each supplier has its status, and the findings, as plain lines."""
    lines = []
    for row in evaluation.suppliers.itertuples(index=False):
        note = f"{row.reason}" + (f"; {row.remarks}" if row.remarks else "")
        lines.append(f"- {row.supplier}: {note}")
    if evaluation.findings.findings:
        lines.append("")
        lines.append("Fynd:" if lang == "sv" else "Findings:")
        lines += [f"  [{f.code}] {f}" for f in evaluation.findings.findings]
    return lines


def _write_pdf(evaluation: Evaluation, spec: ProcurementSpec, cset: CriteriaSet,
               selected: list[SelectedCriterion], output: Path, lang: str) -> None:
    try:
        from procure.reports.evaluation import build_evaluation_pdf
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("procure.reports"):
            raise
        raise ProcureError(tr("PDF reports are not available in this installation "
                              "(procure.reports.evaluation is missing)",
                              "PDF-rapporter finns inte i den här installationen "
                              "(procure.reports.evaluation saknas)")) from None
    build_evaluation_pdf(evaluation, spec, cset, selected, output, lang)


@click.command("check")
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results: .xlsx (sheets per supplier, verdict, finding), "
                   ".csv (a row per verdict) or .json.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the evaluation report as PDF.")
@click.option("--ignore-fingerprint", is_flag=True,
              help="Check templates made for another version of the spec (a warning instead "
                   "of an error).")
@format_option("table", "json")
@lang_option
@set_option
@force_option
@allow_other_version_option
def check(spec_path: Path, answers: tuple[Path, ...], output: Path | None,
          pdf_path: Path | None, ignore_fingerprint: bool, fmt: str, lang: str,
          set_path: Path | None, force: bool, allow_other_version: bool) -> None:
    """Check supplier answers against the spec: verdicts, qualification, comparison price.

    ANSWERS are filled templates (files or folders of them) or one combined export, long
    (supplier, criterion_id, answer, evidence) or wide (a column per criterion id). Exits 0
    whenever the check ran, whatever the verdicts.

    Example: procure check spec.yaml answers/ -o results.xlsx
    """
    require_suffix(output, RESULT_SUFFIXES, "--output",
                   tr("results are written as Excel, CSV or JSON",
                      "resultatet skrivs som Excel, CSV eller JSON"))
    require_suffix(pdf_path, (".pdf",), "--pdf", tr("the report is a PDF", "rapporten är en PDF"))
    inputs = [spec_path, *answer_files(answers)]
    for target in (output, pdf_path):
        if target is not None:
            check_not_input(target, inputs)
    refuse_existing([output, pdf_path], force)
    spec, cset, selected = load_resolved(spec_path, set_path, allow_other_version)
    require_complete(selected, spec.path)  # an open value cannot be checked against
    answer_set = read_answers(answers, criteria_ids=[s.id for s in selected],
                              fingerprint=spec.fingerprint(selected),
                              strict_fingerprint=not ignore_fingerprint)
    evaluation = evaluate(spec, cset, selected, answer_set, lang)
    if output is not None:
        write_evaluation(evaluation, output, lang)
    if pdf_path is not None:
        _write_pdf(evaluation, spec, cset, selected, pdf_path, lang)
    if fmt == "json":
        echo_json(evaluation.to_dict())
        return
    sv = lang == "sv"
    click.secho(" — ".join(p for p in (spec.reference, spec.title) if p), bold=True)
    click.echo(f"{count_text(len(evaluation.suppliers), lang, *SUPPLIERS)} × "
               f"{count_text(len(selected), lang, *CRITERIA)}\n")
    click.echo(summary_table(evaluation, lang))
    click.echo()
    click.echo("\n".join(summary_lines(evaluation, lang)))
    for target, what in ((output, "resultat" if sv else "results"),
                         (pdf_path, "rapport" if sv else "report")):
        if target is not None:
            click.echo(f"\n{'Skrev' if sv else 'Wrote'} {what}: {target}")


def demo_step(ctx: DemoContext) -> None:
    """Demo: write the answer template, check the example answers, write the results."""
    spec = load_spec(ctx.examples / "spec.yaml")
    cset, selected = resolve(spec, ctx.criteria_set)
    template_path = ctx.outdir / ("svarsmall.xlsx" if ctx.lang == "sv" else "answer-template.xlsx")
    write_template(spec, cset, selected, template_path, ctx.lang)
    ctx.wrote(template_path, "svarsmall till leverantörerna (Excel)" if ctx.lang == "sv"
              else "answer template for suppliers (Excel)")
    answer_set = read_answers([ctx.examples / "answers"], criteria_ids=[s.id for s in selected],
                              fingerprint=spec.fingerprint(selected))
    evaluation = evaluate(spec, cset, selected, answer_set, ctx.lang)
    click.echo(f"  {count_text(len(evaluation.suppliers), ctx.lang, *SUPPLIERS)} "
               + pick(ctx.lang, "har svarat:", "answered:"))
    for line in summary_table(evaluation, ctx.lang).splitlines():
        click.echo("  " + line)
    for line in summary_lines(evaluation, ctx.lang):
        click.echo("  " + line)
    results = ctx.outdir / ("utvardering.xlsx" if ctx.lang == "sv" else "evaluation.xlsx")
    write_evaluation(evaluation, results, ctx.lang)
    ctx.wrote(results, "utvärdering av svaren (Excel)" if ctx.lang == "sv"
              else "evaluation of the answers (Excel)")
    ctx.state.update(spec=spec, selected=selected, evaluation=evaluation)


commands = [template, check]
