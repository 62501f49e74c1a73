"""``procure report``: the yearly follow-up report (PDF, JSON, XLSX) and its factor table."""

from __future__ import annotations

import json
from pathlib import Path

import click

from procure.cli.democontext import DemoContext
from procure.cli.output import echo_json, lang_option, require_suffix
from procure.cli.register import db_option
from procure.errors import OutputFileError
from procure.i18n import get_lang, pick, tr
from procure.io.outputs import check_not_input, write_text_atomic

SUFFIXES = {"pdf": ".pdf", "json": ".json", "xlsx": ".xlsx"}


@click.group()
def report() -> None:
    """Reports from the register: the yearly follow-up of climate requirements."""


def _format(fmt: str | None, output: Path | None) -> str:
    if fmt:
        return fmt
    if output is not None:
        for name, suffix in SUFFIXES.items():
            if output.suffix.lower() == suffix:
                return name
    return "pdf"


@report.command("followup")
@click.option("--year", type=click.IntRange(1990, 2100), required=True,
              help="The calendar year to report on.")
@click.option("--organisation", default=None,
              help="Only this administration or company (exactly as in the register).")
@click.option("--by", type=click.Choice(["organisation"]), default=None,
              help="Add a table of key figures per organisation.")
@db_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Where to write the report (JSON goes to the screen without it).")
@click.option("--format", "fmt", type=click.Choice(list(SUFFIXES)), default=None,
              help="pdf, json or xlsx (default: from the output name, else pdf).")
@click.option("--factors", "factors_path", type=click.Path(path_type=Path), default=None,
              help="Emission factor table (CSV/XLSX) for the emissions indication.")
@click.option("--as-of", "as_of", default=None,
              help="Judge overdue checkpoints and evidence at this date, YYYY-MM-DD "
                   "(default: today, or the year's last day if earlier).")
@click.option("--expiring-days", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="Evidence running out within this many days counts as expiring.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@lang_option
def followup(year: int, organisation: str | None, by: str | None, db_path: str | None,
             output: Path | None, fmt: str | None, factors_path: Path | None, as_of: str | None,
             expiring_days: int, force: bool, lang: str) -> None:
    """The commitment-6 follow-up report for one year, from the register.

    What was bought with climate requirements (by level, kind, category and organisation, and
    as eForms BT-805/BT-774 would count it), whether the requirements were followed up, where
    the money went without any (the spend gap), an emissions indication when --factors is
    given, and the trend against earlier years.

    Example: procure report followup --year 2026 --db register.db -o uppfoljning.pdf
    """
    import datetime as dt

    from procure.register.db import open_register
    from procure.register.factors import indication_for, load_factors
    from procure.register.indicators import read_indicators
    from procure.reports.followup_content import library_category_names

    fmt = _format(fmt, output)
    if fmt != "json" and output is None:
        raise click.BadParameter(str(tr("a {fmt} report needs -o FILE",
                                        "en rapport i {fmt} behöver -o FIL", fmt=fmt.upper())),
                                 param_hint="-o/--output")
    require_suffix(output, (SUFFIXES[fmt],), "--output",
                   tr("the {fmt} report", "rapporten i {fmt}", fmt=fmt.upper()))
    when = None
    if as_of:
        try:
            when = dt.date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(str(tr("{value!r} is not a date; write it as YYYY-MM-DD",
                                            "{value!r} är inget datum; skriv det som ÅÅÅÅ-MM-DD",
                                            value=as_of)), param_hint="--as-of") from None
    inputs = [p for p in (Path(db_path) if db_path else None, factors_path) if p is not None]
    if output is not None:
        check_not_input(output, inputs)
        if output.exists() and not force:
            raise OutputFileError(tr("the file already exists", "filen finns redan"),
                                  file=output, hint=tr("choose another name or add --force",
                                                       "välj ett annat namn eller lägg till "
                                                       "--force"))
    table = load_factors(factors_path) if factors_path is not None else None
    register = open_register(db_path)
    try:
        ind, known = read_indicators(register, year, organisation=organisation, by=by,
                                     as_of=when, expiring_days=expiring_days)
    finally:
        register.close()
    emissions = indication_for(ind.spend, table, year) if table is not None else None
    categories = library_category_names()
    if fmt == "json":
        from procure.reports.followup_content import report_dict

        data = report_dict(ind, emissions, lang)
        if output is None:
            echo_json(data)
            return
        write_text_atomic(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        click.echo(pick(lang, f"Skrev {output}.", f"Wrote {output}."))
    elif fmt == "xlsx":
        from procure.reports.followup_xlsx import build_followup_xlsx

        build_followup_xlsx(ind, output, lang, emissions=emissions, categories=categories)  # type: ignore[arg-type]
        click.echo(pick(lang, f"Skrev {output}.", f"Wrote {output}."))
    else:
        from procure.reports.followup import build_followup_pdf
        from procure.reports.followup_content import count

        built = build_followup_pdf(ind, output, lang, emissions=emissions, categories=categories,  # type: ignore[arg-type]
                                   known_years=known)
        pages = count(built.pages, lang, ("sida", "sidor"), ("page", "pages"))
        click.echo(pick(lang, f"Skrev {built.path}: {pages}.", f"Wrote {built.path}: {pages}."))
    if not ind.has_data:
        click.echo(pick(lang, f"Registret har inga uppgifter för {year}; rapporten säger det.",
                        f"The register holds nothing for {year}; the report says so."))


@report.command("factors")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@lang_option
def factors(path: Path, fmt: str, lang: str) -> None:
    """Check an emission factor table (kg CO₂e per krona and category); exit 1 if invalid.

    Columns: category, kg_co2e_per_sek, source, year, region, licence, quality_note. Rows are
    unique by category, source and year; every problem is named by its row.
    Example: procure report factors faktorer.csv
    """
    from procure.errors import InputFileError
    from procure.register.factors import check_factors

    if not path.is_file():
        raise InputFileError(tr("the factor table does not exist", "faktortabellen finns inte"),
                             file=path)
    checked, rows = check_factors(path)
    if fmt == "json":
        echo_json({**checked.to_dict(), "factors": len(rows),
                   "categories": len({r.category for r in rows}),
                   "sources": sorted({r.source for r in rows})})
    else:
        prefix = tr("Error", "Fel")
        for finding in checked.errors:
            click.echo(f"{prefix}: {path}: {finding.message}")
        if checked.valid:
            click.echo(tr("{path}: valid, {n} factors for {c} categories. Sources: {sources}",
                          "{path}: giltig, {n} faktorer för {c} kategorier. Källor: {sources}",
                          path=path, n=len(rows), c=len({r.category for r in rows}),
                          sources="; ".join(sorted({f"{r.source} ({r.licence})"
                                                    for r in rows}))))
        else:
            click.echo(tr("{path}: INVALID ({n} errors)", "{path}: OGILTIG ({n} fel)",
                          path=path, n=len(checked.errors)))
    if not checked.valid:
        raise SystemExit(1)


def demo_step(ctx: DemoContext) -> None:
    """Demo: the follow-up report for the example group's register, which an earlier step
    left in the demo folder as ``register.db`` (skipped with a note when it is not there)."""
    import datetime as dt

    from procure.register.db import open_register
    from procure.register.indicators import compute_indicators, years_with_data
    from procure.reports.followup import build_followup_pdf
    from procure.reports.followup_content import fmt_share, library_category_names

    path = ctx.outdir / "register.db"
    if not path.exists():
        click.echo(tr("  (skipped: no register in the demo folder)",
                      "  (hoppar över: inget register i demomappen)"))
        return
    register = open_register(path)
    try:
        with register.read() as conn:
            years = [y for y in years_with_data(conn) if y <= dt.date.today().year]
            if not years:
                click.echo(tr("  (skipped: the register is empty)",
                              "  (hoppar över: registret är tomt)"))
                return
            ind = compute_indicators(conn, years[-1], by="organisation")
    finally:
        register.close()
    name = pick(ctx.lang, f"uppfoljning-{ind.year}.pdf", f"followup-{ind.year}.pdf")
    built = build_followup_pdf(ind, ctx.outdir / name, ctx.lang,
                               categories=library_category_names(), known_years=years)
    top = ind.spend.top_uncovered[0].category if ind.spend.top_uncovered else str(tr(
        "none (every category has some)", "ingen (alla kategorier har något)"))
    said = get_lang()  # the message's numbers are written as its language writes them
    click.echo(tr("  {year}: {share} of the procurements with climate criteria, {cov} of the "
                  "contracts followed up, {gap} of the spend to suppliers with climate "
                  "criteria; most spend without: {top}",
                  "  {year}: {share} av upphandlingarna med klimatkrav, {cov} av avtalen "
                  "uppföljda, {gap} av inköpen till leverantörer med klimatkrav; mest inköp "
                  "utan: {top}", year=ind.year, share=fmt_share(ind.procurements.share_by_count, said),
                  cov=fmt_share(ind.followup.coverage, said),
                  gap=fmt_share(ind.spend.covered_share, said), top=top))
    ctx.wrote(built.path, pick(ctx.lang, "uppföljningsrapport, Klimatkontrakt 2030 åtagande 6 "
                                         "(PDF)", "follow-up report, Klimatkontrakt 2030 "
                                                  "commitment 6 (PDF)"))
    click.echo(tr("  Try: procure report followup --year {year} --db {db} --format json",
                  "  Prova: procure report followup --year {year} --db {db} --format json",
                  year=ind.year, db=path))


commands = [report]
