"""The follow-up report's figures against hand-computed expectations on tests/register_fixture.py.

Each expected number below is worked out from the fixture's rows in the comment beside it, not
copied from a run of the code.
"""

from __future__ import annotations

import datetime as dt

import pytest

from procure.register.indicators import (
    UnknownOrganisationError,
    compute_indicators,
    default_as_of,
)

from .register_fixture import BUF, KF, TF, build_register

END = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return build_register(tmp_path_factory.mktemp("reg") / "register.db")


@pytest.fixture(scope="module")
def report(engine):
    with engine.connect() as conn:
        return compute_indicators(conn, 2026, as_of=END, by="organisation")


def test_procurements_started(report):
    # P1-P5 started in 2026 (P6 cancelled); climate P1, P2, P3; values 1 + 3 + 6 + 0.5 M,
    # P4 without a value; climate value 1 + 3 + 6 M
    p = report.procurements
    assert (p.count, p.with_climate, p.value_missing) == (5, 3, 1)
    assert p.value_sek == 10_500_000
    assert p.value_with_climate_sek == 10_000_000
    assert p.share_by_count == pytest.approx(3 / 5)
    assert p.share_by_value == pytest.approx(10 / 10.5)


def test_contracts_signed(report):
    # C1, C2, C3, C4, C8 signed in 2026 (C7 cancelled); climate: C1, C2, C8 by their rows, C3
    # by its procurement; C4 none. 0.9 + 2.8 + 5.5 + 0.4 + 0.1 = 9.7 M, without C4 9.3 M
    c = report.contracts
    assert (c.count, c.with_climate, c.value_missing) == (5, 4, 0)
    assert c.value_sek == pytest.approx(9_700_000)
    assert c.value_with_climate_sek == pytest.approx(9_300_000)


def test_levels_and_kinds(report):
    levels = {r.level: (r.count, r.value_sek) for r in report.by_level}
    assert levels == {"bas": (1, 3_000_000), "avancerad": (1, 1_000_000),
                      "spjutspets": (1, 6_000_000), "none": (2, 500_000)}
    kinds = {r.kind: (r.strategy, r.procurements, r.criteria) for r in report.by_kind}
    # technical_spec: P1 twice, P3 once; award P1; qualification P2 (P6's is cancelled);
    # contract_clause P2, P3
    assert kinds == {"qualification": ("selectionCriteria", 1, 1),
                     "technical_spec": ("technicalSpecifications", 2, 3),
                     "award": ("awardCriteria", 1, 1),
                     "contract_clause": ("contractPerformanceConditions", 2, 2)}


def test_by_category_and_organisation(report):
    cats = [(g.key, g.totals.count, g.totals.with_climate, g.totals.value_sek,
             g.totals.value_with_climate_sek) for g in report.by_category]
    # construction P3+P4 (6 M, P4 no value), food P1+P5, transport.school P2; most first
    assert cats == [("construction", 2, 1, 6_000_000, 6_000_000),
                    ("food", 2, 1, 1_500_000, 1_000_000),
                    ("transport.school", 1, 1, 3_000_000, 3_000_000)]
    orgs = [(g.key, g.totals.count, g.totals.with_climate) for g in report.by_organisation]
    assert orgs == [(KF, 2, 1), (BUF, 2, 2), (TF, 1, 0)]


def test_eforms_as_national_statistics_count(report):
    e = report.eforms
    # BT-774 on P1 and P2 (P5's is empty text); P3 has climate criteria but no BT-774
    assert (e.total, e.flagged_environmental, e.climate_without_bt774) == (5, 2, 1)
    assert e.gpp_criteria == {"eu": 1, "national": 2, "other": 0, "none": 1, "missing": 1}
    assert e.environmental_impact == {"other": 2, "clim-mitig": 1}
    assert e.share_flagged == pytest.approx(0.4)


def test_followup(report):
    f = report.followup
    # active with climate in 2026: C1, C2, C3, C5 (C8 starts 2027); assessed in 2026: C1 (M1,
    # M10), C2 (M3), C5 (M6 dated by its due date); C3's only checkpoint is still scheduled
    assert (f.active_with_climate, f.followed_up) == (4, 3)
    assert f.coverage == pytest.approx(0.75)
    assert [(t.tier, t.active_with_climate, t.followed_up) for t in f.by_tier] == [
        (1, 2, 1), (2, 2, 2)]
    assert f.milestones == {"met": 2, "notMet": 1, "partiallyMet": 1}
    assert f.scheduled_due == 5  # M2, M4, M5, M8, M11
    # F1, F2, F3 in 2026 (F4's period started 2025); events 2 + 1 + 1
    assert (f.deviations, f.deviation_events) == (3, 4)
    assert f.corrective_actions == {"open": 1, "done": 1, "not_done": 0}
    assert (f.sanctions, f.sanctions_sek) == (1, 25_000)


def test_overdue_and_evidence(report):
    # scheduled and due before 31 Dec: M4, M11 (BUF, contract C2), M5 (KF), M8 (TF); M2 is due
    # on the day itself
    assert [(r.organisation, r.checkpoints, r.contracts, r.oldest_due) for r in report.overdue] == [
        (BUF, 2, 1, dt.date(2026, 11, 15)), (KF, 1, 1, dt.date(2026, 11, 30)),
        (TF, 1, 1, dt.date(2026, 2, 1))]
    ev = report.evidence
    # C1 FOOD-1's newest evidence runs to 2027-06-01 (the older 2026-05-31 one is replaced);
    # C2 TRANS-1 ran out 2026-12-01; C3 BYGG-1 runs out 2027-01-20, within 30 days; C5 has ended
    assert (ev.expired, ev.expiring, ev.days) == (1, 1, 30)
    # what runs out next first
    assert [(r.supplier, r.criterion_id, r.state) for r in ev.rows] == [
        ("Byggbolaget AB", "BYGG-1", "expiring"), ("Skolbuss i Norr AB", "TRANS-1", "expired")]


def test_spend_gap(report):
    s = report.spend
    # 12 lines in 2026, 6.12 M; covered: Matgrossisten (0.5 M, C1/C5 by org number),
    # BYGGBOLAGET (2 M, C3 by name), Skolbuss (1 M) = 3.5 M
    assert (s.lines, s.total_sek, s.covered_sek) == (12, 6_120_000, 3_500_000)
    assert [(r.category, r.lines, r.spend_sek, r.covered_sek) for r in s.categories] == [
        ("construction", 2, 2_500_000, 2_000_000), ("cleaning", 2, 1_000_000, 0),
        ("transport.school", 1, 1_000_000, 1_000_000), ("food", 3, 800_000, 500_000),
        ("it", 1, 600_000, 0)]
    assert [r.category for r in s.top_uncovered] == ["cleaning", "it"]
    # nothing dropped: three lines without a category, listed per supplier
    assert (s.unmatched_lines, s.unmatched_sek) == (3, 220_000)
    assert [(u.supplier, u.lines, u.spend_sek) for u in s.unmatched_suppliers] == [
        ("Okänd leverantör AB", 2, 200_000), ("Kiosken", 1, 20_000)]
    assert sum(r.spend_sek for r in s.categories) + s.unmatched_sek == s.total_sek


def test_trend(report):
    assert [h.key for h in report.trend] == [2025, 2026]
    y2025 = report.trend[0]
    # P7 (climate, 2 M) and P8 (1 M); C5 (climate, 1.8 M) and C6 (0.7 M); C5 active and
    # followed up (M7); spend 0.7 + 0.6 M of which Matgrossisten's 0.7 M is covered by C5
    assert (y2025.procurements.count, y2025.procurements.with_climate) == (2, 1)
    assert (y2025.contracts.count, y2025.contracts.value_with_climate_sek) == (2, 1_800_000)
    assert (y2025.active_with_climate, y2025.followed_up) == (1, 1)
    assert (y2025.spend_sek, y2025.spend_covered_sek) == (1_300_000, 700_000)
    assert report.trend[1].coverage == pytest.approx(0.75)


def test_an_earlier_year_keeps_the_checks_that_were_late_then(tmp_path):
    """A checkpoint due in November 2025 and recorded only in January 2026 was overdue when
    2025 ended: the trend's 2025 figure says so, and the 2026 report does not count it."""
    import sqlalchemy as sa

    from procure.register.tables import milestones

    def figures(engine) -> tuple[int, int]:
        with engine.connect() as conn:
            found = compute_indicators(conn, 2026, as_of=END)
        return found.trend[0].overdue, found.trend[-1].overdue

    plain = figures(build_register(tmp_path / "plain.db"))
    late = build_register(tmp_path / "late.db")
    with late.begin() as conn:  # C6 (Städ AB, TF), active since October 2025
        conn.execute(sa.insert(milestones).values(
            id=50, contract_id=6, criterion_id="CLEAN-1", title="Kontroll 50",
            due_date=dt.date(2025, 11, 20), status="met", date_met=dt.date(2026, 1, 15),
            last_reviewed=dt.date(2026, 1, 15)))
    assert figures(late) == (plain[0] + 1, plain[1])


def test_by_organisation_headlines(report):
    rows = {h.key: h for h in report.organisations}
    assert list(rows) == [BUF, KF, TF]
    # BUF: C1, C2, C8 signed; C1, C2, C5 active with climate, all followed up;
    # spend S1 S2 S8 S11 S12 = 2.12 M, covered S1 S2 S12 = 1.5 M; overdue M4, M11
    buf = rows[BUF]
    assert (buf.contracts.count, buf.active_with_climate, buf.followed_up) == (3, 3, 3)
    assert (buf.spend_sek, buf.spend_covered_sek, buf.overdue) == (2_120_000, 1_500_000, 2)
    kf = rows[KF]
    assert (kf.active_with_climate, kf.followed_up, kf.spend_sek, kf.spend_covered_sek) == (
        1, 0, 2_500_000, 2_000_000)
    tf = rows[TF]
    # TF's only 2026 contract was cancelled; its spend (1.5 M) has no climate contract
    assert (tf.contracts.count, tf.active_with_climate, tf.spend_sek, tf.spend_covered_sek) == (
        0, 0, 1_500_000, 0)
    assert sum(h.spend_sek for h in rows.values()) == report.spend.total_sek


def test_organisation_filter(engine):
    with engine.connect() as conn:
        kf = compute_indicators(conn, 2026, organisation=KF, as_of=END)
    assert (kf.procurements.count, kf.procurements.with_climate) == (2, 1)
    assert [(r.organisation, r.checkpoints) for r in kf.overdue] == [(KF, 1)]
    assert (kf.spend.total_sek, kf.spend.covered_sek, kf.spend.unmatched_lines) == (
        2_500_000, 2_000_000, 0)
    assert (kf.followup.active_with_climate, kf.followup.followed_up) == (1, 0)


def test_unknown_organisation_names_the_known_ones(engine):
    with engine.connect() as conn, pytest.raises(UnknownOrganisationError) as err:
        compute_indicators(conn, 2026, organisation="Kultur")
    message = str(err.value)
    assert "'Kultur'" in message
    assert f"{BUF}, {KF}, {TF}" in message


def test_year_without_data(engine):
    with engine.connect() as conn:
        empty = compute_indicators(conn, 2031, as_of=dt.date(2031, 12, 31))
    assert empty.has_data is False
    assert empty.procurements.count == 0
    assert empty.procurements.share_by_count is None  # no 0 % made up from nothing
    assert empty.spend.lines == 0
    assert [h.key for h in empty.trend] == [2025, 2026, 2031]


def test_default_as_of():
    assert default_as_of(2025, today=dt.date(2026, 3, 1)) == dt.date(2025, 12, 31)
    assert default_as_of(2026, today=dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)


def test_json_keys_are_plain_english(report):
    data = report.to_dict()
    for key in ("share_with_climate_criteria", "followup_coverage", "overdue", "spend_gap",
                "eforms", "trend", "milestones", "deviations", "evidence"):
        assert key in data
    assert data["spend_gap"]["unmatched"]["lines"] == 3
    assert data["followup_coverage"]["coverage"] == pytest.approx(0.75)


def test_postgresql_gives_the_same_figures(pg_server, report):
    engine = build_register(pg_server.new_database())
    try:
        with engine.connect() as conn:
            on_pg = compute_indicators(conn, 2026, as_of=END, by="organisation")
    finally:
        engine.dispose()
    assert on_pg.to_dict() == report.to_dict()
    assert on_pg.followup.coverage == pytest.approx(0.75)
