"""``procure criteria``: browse, show, validate and count a criteria set."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from procure.cli.output import (
    BUILTIN_SET,
    LabelledChoice,
    csv_text,
    echo_json,
    echo_table,
    format_option,
    lang_option,
)
from procure.cli.output import set_option as shared_set_option
from procure.criteria import load_criteria_set, validate_path
from procure.criteria.select import at_level
from procure.criteria.stats import coverage
from procure.criteria.thresholds import STATUSES, thresholds
from procure.errors import ProcureError
from procure.i18n import Msg, pick, tr
from procure.io.textfmt import count_text, format_number
from procure.model import KIND_LABELS, KINDS, LEVEL_LABELS, LEVELS, CriteriaSet, Criterion, Source
from procure.tender.params import marked_text

set_option = shared_set_option(BUILTIN_SET)

SEVERITY_LABELS = {"error": tr("error", "fel"), "warning": tr("warning", "varning"),
                   "info": tr("info", "info")}


def _load(set_path: Path | None) -> CriteriaSet:
    return load_criteria_set(set_path)


def _t(lang: str, msg: Msg) -> str:
    """A message in the run's output language (``--lang``), as the rest of the output."""
    return msg.render(lang)


@click.group()
def criteria() -> None:
    """Browse and validate criteria sets."""


_LIST_HEADERS = {"sv": {"kind": "typ", "levels": "nivåer", "categories": "kategorier",
                        "title": "rubrik", "level": "nivå", "text": "kravtext"},
                 "en": {}}


@criteria.command("list")
@click.option("--category", help="Only criteria that apply to this category id (and its parents).")
@click.option("--kind", type=LabelledChoice(KINDS, KIND_LABELS),
              help="Only this kind of criterion (its id or its name, e.g. tilldelningskriterium).")
@click.option("--level", type=LabelledChoice(LEVELS, LEVEL_LABELS),
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
            "version": crit.version,
            "kind": crit.kind,
            "levels": ",".join(lv for lv in LEVELS if lv in crit.levels),
            "level": selected.level if selected else "",
            "categories": ",".join(crit.categories),
            "title": crit.title.get_lang(lang),
            "text": marked_text(selected, lang) if selected else "",
        })
    rows.sort(key=lambda r: (KINDS.index(r["kind"]), r["id"]))
    if fmt == "json":
        echo_json(rows)
        return
    headers = ["id", "kind", "levels", "categories", "title"]
    labelled = [{**r, "kind": KIND_LABELS[r["kind"]][lang]} for r in rows]
    if fmt == "csv":
        fields = [*headers, "level", "text"] if level else headers
        click.echo(csv_text([_LIST_HEADERS[lang].get(f, f) for f in fields],
                            [[r[f] for f in fields] for r in labelled], lang), nl=False)
        return
    if not rows:
        click.echo("Inga kriterier matchar urvalet." if lang == "sv" else "No criteria match.")
        return
    echo_table([_LIST_HEADERS[lang].get(h, h) for h in headers],
               [[r[h] for h in headers] for r in labelled], shorten=[3, 4])
    click.echo("\n" + count_text(len(rows), lang, ("kriterium", "kriterier"),
                                 ("criterion", "criteria")))


@criteria.command("show")
@click.argument("criterion_id")
@click.option("--level", type=LabelledChoice(LEVELS, LEVEL_LABELS), help="Show only this level's variant.")
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
            "id": crit.id, "version": crit.version, "ref": crit.ref, "kind": crit.kind,
            "categories": list(crit.categories),
            "superseded": asdict(crit.superseded) if crit.superseded else None,
            "versions": [c.ref for c in cset.versions(crit.id)],
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
            "parameters": {p.name: {"label": p.label.get_lang(lang), "unit": p.unit,
                                    "set_by": p.set_by, "type": p.type,
                                    "confirm": p.confirm, "suggested": p.suggested,
                                    "source": asdict(p.source) if p.source else None}
                           for p in crit.parameters.values()},
        })
        return
    sv = lang == "sv"
    click.secho(f"{crit.ref}  {crit.title.get_lang(lang)}", bold=True)
    click.echo(f"{'Typ' if sv else 'Kind'}: {KIND_LABELS[crit.kind][lang]}    "
               f"{'Kategorier' if sv else 'Categories'}: {', '.join(crit.categories)}")
    _echo_versions(cset, crit, lang)
    for s in variants:
        click.echo()
        click.secho(f"[{LEVEL_LABELS[s.level][lang]}]", bold=True)
        click.echo(marked_text(s, lang))
        if s.params:
            params = ", ".join(f"{k} = {format_number(v, lang)}" for k, v in s.params.items())
            click.echo(f"  ({'parametrar' if sv else 'params'}: {params})")
    for label_sv, label_en, value in (
        ("Verifiering", "Verification", crit.verification),
        ("Uppföljning", "Follow-up", crit.follow_up),
        ("Motiv", "Rationale", crit.rationale),
    ):
        if value:
            click.echo()
            click.secho(label_sv if sv else label_en, bold=True)
            click.echo(value.get_lang(lang))
    _echo_parameters(crit, lang)
    click.echo()
    click.secho("Källor" if sv else "Sources", bold=True)
    for src in crit.sources:
        click.echo(f"- {source_text(src, lang)}")


def source_text(src: Source, lang: str) -> str:
    """'UHM 10699:2, avancerad nivå (checked 2026-12-06) <https://…>'."""
    text = ", ".join(p for p in (src.title, src.locator) if p)
    if src.checked:
        text += _t(lang, tr(" (checked {date})", " (kontrollerad {date})", date=src.checked))
    return text + (f" <{src.url}>" if src.url else "")


def _echo_versions(cset: CriteriaSet, crit: Criterion, lang: str) -> None:
    if crit.superseded is not None:
        note = crit.superseded.note.get_lang(lang)
        click.echo(_t(lang, tr("Superseded by version {by} on {date}{note}",
                               "Ersatt av version {by} den {date}{note}", by=crit.superseded.by,
                               date=crit.superseded.date, note=f": {note}" if note else "")))
    others = [c.ref for c in cset.versions(crit.id) if c.version != crit.version]
    if others:
        click.echo(_t(lang, tr("Other versions: {refs}", "Andra versioner: {refs}",
                               refs=", ".join(others))))


def _echo_parameters(crit: Criterion, lang: str) -> None:
    """Each parameter and where its number comes from (or that the buyer sets it)."""
    if not crit.parameters:
        return
    click.echo()
    click.secho(_t(lang, tr("Parameters", "Parametrar")), bold=True)
    for param in crit.parameters.values():
        label = param.label.get_lang(lang)
        head = f"- {param.name}" + (f" ({label}{', ' + param.unit if param.unit else ''})"
                                    if label else (f" ({param.unit})" if param.unit else ""))
        if param.buyer:
            what = _t(lang, tr("set by the buyer", "sätts av beställaren"))
            if param.suggested is not None:
                what += _t(lang, tr("; suggested {value}", "; förslag {value}",
                                    value=format_number(param.suggested, lang)))
        elif param.confirm:
            what = _t(lang, tr("no source gives the value; the buyer confirms it",
                               "ingen källa ger värdet; beställaren bekräftar det"))
        else:
            what = _t(lang, tr("source", "källa") if param.source
                      else tr("no source given", "ingen källa angiven"))
        if param.source is not None:
            what += (_t(lang, tr(" per {source}", " enligt {source}",
                                 source=source_text(param.source, lang))) if param.buyer
                     else f": {source_text(param.source, lang)}")
        click.echo(f"{head}: {what}")


STATUS_LABELS = {"sourced": tr("source", "källa"),
                 "buyer": tr("set by the buyer", "sätts av beställaren"),
                 "confirm": tr("buyer confirms (no source)", "bekräftas av beställaren (ingen "
                               "källa)"),
                 "unsourced": tr("no source", "saknar källa")}
SOURCE_FIELDS = ("criterion", "version", "level", "parameter", "value", "unit", "suggested",
                 "source", "locator", "checked", "url", "status")


@criteria.command("sources")
@click.option("--category", help="Only criteria that apply to this category id (and its parents).")
@lang_option
@format_option("table", "csv", "json")
@set_option
def sources(category: str | None, lang: str, fmt: str, set_path: Path | None) -> None:
    """Every threshold with the source that says it: one row per criterion, level and param.

    Buyer parameters show as "sätts av beställaren" with the suggested value and its source.
    Example: procure criteria sources --format csv > trosklar.csv
    """
    cset = _load(set_path)
    if category:
        cset.category(category)
    rows = [t.to_dict() for t in thresholds(cset, category)]
    if fmt == "json":
        echo_json(rows)
        return
    if fmt == "csv":
        for row in rows:
            if row["status"] == "buyer":
                row["value"] = STATUS_LABELS["buyer"].render(lang)
            row["status"] = STATUS_LABELS[row["status"]].render(lang)
        click.echo(csv_text(list(SOURCE_FIELDS),
                            [["" if r[f] is None else r[f] for f in SOURCE_FIELDS] for r in rows],
                            lang), nl=False)
        return
    echo_table([SOURCE_HEADERS[f].render(lang) for f in TABLE_FIELDS],
               [_table_row(r, lang) for r in rows])
    counts = Counter(t.status for t in thresholds(cset, category))
    total = tr("{n} thresholds: {sourced} with a source, {buyer} set by the buyer, {confirm} to "
               "confirm, {unsourced} without a source",
               "{n} gränsvärden: {sourced} med källa, {buyer} sätts av beställaren, {confirm} "
               "att bekräfta, {unsourced} utan källa",
               n=len(rows), **{k: counts.get(k, 0) for k in STATUSES})
    click.echo("\n" + _t(lang, total))


TABLE_FIELDS = ("criterion", "level", "parameter", "value", "unit", "source", "checked", "status")


def _table_row(row: dict[str, Any], lang: str) -> list[str]:
    """A threshold row for the screen: the buyer's suggestion inside the value, source+locator."""
    if row["status"] == "buyer":
        value = STATUS_LABELS["buyer"].render(lang)
        if row["suggested"] is not None:
            value += _t(lang, tr(" (suggested {v})", " (förslag {v})",
                                 v=format_number(row["suggested"], lang)))
    else:
        value = format_number(row["value"], lang)
    source = ", ".join(p for p in (row["source"], row["locator"]) if p)
    return [f"{row['criterion']}:{row['version']}", row["level"] or "–", row["parameter"],
            value, row["unit"] or "", source, row["checked"] or "",
            STATUS_LABELS[row["status"]].render(lang)]


SOURCE_HEADERS = {
    "criterion": tr("criterion", "kriterium"), "version": tr("version", "version"),
    "level": tr("level", "nivå"), "parameter": tr("parameter", "parameter"),
    "value": tr("value", "värde"), "unit": tr("unit", "enhet"),
    "suggested": tr("suggested", "förslag"), "source": tr("source", "källa"),
    "locator": tr("where", "var i källan"), "checked": tr("checked", "kontrollerad"),
    "url": "url", "status": tr("status", "status"),
}


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
@lang_option
def stats(fmt: str, set_path: Path | None, lang: str) -> None:
    """Coverage: criteria per area, kind and level.

    A criterion shared by several areas counts once in each area and once in the total.
    Example: procure criteria stats --format markdown
    """
    cset = _load(set_path)
    table = coverage(cset)
    if fmt == "json":
        echo_json(table)
        return
    headers, rows = coverage_rows(table, lang)
    if fmt == "markdown":
        click.echo(markdown_table(headers, rows))
        return
    echo_table(headers, rows)


_STATS_HEADERS = {"sv": ["område", "kategorier", "kriterier"],
                  "en": ["area", "categories", "criteria"]}


def coverage_rows(table: dict, lang: str = "en") -> tuple[list[str], list[list]]:
    kinds = [KIND_LABELS[k][lang].lower() for k in KINDS] if lang == "sv" else list(KINDS)
    headers = [*_STATS_HEADERS[lang], *kinds, *LEVELS]
    rows = [[a, r["categories"], r["criteria"], *(r["kinds"][k] for k in KINDS),
             *(r["levels"][lv] for lv in LEVELS)] for a, r in table["areas"].items()]
    t = table["total"]
    rows.append([pick(lang, "TOTALT", "TOTAL"), t["categories"], t["criteria"], *(t["kinds"][k] for k in KINDS),
                 *(t["levels"][lv] for lv in LEVELS)])
    return headers, rows


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)

