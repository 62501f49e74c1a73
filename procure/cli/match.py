"""``procure match``: match one purchase text, or a whole ledger file, to categories."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from procure.cli.democontext import DemoContext
from procure.cli.output import (
    BUILTIN_SET,
    echo_json,
    echo_table,
    force_option,
    format_option,
    header_row_option,
    lang_option,
    set_option,
)
from procure.criteria import load_criteria_set
from procure.i18n import pick, tr
from procure.io.outputs import check_not_input, refuse_existing
from procure.io.textfmt import format_money, format_number
from procure.matching import Matcher, MatchSummary, match_file

OUTPUT_SUFFIXES = (".csv", ".xlsx")
DEMO_TEXT_COLUMNS = ("Leverantör", "Kontotext", "Fakturatext")


def _percent(share: float, lang: str = "sv") -> str:
    return f"{format_number(round(100 * share, 1), lang, 1)} %"


@click.command()
@click.argument("text", required=False)
@click.option("--cpv", help="CPV code of the purchase (8 digits, e.g. 60130000); decides when "
              "it falls in a category's codes.")
@click.option("--limit", type=click.IntRange(1, 50), default=3, show_default=True,
              help="How many categories to show for TEXT.")
@format_option("table", "json")
@click.option("--input", "input_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A ledger or purchase list (.csv or .xlsx) to match row by row.")
@click.option("--text-column", "text_columns", multiple=True,
              help="Column with text to match (repeat for several: supplier, account text, …).")
@click.option("--cpv-column", help="Column with CPV codes (optional).")
@click.option("--amount-column", help="Column with amounts: prints spend per category.")
@click.option("--sheet", help="Excel sheet name (default: the first sheet).")
@header_row_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write every input row with its match (.csv or .xlsx).")
@set_option(BUILTIN_SET)
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes matching a file's distinct texts (default: all cores). The result "
              "is the same for any number.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
@lang_option
@force_option
def match(text: str | None, cpv: str | None, limit: int, fmt: str, input_path: Path | None,
          text_columns: tuple[str, ...], cpv_column: str | None, amount_column: str | None,
          sheet: str | None, header_row: int | None, output: Path | None,
          set_path: Path | None, workers: int | None, quiet: bool, lang: str,
          force: bool) -> None:
    """Match a purchase text (or a whole file of them) to the library's categories.

    Each match has a score (0–100), a confidence (high, medium, low) and why: the keyword or
    CPV code that matched. When nothing fits, the answer is "no match", not a guess.

    \b
    Examples:
      procure match "Upphandling av skolskjuts 2026–2030"
      procure match "Transporttjänster" --cpv 60130000 --format json
      procure match --input reskontra.csv --text-column Kontotext --text-column Fakturatext \\
          --amount-column Belopp -o matchad.csv
    """
    if input_path is not None:
        if text is not None:
            raise click.UsageError(str(tr("give either TEXT or --input, not both",
                                          "ange antingen TEXT eller --input, inte båda")))
        if not text_columns:
            raise click.UsageError(str(tr("--input needs at least one --text-column",
                                          "--input kräver minst en --text-column")))
        if output is None:
            raise click.UsageError(str(tr("--input needs -o/--output for the matched rows",
                                          "--input kräver -o/--output för de matchade raderna")))
        if output.suffix.lower() not in OUTPUT_SUFFIXES:
            raise click.BadParameter(str(tr("the output must end in .csv or .xlsx",
                                            "utfilen ska sluta på .csv eller .xlsx")),
                                     param_hint="-o/--output")
        check_not_input(output, [input_path])  # the input itself is never an output
        refuse_existing([output], force)
        _match_file(input_path, output, list(text_columns), cpv_column, amount_column, sheet,
                    fmt, set_path, lang, workers=workers or os.cpu_count() or 1,
                    show_progress=not quiet and sys.stderr.isatty(), header_row=header_row)
        return
    if text is None:
        raise click.UsageError(str(tr("give a TEXT to match, or --input FILE",
                                      "ange en TEXT att matcha, eller --input FIL")))
    for option, value in (("--text-column", text_columns), ("--cpv-column", cpv_column),
                          ("--amount-column", amount_column), ("-o/--output", output)):
        if value:
            raise click.UsageError(str(tr("{option} only goes with --input",
                                          "{option} hör bara ihop med --input", option=option)))
    matcher = Matcher(load_criteria_set(set_path), lang=lang)
    found = matcher.match(text, cpv=cpv, limit=limit)
    if fmt == "json":
        echo_json({"text": text, "cpv": cpv, "match": bool(found),
                   "matches": [m.to_dict() for m in found]})
        return
    if not found:
        click.echo(pick(lang, "Ingen matchning: texten passar ingen kategori tillräckligt väl.",
                        "No match: the text fits no category well enough."))
        return
    confidence = {"high": pick(lang, "hög", "high"), "medium": pick(lang, "medel", "medium"),
                  "low": pick(lang, "låg", "low")}
    echo_table(["#", *pick(lang, "kategori namn poäng säkerhet varför",
                           "category name score confidence why").split()],
               [[n, m.category_id, m.name, m.score, confidence.get(m.confidence, m.confidence),
                 m.reason] for n, m in enumerate(found, start=1)])


def _match_file(input_path: Path, output: Path, text_columns: list[str], cpv_column: str | None,
                amount_column: str | None, sheet: str | None, fmt: str,
                set_path: Path | None, lang: str, *, workers: int = 1,
                show_progress: bool = False, header_row: int | None = None) -> None:
    matcher = Matcher(load_criteria_set(set_path), lang=lang)
    bar = None
    done = 0
    started = time.monotonic()

    def progress(rows: int, estimate: int) -> None:
        nonlocal bar, done
        if bar is None and time.monotonic() - started < 1.0:
            return  # a run under a second shows no bar
        if bar is None:
            bar = click.progressbar(length=estimate, label=pick(lang, "Matchar", "Matching"),
                                   file=sys.stderr)
            bar.__enter__()
        bar.length = max(bar.length or 0, estimate)
        bar.update(rows - done)
        done = rows

    try:
        summary = match_file(input_path, output, matcher, text_columns, cpv_column=cpv_column,
                             amount_column=amount_column, sheet=sheet, header_row=header_row,
                             progress=progress if show_progress else None, workers=workers)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        echo_json(summary.to_dict(lang))
        return
    print_summary(summary, lang=lang)


def print_summary(summary: MatchSummary, indent: str = "", lang: str = "sv") -> None:
    """The read choice, match counts and (with amounts) spend per category."""
    read = summary.input.describe(lang)
    if summary.decimal:
        read += pick(lang, ", decimaltecken ", ", decimal sign ") + (
            pick(lang, "komma", "comma") if summary.decimal == "," else pick(lang, "punkt", "point"))
    click.echo(f"{indent}{pick(lang, 'Läste', 'Read')} {read}")
    rows = summary.rows or 1
    conf = summary.by_confidence
    def n(value: float) -> str:
        return format_number(value, lang)

    click.echo(indent + pick(
        lang,
        f"{n(summary.rows)} rader, {n(summary.distinct_texts)} olika texter; matchade "
        f"{n(summary.matched_rows)} ({_percent(summary.matched_rows / rows, lang)}): "
        f"{n(conf.get('high', 0))} hög, {n(conf.get('medium', 0))} medel, "
        f"{n(conf.get('low', 0))} låg säkerhet; {n(conf.get('none', 0))} utan matchning",
        f"{n(summary.rows)} rows, {n(summary.distinct_texts)} distinct texts; matched "
        f"{n(summary.matched_rows)} ({_percent(summary.matched_rows / rows, lang)}): "
        f"{n(conf.get('high', 0))} high, {n(conf.get('medium', 0))} medium, "
        f"{n(conf.get('low', 0))} low confidence; {n(conf.get('none', 0))} without a match"))
    if summary.amount_column:
        spent = summary.spend_by_category()
        whole = all(float(a).is_integer() for *_, a, _ in spent) and \
            float(summary.unmatched_amount).is_integer()
        decimals = 0 if whole else 2  # the same in every row of the column

        def money(amount: float) -> str:
            return format_money(amount, lang, decimals)

        table = [[cid, name, n(count), money(amount), _percent(share, lang)]
                 for cid, name, count, amount, share in spent]
        table.append([pick(lang, "(ingen)", "(none)"), pick(lang, "utan matchning", "no match"),
                      "", money(summary.unmatched_amount), _percent(summary.unmatched_share, lang)])
        click.echo()
        echo_table(pick(lang, "kategori namn rader belopp andel",
                        "category name rows amount share").split(), table, right=(2, 3, 4))
        click.echo("\n" + indent + pick(
            lang,
            f"Totalt {format_money(summary.total_amount, lang)}; "
            f"{_percent(summary.unmatched_share, lang)} av beloppet matchade ingen kategori.",
            f"Total {format_money(summary.total_amount, lang)}; "
            f"{_percent(summary.unmatched_share, lang)} of the amount matched no category."))
        if summary.total_rows:
            count = len(summary.total_rows)
            shown = ", ".join(f"{pick(lang, 'rad', 'row')} {r} ({text})"
                              for r, text in summary.total_rows[:5])
            more = "…" if count > 5 else ""
            click.echo(indent + pick(
                lang,
                f"{n(count)} {'summarad' if count == 1 else 'summarader'} räknades inte som "
                f"inköp (de summerar andra rader): {shown}{more}",
                f"{n(count)} total {'row' if count == 1 else 'rows'} left out of the spend "
                f"(they sum other rows): {shown}{more}"))
    click.echo(f"{indent}{pick(lang, 'Skrev', 'Wrote')} {summary.output}")


def demo_step(ctx: DemoContext) -> None:
    """Demo: match the example ledger extract and sum spend per category."""
    spend = ctx.examples / "spend.csv"
    lang = ctx.lang
    out = ctx.outdir / pick(lang, "utgifter-matchade.csv", "spend-matched.csv")
    matcher = Matcher(ctx.criteria_set, lang=lang)
    summary = match_file(spend, out, matcher, list(DEMO_TEXT_COLUMNS), amount_column="Belopp")
    conf = summary.by_confidence
    n = lambda v: format_number(v, lang)  # noqa: E731
    click.echo(f"  {summary.input.describe(lang)}: " + pick(
        lang, f"{n(summary.rows)} rader, {n(summary.matched_rows)} matchade "
              f"({n(conf.get('high', 0))} med hög säkerhet)",
        f"{n(summary.rows)} rows, {n(summary.matched_rows)} matched "
        f"({n(conf.get('high', 0))} with high confidence)"))
    for cid, name, _, amount, share in summary.spend_by_category()[:5]:
        click.echo(f"  - {cid:<32} {format_money(amount, lang):>16}  "
                   f"{_percent(share, lang):>7}  {name}")
    click.echo("  " + pick(lang, "Utan matchning", "No match") +
               f": {format_money(summary.unmatched_amount, lang)} "
               f"({_percent(summary.unmatched_share, lang)} "
               + pick(lang, "av beloppet)", "of the amount)"))
    ctx.wrote(out, pick(lang, "utgifter med kategori (CSV)", "spend with categories (CSV)"))


commands = [match]
