"""Registering a procurement from its spec, and its contract once awarded, with the plan.

One call is one transaction: the procurement, its criteria, the contract, the contract's
criteria, every checkpoint and the history rows are all written, or none is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from procure.errors import SpecError
from procure.i18n import tr
from procure.model import CriteriaSet, SelectedCriterion
from procure.register import audit
from procure.register.awarded import Award
from procure.register.db import Register
from procure.register.errors import DuplicateReferenceError, NotFoundError
from procure.register.plan import Followed, TierPolicy, schedule, tier_for
from procure.register.tables import (
    contract_criteria,
    contracts,
    milestones,
    procurement_criteria,
    procurements,
)
from procure.tender.notice import build_notice
from procure.tender.spec import ProcurementSpec

AWARD_METHODS = {"price_deduction": "ratedCriteria", "price_only": "priceOnly",
                 "quality_only": "qualityOnly"}


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def procurement_id(conn: sa.Connection, reference: str) -> int | None:
    return conn.execute(sa.select(procurements.c.id)
                        .where(procurements.c.reference == reference)).scalar()


def not_found(reference: str) -> NotFoundError:
    return NotFoundError(tr("no procurement {ref!r} in the register",
                            "ingen upphandling {ref!r} i registret", ref=reference),
                         hint=tr("see: procure register list", "se: procure register list"))


def duplicate(reference: str) -> DuplicateReferenceError:
    return DuplicateReferenceError(
        tr("the register already has a procurement {ref!r}",
           "registret har redan en upphandling {ref!r}", ref=reference),
        hint=tr("give another reference", "ange ett annat diarienummer"))


def contract_values(conn: sa.Connection, exclude: int | None = None) -> list[float | None]:
    """Every contract's value (for ranking a new contract into a risk tier)."""
    query = sa.select(contracts.c.value_sek)
    if exclude is not None:
        query = query.where(contracts.c.id != exclude)
    return list(conn.execute(query).scalars())


@dataclass
class Registered:
    """What :func:`register_spec` stored."""

    procurement_id: int
    contract_id: int | None
    tier: int | None
    checkpoints: int


def register_spec(register: Register, spec: ProcurementSpec, criteria_set: CriteriaSet,
                  selected: Sequence[SelectedCriterion], *, who: str,
                  award: Award | None = None, value_sek: float | None = None,
                  tier: int | None = None, policy: TierPolicy | None = None) -> Registered:
    """Store the procurement and, with ``award``, its contract and follow-up plan."""
    policy = policy or TierPolicy()
    notice = build_notice(spec, criteria_set, list(selected))
    at = audit.now()
    row = {
        "reference": spec.reference, "title": spec.title, "organisation": spec.organisation,
        "category": spec.category, "category_confidence": None, "level": spec.level,
        "criteria_set": criteria_set.ref, "cpv": (notice.cpv or [None])[0],
        "estimated_value_sek": spec.estimated_value_sek,
        "award_method": AWARD_METHODS.get(spec.award_method, spec.award_method),
        "has_climate_criteria": bool(selected),
        "gpp_criteria": ",".join(notice.gpp_criteria),
        "environmental_impact": ",".join(notice.environmental_impact) or None,
        "started": None, "status": "complete" if award else "active", "source": "spec",
        "created_at": at, "created_by": who,
    }
    with register.write() as conn:
        if procurement_id(conn, spec.reference) is not None:
            raise duplicate(spec.reference)
        pid = conn.execute(procurements.insert().values(**row)).inserted_primary_key[0]
        if selected:
            conn.execute(procurement_criteria.insert(), [
                {"procurement_id": pid, "criterion_id": s.id, "criterion_version":
                 s.criterion.version, "kind": s.kind, "level": s.level,
                 "params": dict(s.params)} for s in selected])
        audit.log(conn, who, "procurements", pid, "insert", row, at)
        if award is None:
            return Registered(pid, None, None, 0)
        value = value_sek if value_sek is not None else spec.estimated_value_sek
        start, end = _date(spec.contract_start), _date(spec.contract_end)
        if start is None or end is None:
            raise SpecError(tr("the contract period (contract_period start and end) is needed "
                               "to plan the follow-up", "avtalsperioden (contract_period start "
                               "och end) behövs för att planera uppföljningen"), file=spec.path)
        chosen_tier = tier or tier_for(value, contract_values(conn), policy)
        contract = {"procurement_id": pid, "supplier": award.supplier,
                    "supplier_org_number": award.org_number, "value_sek": value,
                    "signed": None, "period_start": start, "period_end": end,
                    "status": "active", "risk_tier": chosen_tier, "created_at": at}
        cid = conn.execute(contracts.insert().values(**contract)).inserted_primary_key[0]
        followed = []
        for s in selected:
            deduction = award.deductions.get(s.id)
            conn.execute(contract_criteria.insert().values(
                contract_id=cid, criterion_id=s.id, criterion_version=s.criterion.version,
                kind=s.kind, level=s.level, params=dict(s.params), deduction_sek=deduction))
            followed.append(Followed(s.id, s.criterion.version, s.kind,
                                     s.title.get_lang("sv"), deduction,
                                     s.answer.evidence_required))
        points = schedule(followed, start, end, chosen_tier, policy)
        if points:
            conn.execute(milestones.insert(), [
                {"contract_id": cid, "criterion_id": p.criterion_id,
                 "criterion_version": p.version, "title": p.title, "type": "reporting",
                 "due_date": p.due, "status": "scheduled"} for p in points])
        audit.log(conn, who, "contracts", cid, "insert",
                  {**contract, "checkpoints": len(points)}, at)
        return Registered(pid, cid, chosen_tier, len(points))


@dataclass
class PlanRow:
    milestone_id: int
    criterion_id: str
    version: int
    kind: str | None
    title: str
    due: dt.date
    status: str
    evidence_valid_until: dt.date | None


@dataclass
class Plan:
    reference: str
    title: str
    organisation: str
    supplier: str | None
    value_sek: float | None
    period: tuple[dt.date | None, dt.date | None]
    tier: int | None
    rows: list[PlanRow]

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "title": self.title,
                "organisation": self.organisation, "supplier": self.supplier,
                "value_sek": self.value_sek, "risk_tier": self.tier,
                "period": [d.isoformat() if d else None for d in self.period],
                "checkpoints": [{"id": r.milestone_id, "criterion": f"{r.criterion_id}:"
                                 f"{r.version}", "kind": r.kind, "title": r.title,
                                 "due": r.due.isoformat(), "status": r.status,
                                 "evidence_valid_until": r.evidence_valid_until.isoformat()
                                 if r.evidence_valid_until else None} for r in self.rows]}


def read_plan(register: Register, reference: str) -> Plan:
    """The procurement's contract and every checkpoint, by date."""
    with register.read() as conn:
        proc = conn.execute(sa.select(procurements)
                            .where(procurements.c.reference == reference)).mappings().first()
        if proc is None:
            raise not_found(reference)
        contract = conn.execute(sa.select(contracts).where(
            contracts.c.procurement_id == proc["id"]).order_by(contracts.c.id)
        ).mappings().first()
        rows: list[PlanRow] = []
        if contract is not None:
            kinds = dict(conn.execute(sa.select(contract_criteria.c.criterion_id,
                                                contract_criteria.c.kind).where(
                contract_criteria.c.contract_id == contract["id"])).all())
            query = (sa.select(milestones).where(milestones.c.contract_id == contract["id"])
                     .order_by(milestones.c.due_date, milestones.c.criterion_id))
            rows = [PlanRow(m["id"], m["criterion_id"], m["criterion_version"],
                            kinds.get(m["criterion_id"]), m["title"], m["due_date"],
                            m["status"], m["evidence_valid_until"])
                    for m in conn.execute(query).mappings()]
    return Plan(proc["reference"], proc["title"], proc["organisation"],
                contract["supplier"] if contract else None,
                contract["value_sek"] if contract else None,
                (contract["period_start"], contract["period_end"]) if contract else (None, None),
                contract["risk_tier"] if contract else None, rows)
