"""``procure annex``: the requirement annex (PDF) for a procurement spec, and its demo steps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from procure.cli.check import TEMPLATE_IS_XLSX
from procure.cli.output import (
    allow_other_version_option,
    force_option,
    iso_date,
    lang_option,
    require_suffix,
    set_option,
)
from procure.criteria import load_criteria_set
from procure.errors import OutputFileError, ProcureError
from procure.i18n import pick, tr
from procure.io.outputs import check_not_input, refuse_existing
from procure.model import CriteriaSet, SelectedCriterion
from procure.tender.params import require_complete
from procure.tender.spec import ProcurementSpec, load_spec, resolve

if TYPE_CHECKING:
    from procure.cli.democontext import DemoContext

MESSAGES = {
    "sv": {"wrote": "Skrev {path}: {n} krav på {pages} sidor.",
           "template": "Skrev svarsmallen {path}."},
    "en": {"wrote": "Wrote {path}: {n} requirements on {pages} pages.",
           "template": "Wrote the answer template {path}."},
}


TemplateWriter = Callable[[ProcurementSpec, CriteriaSet, list[SelectedCriterion], Path, str], Any]


def template_writer() -> TemplateWriter:
    """The answer-template writer (``procure.tender.template``), or a clear error if it is absent.

    Looked up before the annex is written, so a failing ``--template`` leaves nothing behind.
    """
    try:
        from procure.tender.template import write_template
    except ImportError as exc:
        if isinstance(exc, ModuleNotFoundError) and exc.name not in (None, "procure.tender.template"):
            raise
        raise ProcureError(tr("the answer template writer is not available in this installation",
                              "svarsmallen kan inte skrivas i den här installationen"),
                           hint=tr("write the annex without --template",
                                   "skriv kravbilagan utan --template")) from None
    return write_template


@click.command()
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Where to write the annex PDF.")
@lang_option
@click.option("--template", "template_path", type=click.Path(path_type=Path), default=None,
              help="Also write the answer template (XLSX) for the same criteria here.")
@set_option()
@click.option("--date", "date", callback=iso_date, default=None,
              help="Date printed on the annex, YYYY-MM-DD (default: today).")
@click.option("--draft", is_flag=True,
              help="Write a draft even while buyer parameters are unset: 'UTKAST' (DRAFT) on "
                   "every page, the open values highlighted.")
@force_option
@allow_other_version_option
def annex(spec_path: Path, output: Path, lang: str, template_path: Path | None,
          set_path: Path | None, date: str | None, draft: bool, force: bool,
          allow_other_version: bool) -> None:
    """Write the climate requirement annex (PDF) for the procurement in SPEC.

    The annex lists the chosen criteria grouped as a tender uses them, with the thresholds
    filled in, what to answer and what evidence to attach.

    A final annex needs every buyer parameter of the spec set (`procure spec show` lists
    what is open); --draft writes a marked draft meanwhile.

    Example: procure annex spec.yaml -o bilaga-klimatkrav.pdf --template svarsmall.xlsx
    """
    from procure.reports.annex import build_annex_pdf

    spec = load_spec(spec_path)
    cset = load_criteria_set(set_path) if set_path else None
    cset, selected = resolve(spec, cset, allow_other_version=allow_other_version)
    inputs: list[Path] = [spec_path, *[Path(p) for p in (set_path, spec.set_path) if p]]
    check_not_input(output, inputs)
    write_template = None
    if template_path is not None:
        check_not_input(template_path, inputs)
        if template_path.resolve() == output.resolve():
            raise OutputFileError(tr("the annex and the answer template cannot be the same file",
                                     "kravbilagan och svarsmallen kan inte vara samma fil"),
                                  file=template_path,
                                  hint=tr("give --template another name",
                                          "ge --template ett annat namn"))
    require_suffix(output, (".pdf",), "--output",
                   tr("the annex is a PDF", "kravbilagan är en PDF"))
    require_suffix(template_path, (".xlsx",), "--template", TEMPLATE_IS_XLSX)
    refuse_existing([output, template_path], force)
    if template_path is not None:
        require_complete(selected, spec.path)  # suppliers cannot answer to an open value
        write_template = template_writer()
    built = build_annex_pdf(spec, cset, selected, output, lang, date=date, draft=draft)
    click.echo(MESSAGES[lang]["wrote"].format(path=built.path, n=len(selected),
                                               pages=built.pages))
    if write_template is not None and template_path is not None:
        write_template(spec, cset, selected, template_path, lang)
        click.echo(MESSAGES[lang]["template"].format(path=template_path))


def demo_step(ctx: DemoContext) -> None:
    """Demo: the annex for ``examples/spec.yaml`` on the built-in library."""
    from procure.reports.annex import build_annex_pdf

    spec = load_spec(ctx.examples / "spec.yaml")
    cset, selected = resolve(spec, ctx.criteria_set)
    name = "bilaga-klimatkrav.pdf" if ctx.lang == "sv" else "annex-climate-requirements.pdf"
    built = build_annex_pdf(spec, cset, selected, ctx.outdir / name, ctx.lang)
    ctx.state.update(spec=spec, criteria_set=cset, selected=selected)
    click.echo("  " + pick(ctx.lang, f"{len(selected)} krav, {built.pages} sidor",
                           f"{len(selected)} requirements, {built.pages} pages"))
    ctx.wrote(built.path, pick(ctx.lang, "kravbilaga för anbudsunderlaget (PDF)",
                               "requirement annex for the tender documents (PDF)"))


def demo_evaluation_step(ctx: DemoContext) -> None:
    """Demo: the evaluation record, once a check step has put its result in ``ctx.state``.

    Expects ``ctx.state["evaluation"]`` (an object with ``.verdicts`` and ``.suppliers``, see
    :mod:`procure.reports.evaluation`) and ``ctx.state["spec"]``, as the check demo step
    stores them; skips with a note when the check step has not run.
    """
    from procure.reports.evaluation import build_evaluation_pdf

    evaluation, spec = ctx.state.get("evaluation"), ctx.state.get("spec")
    if evaluation is None or spec is None:
        click.echo("  " + pick(ctx.lang, "(hoppar över: ingen utvärdering att skriva ut)",
                               "(skipped: no evaluation to print)"))
        return
    cset = ctx.state.get("criteria_set") or ctx.criteria_set
    selected = ctx.state.get("selected") or resolve(spec, cset)[1]
    name = "utvarderingsprotokoll.pdf" if ctx.lang == "sv" else "evaluation-record.pdf"
    built = build_evaluation_pdf(evaluation, spec, cset, selected, ctx.outdir / name, ctx.lang)
    click.echo("  " + pick(ctx.lang, f"{built.pages} sidor", f"{built.pages} pages"))
    ctx.wrote(built.path, pick(ctx.lang, "utvärderingsprotokoll (PDF)", "evaluation record (PDF)"))


commands = [annex]
