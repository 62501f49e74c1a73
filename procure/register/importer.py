"""Importing the contract register a municipality already keeps (XLSX or CSV).

The file is read with the project's readers (:mod:`procure.io.tables`, amounts with
:mod:`procure.io.numbers`), checked row by row, and only then written — in one transaction. Every
rejected row is reported with its row number and reason; one rejected row means nothing is
written (``dry_run`` shows it all without writing). A reference already in the register is
rejected unless ``update`` is given: never a silent duplicate.

A category is a category id of the criteria set, or free text ("Skolskjuts", "Städtjänster")
matched with :mod:`procure.matching`; a match that is not of high confidence is flagged so a
person looks at it. An empty category is matched from the title.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from procure.errors import ColumnError
from procure.i18n import Msg, tr
from procure.io.numbers import parse_amounts
from procure.io.tables import read_table
from procure.matching import Matcher
from procure.matching.batch import decimal_mark, match_frame
from procure.model import LEVELS, CriteriaSet
from procure.register import audit
from procure.register.db import Register
from procure.register.errors import ImportRowError
from procure.register.plan import Followed, TierPolicy, schedule
from procure.register.tables import (
    contract_criteria,
    contracts,
    history,
    milestones,
    procurement_criteria,
    procurements,
)

# canonical column → the headers accepted for it (compared lower-case, "_" and "-" as spaces)
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "diarienummer", "diarienr", "referens", "avtalsnummer",
                  "avtals-id", "avtalsid"),
    "title": ("title", "benämning", "avtalsnamn", "avtal", "rubrik", "namn"),
    "organisation": ("organisation", "organization", "förvaltning", "bolag", "verksamhet",
                     "förvaltning/bolag"),
    "category": ("category", "kategori", "avtalsområde", "område"),
    "value_sek": ("value_sek", "value", "värde", "avtalsvärde", "värde (kr)", "värde kr",
                  "värde sek", "belopp"),
    "start": ("start", "startdatum", "avtalsstart", "från", "giltigt från"),
    "end": ("end", "slutdatum", "avtalsslut", "till", "giltigt till"),
    "climate_criteria": ("climate_criteria", "klimatkrav", "miljökrav", "har klimatkrav"),
    "level": ("level", "nivå", "kravnivå"),
    "supplier": ("supplier", "leverantör"),
    "org_number": ("org_number", "organisationsnummer", "orgnr", "org.nr", "org nr"),
    "cpv": ("cpv", "cpv-kod", "cpv kod"),
    "criteria": ("criteria", "kriterier", "krav-id", "kriterie-id"),
    "risk_tier": ("risk_tier", "riskklass"),
}
REQUIRED = ("reference", "title", "organisation", "category", "value_sek", "start", "end",
            "climate_criteria", "level")
YES = {"ja", "j", "yes", "y", "x", "1", "sant", "true"}
NO = {"nej", "n", "no", "0", "falskt", "false", ""}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00)?)?$")
_ORGNR = re.compile(r"^(\d{6})-?(\d{4})$")


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(header).strip().casefold())


def _columns(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """Canonical name → the file's header; a missing required column is one clear error."""
    aliases = {_key(a): name for name, names in COLUMNS.items() for a in names}
    found: dict[str, str] = {}
    for header in frame.columns:
        name = aliases.get(_key(header))
        if name and name not in found:
            found[name] = header
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise ColumnError(
            tr("column(s) {missing} not found; the file has: {found} (see README, 'procure "
               "register import')", "kolumnen/kolumnerna {missing} finns inte; filen har: "
               "{found} (se README, 'procure register import')",
               missing=", ".join(missing), found=", ".join(repr(c) for c in frame.columns)),
            file=path)
    return found


@dataclass
class Rejected:
    row: int  # as the user sees it in the file: the header is row 1
    reference: str
    reason: Msg | str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reference": self.reference, "reason": str(self.reason)}


@dataclass
class Flagged:
    row: int
    reference: str
    text: str
    category: str | None
    confidence: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reference": self.reference, "text": self.text,
                "category": self.category, "confidence": self.confidence}


@dataclass
class ImportResult:
    """What an import added, updated, rejected and flagged (written only when ``written``)."""

    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    checkpoints: int = 0
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "written": self.written, "added": len(self.added),
                "updated": len(self.updated), "checkpoints": self.checkpoints,
                "rejected": [r.to_dict() for r in self.rejected],
                "flagged": [f.to_dict() for f in self.flagged]}


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    criteria: list[tuple[str, int, str, bool]]  # id, version, kind, evidence required


def _date(text: str) -> dt.date | str | None:
    text = text.strip()
    if not text:
        return None
    found = _DATE.match(text)
    try:
        return dt.date.fromisoformat(found.group(1)) if found else "bad"
    except ValueError:
        return "bad"


def _text(frame: pd.DataFrame, cols: dict[str, str], name: str) -> pd.Series:
    if name not in cols:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[cols[name]].astype(str).str.strip()


def _check_rows(frame: pd.DataFrame, cols: dict[str, str], cset: CriteriaSet, decimal: str,
                result: ImportResult) -> list[_Row]:
    """Every row as values to store, or a rejection with its reason."""
    amounts = parse_amounts(_text(frame, cols, "value_sek"), decimal)
    tiers = _text(frame, cols, "risk_tier")
    texts = {name: _text(frame, cols, name).tolist() for name in COLUMNS}
    tiers = tiers.tolist()
    ok, amount_values = amounts["ok"].tolist(), amounts["value"].tolist()
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    for i in range(len(frame)):
        number = i + 2
        get = {name: values[i] for name, values in texts.items()}
        ref = get["reference"]

        def reject(reason: Msg, number: int = number, ref: str = ref) -> None:
            result.rejected.append(Rejected(number, ref, reason))

        if not ref:
            reject(tr("no reference", "diarienummer saknas"))
            continue
        if ref in seen:
            reject(tr("reference {ref!r} again (first on row {first})",
                      "diarienumret {ref!r} igen (först på rad {first})", ref=ref,
                      first=seen[ref]))
            continue
        seen[ref] = number
        problems: list[Msg] = []
        for name, label in (("title", tr("title", "benämning")),
                            ("organisation", tr("organisation", "organisation"))):
            if not get[name]:
                problems.append(tr("{what} is empty", "{what} saknas", what=label))
        value: float | None = None
        if get["value_sek"]:
            value = float(amount_values[i]) if ok[i] else None
            if value is None:
                problems.append(tr("value {v!r} is not an amount in SEK",
                                   "värdet {v!r} är inget belopp i kronor", v=get["value_sek"]))
            elif value < 0:
                problems.append(tr("value {v!r} is negative", "värdet {v!r} är negativt",
                                   v=get["value_sek"]))
        start, end = _date(get["start"]), _date(get["end"])
        for name, parsed in (("start", start), ("end", end)):
            if parsed == "bad":
                problems.append(tr("{col} {v!r} is not a date (YYYY-MM-DD)",
                                   "{col} {v!r} är inget datum (ÅÅÅÅ-MM-DD)", col=name,
                                   v=get[name]))
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            problems.append(tr("ends ({end}) before it starts ({start})",
                               "slutar ({end}) innan det börjar ({start})", end=end,
                               start=start))
        climate = get["climate_criteria"].casefold()
        if climate not in YES | NO:
            problems.append(tr("climate_criteria {v!r} is not yes or no",
                               "klimatkrav {v!r} är inte ja eller nej",
                               v=get["climate_criteria"]))
        has_climate = climate in YES
        level = get["level"].casefold() or None
        if level is not None and level not in LEVELS:
            problems.append(tr("level {v!r} is not one of {levels}",
                               "nivån {v!r} är inte en av {levels}", v=get["level"],
                               levels=", ".join(LEVELS)))
        if has_climate and level is None:
            problems.append(tr("climate requirements but no level", "klimatkrav men ingen nivå"))
        org = get["org_number"]
        if org:
            found = _ORGNR.match(org.replace(" ", ""))
            if found is None:
                problems.append(tr("organisation number {v!r} is not NNNNNN-NNNN",
                                   "organisationsnumret {v!r} är inte NNNNNN-NNNN", v=org))
            else:
                org = f"{found.group(1)}-{found.group(2)}"
        tier = None
        if tiers[i]:
            if tiers[i] not in ("1", "2", "3"):
                problems.append(tr("risk tier {v!r} is not 1, 2 or 3",
                                   "riskklassen {v!r} är inte 1, 2 eller 3", v=tiers[i]))
            else:
                tier = int(tiers[i])
        criteria = []
        for item in re.split(r"[,;\s]+", get["criteria"]):
            if not item:
                continue
            cid = item.split(":", 1)[0].upper()
            criterion = cset.criteria.get(cid)
            if criterion is None:
                problems.append(tr("unknown criterion id {v!r}", "okänt kriterie-id {v!r}",
                                   v=item))
                continue
            criteria.append((cid, criterion.version, criterion.kind,
                             criterion.answer.evidence_required))
        if problems:
            reject(problems[0] if len(problems) == 1 else
                   Msg("; ".join(p.render("en") for p in problems),
                       "; ".join(p.render("sv") for p in problems)))
            continue
        rows.append(_Row(number, {
            "reference": ref, "title": get["title"], "organisation": get["organisation"],
            "category_text": get["category"], "value_sek": value, "start": start, "end": end,
            "has_climate_criteria": has_climate, "level": level,
            "supplier": get["supplier"] or None, "org_number": org or None,
            "cpv": get["cpv"] or None, "risk_tier": tier}, criteria))
    return rows


def _categories(rows: list[_Row], cset: CriteriaSet, result: ImportResult,
                matcher: Matcher | None = None) -> None:
    """Category ids as given; free text (or the title) matched, flagged unless high."""
    by_id = {c.casefold(): c for c in cset.categories}
    to_match: list[_Row] = []
    for row in rows:
        given = row.values["category_text"]
        if given and given.casefold() in by_id:
            row.values["category"], row.values["category_confidence"] = \
                by_id[given.casefold()], None
        else:
            to_match.append(row)
    if not to_match:
        return
    texts = pd.DataFrame({"text": [r.values["category_text"] or r.values["title"]
                                   for r in to_match]})
    matched = match_frame(texts, matcher or Matcher(cset), "text")
    for row, (_, hit), text in zip(to_match, matched.iterrows(), texts["text"]):
        confidence = hit["confidence"]
        category = hit["category_id"] or None
        row.values["category"] = category
        row.values["category_confidence"] = confidence if category else "none"
        if confidence != "high":
            result.flagged.append(Flagged(row.number, row.values["reference"], text, category,
                                          confidence))


def tiers_for(values: Sequence[float | None], others: Sequence[float | None],
              policy: TierPolicy) -> list[int]:
    """:func:`procure.register.plan.tier_for` for many contracts at once (sorted ranks)."""
    pool = sorted(-v for v in [*values, *others] if v is not None)
    total = len(pool)
    first = max(1, int(policy.shares[0] * total))
    second = int((policy.shares[0] + policy.shares[1]) * total)
    tiers = []
    for v in values:
        if v is None:
            tiers.append(3)
            continue
        rank = bisect.bisect_left(pool, -v)  # contracts strictly larger
        tiers.append(1 if rank < first else 2 if rank < second else 3)
    return tiers


def import_register(register: Register, path: str | Path, criteria_set: CriteriaSet, *,
                    who: str, dry_run: bool = False, update: bool = False,
                    sheet: str | int | None = None, policy: TierPolicy | None = None,
                    matcher: Matcher | None = None, header_row: int | None = None
                    ) -> ImportResult:
    """Check every row, then write all of them in one transaction (or nothing).

    ``matcher``: one already built for ``criteria_set`` (building one takes a second or two).
    """
    path = Path(path)
    policy = policy or TierPolicy()
    frame, info = read_table(path, sheet=sheet, header_row=header_row)
    cols = _columns(frame, path)
    result = ImportResult(file=str(path))
    rows = _check_rows(frame, cols, criteria_set, decimal_mark(info), result)
    _categories(rows, criteria_set, result, matcher)
    with (register.read() if dry_run else register.write()) as conn:
        existing = _existing(conn, [r.values["reference"] for r in rows])
        for row in rows:
            ref = row.values["reference"]
            if ref in existing and not update:
                result.rejected.append(Rejected(row.number, ref, tr(
                    "the register already has {ref!r} (give --update to update it)",
                    "registret har redan {ref!r} (ange --update för att uppdatera)", ref=ref)))
            else:
                (result.updated if ref in existing else result.added).append(ref)
        result.rejected.sort(key=lambda r: r.row)
        if dry_run:
            return result
        if result.rejected:
            first = result.rejected[0]
            raise ImportRowError(
                tr("row {row} ({ref}): {reason}; nothing was imported ({n} row(s) rejected; "
                   "see them all with --dry-run)", "rad {row} ({ref}): {reason}; inget "
                   "importerades ({n} rad(er) avvisade; se alla med --dry-run)",
                   row=first.row, ref=first.reference, reason=first.reason,
                   n=len(result.rejected)), file=path)
        result.checkpoints = _write(conn, rows, existing, criteria_set, policy, who, path)
        result.written = True
    return result


def _existing(conn: sa.Connection, references: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(references), 500):
        chunk = references[start:start + 500]
        found.update(conn.execute(sa.select(procurements.c.reference, procurements.c.id)
                                  .where(procurements.c.reference.in_(chunk))).all())
    return found


def _write(conn: sa.Connection, rows: list[_Row], existing: dict[str, int],
           cset: CriteriaSet, policy: TierPolicy, who: str, path: Path) -> int:
    at = audit.now()
    new = [r for r in rows if r.values["reference"] not in existing]
    old = [r for r in rows if r.values["reference"] in existing]

    def proc_row(r: _Row) -> dict[str, Any]:
        v = r.values
        return {"reference": v["reference"], "title": v["title"],
                "organisation": v["organisation"], "category": v["category"],
                "category_confidence": v["category_confidence"], "level": v["level"],
                "criteria_set": cset.ref if r.criteria else None, "cpv": v["cpv"],
                "estimated_value_sek": v["value_sek"], "award_method": None,
                "has_climate_criteria": v["has_climate_criteria"], "started": v["start"],
                "status": "complete" if v["supplier"] else "active", "source": "import",
                "created_at": at, "created_by": who}

    ids: dict[str, int] = {}
    if new:  # a plain executemany, then the ids: the fastest bulk insert on both databases
        conn.execute(procurements.insert(), [proc_row(r) for r in new])
        ids.update(_existing(conn, [r.values["reference"] for r in new]))
    if old:  # one statement for all updates: a round trip per row is slow on PostgreSQL
        changed = [{**{k: v for k, v in proc_row(r).items() if k not in ("created_at",
                                                                          "created_by")},
                    "pid": existing[r.values["reference"]]} for r in old]
        conn.execute(procurements.update().where(procurements.c.id == sa.bindparam("pid"))
                     .values({k: sa.bindparam(k) for k in changed[0] if k != "pid"}), changed)
        old_ids = [c["pid"] for c in changed]
        for start in range(0, len(old_ids), 500):
            conn.execute(procurement_criteria.delete().where(
                procurement_criteria.c.procurement_id.in_(old_ids[start:start + 500])))
        ids.update((r.values["reference"], existing[r.values["reference"]]) for r in old)
    criteria_rows = [{"procurement_id": ids[r.values["reference"]], "criterion_id": cid,
                      "criterion_version": version, "kind": kind,
                      "level": r.values["level"] or "bas", "params": {}}
                     for r in rows for cid, version, kind, _ in r.criteria]
    if criteria_rows:
        conn.execute(procurement_criteria.insert(), criteria_rows)
    checkpoints = _contracts(conn, rows, ids, existing, policy, at, cset)
    conn.execute(history.insert(), [
        {"at": at, "who": who, "table_name": "procurements",
         "row_id": ids[r.values["reference"]],
         "action": "update" if r.values["reference"] in existing else "insert",
         "data": {"reference": r.values["reference"], "source_file": path.name,
                  "source_row": r.number}} for r in rows])
    return checkpoints


def _contracts(conn: sa.Connection, rows: list[_Row], ids: dict[str, int],
               existing: dict[str, int], policy: TierPolicy, at: dt.datetime,
               cset: CriteriaSet) -> int:
    """A contract for every row with a supplier; a plan where criteria and period are known."""
    signed = [r for r in rows if r.values["supplier"]]
    if not signed:
        return 0
    # an updated procurement keeps its contract, and every follow-up recorded on it: the
    # contract's fields are updated in place and only checkpoints nobody has touched are
    # planned anew
    old_pids = [existing[r.values["reference"]] for r in signed
                if r.values["reference"] in existing]
    kept: dict[int, int] = {}  # procurement id → its existing contract id
    for start in range(0, len(old_pids), 500):
        kept.update((pid, cid) for cid, pid in conn.execute(
            sa.select(contracts.c.id, contracts.c.procurement_id).where(
                contracts.c.procurement_id.in_(old_pids[start:start + 500]))))
    updated = set(kept.values())
    others = [value for cid, value in conn.execute(sa.select(contracts.c.id, contracts.c.value_sek))
              if cid not in updated]
    tiers = tiers_for([r.values["value_sek"] for r in signed], others, policy)
    contract_rows = [{"procurement_id": ids[r.values["reference"]],
                      "supplier": r.values["supplier"],
                      "supplier_org_number": r.values["org_number"],
                      "value_sek": r.values["value_sek"], "signed": r.values["start"],
                      "period_start": r.values["start"], "period_end": r.values["end"],
                      "status": "active", "risk_tier": r.values["risk_tier"] or tier,
                      "created_at": at} for r, tier in zip(signed, tiers)]
    fresh = [c for c in contract_rows if c["procurement_id"] not in kept]
    if fresh:
        conn.execute(contracts.insert(), fresh)
    kept_rows = [{**{k: v for k, v in c.items() if k != "created_at"},
                  "cid": kept[c["procurement_id"]]} for c in contract_rows
                 if c["procurement_id"] in kept]
    if kept_rows:
        conn.execute(contracts.update().where(contracts.c.id == sa.bindparam("cid"))
                     .values({k: sa.bindparam(k) for k in kept_rows[0] if k != "cid"}), kept_rows)
    pids = [c["procurement_id"] for c in fresh]
    cids: dict[int, int] = dict(kept)
    for start in range(0, len(pids), 500):
        cids.update((pid, cid) for cid, pid in conn.execute(
            sa.select(contracts.c.id, contracts.c.procurement_id).where(
                contracts.c.procurement_id.in_(pids[start:start + 500]))))
    recorded = _keep_recorded_checkpoints(conn, list(kept.values()))
    # the criteria the kept contracts hold now, read at once: (contract, criterion) → row id
    held: dict[int, dict[str, int]] = {}
    kept_ids = list(kept.values())
    for start in range(0, len(kept_ids), 500):
        for row_id, cid, criterion_id in conn.execute(
                sa.select(contract_criteria.c.id, contract_criteria.c.contract_id,
                          contract_criteria.c.criterion_id).where(
                    contract_criteria.c.contract_id.in_(kept_ids[start:start + 500]))):
            held.setdefault(cid, {})[criterion_id] = row_id
    dropped: list[int] = []
    cc_rows, ms_rows = [], []
    for r, c in zip(signed, contract_rows):
        cid = cids[c["procurement_id"]]
        level = r.values["level"] or "bas"
        followed = []
        named = {criterion_id for criterion_id, _, _, _ in r.criteria}
        now = held.get(cid, {})
        dropped += [row_id for criterion_id, row_id in now.items() if criterion_id not in named]
        present = set(now) & named
        for criterion_id, version, kind, evidence in r.criteria:
            if criterion_id not in present:
                cc_rows.append({"contract_id": cid, "criterion_id": criterion_id,
                                "criterion_version": version, "kind": kind, "level": level,
                                "params": {}, "deduction_sek": None})
            title = cset.criteria[criterion_id].title.get_lang("sv")
            followed.append(Followed(criterion_id, version, kind, title, None, evidence))
        start, end = r.values["start"], r.values["end"]
        if followed and start and end:
            done = recorded.get(cid, set())
            ms_rows += [{"contract_id": cid, "criterion_id": p.criterion_id,
                         "criterion_version": p.version, "title": p.title, "type": "reporting",
                         "due_date": p.due, "status": "scheduled"}
                        for p in schedule(followed, start, end, c["risk_tier"], policy)
                        if (p.criterion_id, p.due) not in done]
    for start in range(0, len(dropped), 500):  # criteria a contract no longer has
        conn.execute(contract_criteria.delete().where(
            contract_criteria.c.id.in_(dropped[start:start + 500])))
    if cc_rows:
        conn.execute(contract_criteria.insert(), cc_rows)
    if ms_rows:
        conn.execute(milestones.insert(), ms_rows)
    return len(ms_rows)


def _keep_recorded_checkpoints(conn: sa.Connection, contract_ids: list[int]
                          ) -> dict[int, set[tuple[str, dt.date]]]:
    """Drop the untouched checkpoints of ``contract_ids`` (they are planned anew) and return
    (criterion, due date) of the ones that hold a follow-up, per contract: those stay."""
    untouched = sa.and_(milestones.c.status == "scheduled", milestones.c.date_met.is_(None),
                        milestones.c.last_reviewed.is_(None), milestones.c.evidence_ref.is_(None),
                        milestones.c.note.is_(None), milestones.c.recorded_by.is_(None))
    out: dict[int, set[tuple[str, dt.date]]] = {}
    for start in range(0, len(contract_ids), 500):
        chunk = contract_ids[start:start + 500]
        conn.execute(milestones.delete().where(milestones.c.contract_id.in_(chunk), untouched))
        for cid, criterion, due in conn.execute(
                sa.select(milestones.c.contract_id, milestones.c.criterion_id,
                          milestones.c.due_date).where(milestones.c.contract_id.in_(chunk))):
            out.setdefault(cid, set()).add((criterion, due))
    return out
