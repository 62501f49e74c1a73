"""Recording follow-up and finding what is due.

``due`` answers the buyer's Monday question: which checkpoints are overdue, which come within N
days, and whose evidence (a licence, a certificate) has lapsed or lapses soon. Lapsed evidence is
kept apart from evidence that lapses soon: the first is a breach to act on, the second a letter
to send. Reminder steps are 30, 7 and 0 days before a date.

``record``, ``deviation`` and ``resolve`` change the register; each writes its history row in
the same transaction. An open corrective action shows in ``due`` by its due date until it is
resolved as done or not done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from procure.i18n import tr
from procure.register import audit
from procure.register.db import Register
from procure.register.errors import DeviationError, NotFoundError
from procure.register.store import not_found
from procure.register.tables import (
    contract_criteria,
    contracts,
    milestones,
    performance_failures,
    procurements,
)

STATUSES = ("met", "notMet", "partiallyMet")
REMINDER_STEPS = (30, 7, 0)
STATES = ("overdue", "due", "action_overdue", "action_due", "evidence_expired",
          "evidence_expiring")
OUTCOMES = ("done", "not_done")
# how a state and a checkpoint status read, in the command line and the browser alike
STATE_LABELS = {
    "overdue": tr("overdue", "försenad"),
    "due": tr("due", "att göra"),
    "action_overdue": tr("action overdue", "åtgärd försenad"),
    "action_due": tr("action due", "åtgärd att följa upp"),
    "evidence_expired": tr("evidence expired", "bevis har gått ut"),
    "evidence_expiring": tr("evidence expires", "bevis går ut"),
}
STATUS_LABELS = {
    "scheduled": tr("scheduled", "planerad"), "met": tr("met", "uppfyllt"),
    "notMet": tr("not met", "ej uppfyllt"), "partiallyMet": tr("partly met", "delvis uppfyllt"),
}
OUTCOME_LABELS = {"open": tr("open", "öppen"), "done": tr("done", "genomförd"),
                  "not_done": tr("not done", "ej genomförd")}


def reminder_step(days_left: int) -> int | None:
    """The reminder a date has reached: 0 (today or past), 7 or 30 days; None if further off."""
    for step in reversed(REMINDER_STEPS):
        if days_left <= step:
            return step
    return None


@dataclass
class DueItem:
    state: str  # one of STATES
    reference: str
    organisation: str
    supplier: str
    criterion_id: str
    title: str
    date: dt.date
    days_left: int
    tier: int | None
    milestone_id: int | None
    deviation_id: int | None = None  # for a corrective action

    @property
    def reminder(self) -> int | None:
        return reminder_step(self.days_left)

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "reference": self.reference,
                "organisation": self.organisation, "supplier": self.supplier,
                "criterion": self.criterion_id, "title": self.title,
                "date": self.date.isoformat(), "days_left": self.days_left,
                "reminder_days": self.reminder, "risk_tier": self.tier,
                "milestone_id": self.milestone_id, "deviation_id": self.deviation_id}


def _base() -> sa.Select:
    return (sa.select(milestones.c.id, milestones.c.criterion_id, milestones.c.title,
                      milestones.c.due_date, milestones.c.evidence_valid_until,
                      procurements.c.reference, procurements.c.organisation,
                      contracts.c.supplier, contracts.c.risk_tier)
            .join(contracts, contracts.c.id == milestones.c.contract_id)
            .join(procurements, procurements.c.id == contracts.c.procurement_id)
            .where(contracts.c.status == "active"))


def due(register: Register, today: dt.date, within: int = 30) -> list[DueItem]:
    """Overdue and coming checkpoints, lapsed and lapsing evidence, most urgent first."""
    horizon = today + dt.timedelta(days=within)
    items: list[DueItem] = []

    def add(state: str, row: Any, date: dt.date) -> None:
        items.append(DueItem(state, row.reference, row.organisation, row.supplier,
                             row.criterion_id, row.title, date, (date - today).days,
                             row.risk_tier, row.id))

    with register.read() as conn:
        query = _base().where(milestones.c.status == "scheduled",
                              milestones.c.due_date <= horizon)
        for row in conn.execute(query):
            add("overdue" if row.due_date < today else "due", row, row.due_date)
        # only the newest evidence per contract and criterion counts: a renewed one replaces it
        newest = (sa.select(milestones.c.contract_id, milestones.c.criterion_id,
                            sa.func.max(milestones.c.evidence_valid_until).label("until"))
                  .where(milestones.c.evidence_valid_until.is_not(None))
                  .group_by(milestones.c.contract_id, milestones.c.criterion_id)
                  .subquery())
        query = _base().join(newest, sa.and_(
            newest.c.contract_id == milestones.c.contract_id,
            newest.c.criterion_id == milestones.c.criterion_id,
            newest.c.until == milestones.c.evidence_valid_until)).where(
            milestones.c.evidence_valid_until <= horizon)
        seen: set[tuple[str, str]] = set()
        for row in conn.execute(query.order_by(milestones.c.id.desc())):
            if (row.reference, row.criterion_id) in seen:
                continue
            seen.add((row.reference, row.criterion_id))
            state = "evidence_expired" if row.evidence_valid_until < today \
                else "evidence_expiring"
            add(state, row, row.evidence_valid_until)
        pf = performance_failures
        query = (sa.select(pf.c.id, pf.c.criterion_id, pf.c.corrective_action, pf.c.corrective_due,
                           procurements.c.reference, procurements.c.organisation,
                           contracts.c.supplier, contracts.c.risk_tier)
                 .join(contracts, contracts.c.id == pf.c.contract_id)
                 .join(procurements, procurements.c.id == contracts.c.procurement_id)
                 .where(contracts.c.status == "active", pf.c.corrective_due <= horizon,
                        sa.func.coalesce(pf.c.corrective_outcome, "open") == "open",
                        pf.c.corrective_action.is_not(None)))
        for row in conn.execute(query):
            date = row.corrective_due
            items.append(DueItem("action_overdue" if date < today else "action_due",
                                 row.reference, row.organisation, row.supplier, row.criterion_id,
                                 row.corrective_action, date, (date - today).days, row.risk_tier,
                                 None, row.id))
    order = {s: n for n, s in enumerate(STATES)}
    return sorted(items, key=lambda i: (order[i.state], i.date, i.reference, i.criterion_id))


def _contract(conn: sa.Connection, reference: str) -> sa.Row:
    row = conn.execute(sa.select(contracts.c.id, contracts.c.supplier)
                       .join(procurements, procurements.c.id == contracts.c.procurement_id)
                       .where(procurements.c.reference == reference)
                       .order_by(contracts.c.id)).first()
    if row is None:
        if conn.execute(sa.select(procurements.c.id)
                        .where(procurements.c.reference == reference)).first() is None:
            raise not_found(reference)
        raise NotFoundError(tr("{ref!r} has no contract yet", "{ref!r} har inget avtal än",
                               ref=reference),
                            hint=tr("register the winner: procure register add SPEC --results "
                                    "FILE --winner NAME", "registrera vinnaren: procure register"
                                    " add SPEC --results FIL --winner NAMN"))
    return row


def _criterion(conn: sa.Connection, contract_id: int, reference: str, criterion: str
               ) -> tuple[str, int]:
    criterion = criterion.split(":", 1)[0].strip()  # ID:version is accepted too
    rows = dict(conn.execute(sa.select(contract_criteria.c.criterion_id,
                                       contract_criteria.c.criterion_version)
                             .where(contract_criteria.c.contract_id == contract_id)).all())
    if criterion not in rows:
        raise NotFoundError(tr("the contract of {ref!r} has no criterion {id!r}; it has: {ids}",
                               "avtalet för {ref!r} har inget kriterium {id!r}; det har: {ids}",
                               ref=reference, id=criterion, ids=", ".join(sorted(rows)) or "–"))
    return criterion, rows[criterion]


def record(register: Register, reference: str, criterion: str, status: str, *, who: str,
           on: dt.date, evidence: str | None = None, valid_until: dt.date | None = None,
           note: str | None = None) -> int:
    """Record a checkpoint's outcome on the next open checkpoint of that criterion (an extra
    checkpoint dated ``on`` when none is left); returns the milestone id."""
    if status not in STATUSES:
        raise ValueError(status)
    with register.write() as conn:
        contract = _contract(conn, reference)
        criterion, version = _criterion(conn, contract.id, reference, criterion)
        open_row = conn.execute(
            sa.select(milestones).where(milestones.c.contract_id == contract.id,
                                        milestones.c.criterion_id == criterion,
                                        milestones.c.status == "scheduled")
            .order_by(milestones.c.due_date).limit(1)).mappings().first()
        change = {"status": status, "date_met": on if status == "met" else None,
                  "last_reviewed": on, "evidence_ref": evidence,
                  "evidence_valid_until": valid_until, "note": note, "recorded_by": who}
        if open_row is None:
            title = conn.execute(sa.select(milestones.c.title).where(
                milestones.c.contract_id == contract.id,
                milestones.c.criterion_id == criterion)).scalar() or criterion
            mid = conn.execute(milestones.insert().values(
                contract_id=contract.id, criterion_id=criterion, criterion_version=version,
                title=title, type="reporting", due_date=on, **change)).inserted_primary_key[0]
            audit.log(conn, who, "milestones", mid, "insert", {"reference": reference,
                                                               "criterion": criterion, **change})
            return mid
        conn.execute(milestones.update().where(milestones.c.id == open_row["id"]).values(**change))
        before = {k: open_row[k] for k in change}
        audit.log(conn, who, "milestones", open_row["id"], "update",
                  {"reference": reference, "criterion": criterion, "before": before,
                   "after": change})
        return open_row["id"]


@dataclass
class Deviation:
    category: str
    description: str | None = None
    events: int = 1
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    sanction_agreed: str | None = None
    sanction_imposed_sek: float | None = None
    corrective_action: str | None = None
    corrective_due: dt.date | None = None


CATEGORY_LIMIT: int = performance_failures.c.category.type.length  # the column's width


def check_deviation(found: Deviation) -> None:
    """Refuse a deviation that cannot be followed up as written: no kind, a kind longer than
    the register keeps, a period ending before it begins, an action with no due date (it would
    never come up as due) or a due date with no action."""
    category = (found.category or "").strip()
    problem = None
    if not category:
        problem = tr("say what kind of deviation it is (e.g. 'fel drivmedel')",
                     "ange vilken sorts avvikelse det är (t.ex. 'fel drivmedel')")
    elif len(category) > CATEGORY_LIMIT:
        problem = tr("the kind of deviation is {n} characters; at most {limit} (put the rest in "
                     "the description)", "typen av avvikelse är {n} tecken; högst {limit} "
                     "(skriv resten i beskrivningen)", n=len(category), limit=CATEGORY_LIMIT)
    elif found.period_start and found.period_end and found.period_end < found.period_start:
        problem = tr("the period ends ({end}) before it begins ({start})",
                     "perioden slutar ({end}) före den börjar ({start})",
                     end=found.period_end.isoformat(), start=found.period_start.isoformat())
    elif (found.corrective_action or "").strip() and found.corrective_due is None:
        problem = tr("the corrective action needs a due date, or it never comes up as due",
                     "åtgärden behöver ett datum då den ska vara genomförd, annars kommer den "
                     "aldrig upp som att göra")
    elif found.corrective_due is not None and not (found.corrective_action or "").strip():
        problem = tr("a due date ({due}) but no corrective action",
                     "ett datum ({due}) men ingen åtgärd", due=found.corrective_due.isoformat())
    if problem is not None:
        raise DeviationError(problem)


def deviation(register: Register, reference: str, criterion: str, found: Deviation, *,
              who: str) -> int:
    """Record a performance failure (OCDS performanceFailures) and its corrective action
    (checked first, see :func:`check_deviation`)."""
    check_deviation(found)
    with register.write() as conn:
        contract = _contract(conn, reference)
        criterion, _ = _criterion(conn, contract.id, reference, criterion)
        milestone = conn.execute(
            sa.select(milestones.c.id).where(milestones.c.contract_id == contract.id,
                                             milestones.c.criterion_id == criterion,
                                             milestones.c.status != "scheduled")
            .order_by(milestones.c.last_reviewed.desc(), milestones.c.id.desc()).limit(1)
        ).scalar()
        row = {"contract_id": contract.id, "criterion_id": criterion, "milestone_id": milestone,
               "period_start": found.period_start, "period_end": found.period_end,
               "category": found.category, "events": found.events,
               "description": found.description, "sanction_agreed": found.sanction_agreed,
               "sanction_imposed_sek": found.sanction_imposed_sek,
               "corrective_action": found.corrective_action,
               "corrective_due": found.corrective_due,
               "corrective_outcome": "open" if found.corrective_action else None,
               "recorded_at": audit.now(), "recorded_by": who}
        fid = conn.execute(performance_failures.insert().values(**row)).inserted_primary_key[0]
        audit.log(conn, who, "performance_failures", fid, "insert",
                  {"reference": reference, **row})
        return fid


def resolve(register: Register, deviation_id: int, outcome: str, *, who: str,
            on: dt.date, note: str | None = None,
            sanction_imposed_sek: float | None = None) -> dict[str, Any]:
    """Close a deviation's corrective action as ``done`` or ``not_done`` (and record a sanction
    decided since); returns the deviation as it now stands. The change, its date and ``note``
    are kept in the history with what they replaced."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    pf = performance_failures
    with register.write() as conn:
        row = conn.execute(sa.select(pf, procurements.c.reference)
                           .join(contracts, contracts.c.id == pf.c.contract_id)
                           .join(procurements, procurements.c.id == contracts.c.procurement_id)
                           .where(pf.c.id == deviation_id)).mappings().first()
        if row is None:
            raise NotFoundError(tr("the register has no deviation {id}",
                                   "registret har ingen avvikelse {id}", id=deviation_id),
                                hint=tr("see the deviations of a procurement: procure register "
                                        "show REF", "se en upphandlings avvikelser: procure "
                                        "register show REF"))
        if not (row["corrective_action"] or "").strip():
            raise NotFoundError(tr("deviation {id} has no corrective action to resolve",
                                   "avvikelse {id} har ingen åtgärd att avsluta", id=deviation_id),
                                hint=tr("record the action with the deviation (--action)",
                                        "registrera åtgärden med avvikelsen (--action)"))
        if row["corrective_outcome"] == outcome and sanction_imposed_sek is None:
            raise DeviationError(tr(
                "the corrective action of deviation {id} is already closed as {outcome}",
                "åtgärden för avvikelse {id} är redan avslutad som {outcome}", id=deviation_id,
                outcome=OUTCOME_LABELS[outcome]))
        change: dict[str, Any] = {"corrective_outcome": outcome}
        if sanction_imposed_sek is not None:
            change["sanction_imposed_sek"] = sanction_imposed_sek
        conn.execute(pf.update().where(pf.c.id == deviation_id).values(**change))
        before = {k: row[k] for k in change}
        audit.log(conn, who, "performance_failures", deviation_id, "update",
                  {"reference": row["reference"], "criterion": row["criterion_id"],
                   "on": on.isoformat(), "note": note, "before": before, "after": change})
        return {**dict(row), **change}
