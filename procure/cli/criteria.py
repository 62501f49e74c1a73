"""``procure criteria``: browse, show, validate and count a criteria set."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from procure.cli.output import (
    BUILTIN_SET,
    echo_json,
    echo_table,
    format_option,
    lang_option,
    to_csv,
)
from procure.cli.output import set_option as shared_set_option
from procure.criteria import load_criteria_set, validate_path
from procure.criteria.select import at_level
from procure.criteria.stats import coverage
from procure.errors import ProcureError
from procure.i18n import tr
from procure.io.textfmt import format_number
from procure.model import KIND_LABELS, KINDS, LEVEL_LABELS, LEVELS, CriteriaSet

set_option = shared_set_option(BUILTIN_SET)

SEVERITY_LABELS = {"error": tr("error", "fel"), "warning": tr("warning", "varning"),
                   "info": tr("info", "info")}


def _load(set_path: Path | None) -> CriteriaSet:
    return load_criteria_set(set_path)


@click.group()
def criteria() -> None:
    """Browse and validate criteria sets."""


@criteria.command("list")
@click.option("--category", help="Only criteria that apply to this category id (and its parents).")
@click.option("--kind", type=click.Choice(KINDS), help="Only this kind of criterion.")
@click.option("--level", type=click.Choice(LEVELS),
              help="Show each criterion at this level (criteria without a variant up to it are left out).")
@lang_option
@format_option("table", "csv", "json")
@set_option
def list_criteria(category: str | None, kind: str | None, level: str | None, lang: str, fmt: str,
                  set_path: Path | None) -> None:
    """List criteria, optionally filtered by category, kind and level.

    Example: procure criteria list --category transport.school --level avancerad
    """
    cset = _load(set_path)
    items = list(cset.criteria_for(category)) if category else list(cset.criteria.values())
    if kind:
        items = [c for c in items if c.kind == kind]
    rows = []
    for crit in items:
        selected = at_level(crit, level) if level else None
        if level and selected is None:
            continue
        rows.append({
            "id": crit.id,
            "kind": crit.kind,
            "levels": ",".join(lv for lv in LEVELS if lv in crit.levels),
            "level": selected.level if selected else "",
            "categories": ",".join(crit.categories),
            "title": crit.title.get_lang(lang),
            "text": selected.text.get_lang(lang) if selected else "",
        })
    rows.sort(key=lambda r: (KINDS.index(r["kind"]), r["id"]))
    if fmt == "json":
        echo_json(rows)
        return
    headers = ["id", "kind", "levels", "categories", "title"]
    if fmt == "csv":
        fields = [*headers, "level", "text"] if level else headers
        click.echo(to_csv(fields, [[r[f] for f in fields] for r in rows]), nl=False)
        return
    if not rows:
        click.echo("Inga kriterier matchar urvalet." if lang == "sv" else "No criteria match.")
        return
    echo_table(headers, [[r[h] for h in headers] for r in rows])
    click.echo(f"\n{len(rows)} " + ("kriterier" if lang == "sv" else "criteria"))


@criteria.command("show")
@click.argument("criterion_id")
@click.option("--level", type=click.Choice(LEVELS), help="Show only this level's variant.")
@lang_option
@format_option("text", "json")
@set_option
def show(criterion_id: str, level: str | None, lang: str, fmt: str, set_path: Path | None) -> None:
    """Show one criterion in full, with the text filled in at each level.

    Example: procure criteria show TRN-FUEL-01 --level avancerad
    """
    cset = _load(set_path)
    crit = cset.criterion(criterion_id)
    levels = [level] if level else [lv for lv in LEVELS if lv in crit.levels]
    variants = [s for s in (at_level(crit, lv) for lv in levels) if s is not None]
    if level and not variants:
        raise ProcureError(tr(
            "{id} has no variant at or below level {level!r}; it exists at {levels}",
            "{id} har ingen variant på eller under nivån {level!r}; det finns på {levels}",
            id=crit.id, level=level, levels=", ".join(crit.levels)))
    if fmt == "json":
        echo_json({
            "id": crit.id, "kind": crit.kind, "categories": list(crit.categories),
            "title": crit.title.get_lang(lang),
            "levels": {s.level: {"params": dict(s.params), "text": s.text.get_lang(lang),
                                 "answer": asdict(s.answer),
                                 "award": asdict(s.award) if s.award else None}
                       for s in variants},
            "verification": crit.verification.get_lang(lang),
            "follow_up": crit.follow_up.get_lang(lang),
            "rationale": crit.rationale.get_lang(lang),
            "eforms": dict(crit.eforms),
            "sources": [asdict(s) for s in crit.sources],
        })
        return
    sv = lang == "sv"
    click.secho(f"{crit.id}  {crit.title.get_lang(lang)}", bold=True)
    click.echo(f"{'Typ' if sv else 'Kind'}: {KIND_LABELS[crit.kind][lang]}    "
               f"{'Kategorier' if sv else 'Categories'}: {', '.join(crit.categories)}")
    for s in variants:
        click.echo()
        click.secho(f"[{LEVEL_LABELS[s.level][lang]}]", bold=True)
        click.echo(s.text.get_lang(lang))
        if s.params:
            params = ", ".join(f"{k} = {format_number(v, lang)}" for k, v in s.params.items())
            click.echo(f"  ({'parametrar' if sv else 'params'}: {params})")
    confirm = [p for p in crit.parameters.values() if p.confirm]
    if confirm:
        names = ", ".join(p.name for p in confirm)
        click.echo("\n" + (f"OBS: värdet för {names} ges inte av någon källa – beställaren ska "
                           "bekräfta eller ändra det." if sv else
                           f"NOTE: no source gives the value of {names}; the buyer must confirm "
                           "or change it."))
    for label_sv, label_en, value in (
        ("Verifiering", "Verification", crit.verification),
        ("Uppföljning", "Follow-up", crit.follow_up),
        ("Motiv", "Rationale", crit.rationale),
    ):
        if value:
            click.echo()
            click.secho(label_sv if sv else label_en, bold=True)
            click.echo(value.get_lang(lang))
    click.echo()
    click.secho("Källor" if sv else "Sources", bold=True)
    for src in crit.sources:
        click.echo(f"- {src.title}" + (f" <{src.url}>" if src.url else ""))


@criteria.command("categories")
@lang_option
@format_option("table", "json")
@set_option
def categories(lang: str, fmt: str, set_path: Path | None) -> None:
    """List the purchase categories with their CPV codes.

    Example: procure criteria categories --format json
    """
    cset = _load(set_path)
    cats = sorted(cset.categories.values(), key=lambda c: c.id)
    if fmt == "json":
        echo_json([{
            "id": c.id, "name": dict(c.name), "parent": c.parent, "cpv": list(c.cpv),
            "keywords": {k: list(v) for k, v in c.keywords.items()},
            "criteria": sum(1 for _ in cset.criteria_for(c.id)),
        } for c in cats])
        return
    rows = [[("  " * c.id.count(".")) + c.id, c.label(lang), sum(1 for _ in cset.criteria_for(c.id)),
             " ".join(c.cpv)] for c in cats]
    sv = lang == "sv"
    echo_table(["id", "namn" if sv else "name", "kriterier" if sv else "criteria", "CPV"], rows)


@criteria.command("validate")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@format_option("text", "json")
@lang_option
@click.option("--previous", "previous", default=None, metavar="OLD",
              help="The set's previous release (folder, file or name@version): also fail when "
                   "the version was not raised as much as the changes need (see criteria diff).")
def validate(paths: tuple[Path, ...], fmt: str, lang: str, previous: str | None) -> None:
    """Validate criteria sets (folders or YAML files); exit 1 if any is invalid.

    Messages follow --lang (given) or $PROCURE_LANG; the JSON keys and codes do not change.
    Example: procure criteria validate criteria/
    Example: procure criteria validate --previous se-klimat@1.0.2 criteria/
    """
    reports = [validate_path(p) for p in paths]
    if previous is not None:
        from procure.criteria.versioning import check_against_previous

        for report, path in zip(reports, paths):
            if report.valid:
                report.findings.extend(check_against_previous(previous, path).findings)
    if fmt == "json":
        echo_json([r.to_dict() for r in reports] if len(reports) > 1 else reports[0].to_dict())
    else:
        for report in reports:
            for finding in report.findings:
                severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
                click.echo(f"{severity}: {finding}", err=False)
            status = tr("valid", "giltig") if report.valid else tr(
                "INVALID ({n} errors)", "OGILTIG ({n} fel)", n=len(report.errors))
            warn = tr(", {n} warnings", ", {n} varningar", n=len(report.warnings)) \
                if report.warnings else ""
            click.echo(f"{report.source}: {status}{warn}")
    if not all(r.valid for r in reports):
        raise SystemExit(1)


@criteria.command("stats")
@format_option("table", "json", "markdown")
@set_option
def stats(fmt: str, set_path: Path | None) -> None:
    """Coverage: criteria per area, kind and level.

    A criterion shared by several areas counts once in each area and once in the total.
    Example: procure criteria stats --format markdown
    """
    cset = _load(set_path)
    table = coverage(cset)
    if fmt == "json":
        echo_json(table)
        return
    headers, rows = coverage_rows(table)
    if fmt == "markdown":
        click.echo(markdown_table(headers, rows))
        return
    echo_table(headers, rows)


def coverage_rows(table: dict) -> tuple[list[str], list[list]]:
    headers = ["area", "categories", "criteria", *KINDS, *LEVELS]
    rows = [[a, r["categories"], r["criteria"], *(r["kinds"][k] for k in KINDS),
             *(r["levels"][lv] for lv in LEVELS)] for a, r in table["areas"].items()]
    t = table["total"]
    rows.append(["TOTAL", t["categories"], t["criteria"], *(t["kinds"][k] for k in KINDS),
                 *(t["levels"][lv] for lv in LEVELS)])
    return headers, rows


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)

