"""A small municipal group's register, small enough that every report figure is computed by hand.

Three organisations, eight procurements over 2025 and 2026, eight contracts, eleven checkpoints,
four deviations and fourteen spend lines. The expected figures live in the tests
(tests/test_indicators.py), each with the reasoning that gives it; this module only writes rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from procure.register import db
from procure.register import tables as t

BUF = "Barn- och utbildningsförvaltningen"
KF = "Kommunfastigheter AB"
TF = "Tekniska förvaltningen"
D = dt.date
NOW = dt.datetime(2026, 12, 1, 9, 0)


def _procurement(pid, org, category, level, climate, gpp, impact, value, started, status="active"):
    return {"id": pid, "reference": f"KS-2026-{pid:03d}", "title": f"Upphandling {pid}",
                "organisation": org, "category": category, "level": level, "has_climate_criteria": climate,
                "gpp_criteria": gpp, "environmental_impact": impact, "estimated_value_sek": value,
                "started": started, "status": status, "source": "spec", "created_at": NOW}


PROCUREMENTS = [
    _procurement(1, BUF, "food", "avancerad", True, "national", "other", 1_000_000, D(2026, 2, 1)),
    _procurement(2, BUF, "transport.school", "bas", True, "eu", "clim-mitig, other", 3_000_000,
                 D(2026, 3, 15)),
    _procurement(3, KF, "construction", "spjutspets", True, "national", None, 6_000_000,
                 D(2026, 5, 1)),
    _procurement(4, KF, "construction", None, False, "none", None, None, D(2026, 6, 1)),
    _procurement(5, TF, "food", None, False, None, "", 500_000, D(2026, 7, 1)),
    _procurement(6, TF, "transport.school", "bas", True, "eu", "other", 9_999, D(2026, 8, 1),
                 status="cancelled"),
    _procurement(7, BUF, "food", "bas", True, "national", "other", 2_000_000, D(2025, 4, 1)),
    _procurement(8, TF, "cleaning", None, False, "none", None, 1_000_000, D(2025, 9, 1)),
]

# (procurement, criterion, kind, level)
PROCUREMENT_CRITERIA = [
    (1, "FOOD-1", "technical_spec", "avancerad"), (1, "FOOD-2", "technical_spec", "avancerad"),
    (1, "FOOD-AW", "award", "avancerad"),
    (2, "TRANS-Q", "qualification", "bas"), (2, "TRANS-1", "contract_clause", "bas"),
    (3, "BYGG-TS", "technical_spec", "spjutspets"), (3, "BYGG-1", "contract_clause", "spjutspets"),
    (6, "TRANS-Q", "qualification", "bas"),
    (7, "FOOD-1", "technical_spec", "bas"),
]


def _contract(cid, pid, supplier, number, value, signed, start, end, status, tier):
    return {"id": cid, "procurement_id": pid, "supplier": supplier, "supplier_org_number": number,
                "value_sek": value, "signed": signed, "period_start": start, "period_end": end,
                "status": status, "risk_tier": tier, "created_at": NOW}


CONTRACTS = [
    _contract(1, 1, "Matgrossisten AB", "556000-0001", 900_000, D(2026, 3, 1), D(2026, 4, 1),
              D(2028, 3, 31), "active", 2),
    _contract(2, 2, "Skolbuss i Norr AB", "556000-0002", 2_800_000, D(2026, 5, 1),
              D(2026, 8, 1), D(2029, 7, 31), "active", 1),
    _contract(3, 3, "Byggbolaget AB", None, 5_500_000, D(2026, 9, 1), D(2026, 9, 15),
              D(2027, 12, 31), "active", 1),
    _contract(4, 4, "Bygg & Co", "556000-0004", 400_000, D(2026, 7, 1), D(2026, 7, 1),
              D(2026, 12, 31), "active", 3),
    _contract(5, 7, "Matgrossisten AB", "556000-0001", 1_800_000, D(2025, 6, 1), D(2025, 7, 1),
              D(2026, 6, 30), "active", 2),
    _contract(6, 8, "Städ AB", "556000-0006", 700_000, D(2025, 10, 1), D(2025, 11, 1),
              D(2027, 10, 31), "active", 3),
    _contract(7, 5, "Lokalmat AB", "556000-0009", None, D(2026, 10, 1), None, None,
              "cancelled", None),
    _contract(8, 1, "Reservmat AB", "556000-0008", 100_000, D(2026, 11, 1), D(2027, 1, 1),
              D(2027, 12, 31), "active", 3),
]

# (contract, criterion, kind, level, deduction)
CONTRACT_CRITERIA = [
    (1, "FOOD-1", "technical_spec", "avancerad", None),
    (1, "FOOD-AW", "award", "avancerad", 50_000),
    (2, "TRANS-1", "contract_clause", "bas", None),
    (5, "FOOD-1", "technical_spec", "bas", None),
    (8, "FOOD-1", "technical_spec", "avancerad", None),
]


def _milestone(mid, cid, criterion, due, status, date_met=None, reviewed=None, valid=None):
    return {"id": mid, "contract_id": cid, "criterion_id": criterion, "title": f"Kontroll {mid}",
                "due_date": due, "status": status, "date_met": date_met, "last_reviewed": reviewed,
                "evidence_valid_until": valid}


MILESTONES = [
    _milestone(1, 1, "FOOD-1", D(2026, 6, 30), "met", D(2026, 6, 20), D(2026, 6, 21),
               D(2027, 6, 1)),
    _milestone(2, 1, "FOOD-2", D(2026, 12, 31), "scheduled"),
    _milestone(3, 2, "TRANS-1", D(2026, 10, 1), "notMet", None, D(2026, 10, 5), D(2026, 12, 1)),
    _milestone(4, 2, "TRANS-1", D(2026, 11, 15), "scheduled"),
    _milestone(5, 3, "BYGG-1", D(2026, 11, 30), "scheduled", valid=D(2027, 1, 20)),
    _milestone(6, 5, "FOOD-3", D(2026, 3, 31), "partiallyMet", valid=D(2026, 5, 1)),
    _milestone(7, 5, "FOOD-3", D(2025, 9, 30), "met", D(2025, 9, 28), D(2025, 10, 1)),
    _milestone(8, 6, "CLEAN-1", D(2026, 2, 1), "scheduled"),
    _milestone(10, 1, "FOOD-1", D(2026, 4, 30), "met", D(2026, 4, 29), D(2026, 5, 2),
               D(2026, 5, 31)),
    _milestone(11, 2, "TRANS-2", D(2026, 12, 1), "scheduled"),
]


def _failure(fid, cid, criterion, start, recorded, events, sanction, action, outcome):
    return {"id": fid, "contract_id": cid, "criterion_id": criterion, "period_start": start,
                "category": "avvikelse", "events": events, "sanction_imposed_sek": sanction,
                "corrective_action": action, "corrective_outcome": outcome, "recorded_at": recorded}


FAILURES = [
    _failure(1, 2, "TRANS-1", D(2026, 9, 1), dt.datetime(2026, 10, 6), 2, 25_000,
             "Byt till HVO", "done"),
    _failure(2, 1, "FOOD-2", None, dt.datetime(2026, 11, 10, 12, 0), 1, None,
             "Ny leverantör av kyckling", None),
    _failure(3, 3, "BYGG-1", None, dt.datetime(2026, 12, 31, 15, 30), 1, 0, None, None),
    _failure(4, 5, "FOOD-3", D(2025, 11, 1), dt.datetime(2026, 1, 10), 3, 10_000, "x",
             "not_done"),
]


def _spend(sid, year, org, supplier, number, category, amount):
    return {"id": sid, "year": year, "organisation": org, "supplier": supplier,
                "supplier_org_number": number, "text": f"Faktura {sid}", "amount_sek": amount,
                "category": category}


SPEND = [
    _spend(1, 2026, BUF, "Matgrossisten AB", "556000-0001", "food", 400_000),
    _spend(2, 2026, BUF, "Matgrossisten AB", "556000-0001", "food", 100_000),
    _spend(3, 2026, TF, "Lokalmat AB", "556000-0009", "food", 300_000),
    _spend(4, 2026, KF, "BYGGBOLAGET AB ", None, "construction", 2_000_000),
    _spend(5, 2026, KF, "Bygg & Co", "556000-0004", "construction", 500_000),
    _spend(6, 2026, TF, "Städ AB", "556000-0006", "cleaning", 800_000),
    _spend(7, 2026, TF, "Fönsterputs AB", None, "cleaning", 200_000),
    _spend(8, 2026, BUF, "IT-Konsult AB", "556000-0010", "it", 600_000),
    _spend(9, 2026, TF, "Okänd leverantör AB", "556000-0011", None, 150_000),
    _spend(10, 2026, TF, "Okänd leverantör AB", "556000-0011", None, 50_000),
    _spend(11, 2026, BUF, "Kiosken", None, None, 20_000),
    _spend(12, 2026, BUF, "Skolbuss i Norr AB", "556000-0002", "transport.school", 1_000_000),
    _spend(13, 2025, BUF, "Matgrossisten AB", "556000-0001", "food", 700_000),
    _spend(14, 2025, TF, "Städ AB", "556000-0006", "cleaning", 600_000),
]


def fill(conn: sa.Connection) -> None:
    """Write the fixture's rows into an empty register."""
    conn.execute(sa.insert(t.procurements), PROCUREMENTS)
    conn.execute(sa.insert(t.procurement_criteria), [
        {"procurement_id": p, "criterion_id": c, "criterion_version": 1, "kind": k, "level": lv, "params": {}}
        for p, c, k, lv in PROCUREMENT_CRITERIA])
    conn.execute(sa.insert(t.contracts), CONTRACTS)
    conn.execute(sa.insert(t.contract_criteria), [
        {"contract_id": c, "criterion_id": cr, "criterion_version": 1, "kind": k, "level": lv, "params": {},
             "deduction_sek": d} for c, cr, k, lv, d in CONTRACT_CRITERIA])
    conn.execute(sa.insert(t.milestones), MILESTONES)
    conn.execute(sa.insert(t.performance_failures), FAILURES)
    conn.execute(sa.insert(t.spend_lines), SPEND)


def build_register(target: Path | str) -> sa.Engine:
    """A register at ``target`` (SQLite path or database URL) holding the fixture."""
    register, _, _ = db.init(target)
    with register.write() as conn:
        fill(conn)
    return register.engine
