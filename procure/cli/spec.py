"""``procure spec``: create, show and publish a procurement spec."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from procure.cli.output import (
    BUILTIN_SET,
    LabelledChoice,
    allow_other_version_option,
    amount_sek,
    echo_json,
    echo_table,
    format_option,
    iso_date,
    lang_option,
    require_suffix,
)
from procure.cli.output import set_option as shared_set_option
from procure.criteria import load_criteria_set
from procure.errors import OutputFileError, ParamError
from procure.i18n import Msg, tr
from procure.io.outputs import check_not_input
from procure.io.textfmt import format_money
from procure.model import (
    KIND_LABELS,
    KIND_LABELS_PLURAL,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    CriteriaSet,
    SelectedCriterion,
    Source,
)
from procure.tender.notice import build_notice, notice_lines
from procure.tender.params import OpenParam, assign, label_text, open_params, parse_value
from procure.tender.spec import (
    AWARD_METHOD_LABELS,
    AWARD_METHODS,
    ORGANISATION_TYPE_LABELS,
    ORGANISATION_TYPES,
    ProcurementSpec,
    build_spec,
    choose_category,
    load_spec,
    relative_set_path,
    resolve,
    save_spec,
    spec_summary,
)

set_option = shared_set_option()
CONFIDENCE = {"sv": {"exact": "exakt", "high": "hög", "medium": "medel", "low": "låg"},
              "en": {"exact": "exact", "high": "high", "medium": "medium", "low": "low"}}


def load_resolved(spec_path: Path, set_path: Path | None, allow_other_version: bool = False
                  ) -> tuple[ProcurementSpec, CriteriaSet, list[SelectedCriterion]]:
    """The spec, its criteria set and chosen criteria (``--set`` overrides the spec's set)."""
    spec = load_spec(spec_path)
    cset = load_criteria_set(set_path) if set_path else None
    cset, selected = resolve(spec, cset, allow_other_version=allow_other_version)
    return spec, cset, selected


def _param(text: str) -> tuple[str | None, str, str]:
    """``KEY=VALUE`` or ``CRITERION-ID.KEY=VALUE`` → (criterion id or None, key, raw value)."""
    target, sep, raw = text.partition("=")
    cid, _, name = target.strip().rpartition(".")
    if not sep or not name.strip() or (target.strip().endswith(".")):
        raise click.BadParameter(str(tr("{text!r}: write KEY=VALUE or CRITERION-ID.KEY=VALUE, "
                                        "e.g. max_distance_km=50",
                                        "{text!r}: skriv NAMN=VÄRDE eller "
                                        "KRITERIE-ID.NAMN=VÄRDE, t.ex. max_distance_km=50",
                                        text=text)), param_hint="--param")
    return (cid.strip() or None), name.strip(), raw.strip()


def interactive() -> bool:
    """True when a person is at the terminal to answer questions (tests patch this)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_buyer_params(selected: list[SelectedCriterion], lang: str
                     ) -> dict[str, dict[str, Any]]:
    """Ask for each unset buyer parameter; the suggested value (with its source) is the default.

    An empty answer without a suggestion leaves the value open: the spec is saved and
    ``procure spec show`` lists it, but no final annex is written until it is set.
    """
    answers: dict[str, dict[str, Any]] = {}
    for item in open_params(selected):
        param = item.param
        if item.source is not None and item.suggested is not None:
            click.echo(_t(lang, tr("  {id}: suggested {value} per {source}",
                                   "  {id}: förslag {value} enligt {source}", id=item.criterion_id,
                                   value=item.suggested, source=_source_text(item.source))))
        where = f"{item.criterion_id}.{item.name}"
        while True:
            raw = click.prompt(f"{item.criterion_id} {label_text(param, lang)}",
                               default="" if item.suggested is None else str(item.suggested),
                               show_default=item.suggested is not None)
            if not str(raw).strip():
                break
            try:
                answers.setdefault(item.criterion_id, {})[item.name] = parse_value(
                    str(raw), param, where)
                break
            except ParamError as exc:
                click.echo(f"  {exc}", err=True)
    return answers


def _source_text(source: Source) -> str:
    return ", ".join(p for p in (source.title, source.locator) if p)


def _t(lang: str, msg: Msg) -> str:
    """A message in the run's output language (``--lang``), as the rest of the output."""
    return msg.render(lang)


@click.group()
def spec() -> None:
    """Create and inspect a procurement spec (one YAML file per procurement)."""


@spec.command("new")
@click.option("--title", required=True, help="Title of the procurement.")
@click.option("--category", required=True,
              help="Category id, or free text that is matched to one (e.g. 'skolskjuts').")
@click.option("--level", required=True, type=LabelledChoice(LEVELS, LEVEL_LABELS),
              help="Criteria level (bas, avancerad, spjutspets; or Basic, Advanced, Spearhead).")
@click.option("--reference", default="", help="Case number (diarienummer), e.g. 'KS 2026/0412'.")
@click.option("--organisation", default="", help="Buying administration or municipal company.")
@click.option("--organisation-type", default=None,
              type=LabelledChoice(ORGANISATION_TYPES, ORGANISATION_TYPE_LABELS),
              help="Whether the buyer is an administration or a municipal company.")
@click.option("--value", "value_text", default=None,
              help="Estimated contract value in SEK, e.g. '48 000 000'.")
@click.option("--start", default=None, callback=iso_date,
              help="Contract start date (YYYY-MM-DD).")
@click.option("--end", default=None, callback=iso_date, help="Contract end date (YYYY-MM-DD).")
@click.option("--award-method", type=LabelledChoice(AWARD_METHODS, AWARD_METHOD_LABELS),
              default="price_deduction",
              show_default=True, help="How bids are compared.")
@click.option("--add", multiple=True, help="Add a criterion id from outside the category.")
@click.option("--remove", multiple=True, help="Leave out a criterion id.")
@click.option("--param", "params", multiple=True,
              help="Set a buyer parameter or override a threshold: KEY=VALUE, or "
                   "CRITERION-ID.KEY=VALUE when several criteria have KEY (repeatable). "
                   "On a terminal, unset buyer parameters are asked for.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the spec (YAML).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@lang_option
@shared_set_option(BUILTIN_SET)
def new(title: str, category: str, level: str, reference: str, organisation: str,
        organisation_type: str | None, value_text: str | None, start: str | None,
        end: str | None, award_method: str, add: tuple[str, ...], remove: tuple[str, ...],
        params: tuple[str, ...], output: Path, force: bool, lang: str,
        set_path: Path | None) -> None:
    """Create a spec for a purchase: category, level and the criteria that apply.

    Example: procure spec new --title "Skolskjuts 2027" --category skolskjuts
    --level avancerad -o spec.yaml
    """
    require_suffix(output, (".yaml", ".yml"), "--output",
                   tr("the spec is a YAML file", "spec-filen är en YAML-fil"))
    if output.exists() and not force:
        raise OutputFileError(tr("exists already", "finns redan"), file=output,
                              hint=tr("choose another name or add --force",
                                      "välj ett annat namn eller lägg till --force"))
    check_not_input(output, [set_path] if set_path else [])
    amount = amount_sek(value_text, "--value")
    value = None if amount is None else int(amount) if amount.is_integer() else amount
    entries = [_param(text) for text in params]
    cset = load_criteria_set(set_path)
    choice = choose_category(cset, category, lang)
    fields: dict[str, Any] = {
        "title": title, "category": choice.id, "level": level, "reference": reference,
        "organisation": organisation, "organisation_type": organisation_type or "",
        "estimated_value_sek": value, "contract_start": start,
        "contract_end": end, "award_method": award_method, "add": list(add),
        "remove": list(remove),
        "set_path": relative_set_path(set_path, output) if set_path else None,
    }
    first = build_spec(cset, **fields)  # the criteria chosen, so --param KEY can find its owner
    _, chosen = resolve(first, cset)
    overrides = assign(chosen, entries)
    if interactive():
        _, chosen = resolve(build_spec(cset, **fields, params=overrides), cset)
        for cid, values in ask_buyer_params(chosen, lang).items():
            overrides.setdefault(cid, {}).update(values)
    new_spec = build_spec(cset, **fields, params=overrides)
    sv = lang == "sv"
    conf = CONFIDENCE[lang].get(choice.confidence, choice.confidence)
    how = ("" if choice.how == "id" else
           (f" (matchad från {category!r}, poäng {choice.score:.0f}, säkerhet {conf})" if sv
            else f" (matched from {category!r}, score {choice.score:.0f}, confidence {conf})"))
    click.echo(f"{'Kategori' if sv else 'Category'}: {choice.id} – {choice.label}{how}")
    if choice.alternatives:
        alts = ", ".join(f"{cid} ({score:.0f})" for cid, score in choice.alternatives)
        click.echo(f"  {'Andra möjliga' if sv else 'Other candidates'}: {alts}")
    if choice.confidence == "low":
        click.echo("  " + ("Osäker matchning – kontrollera kategorin eller ange ett id." if sv
                           else "Uncertain match – check the category or give an id."))
    _, selected = resolve(new_spec, cset)
    tally = {k: sum(1 for s in selected if s.kind == k) for k in KINDS}
    counts = ", ".join(f"{n} {kind_count_label(k, n, lang)}" for k, n in tally.items() if n)
    click.echo(f"{'Nivå' if sv else 'Level'} {level}: {len(selected)} "
               f"{'kriterier' if sv else 'criteria'} ({counts})")
    save_spec(new_spec, output)
    click.echo(f"{'Skrev' if sv else 'Wrote'} {output}")
    _echo_unset(open_params(selected), lang)


def _echo_unset(unset: list[OpenParam], lang: str) -> None:
    """The buyer parameters still open, one line each, with the suggested value if any."""
    if not unset:
        return
    click.echo()
    click.echo(_t(lang, tr("Not set yet (set by the buyer; a final annex needs them):",
                           "Ännu inte ifyllt (sätts av beställaren; en slutlig kravbilaga kräver "
                           "dem):")))
    for item in unset:
        suggested = (_t(lang, tr(" – suggested {value}", " – förslag {value}",
                                 value=item.suggested))
                     if item.suggested is not None else "")
        click.echo(f"  {item.criterion_id}.{item.name}  {label_text(item.param, lang)}"
                   f"{suggested}")


@spec.command("show")
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@lang_option
@format_option("text", "json")
@set_option
@allow_other_version_option
def show(spec_path: Path, lang: str, fmt: str, set_path: Path | None,
         allow_other_version: bool) -> None:
    """Show a spec: the procurement, its category and level, and the chosen criteria.

    Example: procure spec show spec.yaml
    """
    the_spec, cset, selected = load_resolved(spec_path, set_path, allow_other_version)
    summary = spec_summary(the_spec, cset, selected, lang)
    if fmt == "json":
        echo_json(summary)
        return
    sv = lang == "sv"
    click.secho(" — ".join(p for p in (the_spec.reference, the_spec.title) if p), bold=True)
    lines = [
        ("Organisation", the_spec.organisation),
        ("Kategori" if sv else "Category", f"{the_spec.category} ({summary['category_label']})"),
        ("Nivå" if sv else "Level", summary["level_label"]),
        ("Kriterieuppsättning" if sv else "Criteria set", summary["criteria_set_loaded"]),
        ("Uppskattat värde" if sv else "Estimated value",
         format_money(the_spec.estimated_value_sek, lang)
         if the_spec.estimated_value_sek is not None else ""),
        ("Avtalsperiod" if sv else "Contract period",
         " – ".join(p for p in (the_spec.contract_start, the_spec.contract_end) if p)),
        ("Utvärdering" if sv else "Award", summary["award_method_label"]),
        ("Mallens id" if sv else "Template id", summary["fingerprint"]),
    ]
    for label, value in lines:
        if value:
            click.echo(f"{label + ':':<22}{value}")
    changes = [("+", the_spec.add), ("-", the_spec.remove)]
    for sign, ids in changes:
        if ids:
            click.echo(f"{'Ändrat' if sv else 'Changed':<22}{' '.join(sign + i for i in ids)}")
    click.echo()
    echo_table(["id", "typ" if sv else "kind", "nivå" if sv else "level",
                "rubrik" if sv else "title"],
               [[f"{s['id']}:{s['version']}", KIND_LABELS[s["kind"]][lang], s["level"],
                 s["title"]]
                for s in summary["selected"]])
    click.echo(f"\n{len(selected)} {'kriterier' if sv else 'criteria'}")
    _echo_unset(open_params(selected), lang)
    if summary["params_to_confirm"]:
        click.echo()
        click.echo("Att bekräfta (ingen källa ger värdet):" if sv
                   else "To confirm (no source gives the value):")
        for item in summary["params_to_confirm"]:
            click.echo(f"  {item['criterion_id']}.{item['param']} = {item['value']}")


@spec.command("notice")
@click.argument("spec_path", metavar="SPEC", type=click.Path(path_type=Path))
@lang_option
@format_option("text", "json")
@set_option
@allow_other_version_option
def notice(spec_path: Path, lang: str, fmt: str, set_path: Path | None,
         allow_other_version: bool) -> None:
    """Publication codes for the contract notice (eForms BT-805, BT-774, BT-06, CVD; OCDS).

    Example: procure spec notice spec.yaml --format json
    """
    the_spec, cset, selected = load_resolved(spec_path, set_path, allow_other_version)
    result = build_notice(the_spec, cset, selected)
    if fmt == "json":
        echo_json(result.to_dict())
        return
    click.echo("\n".join(notice_lines(result, lang)))


def kind_count_label(kind: str, count: int, lang: str) -> str:
    """'1 tilldelningskriterium', '3 tilldelningskriterier'."""
    return (KIND_LABELS if count == 1 else KIND_LABELS_PLURAL)[kind][lang].lower()


commands = [spec]
