"""``procure demo``: the whole job end to end on the built-in library and ``examples/``.

Each step prints what it does and where it wrote its file, so a new user sees the toolkit's
shape in one run. Later capabilities add their step to ``STEPS``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from procure.cli.democontext import DemoContext, examples_path
from procure.cli.output import csv_text, lang_option
from procure.criteria import load_criteria_set
from procure.i18n import pick, tr
from procure.io.outputs import ensure_folder, write_text_atomic
from procure.io.textfmt import count_text
from procure.model import KIND_LABELS, LEVEL_LABELS
from procure.tender.spec import load_spec, resolve


def step_categories(ctx: DemoContext) -> None:
    cset = ctx.criteria_set
    top = [c for c in cset.categories.values() if c.parent is None]
    lang = ctx.lang
    click.echo(f"  {cset.ref}: "
               f"{count_text(len(cset.categories), lang, ('kategori', 'kategorier'), ('category', 'categories'))}, "
               f"{count_text(len(cset.criteria), lang, ('kriterium', 'kriterier'), ('criterion', 'criteria'))}")
    for cat in sorted(top, key=lambda c: c.id):
        children = len(cset.children(cat.id))
        sub = count_text(children, lang, ("underkategori", "underkategorier"),
                         ("subcategory", "subcategories"))
        click.echo(f"  - {cat.id:<14} {cat.label(lang)}" + (f" ({sub})" if children else ""))


def step_select(ctx: DemoContext) -> None:
    spec = load_spec(ctx.examples / "spec.yaml")
    _, chosen = resolve(spec, ctx.criteria_set)
    ctx.state["spec"], ctx.state["selected"] = spec, chosen
    category = ctx.criteria_set.category(spec.category)
    lang = ctx.lang
    click.echo(f"  {pick(lang, 'Exempelupphandling', 'Example procurement')}: {spec.title} "
               f"({spec.reference})")
    click.echo(f"  {pick(lang, 'Kategori', 'Category')} {category.id} "
               f"({category.label(lang)}), {pick(lang, 'nivå', 'level')} "
               f"{LEVEL_LABELS[spec.level][lang]}: "
               f"{count_text(len(chosen), lang, ('kriterium', 'kriterier'), ('criterion', 'criteria'))}")
    by_kind = Counter(s.kind for s in chosen)
    click.echo("  " + ", ".join(f"{KIND_LABELS[k][ctx.lang].lower()}: {n}"
                                for k, n in by_kind.items()))
    rows = [[s.id, KIND_LABELS[s.kind][ctx.lang], s.level, s.title.get_lang(ctx.lang),
             s.text.get_lang(ctx.lang)] for s in chosen]
    out = ctx.outdir / pick(lang, "kriterier.csv", "criteria.csv")
    headers = pick(lang, "id typ nivå rubrik kravtext", "id kind level title text").split()
    write_text_atomic(out, csv_text(headers, rows, lang))  # Swedish: ';' and a BOM for Excel
    ctx.wrote(out, pick(lang, "valda kriterier (CSV, öppnas i Excel)",
                        "chosen criteria (CSV, opens in Excel)"))


def _steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    from procure.cli import annex, check, match, register, sharing

    return [
        (tr("The criteria library", "Kriteriebiblioteket"), step_categories),
        (tr("Match the year's purchases to the categories",
            "Matcha årets inköp mot kategorierna"), match.demo_step),
        (tr("Choose criteria for a procurement", "Välj kriterier för en upphandling"),
         step_select),
        (tr("The requirement annex for the tender documents",
            "Kravbilagan till anbudsunderlaget"), annex.demo_step),
        (tr("Answer template and check of the suppliers' answers",
            "Svarsmall och kontroll av leverantörernas svar"), check.demo_step),
        (tr("The evaluation record", "Utvärderingsprotokollet"), annex.demo_evaluation_step),
        (tr("Share criteria in the network: install, compare, merge",
            "Dela kriterier i nätverket: installera, jämför, slå samman"), sharing.demo_step),
        (tr("The register and the follow-up plan", "Registret och uppföljningsplanen"),
         register.demo_step),
    ]


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path), default="procure-demo")
@lang_option
def demo(outdir: Path, lang: str) -> None:
    """Run the whole job on the built-in library and the examples, writing to OUTDIR.

    Example: procure demo ./procure-demo
    """
    ensure_folder(outdir)
    ctx = DemoContext(outdir=outdir, examples=examples_path(), criteria_set=load_criteria_set(),
                      lang=lang)
    for number, (title, step) in enumerate(_steps(), start=1):
        click.secho(f"\n{number}. {title.render(lang)}", bold=True)
        step(ctx)
    files = count_text(len(ctx.written), lang, ("fil", "filer"), ("file", "files"))
    click.echo(pick(lang, f"\nKlart. {files} i {outdir}/", f"\nDone. {files} in {outdir}/"))
