"""``procure register …`` and ``procure followup …``: the procurement register and follow-up.

Thin wrappers: parse options, call :mod:`procure.register`, format the answer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from procure.cli.democontext import DemoContext
from procure.cli.output import (
    BUILTIN_SET,
    LabelledChoice,
    amount_sek,
    echo_json,
    echo_table,
    format_option,
    header_row_option,
    iso_date,
    lang_option,
    set_option,
    table,
    to_csv,
)
from procure.criteria import load_criteria_set
from procure.errors import OutputFileError, SpecError
from procure.i18n import tr
from procure.io.outputs import neutralise, write_atomic, write_text_atomic
from procure.io.textfmt import format_money
from procure.model import KIND_LABELS
from procure.register import audit, db, export, importer, spend, store
from procure.register import followup as follow
from procure.register.awarded import read_award
from procure.register.followup import STATE_LABELS, STATUS_LABELS
from procure.register.plan import CalendarEntry, TierPolicy, stable_uid, to_ics
from procure.tender.spec import load_spec, resolve

db_option = click.option(
    "--db", "db_path", default=None, metavar="PATH|URL",
    help="The register: a SQLite file (default ./procure.db, or $PROCURE_DB) or a database URL "
         "such as postgresql+psycopg://user@server/procure.")
who_option = click.option("--who", default=None,
                          help="Who makes the change (default: your login name); kept in the "
                               "history.")
today_option = click.option("--today", callback=iso_date, default=None, metavar="YYYY-MM-DD",
                            help="Count from this date instead of today.")



def _today(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else dt.date.today()


def _parse_list(text: str | None, count: int, option: str) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(float(v.strip().replace(",", ".")) for v in text.split(";") if v.strip())
    except ValueError:
        values = ()
    if len(values) != count:
        raise click.BadParameter(str(tr("give {n} numbers separated by ';', e.g. {example}",
                                        "ange {n} tal åtskilda med ';', t.ex. {example}", n=count,
                                        example="10;30" if count == 2 else "3;1;0,5")),
                                 param_hint=option)
    return values


def _policy(shares: str | None, per_year: str | None) -> TierPolicy:
    default = TierPolicy()
    parsed_shares = _parse_list(shares, 2, "--tier-shares")
    parsed_freq = _parse_list(per_year, 3, "--per-year")
    return TierPolicy(
        shares=tuple(v / 100 for v in parsed_shares) if parsed_shares else default.shares,
        per_year=parsed_freq or default.per_year)  # type: ignore[arg-type]


@click.group()
def register() -> None:
    """The procurement register: procurements, contracts and their follow-up plans.

    A SQLite file on your computer (./procure.db) or a shared PostgreSQL server (--db URL).
    """


@register.command("init")
@db_option
@lang_option
def init_command(db_path: str | None, lang: str) -> None:
    """Create a register (an existing one is brought up to date, nothing is lost).

    Example: procure register init --db register.db
    """
    reg, before, now = db.init(db_path)
    reg.close()
    if before is None:
        click.echo(tr("Created the register {where} (schema {now}).",
                      "Skapade registret {where} (schema {now}).", where=reg.where, now=now))
    else:
        click.echo(tr("The register {where} exists already (schema {now}).",
                      "Registret {where} finns redan (schema {now}).", where=reg.where, now=now))


@register.command("upgrade")
@db_option
@lang_option
def upgrade_command(db_path: str | None, lang: str) -> None:
    """Bring a register made by an older procure up to this version's schema.

    A register from a newer procure, or a file that is not a register, is refused untouched.
    Example: procure register upgrade --db register.db
    """
    reg, before, now = db.upgrade(db_path)
    reg.close()
    if before == now:
        click.echo(tr("{where} is up to date (schema {now}).",
                      "{where} är redan aktuellt (schema {now}).", where=reg.where, now=now))
    else:
        click.echo(tr("Upgraded {where} from schema {before} to {now}.",
                      "Uppgraderade {where} från schema {before} till {now}.",
                      where=reg.where, before=before, now=now))


@register.command("add")
@click.argument("spec_path", metavar="SPEC.yaml", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--results", "results_path", type=click.Path(path_type=Path, dir_okay=False),
              help="The results workbook procure check -o wrote (.xlsx): registers the contract.")
@click.option("--winner", help="The winning supplier, as named in the results.")
@click.option("--value", "value_text", help="The contract value in SEK (default: the spec's "
              "estimated value).")
@click.option("--tier", type=click.IntRange(1, 3), help="Set the risk tier by hand (1 = followed "
              "up most); default: ranked by value among the register's contracts.")
@click.option("--tier-shares", help="Share of contracts (%) in tiers 1 and 2, e.g. '10;30' "
              "(SKR's example, the default).")
@click.option("--per-year", help="Checkpoints a year in tiers 1, 2 and 3, e.g. '3;1;0,5' "
              "(SKR's example, the default).")
@db_option
@who_option
@lang_option
def add_command(spec_path: Path, results_path: Path | None, winner: str | None,
                value_text: str | None, tier: int | None, tier_shares: str | None,
                per_year: str | None, db_path: str | None, who: str | None, lang: str) -> None:
    """Register a procurement from its spec; with --results and --winner also its contract
    and follow-up plan.

    \b
    Examples:
      procure register add spec.yaml
      procure register add spec.yaml --results utvardering.xlsx --winner "Grön Skolskjuts AB"
    """
    if (results_path is None) != (winner is None):
        raise click.UsageError(str(tr("--results and --winner go together",
                                      "--results och --winner anges tillsammans")))
    value = amount_sek(value_text, "--value")
    policy = _policy(tier_shares, per_year)
    spec = load_spec(spec_path)
    if not spec.reference:
        raise SpecError(tr("the spec has no reference (diarienummer); the register needs one",
                           "spec-filen saknar reference (diarienummer); registret behöver det"),
                        file=spec_path)
    cset, selected = resolve(spec)
    award = read_award(results_path, winner) if results_path and winner else None
    with db.open_register(db_path) as reg:
        done = store.register_spec(reg, spec, cset, selected, who=audit.current_user(who),
                                   award=award, value_sek=value, tier=tier, policy=policy)
    click.echo(tr("Registered {ref} ({n} criteria) in {where}.",
                  "Registrerade {ref} ({n} kriterier) i {where}.", ref=spec.reference,
                  n=len(selected), where=reg.where))
    if award is not None and done.tier is not None:
        click.echo(tr("Contract with {supplier}, {tier}; {n} checkpoints planned.",
                      "Avtal med {supplier}, {tier}; {n} uppföljningar planerade.",
                      supplier=award.supplier, tier=policy.describe(done.tier),
                      n=done.checkpoints))
        click.echo(tr("See the plan: procure register plan \"{ref}\"",
                      "Se planen: procure register plan \"{ref}\"", ref=spec.reference))


def plan_lines(plan: store.Plan, lang: str, policy: TierPolicy | None = None,
               msg_lang: str | None = None) -> list[str]:
    """The plan's heading lines (shared with the demo, which passes its run's ``msg_lang``)."""
    lines = [f"{plan.reference}: {plan.title} ({plan.organisation})"]
    if plan.supplier is None:
        lines.append(tr("No contract registered yet.", "Inget avtal registrerat än.").render(msg_lang))
        return lines
    start, end = plan.period
    lines.append(tr("Contract: {supplier}, {value}, {start} – {end}",
                        "Avtal: {supplier}, {value}, {start} – {end}",
                        supplier=plan.supplier,
                        value=format_money(plan.value_sek, lang) if plan.value_sek else "–",
                        start=start, end=end).render(msg_lang))
    if plan.tier:
        lines.append((policy or TierPolicy()).describe(plan.tier).render(msg_lang))
    return lines


def plan_table(plan: store.Plan, lang: str, msg_lang: str | None = None
               ) -> tuple[list[str], list[list[object]]]:
    headers = [h.render(msg_lang) for h in (tr("Date", "Datum"), tr("Criterion", "Kriterium"),
                                tr("Kind", "Typ"), tr("Title", "Rubrik"), tr("Status", "Status"))]
    rows = [[r.due.isoformat(), f"{r.criterion_id}:{r.version}",
             KIND_LABELS.get(r.kind or "", {}).get(lang, r.kind or ""), r.title,
             STATUS_LABELS[r.status].render(msg_lang) if r.status in STATUS_LABELS
             else r.status] for r in plan.rows]
    return headers, rows


def _ics(plan: store.Plan) -> str:
    entries = [CalendarEntry(
        uid=stable_uid(plan.reference, r.milestone_id),
        day=r.due,
        summary=str(tr("Follow-up {ref}: {id}", "Uppföljning {ref}: {id}", ref=plan.reference,
                       id=r.criterion_id)),
        description=f"{r.title}\n{plan.title}\n{plan.supplier or ''}\n"
                    f"procure followup record \"{plan.reference}\" {r.criterion_id} --status …")
        for r in plan.rows if r.status == "scheduled"]
    return to_ics(entries, dt.datetime.now(dt.UTC),
                  str(tr("Follow-up {ref}", "Uppföljning {ref}", ref=plan.reference)))


@register.command("plan")
@click.argument("reference")
@format_option("table", "json", "ics")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (.ics for calendar entries) instead of the screen.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@db_option
@lang_option
def plan_command(reference: str, fmt: str, output: Path | None, force: bool,
                 db_path: str | None, lang: str) -> None:
    """Show a procurement's follow-up plan: every checkpoint, its date and status.

    \b
    Examples:
      procure register plan "KS 2026/0412"
      procure register plan "KS 2026/0412" --format ics -o uppfoljning.ics
    """
    if output is not None and output.exists() and not force:
        raise OutputFileError(tr("exists already", "finns redan"), file=output,
                              hint=tr("choose another name or add --force",
                                      "välj ett annat namn eller lägg till --force"))
    with db.open_register(db_path) as reg:
        plan = store.read_plan(reg, reference)
    if fmt == "ics":
        text = _ics(plan)
    elif fmt == "json":
        text = json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        headers, rows = plan_table(plan, lang)
        text = "\n".join([*plan_lines(plan, lang), "", table(headers, rows)]) + "\n"
    if output is not None:
        write_text_atomic(output, text)
        click.echo(tr("Wrote {path}", "Skrev {path}", path=str(output)))
    else:
        click.echo(text, nl=False)


@click.group()
def followup() -> None:
    """Contract follow-up: what is due, and recording checks and deviations."""


@followup.command("due")
@click.option("--within", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="Days ahead to look.")
@today_option
@format_option("table", "json")
@db_option
@lang_option
def due_command(within: int, today: str | None, fmt: str, db_path: str | None, lang: str
                ) -> None:
    """List overdue and coming checkpoints and evidence that has expired or expires soon.

    Reminder steps: 30, 7 and 0 days before a date.
    Example: procure followup due --within 30
    """
    with db.open_register(db_path) as reg:
        items = follow.due(reg, _today(today), within)
    if fmt == "json":
        echo_json([i.to_dict() for i in items])
        return
    if not items:
        click.echo(tr("Nothing due within {n} days.", "Inget att följa upp inom {n} dagar.",
                      n=within))
        return
    headers = [str(h) for h in (tr("State", "Läge"), tr("Date", "Datum"), tr("Days", "Dagar"),
                                tr("Reminder", "Påminnelse"), tr("Reference", "Diarienr"),
                                tr("Supplier", "Leverantör"), tr("Criterion", "Kriterium"),
                                tr("Tier", "Riskklass"), tr("Title", "Rubrik"))]
    for state in follow.STATES:
        rows = [[str(STATE_LABELS[i.state]), i.date.isoformat(), i.days_left,
                 "" if i.reminder is None else f"{i.reminder} d", i.reference, i.supplier,
                 i.criterion_id, i.tier or "", i.title] for i in items if i.state == state]
        if rows:
            click.secho(f"\n{STATE_LABELS[state]} ({len(rows)})".upper(), bold=True)
            echo_table(headers, rows)


def _labels(msgs: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {code: {"sv": m.render("sv"), "en": m.render("en")} for code, m in msgs.items()}


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@followup.command("record")
@click.argument("reference")
@click.argument("criterion")
@click.option("--status", type=LabelledChoice(follow.STATUSES, _labels(STATUS_LABELS)),
              required=True, help="The outcome of the check: met (uppfyllt), notMet (ej "
              "uppfyllt) or partiallyMet (delvis uppfyllt).")
@click.option("--evidence", help="What proves it: a document, a certificate number, a link.")
@click.option("--valid-until", callback=iso_date, metavar="YYYY-MM-DD",
              help="When the evidence lapses (a licence, a certificate).")
@click.option("--note", help="A note for the file.")
@click.option("--on", "on_date", callback=iso_date, metavar="YYYY-MM-DD",
              help="Date of the check (default: today).")
@db_option
@who_option
@lang_option
def record_command(reference: str, criterion: str, status: str, evidence: str | None,
                   valid_until: str | None, note: str | None, on_date: str | None,
                   db_path: str | None, who: str | None, lang: str) -> None:
    """Record the outcome of a checkpoint (the next open one of that criterion).

    Example: procure followup record "KS 2026/0412" TRN-FUEL-01 --status met
    --evidence "Drivmedelsrapport 2027" --valid-until 2028-06-30
    """
    with db.open_register(db_path) as reg:
        mid = follow.record(reg, reference, criterion, status, who=audit.current_user(who),
                              on=_today(on_date), evidence=evidence,
                              valid_until=_date_or_none(valid_until), note=note)
    click.echo(tr("Recorded {status} for {id} in {ref} (checkpoint {mid}).",
                  "Registrerade {status} för {id} i {ref} (uppföljning {mid}).",
                  status=STATUS_LABELS[status], id=criterion, ref=reference, mid=mid))


@followup.command("deviation")
@click.argument("reference")
@click.argument("criterion")
@click.option("--category", required=True, help="What kind of deviation, e.g. 'fel drivmedel'.")
@click.option("--description", help="What was found.")
@click.option("--events", type=click.IntRange(1), default=1, show_default=True,
              help="How many times it happened.")
@click.option("--from", "period_start", callback=iso_date, metavar="YYYY-MM-DD",
              help="First day of the period the deviation covers.")
@click.option("--to", "period_end", callback=iso_date, metavar="YYYY-MM-DD",
              help="Last day of that period.")
@click.option("--sanction-agreed", help="The sanction the contract provides (vite).")
@click.option("--sanction-imposed", "sanction_text", help="The sanction imposed, in SEK.")
@click.option("--action", "corrective_action", help="The corrective action agreed (åtgärd).")
@click.option("--action-due", callback=iso_date, metavar="YYYY-MM-DD",
              help="When the corrective action is due.")
@db_option
@who_option
@lang_option
def deviation_command(reference: str, criterion: str, category: str, description: str | None,
                      events: int, period_start: str | None, period_end: str | None,
                      sanction_agreed: str | None, sanction_text: str | None,
                      corrective_action: str | None, action_due: str | None,
                      db_path: str | None, who: str | None, lang: str) -> None:
    """Record a deviation (performance failure), its sanction and corrective action.

    Example: procure followup deviation "KS 2026/0412" TRN-FUEL-01 --category "fel drivmedel"
    --sanction-imposed 25000 --action "Byte till HVO100" --action-due 2027-12-31
    """
    imposed = amount_sek(sanction_text, "--sanction-imposed")
    found = follow.Deviation(
        category=category, description=description, events=events,
        period_start=_date_or_none(period_start), period_end=_date_or_none(period_end),
        sanction_agreed=sanction_agreed, sanction_imposed_sek=imposed,
        corrective_action=corrective_action, corrective_due=_date_or_none(action_due))
    with db.open_register(db_path) as reg:
        fid = follow.deviation(reg, reference, criterion, found,
                                 who=audit.current_user(who))
    click.echo(tr("Recorded deviation {fid} for {id} in {ref}.",
                  "Registrerade avvikelse {fid} för {id} i {ref}.", fid=fid, id=criterion,
                  ref=reference))


@followup.command("resolve")
@click.argument("deviation_id", type=click.IntRange(1), metavar="DEVIATION")
@click.option("--outcome", type=LabelledChoice(follow.OUTCOMES, _labels(follow.OUTCOME_LABELS)),
              required=True, help="How the corrective action went: done (genomförd) or "
              "not_done (ej genomförd).")
@click.option("--note", help="A note for the history: what was checked, what was decided.")
@click.option("--sanction-imposed", "sanction_text",
              help="A sanction (vite) decided since the deviation was recorded, in SEK.")
@click.option("--on", "on_date", callback=iso_date, metavar="YYYY-MM-DD",
              help="Date of the decision (default: today).")
@db_option
@who_option
@lang_option
def resolve_command(deviation_id: int, outcome: str, note: str | None, sanction_text: str | None,
                    on_date: str | None, db_path: str | None, who: str | None, lang: str
                    ) -> None:
    """Close a deviation's corrective action as done or not done.

    DEVIATION is the number `procure followup deviation` printed (also in
    `procure register show`). Until it is closed, the action is listed by
    `procure followup due` from its due date.

    Example: procure followup resolve 12 --outcome genomförd --note "Elbussar i trafik 3 mars"
    """
    imposed = amount_sek(sanction_text, "--sanction-imposed")
    with db.open_register(db_path) as reg:
        done = follow.resolve(reg, deviation_id, outcome, who=audit.current_user(who),
                              on=_today(on_date), note=note, sanction_imposed_sek=imposed)
    click.echo(tr("Deviation {id} ({criterion}) in {ref}: the corrective action is {outcome}.",
                  "Avvikelse {id} ({criterion}) i {ref}: åtgärden är {outcome}.",
                  id=deviation_id, criterion=done["criterion_id"], ref=done["reference"],
                  outcome=follow.OUTCOME_LABELS[outcome]))


commands = (register, followup)


CONFIDENCE_LABELS = {"high": tr("high", "hög"), "medium": tr("medium", "medel"),
                     "low": tr("low", "låg"), "none": tr("no match", "ingen träff")}


@register.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be added and every rejected row; "
              "write nothing.")
@click.option("--update", is_flag=True, help="Update procurements whose reference the register "
              "already has (default: such rows are rejected).")
@click.option("--sheet", help="Excel sheet name (default: the first sheet).")
@header_row_option
@set_option(BUILTIN_SET)
@format_option("table", "json")
@db_option
@who_option
@lang_option
def import_command(path: Path, dry_run: bool, update: bool, sheet: str | None,
                   header_row: int | None, set_path: Path | None, fmt: str,
                   db_path: str | None, who: str | None, lang: str) -> None:
    """Import an existing contract register (avtalsregister) from .xlsx or .csv.

    Columns (Swedish headers accepted): reference, title, organisation, category, value_sek,
    start, end, climate_criteria, level; optional supplier, org_number, cpv, criteria,
    risk_tier. All rows or none: one rejected row and nothing is written.

    \b
    Examples:
      procure register import avtal.xlsx --dry-run
      procure register import avtal.csv --update
    """
    cset = load_criteria_set(set_path)
    with db.open_register(db_path) as reg:
        done = importer.import_register(reg, path, cset, who=audit.current_user(who),
                                        dry_run=dry_run, update=update, sheet=sheet,
                                        header_row=header_row)
    if fmt == "json":
        echo_json(done.to_dict())
        return
    if done.written:
        click.echo(tr("Imported {path}: {added} added, {updated} updated, {n} checkpoints "
                      "planned.", "Importerade {path}: {added} nya, {updated} uppdaterade, {n} "
                      "uppföljningar planerade.", path=str(path), added=len(done.added),
                      updated=len(done.updated), n=done.checkpoints))
    else:
        click.echo(tr("Dry run, nothing written. {path}: {added} would be added, {updated} "
                      "updated, {rejected} rejected.", "Provkörning, inget skrivet. {path}: "
                      "{added} skulle läggas till, {updated} uppdateras, {rejected} avvisas.",
                      path=str(path), added=len(done.added), updated=len(done.updated),
                      rejected=len(done.rejected)))
    if done.rejected:
        click.secho(str(tr("Rejected rows", "Avvisade rader")), bold=True)
        for r in done.rejected:
            click.echo(tr("  row {row} ({ref}): {reason}", "  rad {row} ({ref}): {reason}",
                          row=r.row, ref=r.reference or "–", reason=r.reason))
    if done.flagged:
        click.secho(str(tr("Categories to check (matched, not high confidence)",
                           "Kategorier att kontrollera (matchade, inte hög säkerhet)")),
                    bold=True)
        echo_table([str(tr("Row", "Rad")), str(tr("Reference", "Diarienr")),
                    str(tr("Text", "Text")), str(tr("Category", "Kategori")),
                    str(tr("Confidence", "Säkerhet"))],
                   [[f.row, f.reference, f.text, f.category or "–",
                     str(CONFIDENCE_LABELS.get(f.confidence, f.confidence))]
                    for f in done.flagged])


LIST_HEADERS = (tr("Reference", "Diarienr"), tr("Organisation", "Organisation"),
                tr("Title", "Benämning"), tr("Category", "Kategori"), tr("Level", "Nivå"),
                tr("Supplier", "Leverantör"), tr("Value", "Värde"), tr("Ends", "Slutar"),
                tr("Tier", "Riskklass"), tr("Overdue", "Försenade"),
                tr("Deviations", "Avvikelser"))


@register.command("list")
@click.option("--organisation", help="Only this administration or company (exact name).")
@today_option
@format_option("table", "json")
@db_option
@lang_option
def list_command(organisation: str | None, today: str | None, fmt: str, db_path: str | None,
                 lang: str) -> None:
    """List the register's procurements with their contract and follow-up state.

    Example: procure register list --organisation "Tekniska förvaltningen"
    """
    with db.open_register(db_path) as reg:
        records = export.load(reg, export.Filter(organisation=organisation))
    rows = export.flat_rows(records, _today(today))
    if fmt == "json":
        echo_json(rows)
        return
    if not rows:
        click.echo(tr("The register is empty.", "Registret är tomt."))
        return
    echo_table([str(h) for h in LIST_HEADERS], [
        [r["reference"], r["organisation"], r["title"], r["category"] or "–",
         r["level"] or "–", r["supplier"] or "–",
         format_money(r["contract_value_sek"] or r["estimated_value_sek"], lang)
         if (r["contract_value_sek"] or r["estimated_value_sek"]) is not None else "–",
         r["period_end"] or "–", r["risk_tier"] or "–", r["checkpoints_overdue"],
         r["deviations"]] for r in rows], right=(6, 8, 9, 10))
    click.echo(tr("{n} procurements.", "{n} upphandlingar.", n=len(rows)))


@register.command("show")
@click.argument("reference")
@format_option("table", "json")
@db_option
@lang_option
def show_command(reference: str, fmt: str, db_path: str | None, lang: str) -> None:
    """Show one procurement in full: criteria, contract, checkpoints and deviations.

    Example: procure register show "KS 2026/0412"
    """
    with db.open_register(db_path) as reg:
        record = export.load_one(reg, reference)
        plan = store.read_plan(reg, reference)
    if fmt == "json":
        echo_json(record)
        return
    for line in plan_lines(plan, lang):
        click.echo(line)
    fields = ((tr("Category", "Kategori"), record["category"]),
              (tr("Level", "Nivå"), record["level"]),
              (tr("Criteria set", "Kriterieuppsättning"), record["criteria_set"]),
              (tr("CPV", "CPV"), record["cpv"]),
              ("eForms BT-805", record["gpp_criteria"]),
              ("eForms BT-774", record["environmental_impact"]),
              (tr("Registered", "Registrerad"), f"{record['created_at']:%Y-%m-%d} "
                                                f"({record['created_by'] or '–'})"))
    for label, value in fields:
        click.echo(f"  {label}: {value if value not in (None, '') else '–'}")
    if record["criteria"]:
        click.echo(tr("Criteria: {ids}", "Kriterier: {ids}", ids=", ".join(
            f"{c['criterion_id']}:{c['criterion_version']}" for c in record["criteria"])))
    if plan.rows:
        click.echo("")
        headers, rows = plan_table(plan, lang)
        echo_table(headers, rows)
    for contract in record["contracts"]:
        for f in contract["failures"]:
            click.echo(tr("Deviation {id} ({criterion}): {category}, {events} time(s); "
                          "sanction {sanction}; action {action} by {due} ({outcome})",
                          "Avvikelse {id} ({criterion}): {category}, {events} gång(er); sanktion"
                          " {sanction}; åtgärd {action} senast {due} ({outcome})",
                          id=f["id"], criterion=f["criterion_id"], category=f["category"],
                          events=f["events"],
                          sanction=format_money(f["sanction_imposed_sek"], lang)
                          if f["sanction_imposed_sek"] is not None else "–",
                          action=f["corrective_action"] or "–", due=f["corrective_due"] or "–",
                          outcome=follow.OUTCOME_LABELS.get(f["corrective_outcome"] or "open")
                          if f["corrective_action"] else "–"))


def _write_xlsx(rows: list[dict[str, object]], output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def run(tmp: Path) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(tr("Register", "Register")))
        sheet.freeze_panes = "B2"

        head = []
        for name in export.FLAT_COLUMNS:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            head.append(cell)
        sheet.append(head)
        for row in rows:
            sheet.append([neutralise(row[c]) for c in export.FLAT_COLUMNS])
        book.save(tmp)

    write_atomic(output, run)


@register.command("export")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The file to write: .csv, .xlsx or .json.")
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "xlsx", "json", "ocds"]),
              default="auto", show_default=True,
              help="auto: by the file's ending; ocds: an OCDS 1.1 release package (.json).")
@click.option("--organisation", help="Only this administration or company (exact name).")
@click.option("--ocid-prefix", default="ocds-procure", show_default=True,
              help="Your OCDS ocid prefix (registered with the Open Contracting Partnership).")
@click.option("--publisher", default=None, help="Publisher name in the OCDS package "
              "(default: the organisation, else 'procure').")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@today_option
@db_option
@lang_option
def export_command(output: Path, fmt: str, organisation: str | None, ocid_prefix: str,
                   publisher: str | None, force: bool, today: str | None, db_path: str | None,
                   lang: str) -> None:
    """Export the register as CSV, Excel, JSON or an OCDS release package.

    \b
    Examples:
      procure register export -o register.xlsx
      procure register export -o register-ocds.json --format ocds
    """
    if fmt == "auto":
        fmt = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}.get(output.suffix.lower(), "")
        if not fmt:
            raise click.BadParameter(str(tr("name the output .csv, .xlsx or .json",
                                            "ge utfilen ändelsen .csv, .xlsx eller .json")),
                                     param_hint="-o/--output")
    if output.exists() and not force:
        raise OutputFileError(tr("exists already", "finns redan"), file=output,
                              hint=tr("choose another name or add --force",
                                      "välj ett annat namn eller lägg till --force"))
    with db.open_register(db_path) as reg:
        records = export.load(reg, export.Filter(organisation=organisation))
    if fmt == "ocds":
        package = export.ocds_package(records, prefix=ocid_prefix,
                                      publisher=publisher or organisation or "procure",
                                      published=dt.datetime.now(dt.UTC),
                                      uri=output.resolve().as_uri())
        write_text_atomic(output, json.dumps(package, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "json":
        write_text_atomic(output, json.dumps(records, ensure_ascii=False, indent=2,
                                             default=str) + "\n")
    else:
        rows = export.flat_rows(records, _today(today))
        if fmt == "csv":
            text = to_csv(list(export.FLAT_COLUMNS),
                          [[r[c] for c in export.FLAT_COLUMNS] for r in rows],
                          delimiter=";" if lang == "sv" else ",")
            write_text_atomic(output, "\ufeff" + text)
        else:
            _write_xlsx(rows, output)
    click.echo(tr("Wrote {n} procurements to {path}", "Skrev {n} upphandlingar till {path}",
                  n=len(records), path=str(output)))


class _SpendGroup(click.Group):
    """``procure register spend FILE …`` is short for ``procure register spend import FILE …``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["import", *args]
        return super().parse_args(ctx, args)


@register.group("spend", cls=_SpendGroup)
def spend_group() -> None:
    """A year's spend matched to categories, and corrections remembered per supplier.

    \b
    Examples:
      procure register spend reskontra-2026.csv --year 2026
      procure register spend correct 556123-4567 transport.school
    """


@spend_group.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=click.IntRange(1990, 2100), required=True,
              help="The year the spend belongs to.")
@click.option("--text-column", "text_columns", multiple=True,
              help="Column with text to match (repeat; default: Leverantör, Kontotext, "
                   "Fakturatext).")
@click.option("--amount-column", default=spend.DEFAULT_AMOUNT, show_default=True,
              help="Column with the amount in SEK.")
@click.option("--org-column", help="Column with the supplier's organisation number (default: "
              "Organisationsnummer if the file has it); corrections are remembered by it.")
@click.option("--supplier-column", help="Column with the supplier's name (default: Leverantör).")
@click.option("--organisation-column", help="Column with the buying administration or company "
              "(default: Förvaltning if the file has it).")
@click.option("--cpv-column", help="Column with CPV codes (optional).")
@click.option("--sheet", help="Excel sheet name (default: the first sheet).")
@header_row_option
@click.option("--replace", is_flag=True, help="Replace the lines an earlier import of the same "
              "file stored for the year.")
@set_option(BUILTIN_SET)
@format_option("table", "json")
@db_option
@who_option
@lang_option
def spend_import_command(path: Path, year: int, text_columns: tuple[str, ...],
                         amount_column: str, org_column: str | None,
                         supplier_column: str | None, organisation_column: str | None,
                         cpv_column: str | None, sheet: str | None,
                         header_row: int | None, replace: bool,
                         set_path: Path | None, fmt: str, db_path: str | None,
                         who: str | None, lang: str) -> None:
    """Store a year's ledger (leverantörsreskontra) matched to categories.

    Lines that match nothing are kept without a category; remembered corrections win.
    Example: procure register spend reskontra-2026.csv --year 2026
    """
    columns = spend.Columns(text=list(text_columns), amount=amount_column,
                            supplier=supplier_column, org_number=org_column,
                            organisation=organisation_column, cpv=cpv_column)
    cset = load_criteria_set(set_path)
    with db.open_register(db_path) as reg:
        done = spend.import_spend(reg, path, cset, year, who=audit.current_user(who),
                                  columns=columns, sheet=sheet, replace=replace,
                                  header_row=header_row)
    if fmt == "json":
        echo_json(done.to_dict())
        return
    click.echo(tr("Stored {rows} lines of {year} ({amount}): {matched} matched ({corrected} by "
                  "your corrections), {unmatched} without a category ({unmatched_sek}).",
                  "Sparade {rows} rader för {year} ({amount}): {matched} matchade ({corrected} "
                  "genom era rättelser), {unmatched} utan kategori ({unmatched_sek}).",
                  rows=done.rows, year=year, amount=format_money(done.amount_sek, lang),
                  matched=done.matched, corrected=done.corrected, unmatched=done.unmatched,
                  unmatched_sek=format_money(done.unmatched_sek, lang)))
    note = spend.double_count_note(done.to_dict())
    if note is not None:
        click.echo(f"{tr('Warning', 'Varning')}: {note}", err=True)


@spend_group.command("correct")
@click.argument("org")
@click.argument("category")
@set_option(BUILTIN_SET)
@db_option
@who_option
@lang_option
def spend_correct_command(org: str, category: str, set_path: Path | None, db_path: str | None,
                          who: str | None, lang: str) -> None:
    """Set the category of a supplier's spend, remembered for later imports.

    Example: procure register spend correct 556123-4567 transport.school
    """
    cset = load_criteria_set(set_path)
    with db.open_register(db_path) as reg:
        changed = spend.correct(reg, org, category, cset, who=audit.current_user(who))
    click.echo(tr("{org} is now {category}; {n} stored lines changed, later imports follow.",
                  "{org} är nu {category}; {n} sparade rader ändrade, senare importer följer.",
                  org=spend.org_number(org), category=category, n=changed))


def demo_step(ctx: DemoContext) -> None:
    """The demo: the example group's register, the demo procurement with its winner, its plan
    and what is due (``register.db`` stays in the demo folder for the follow-up report)."""
    from procure.register.example import build_example

    path = ctx.outdir / "register.db"
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)  # the demo's own output of an earlier run
    reg, _, _ = db.init(path)
    try:
        counts = build_example(reg, ctx.examples / "register", ctx.criteria_set, who="demo")
        click.echo(tr("  Example group: {p} procurements, {f} follow-ups recorded, {d} deviations,"
                      " {s} spend lines (2024–2026)",
                      "  Exempelkommunens koncern: {p} upphandlingar, {f} registrerade "
                      "uppföljningar, {d} avvikelser, {s} utgiftsrader (2024–2026)",
                      p=counts["procurements"], f=counts["followups"], d=counts["deviations"],
                      s=counts["spend_lines"]).render(ctx.lang))
        spec = ctx.state.get("spec") or load_spec(ctx.examples / "spec.yaml")
        evaluation = ctx.state.get("evaluation")
        results = ctx.outdir / ("utvardering.xlsx" if ctx.lang == "sv" else "evaluation.xlsx")
        winner = None
        if evaluation is not None and results.exists():
            ranked = evaluation.suppliers.dropna(subset=["rank"]).sort_values("rank")
            winner = str(ranked.iloc[0]["supplier"]) if len(ranked) else None
        cset, selected = resolve(spec, ctx.criteria_set)
        award = read_award(results, winner) if winner else None
        done = store.register_spec(reg, spec, cset, selected, who="demo", award=award)
        plan = store.read_plan(reg, spec.reference)
        due = follow.due(reg, dt.date.today(), 30)
    finally:
        reg.close()
    for line in plan_lines(plan, ctx.lang, msg_lang=ctx.lang):
        click.echo(f"  {line}")
    headers, rows = plan_table(plan, ctx.lang, msg_lang=ctx.lang)
    if rows:
        click.echo("  " + table(headers, rows[:6]).replace("\n", "\n  "))
        click.echo(tr("  … {n} checkpoints in all: procure register plan \"{ref}\" --db {db}",
                      "  … {n} uppföljningar i allt: procure register plan \"{ref}\" --db {db}",
                      n=done.checkpoints, ref=spec.reference, db=path).render(ctx.lang))
    counts_due = {state: sum(1 for i in due if i.state == state) for state in follow.STATES}
    click.echo(tr("  Due within 30 days in the whole register: {parts}",
                  "  Inom 30 dagar i hela registret: {parts}",
                  parts=", ".join(f"{STATE_LABELS[s].render(ctx.lang)} {n}"
                                  for s, n in counts_due.items())).render(ctx.lang))
    ctx.wrote(path, tr("the register (SQLite; procure register list --db …)",
                       "registret (SQLite; procure register list --db …)").render(ctx.lang))
