"""Registering the example procurement, its plan, and recording follow-up (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from procure.register import followup, store
from procure.register.errors import DuplicateReferenceError, NotFoundError
from procure.register.tables import history, milestones, performance_failures

from .registerkit import REFERENCE, WINNER, register_example


@pytest.fixture
def reg(db_url):
    register, done = register_example(db_url)
    assert done.contract_id is not None
    yield register
    register.close()


def test_plan_has_clauses_paid_awards_and_documented_specs(reg):
    plan = store.read_plan(reg, REFERENCE)
    assert plan.supplier == WINNER
    assert plan.tier == 1  # the only contract: the largest
    followed = {r.criterion_id: r.kind for r in plan.rows}
    assert followed["TRN-FUEL-01"] == "contract_clause"
    assert followed["TRN-ZEV-01"] == "award"  # deduction 4.95 MSEK
    assert "TRN-QUAL-01" not in followed  # qualification: checked before award
    assert "GEN-EMS-01" not in followed
    assert {r.due for r in plan.rows} >= {dt.date(2027, 11, 1), dt.date(2031, 3, 1)}
    assert all(r.status == "scheduled" for r in plan.rows)
    assert len(plan.rows) == 11 * len(followed)


def test_the_same_reference_is_never_registered_twice(reg):
    from procure.tender.spec import load_spec, resolve

    from .conftest import EXAMPLES

    spec = load_spec(EXAMPLES / "spec.yaml")
    cset, selected = resolve(spec)
    with pytest.raises(DuplicateReferenceError, match="already has"):
        store.register_spec(reg, spec, cset, selected, who="x")
    with reg.read() as conn:
        assert conn.execute(sa.text("select count(*) from procurements")).scalar() == 1


def test_due_overdue_and_evidence_apart(reg):
    today = dt.date(2027, 10, 20)
    items = followup.due(reg, today, within=30)
    assert {i.state for i in items} == {"due"}
    assert all(i.reminder == 30 for i in items)
    followup.record(reg, REFERENCE, "TRN-FUEL-01", "met", who="anna", on=dt.date(2027, 10, 25),
                    evidence="Drivmedelsrapport", valid_until=dt.date(2027, 12, 1))
    followup.record(reg, REFERENCE, "GEN-REPORT-01:1", "partiallyMet", who="anna",
                    on=dt.date(2027, 10, 25), evidence="Klimatredovisning",
                    valid_until=dt.date(2027, 11, 15))
    items = followup.due(reg, dt.date(2027, 11, 20), within=14)
    states = {(i.state, i.criterion_id) for i in items}
    assert ("evidence_expired", "GEN-REPORT-01") in states
    assert ("evidence_expiring", "TRN-FUEL-01") in states
    assert ("overdue", "TRN-ZEV-01") in states
    assert ("overdue", "TRN-FUEL-01") not in states  # recorded
    expiring = next(i for i in items if i.state == "evidence_expiring")
    assert expiring.days_left == 11
    assert expiring.reminder == 30
    order = [i.state for i in items]
    assert order == sorted(order, key=followup.STATES.index)


def test_renewed_evidence_replaces_the_lapsed_one(reg):
    followup.record(reg, REFERENCE, "TRN-FUEL-01", "met", who="a", on=dt.date(2027, 10, 1),
                    evidence="2027", valid_until=dt.date(2027, 12, 1))
    followup.record(reg, REFERENCE, "TRN-FUEL-01", "met", who="a", on=dt.date(2028, 2, 1),
                    evidence="2028", valid_until=dt.date(2028, 12, 1))
    items = followup.due(reg, dt.date(2028, 2, 2), within=7)
    assert not [i for i in items if i.state.startswith("evidence")]


def test_record_writes_history_in_the_same_transaction(reg):
    mid = followup.record(reg, REFERENCE, "TRN-FUEL-01", "notMet", who="Anna Berg",
                          on=dt.date(2027, 11, 3), note="HVO saknas i rapporten")
    with reg.read() as conn:
        row = conn.execute(sa.select(milestones).where(milestones.c.id == mid)).mappings().one()
        assert row["status"] == "notMet"
        assert row["date_met"] is None
        assert row["last_reviewed"] == dt.date(2027, 11, 3)
        assert row["recorded_by"] == "Anna Berg"
        logged = conn.execute(sa.select(history).where(history.c.table_name == "milestones")
                              ).mappings().all()
    assert len(logged) == 1
    assert logged[0]["who"] == "Anna Berg"
    assert logged[0]["data"]["before"]["status"] == "scheduled"
    assert logged[0]["data"]["after"]["status"] == "notMet"


def test_record_after_the_last_checkpoint_adds_one(reg):
    plan = store.read_plan(reg, REFERENCE)
    count = sum(1 for r in plan.rows if r.criterion_id == "TRN-IDLE-01")
    for n in range(count + 1):
        followup.record(reg, REFERENCE, "TRN-IDLE-01", "met", who="a",
                        on=dt.date(2028, 1, 1) + dt.timedelta(days=n))
    plan = store.read_plan(reg, REFERENCE)
    rows = [r for r in plan.rows if r.criterion_id == "TRN-IDLE-01"]
    assert len(rows) == count + 1
    assert all(r.status == "met" for r in rows)


def test_unknown_reference_or_criterion_is_named(reg):
    with pytest.raises(NotFoundError, match="no procurement 'KS 1'"):
        followup.record(reg, "KS 1", "TRN-FUEL-01", "met", who="a", on=dt.date(2028, 1, 1))
    with pytest.raises(NotFoundError, match=r"no criterion 'NOPE-01'; it has: .*TRN-FUEL-01"):
        followup.record(reg, REFERENCE, "NOPE-01", "met", who="a", on=dt.date(2028, 1, 1))


def test_deviation_with_sanction_and_corrective_action(reg):
    followup.record(reg, REFERENCE, "TRN-FUEL-01", "notMet", who="a", on=dt.date(2027, 11, 3))
    found = followup.Deviation(category="fel drivmedel", events=3, sanction_agreed="vite 5 000 kr",
                               sanction_imposed_sek=15000.0, corrective_action="Byte till HVO100",
                               corrective_due=dt.date(2027, 12, 31))
    fid = followup.deviation(reg, REFERENCE, "TRN-FUEL-01", found, who="b")
    with reg.read() as conn:
        row = conn.execute(sa.select(performance_failures)
                           .where(performance_failures.c.id == fid)).mappings().one()
        assert row["milestone_id"] is not None
        assert row["corrective_outcome"] == "open"
        assert row["sanction_imposed_sek"] == 15000.0
        assert conn.execute(sa.select(sa.func.count()).select_from(history).where(
            history.c.table_name == "performance_failures")).scalar() == 1


def test_resolve_closes_the_action_and_keeps_what_it_replaced(reg):
    found = followup.Deviation(category="fel drivmedel", corrective_action="Byte till HVO100",
                               corrective_due=dt.date(2027, 12, 31))
    fid = followup.deviation(reg, REFERENCE, "TRN-FUEL-01", found, who="b")
    done = followup.resolve(reg, fid, "not_done", who="c", on=dt.date(2028, 1, 15),
                            note="fortfarande diesel", sanction_imposed_sek=5000.0)
    assert done["corrective_outcome"] == "not_done"
    with reg.read() as conn:
        row = conn.execute(sa.select(performance_failures)
                           .where(performance_failures.c.id == fid)).mappings().one()
        assert (row["corrective_outcome"], row["sanction_imposed_sek"]) == ("not_done", 5000.0)
        change = conn.execute(sa.select(history.c.who, history.c.action, history.c.data).where(
            history.c.table_name == "performance_failures", history.c.action == "update")).one()
    assert change.who == "c"
    assert change.data["before"] == {"corrective_outcome": "open", "sanction_imposed_sek": None}
    assert change.data["note"] == "fortfarande diesel"
    assert change.data["on"] == "2028-01-15"
    without = followup.deviation(reg, REFERENCE, "TRN-FUEL-01",
                                 followup.Deviation(category="sen rapport"), who="b")
    with pytest.raises(NotFoundError, match="no corrective action"):
        followup.resolve(reg, without, "done", who="c", on=dt.date(2028, 1, 15))
    with pytest.raises(ValueError):
        followup.resolve(reg, fid, "maybe", who="c", on=dt.date(2028, 1, 15))
