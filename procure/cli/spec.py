"""``procure spec``: create, show and publish a procurement spec."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import yaml

from procure.cli.output import (
    BUILTIN_SET,
    LabelledChoice,
    allow_other_version_option,
    echo_json,
    echo_table,
    format_option,
    iso_date,
    lang_option,
    require_suffix,
)
from procure.cli.output import set_option as shared_set_option
from procure.criteria import load_criteria_set
from procure.errors import OutputFileError
from procure.i18n import tr
from procure.io.numbers import parse_amount, parse_number
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
)
from procure.tender.notice import build_notice, notice_lines
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


def _param(text: str) -> tuple[str, str, Any]:
    target, sep, raw = text.partition("=")
    cid, dot, name = target.strip().rpartition(".")
    if not sep or not dot or not cid or not name:
        raise click.BadParameter(str(tr("{text!r}: write CRITERION-ID.param=value, e.g. "
                                        "TRP-FUEL-01.share_pct=80",
                                        "{text!r}: skriv KRITERIE-ID.parameter=värde, t.ex. "
                                        "TRP-FUEL-01.share_pct=80", text=text)),
                                 param_hint="--param")
    return cid, name.strip(), _param_value(raw.strip(), text)


def _param_value(raw: str, text: str) -> Any:
    """A number as typed in either language ("80", "1,5", "1 234,5"), else a YAML value."""
    number = parse_number(raw) if raw else None
    if number is not None:
        return int(number) if number.is_integer() else number
    try:
        value = yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        raise click.BadParameter(str(tr("{text!r}: the value {raw!r} cannot be read; write a "
                                        "number (e.g. 80 or 1,5), a date or a word",
                                        "{text!r}: värdet {raw!r} kan inte läsas; skriv ett tal "
                                        "(t.ex. 80 eller 1,5), ett datum eller ett ord",
                                        text=text, raw=raw)), param_hint="--param") from None
    return value.isoformat() if isinstance(value, dt.date) else value


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
              help="Override a param: CRITERION-ID.param=value (repeatable).")
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
    value = None
    if value_text:
        amount = parse_amount(value_text)
        if amount is None:
            raise click.BadParameter(str(tr("{value!r} is not an amount in SEK",
                                            "{value!r} är inget belopp i kronor",
                                            value=value_text)), param_hint="--value")
        value = int(amount) if amount.is_integer() else amount
    overrides: dict[str, dict[str, Any]] = {}
    for text in params:
        cid, name, param_value = _param(text)
        overrides.setdefault(cid, {})[name] = param_value
    cset = load_criteria_set(set_path)
    choice = choose_category(cset, category, lang)
    new_spec = build_spec(
        cset, title=title, category=choice.id, level=level, reference=reference,
        organisation=organisation, organisation_type=organisation_type or "",
        estimated_value_sek=value, contract_start=start,
        contract_end=end, award_method=award_method, add=list(add),
        remove=list(remove), params=overrides,
        set_path=relative_set_path(set_path, output) if set_path else None,
    )
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
               [[s["id"], KIND_LABELS[s["kind"]][lang], s["level"], s["title"]]
                for s in summary["selected"]])
    click.echo(f"\n{len(selected)} {'kriterier' if sv else 'criteria'}")
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
