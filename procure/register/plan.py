"""The follow-up plan: which criteria are checked, how often, on which dates.

Which criteria: UHM says follow-up covers every kind of requirement, but a plan that asks for
everything is not done. So a checkpoint goes to each contract clause (särskilt kontraktsvillkor,
the supplier's promise during the contract), each award criterion the winner earned a deduction
for (the price was lowered for it: it must be delivered) and each technical specification whose
evidence is a document that can lapse (a licence, a certificate: ``evidence: required``).
Qualification requirements are checked before award and get none.

How often: by risk tier, after SKR's example (Uppföljning upphandlingskontrakt, 2024): the ~10 %
of contracts with the largest value three times a year, the next ~30 % once a year, the rest
every other year. Shares and frequencies are the buyer's parameters (:class:`TierPolicy`); a
buyer can also set a contract's tier by hand (for large climate impact at a modest value).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procure.errors import ProcureError
from procure.i18n import Msg, tr

FOLLOWED_KINDS = ("contract_clause", "award", "technical_spec")


@dataclass(frozen=True)
class TierPolicy:
    """Risk tiers: the share of contracts (largest value first) in tiers 1 and 2, and how many
    checkpoints a year each tier gets. SKR's example is the default; change it per buyer."""

    shares: tuple[float, float] = (0.10, 0.30)
    per_year: tuple[float, float, float] = (3.0, 1.0, 0.5)

    def __post_init__(self) -> None:
        if not (0 <= self.shares[0] <= 1 and 0 <= self.shares[1] <= 1
                and sum(self.shares) <= 1):
            raise ProcureError(tr("tier shares must be between 0 and 100 % and add up to at "
                                  "most 100 %", "andelarna per riskklass ska vara mellan 0 och "
                                  "100 % och tillsammans högst 100 %"))
        if any(f <= 0 for f in self.per_year):
            raise ProcureError(tr("checkpoints per year must be above 0",
                                  "uppföljningar per år ska vara fler än 0"))

    def months_between(self, tier: int) -> int:
        """Months between two checkpoints in ``tier`` (3/year → 4 months)."""
        return max(1, round(12 / self.per_year[tier - 1]))

    def describe(self, tier: int) -> Msg:
        share = (self.shares[0], self.shares[1], 1 - sum(self.shares))[tier - 1]
        return tr("risk tier {tier} (~{share} % of contracts by value): every {months} months",
                  "riskklass {tier} (~{share} % av avtalen efter värde): var {months}:e månad",
                  tier=tier, share=round(share * 100), months=self.months_between(tier))


def tier_for(value: float | None, others: Iterable[float | None], policy: TierPolicy) -> int:
    """The tier of a contract worth ``value`` among ``others`` (the register's other contracts).

    Rank by value, largest first; the top ``shares[0]`` are tier 1 (at least one contract), the
    next ``shares[1]`` tier 2. A contract with no value is tier 3: it cannot be ranked.
    """
    if value is None:
        return 3
    values = sorted((v for v in others if v is not None), reverse=True)
    rank = sum(1 for v in values if v > value)  # contracts strictly larger
    total = len(values) + 1
    if rank < max(1, math.floor(policy.shares[0] * total)):
        return 1
    if rank < math.floor((policy.shares[0] + policy.shares[1]) * total):
        return 2
    return 3


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept inside the month (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def checkpoint_dates(start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    """Checkpoints every ``months`` after ``start``, the last on or before ``end``; a period
    shorter than one interval still gets one checkpoint, at its end."""
    if end < start:
        raise ProcureError(tr("the contract ends ({end}) before it starts ({start})",
                              "avtalet slutar ({end}) innan det börjar ({start})",
                              end=end.isoformat(), start=start.isoformat()))
    dates = []
    step = 1
    while (day := add_months(start, months * step)) <= end:
        dates.append(day)
        step += 1
    return dates or [end]


@dataclass(frozen=True)
class Followed:
    """A criterion of the contract as the plan sees it."""

    criterion_id: str
    version: int
    kind: str
    title: str
    deduction_sek: float | None
    evidence_required: bool


def needs_follow_up(item: Followed) -> bool:
    """The rule in the module docstring."""
    if item.kind == "contract_clause":
        return True
    if item.kind == "award":
        return bool(item.deduction_sek and item.deduction_sek > 0)
    return item.kind == "technical_spec" and item.evidence_required


@dataclass(frozen=True)
class Checkpoint:
    criterion_id: str
    version: int
    title: str
    due: dt.date


def schedule(criteria: Sequence[Followed], start: dt.date, end: dt.date, tier: int,
             policy: TierPolicy) -> list[Checkpoint]:
    """Every checkpoint of a contract, by date then criterion."""
    dates = checkpoint_dates(start, end, policy.months_between(tier))
    points = [Checkpoint(c.criterion_id, c.version, c.title, day)
              for c in criteria if needs_follow_up(c) for day in dates]
    return sorted(points, key=lambda p: (p.due, p.criterion_id))


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping (backslash, semicolon, comma, newline)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    day: dt.date
    summary: str
    description: str
    reminders: tuple[int, ...] = (30, 7, 0)


def to_ics(entries: Sequence[CalendarEntry], stamp: dt.datetime, name: str) -> str:
    """An iCalendar file: one all-day event per checkpoint, an alarm at each reminder step."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//procure//register//SV",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(name)}"]
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for entry in entries:
        lines += ["BEGIN:VEVENT", f"UID:{entry.uid}", f"DTSTAMP:{stamp_text}",
                  f"DTSTART;VALUE=DATE:{entry.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{entry.day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_ics_text(entry.summary)}",
                  f"DESCRIPTION:{_ics_text(entry.description)}", "TRANSP:TRANSPARENT"]
        for days in entry.reminders:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY",
                      f"DESCRIPTION:{_ics_text(entry.summary)}",
                      f"TRIGGER:-P{days}D" if days else "TRIGGER:PT0S", "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def stable_uid(*parts: object) -> str:
    """The same checkpoint gets the same UID every export, so a calendar updates, not doubles."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(map(str, parts)))}@procure"
