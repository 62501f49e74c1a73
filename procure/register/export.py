"""Reading the register out: a list, one procurement in full, flat tables, and OCDS.

The OCDS export is a release package (OCDS 1.1): one compiled release per procurement with the
tender (and the sustainability extension: ``hasSustainability``, ``sustainability[]`` with goal
and strategies by criterion kind), the award, the contract and its ``implementation`` —
``milestones`` (the follow-up checkpoints) and ``performanceFailures`` (deviations, after the
PPP extension). Another municipality's register, or OCP's tools, can read it without procure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from procure.register.db import Register
from procure.register.store import not_found
from procure.register.tables import (
    contract_criteria,
    contracts,
    milestones,
    performance_failures,
    procurement_criteria,
    procurements,
)
from procure.tender.notice import OCDS_GPP_STRATEGIES, OCDS_KIND_STRATEGIES

SUSTAINABILITY_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                            "ocds_sustainability_extension/master/extension.json")
PERFORMANCE_FAILURES_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                                  "ocds_performance_failures/master/extension.json")
CLIMATE_GOAL = "environmental.climateChangeMitigation"
TENDER_STATUS = {"planned": "planned", "active": "active", "complete": "complete",
                 "cancelled": "cancelled"}

FLAT_COLUMNS = ("reference", "title", "organisation", "category", "category_confidence",
                "level", "criteria_set", "cpv", "estimated_value_sek", "has_climate_criteria",
                "gpp_criteria", "environmental_impact", "status", "source", "supplier",
                "supplier_org_number", "contract_value_sek", "period_start", "period_end",
                "risk_tier", "criteria", "checkpoints", "checkpoints_met", "checkpoints_overdue",
                "deviations")


def _plain(row: Any) -> dict[str, Any]:
    return dict(row._mapping) if hasattr(row, "_mapping") else dict(row)


@dataclass
class Filter:
    """Which procurements: by organisation (exact) or reference list."""

    organisation: str | None = None
    references: tuple[str, ...] = ()


def load(register: Register, only: Filter | None = None) -> list[dict[str, Any]]:
    """Every procurement with its criteria, contracts, milestones and deviations (nested)."""
    only = only or Filter()
    query = sa.select(procurements).order_by(procurements.c.reference)
    if only.organisation:
        query = query.where(procurements.c.organisation == only.organisation)
    if only.references:
        query = query.where(procurements.c.reference.in_(only.references))
    with register.read() as conn:
        procs = [_plain(r) for r in conn.execute(query)]
        ids = [p["id"] for p in procs]
        criteria = defaultdict(list)
        found_contracts = defaultdict(list)
        by_contract: dict[str, defaultdict[int, list[dict[str, Any]]]] = {
            "criteria": defaultdict(list), "milestones": defaultdict(list),
            "failures": defaultdict(list)}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            for r in conn.execute(sa.select(procurement_criteria).where(
                    procurement_criteria.c.procurement_id.in_(chunk))):
                criteria[r.procurement_id].append(_plain(r))
            cids = []
            for r in conn.execute(sa.select(contracts).where(
                    contracts.c.procurement_id.in_(chunk)).order_by(contracts.c.id)):
                found_contracts[r.procurement_id].append(_plain(r))
                cids.append(r.id)
            for table, key, order in (
                    (contract_criteria, "criteria", contract_criteria.c.id),
                    (milestones, "milestones", milestones.c.due_date),
                    (performance_failures, "failures", performance_failures.c.id)):
                for cstart in range(0, len(cids), 900):
                    for r in conn.execute(sa.select(table).where(
                            table.c.contract_id.in_(cids[cstart:cstart + 900])).order_by(order)):
                        by_contract[key][r.contract_id].append(_plain(r))
    for p in procs:
        p["criteria"] = criteria[p["id"]]
        p["contracts"] = found_contracts[p["id"]]
        for c in p["contracts"]:
            c["criteria"] = by_contract["criteria"][c["id"]]
            c["milestones"] = by_contract["milestones"][c["id"]]
            c["failures"] = by_contract["failures"][c["id"]]
    return procs


def load_one(register: Register, reference: str) -> dict[str, Any]:
    found = load(register, Filter(references=(reference,)))
    if not found:
        raise not_found(reference)
    return found[0]


def flat_rows(records: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """One row per procurement (its first contract), for CSV and Excel."""
    rows = []
    for p in records:
        c = p["contracts"][0] if p["contracts"] else {}
        ms = c.get("milestones", [])
        rows.append({
            **{k: p.get(k) for k in FLAT_COLUMNS[:14]},
            "supplier": c.get("supplier"), "supplier_org_number": c.get("supplier_org_number"),
            "contract_value_sek": c.get("value_sek"), "period_start": c.get("period_start"),
            "period_end": c.get("period_end"), "risk_tier": c.get("risk_tier"),
            "criteria": ", ".join(f"{x['criterion_id']}:{x['criterion_version']}"
                                  for x in p["criteria"]),
            "checkpoints": len(ms),
            "checkpoints_met": sum(1 for m in ms if m["status"] == "met"),
            "checkpoints_overdue": sum(1 for m in ms if m["status"] == "scheduled"
                                       and m["due_date"] < today),
            "deviations": len(c.get("failures", [])),
        })
    return rows


def _moment(day: dt.date | dt.datetime | None, end: bool = False) -> str | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        return day.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}Z"


def _sek(amount: float | None) -> dict[str, Any] | None:
    return None if amount is None else {"amount": amount, "currency": "SEK"}


def _party_id(name: str, org_number: str | None) -> str:
    return f"SE-ORG-{org_number}" if org_number else f"procure-{name}"


def _sustainability(p: dict[str, Any]) -> list[dict[str, Any]]:
    strategies = {OCDS_KIND_STRATEGIES[c["kind"]] for c in p["criteria"]
                  if c["kind"] in OCDS_KIND_STRATEGIES}
    for code in (p.get("gpp_criteria") or "").split(","):
        if code in OCDS_GPP_STRATEGIES:
            strategies.add(OCDS_GPP_STRATEGIES[code])
    if not p["has_climate_criteria"]:
        return []
    item: dict[str, Any] = {"goal": CLIMATE_GOAL}
    if strategies:
        item["strategies"] = sorted(strategies)
    description = ", ".join(filter(None, [p.get("criteria_set"), p.get("level")]))
    if description:
        item["description"] = description
    return [item]


def release(p: dict[str, Any], prefix: str) -> dict[str, Any]:
    """One OCDS 1.1 compiled release for a procurement."""
    buyer_id = _party_id(p["organisation"], None)
    parties = [{"id": buyer_id, "name": p["organisation"], "roles": ["buyer"]}]
    tender: dict[str, Any] = {
        "id": p["reference"], "title": p["title"],
        "status": TENDER_STATUS.get(p["status"], "active"),
        "hasSustainability": bool(p["has_climate_criteria"]),
    }
    if p.get("estimated_value_sek") is not None:
        tender["value"] = _sek(p["estimated_value_sek"])
    if p.get("cpv"):
        tender["classification"] = {"scheme": "CPV", "id": p["cpv"]}
    if p.get("award_method"):
        tender["awardCriteria"] = p["award_method"]
    sustainability = _sustainability(p)
    if sustainability:
        tender["sustainability"] = sustainability
    awards, ocds_contracts = [], []
    tags = ["tender"]
    for n, c in enumerate(p["contracts"], start=1):
        supplier = {"id": _party_id(c["supplier"], c["supplier_org_number"]),
                    "name": c["supplier"]}
        if all(x["id"] != supplier["id"] for x in parties):
            party = {**supplier, "roles": ["supplier"]}
            if c["supplier_org_number"]:
                party["identifier"] = {"scheme": "SE-ORG", "id": c["supplier_org_number"]}
            parties.append(party)
        award_id = f"{p['reference']}-award-{n}"
        awards.append({"id": award_id, "status": "active", "suppliers": [supplier],
                       **({"value": _sek(c["value_sek"])} if c["value_sek"] is not None
                          else {})})
        contract: dict[str, Any] = {"id": f"{p['reference']}-contract-{n}", "awardID": award_id,
                                    "title": p["title"], "status": c["status"]
                                    if c["status"] in ("pending", "active", "cancelled",
                                                       "terminated") else "active"}
        if c["value_sek"] is not None:
            contract["value"] = _sek(c["value_sek"])
        if c["period_start"] or c["period_end"]:
            contract["period"] = {k: v for k, v in (
                ("startDate", _moment(c["period_start"])),
                ("endDate", _moment(c["period_end"], end=True))) if v}
        if c["signed"]:
            contract["dateSigned"] = _moment(c["signed"])
        implementation: dict[str, Any] = {}
        if c["milestones"]:
            implementation["milestones"] = [{
                "id": str(m["id"]), "title": m["title"], "type": m["type"],
                "code": f"{m['criterion_id']}:{m['criterion_version']}",
                "dueDate": _moment(m["due_date"]), "status": m["status"],
                **({"dateMet": _moment(m["date_met"])} if m["date_met"] else {}),
                **({"dateModified": _moment(m["last_reviewed"])} if m["last_reviewed"] else {}),
                **({"description": m["note"]} if m["note"] else {}),
                **({"documents": [{"id": f"{m['id']}-evidence", "title": m["evidence_ref"],
                                   "documentType": "contractAnnexe"}]}
                   if m["evidence_ref"] else {}),
            } for m in c["milestones"]]
        if c["failures"]:
            implementation["performanceFailures"] = [{
                "id": str(f["id"]), "category": f"{f['criterion_id']}: {f['category']}",
                "events": f["events"],
                **({"period": {k: v for k, v in (
                    ("startDate", _moment(f["period_start"])),
                    ("endDate", _moment(f["period_end"], end=True))) if v}}
                   if f["period_start"] or f["period_end"] else {}),
                **({"penaltyContracted": f["sanction_agreed"]} if f["sanction_agreed"] else {}),
                **({"penaltyImposed": f"{f['sanction_imposed_sek']:.0f} SEK"}
                   if f["sanction_imposed_sek"] is not None else {}),
            } for f in c["failures"]]
        if implementation:
            contract["implementation"] = implementation
        ocds_contracts.append(contract)
    if awards:
        tags += ["award", "contract"]
    if any(c.get("implementation") for c in ocds_contracts):
        tags.append("implementation")
    out: dict[str, Any] = {
        "ocid": f"{prefix}-{p['reference']}",
        "id": f"{p['reference']}-{p['created_at']:%Y%m%dT%H%M%S}",
        "date": _moment(p["created_at"]), "tag": tags, "initiationType": "tender",
        "parties": parties, "buyer": {"id": buyer_id, "name": p["organisation"]},
        "tender": tender,
    }
    if awards:
        out["awards"] = awards
        out["contracts"] = ocds_contracts
    return out


def ocds_package(records: list[dict[str, Any]], *, prefix: str, publisher: str,
                 published: dt.datetime, uri: str) -> dict[str, Any]:
    """An OCDS 1.1 release package of every procurement."""
    return {
        "uri": uri, "version": "1.1",
        "extensions": [SUSTAINABILITY_EXTENSION, PERFORMANCE_FAILURES_EXTENSION],
        "publishedDate": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "publisher": {"name": publisher},
        "releases": [release(p, prefix) for p in records],
    }
