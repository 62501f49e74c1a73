"""The follow-up plan: which criteria, how often (risk tiers), which dates, the calendar file."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.errors import ProcureError
from procure.register.plan import (
    CalendarEntry,
    Followed,
    TierPolicy,
    add_months,
    checkpoint_dates,
    needs_follow_up,
    schedule,
    tier_for,
    to_ics,
)

SKR = TierPolicy()


def test_skr_example_tiers_split_a_register_10_30_60():
    values = [float(v) for v in range(1, 101)]
    tiers = [tier_for(v, [x for x in values if x != v], SKR) for v in values]
    assert tiers.count(1) == 10
    assert tiers.count(2) == 30
    assert tiers.count(3) == 60
    assert all(tier_for(v, [x for x in values if x != v], SKR) == 1 for v in range(91, 101))


def test_first_contract_is_tier_1_and_one_without_value_tier_3():
    assert tier_for(5e6, [], SKR) == 1
    assert tier_for(None, [1e6, 2e6], SKR) == 3


def test_tier_shares_and_frequencies_are_the_buyers():
    policy = TierPolicy(shares=(0.5, 0.5), per_year=(12, 2, 1))
    assert tier_for(1.0, [2.0], policy) == 2
    assert policy.months_between(1) == 1
    assert policy.months_between(2) == 6
    assert SKR.months_between(1) == 4
    assert SKR.months_between(3) == 24
    with pytest.raises(ProcureError):
        TierPolicy(shares=(0.7, 0.5))


def test_add_months_stays_in_the_month():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(0, 3000),
       st.sampled_from([1, 4, 6, 12, 24]))
def test_checkpoints_fall_inside_the_contract_period(start, length, months):
    end = start + dt.timedelta(days=length)
    dates = checkpoint_dates(start, end, months)
    assert dates
    assert all(start < d <= end for d in dates) or dates == [end]
    assert dates == sorted(set(dates))


def test_a_contract_ending_before_it_starts_is_an_error():
    with pytest.raises(ProcureError, match="ends"):
        checkpoint_dates(dt.date(2027, 1, 1), dt.date(2026, 1, 1), 12)


def test_which_criteria_are_followed_up():
    clause = Followed("C", 1, "contract_clause", "t", None, False)
    award_paid = Followed("A", 1, "award", "t", 1000.0, False)
    award_none = Followed("B", 1, "award", "t", None, False)
    spec_doc = Followed("S", 1, "technical_spec", "t", None, True)
    spec_once = Followed("T", 1, "technical_spec", "t", None, False)
    qual = Followed("Q", 1, "qualification", "t", None, True)
    chosen = [c.criterion_id for c in (clause, award_paid, award_none, spec_doc, spec_once, qual)
              if needs_follow_up(c)]
    assert chosen == ["C", "A", "S"]


def test_schedule_four_year_contract_tier_1_every_four_months():
    points = schedule([Followed("C", 2, "contract_clause", "t", None, False)],
                      dt.date(2027, 7, 1), dt.date(2031, 6, 30), 1, SKR)
    assert len(points) == 11  # 2027-11-01 … 2031-03-01, every four months
    assert points[0].due == dt.date(2027, 11, 1)
    assert points[-1].due == dt.date(2031, 3, 1)
    assert {p.version for p in points} == {2}


def _entries() -> list[CalendarEntry]:
    long = "Förnybara drivmedel; andel, rapport\nrad två " + "å" * 80
    return [CalendarEntry("a@procure", dt.date(2027, 11, 1), "Uppföljning KS 1: X", long),
            CalendarEntry("b@procure", dt.date(2028, 3, 1), "Uppföljning KS 1: Y", "kort")]


def test_ics_is_valid_rfc5545_and_parses_back():
    text = to_ics(_entries(), dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC), "Uppföljning")
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert first.decoded("DTSTART") == dt.date(2027, 11, 1)
    assert str(first["UID"]) == "a@procure"
    assert str(first["DESCRIPTION"]).startswith("Förnybara drivmedel; andel, rapport\nrad två")
    assert str(first["DESCRIPTION"]).endswith("å" * 80)
    alarms = [a.decoded("TRIGGER") for a in first.walk("VALARM")]
    assert alarms == [dt.timedelta(days=-30), dt.timedelta(days=-7), dt.timedelta(0)]
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
