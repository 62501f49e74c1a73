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
from procure.cli.output import to_csv
from procure.criteria import load_criteria_set
from procure.io.outputs import ensure_folder, write_text_atomic
from procure.model import KIND_LABELS, LEVEL_LABELS
from procure.tender.spec import load_spec, resolve


def step_categories(ctx: DemoContext) -> None:
    cset = ctx.criteria_set
    top = [c for c in cset.categories.values() if c.parent is None]
    click.echo(f"  {cset.ref}: {len(cset.categories)} kategorier, {len(cset.criteria)} kriterier")
    for cat in sorted(top, key=lambda c: c.id):
        children = len(cset.children(cat.id))
        click.echo(f"  - {cat.id:<14} {cat.label(ctx.lang)}"
                   + (f" ({children} underkategori{'er' if children > 1 else ''})"
                      if children else ""))


def step_select(ctx: DemoContext) -> None:
    spec = load_spec(ctx.examples / "spec.yaml")
    _, chosen = resolve(spec, ctx.criteria_set)
    ctx.state["spec"], ctx.state["selected"] = spec, chosen
    category = ctx.criteria_set.category(spec.category)
    click.echo(f"  Exempelupphandling: {spec.title} ({spec.reference})")
    click.echo(f"  Kategori {category.id} ({category.label(ctx.lang)}), nivå "
               f"{LEVEL_LABELS[spec.level][ctx.lang]}: {len(chosen)} kriterier")
    by_kind = Counter(s.kind for s in chosen)
    click.echo("  " + ", ".join(f"{KIND_LABELS[k][ctx.lang].lower()}: {n}"
                                for k, n in by_kind.items()))
    rows = [[s.id, KIND_LABELS[s.kind][ctx.lang], s.level, s.title.get_lang(ctx.lang),
             s.text.get_lang(ctx.lang)] for s in chosen]
    out = ctx.outdir / "kriterier.csv"
    text = to_csv(["id", "typ", "nivå", "rubrik", "kravtext"], rows, delimiter=";")
    write_text_atomic(out, "\ufeff" + text)  # the BOM makes Excel read UTF-8
    ctx.wrote(out, "valda kriterier (CSV, öppnas i Excel)")


def _steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    from procure.cli import annex, check, match, report

    return [
        ("Kriteriebiblioteket", step_categories),
        ("Matcha årets inköp mot kategorierna", match.demo_step),
        ("Välj kriterier för en upphandling", step_select),
        ("Kravbilagan till anbudsunderlaget", annex.demo_step),
        ("Svarsmall och kontroll av leverantörernas svar", check.demo_step),
        ("Utvärderingsprotokollet", annex.demo_evaluation_step),
        ("Årets uppföljning av klimatkraven (Klimatkontrakt 2030)", report.demo_step),
    ]


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path), default="procure-demo")
def demo(outdir: Path) -> None:
    """Run the whole job on the built-in library and the examples, writing to OUTDIR.

    Example: procure demo ./procure-demo
    """
    ensure_folder(outdir)
    ctx = DemoContext(outdir=outdir, examples=examples_path(), criteria_set=load_criteria_set())
    for number, (title, step) in enumerate(_steps(), start=1):
        click.secho(f"\n{number}. {title}", bold=True)
        step(ctx)
    click.echo(f"\nKlart. {len(ctx.written)} filer i {outdir}/")
