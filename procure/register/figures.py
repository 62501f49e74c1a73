"""The follow-up report's figures as plain data: what :mod:`procure.register.indicators` returns.

Frozen dataclasses of keys (category ids, level and kind names, organisation names) and numbers,
never display text; shares are ``None`` when there is nothing to divide, so no report shows a
made-up 0 %. ``to_dict()`` gives the JSON report's plain English keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

LEVEL_KEYS: tuple[str, ...] = ("bas", "avancerad", "spjutspets", "none")
#: procure's criterion kinds as the OCDS sustainability extension's ``strategies`` codes.
OCDS_STRATEGIES: dict[str, str] = {
    "qualification": "selectionCriteria",
    "technical_spec": "technicalSpecifications",
    "award": "awardCriteria",
    "contract_clause": "contractPerformanceConditions",
}
MILESTONE_OUTCOMES: tuple[str, ...] = ("met", "notMet", "partiallyMet")
#: eForms BT-805 ``gpp-criteria`` codes; ``missing`` counts procurements without the field.
GPP_CODES: tuple[str, ...] = ("eu", "national", "other", "none", "missing")
CORRECTIVE_OUTCOMES: tuple[str, ...] = ("open", "done", "not_done")
#: How many days ahead evidence counts as expiring, unless the caller says otherwise. The
#: research on reminder practice names 30, 7 and 0 days; 30 is the earliest of these.
EXPIRING_DAYS = 30
TOP_UNCOVERED = 10
TREND_YEARS = 10


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None when there is nothing to divide (never a made-up 0 %)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Totals:
    """A count and a value, and how much of each carried climate criteria.

    ``value_missing`` counts rows without a value: they are in ``count`` but not in the sums,
    so a reader knows how complete the value figures are.
    """

    count: int = 0
    with_climate: int = 0
    value_sek: float = 0.0
    value_with_climate_sek: float = 0.0
    value_missing: int = 0

    @property
    def share_by_count(self) -> float | None:
        return share(self.with_climate, self.count)

    @property
    def share_by_value(self) -> float | None:
        return share(self.value_with_climate_sek, self.value_sek)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "share_with_climate_criteria": {
            "by_count": self.share_by_count, "by_value": self.share_by_value}}


@dataclass(frozen=True)
class Group:
    """:class:`Totals` for one category or organisation (``key`` None: not given)."""

    key: str | None
    totals: Totals

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, **self.totals.to_dict()}


@dataclass(frozen=True)
class LevelRow:
    level: str  # bas | avancerad | spjutspets | none (no climate criteria)
    count: int
    value_sek: float


@dataclass(frozen=True)
class KindRow:
    """Procurements using at least one criterion of ``kind``, and how many such criteria."""

    kind: str
    strategy: str  # the OCDS sustainability strategy code
    procurements: int
    criteria: int


@dataclass(frozen=True)
class Eforms:
    """What the year's procurements would carry in eForms, counted as the national statistics.

    Upphandlingsmyndigheten's statistics database counts a procurement as environmentally
    sustainable when its notice carries an environmental-impact code (BT-774) and counts each
    code; ``climate_without_bt774`` are procurements with climate criteria whose notice would
    not say so: the "0 % in the database" problem.
    """

    total: int
    flagged_environmental: int
    climate_without_bt774: int
    gpp_criteria: dict[str, int]
    environmental_impact: dict[str, int]

    @property
    def share_flagged(self) -> float | None:
        return share(self.flagged_environmental, self.total)


@dataclass(frozen=True)
class TierRow:
    tier: int | None
    active_with_climate: int
    followed_up: int


@dataclass(frozen=True)
class Followup:
    """Follow-up of the climate criteria in the year's active contracts."""

    active_with_climate: int
    followed_up: int
    by_tier: list[TierRow]
    milestones: dict[str, int]  # met / notMet / partiallyMet, assessed in the year
    scheduled_due: int  # checkpoints due in the year and not yet assessed
    deviations: int
    deviation_events: int
    corrective_actions: dict[str, int]  # open / done / not_done
    sanctions: int
    sanctions_sek: float

    @property
    def coverage(self) -> float | None:
        return share(self.followed_up, self.active_with_climate)


@dataclass(frozen=True)
class OverdueRow:
    organisation: str
    checkpoints: int
    contracts: int
    oldest_due: dt.date


@dataclass(frozen=True)
class EvidenceRow:
    organisation: str
    supplier: str
    criterion_id: str
    valid_until: dt.date
    state: str  # expired | expiring


@dataclass(frozen=True)
class Evidence:
    expired: int
    expiring: int
    days: int
    rows: list[EvidenceRow]


@dataclass(frozen=True)
class SpendRow:
    category: str
    lines: int
    spend_sek: float
    covered_sek: float

    @property
    def covered_share(self) -> float | None:
        return share(self.covered_sek, self.spend_sek)


@dataclass(frozen=True)
class SupplierSpend:
    supplier: str | None
    org_number: str | None
    lines: int
    spend_sek: float


@dataclass(frozen=True)
class SpendGap:
    """The year's spend by category next to what active climate contracts cover."""

    lines: int
    total_sek: float
    covered_sek: float
    categories: list[SpendRow]  # matched categories, most spend first
    top_uncovered: list[SpendRow]  # the largest categories with no covered spend at all
    unmatched_lines: int
    unmatched_sek: float
    unmatched_suppliers: list[SupplierSpend]  # every unmatched line, summed per supplier

    @property
    def covered_share(self) -> float | None:
        return share(self.covered_sek, self.total_sek)


@dataclass(frozen=True)
class Headline:
    """The handful of figures a trend line or an organisation row shows."""

    key: str | int
    procurements: Totals
    contracts: Totals
    active_with_climate: int
    followed_up: int
    spend_sek: float
    spend_covered_sek: float
    overdue: int = 0

    @property
    def coverage(self) -> float | None:
        return share(self.followed_up, self.active_with_climate)

    @property
    def spend_covered_share(self) -> float | None:
        return share(self.spend_covered_sek, self.spend_sek)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "procurements": self.procurements.to_dict(),
                "contracts": self.contracts.to_dict(),
                "active_contracts_with_climate_criteria": self.active_with_climate,
                "followed_up": self.followed_up, "followup_coverage": self.coverage,
                "spend_sek": self.spend_sek, "spend_covered_sek": self.spend_covered_sek,
                "spend_covered_share": self.spend_covered_share, "overdue": self.overdue}


@dataclass(frozen=True)
class FollowupIndicators:
    """Every figure of the follow-up report for one year (and organisation, if chosen)."""

    year: int
    organisation: str | None
    as_of: dt.date
    has_data: bool
    procurements: Totals
    contracts: Totals
    by_level: list[LevelRow]
    by_kind: list[KindRow]
    by_category: list[Group]
    by_organisation: list[Group]
    eforms: Eforms
    followup: Followup
    overdue: list[OverdueRow]
    evidence: Evidence
    spend: SpendGap
    trend: list[Headline]
    organisations: list[Headline] = field(default_factory=list)  # filled with by="organisation"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data with English keys (dates as ISO text)."""
        follow = self.followup
        spend = self.spend
        return {
            "year": self.year,
            "organisation": self.organisation,
            "as_of": self.as_of.isoformat(),
            "has_data": self.has_data,
            "procurements_started": self.procurements.to_dict(),
            "contracts_signed": self.contracts.to_dict(),
            "share_with_climate_criteria": {
                "procurements_by_count": self.procurements.share_by_count,
                "procurements_by_value": self.procurements.share_by_value,
                "contracts_by_count": self.contracts.share_by_count,
                "contracts_by_value": self.contracts.share_by_value,
            },
            "by_level": [asdict(r) for r in self.by_level],
            "by_kind": [asdict(r) for r in self.by_kind],
            "by_category": [g.to_dict() for g in self.by_category],
            "by_organisation": [g.to_dict() for g in self.by_organisation],
            "eforms": {**asdict(self.eforms), "share_flagged": self.eforms.share_flagged},
            "followup_coverage": {
                "active_contracts_with_climate_criteria": follow.active_with_climate,
                "followed_up": follow.followed_up, "coverage": follow.coverage,
                "by_risk_tier": [asdict(t) for t in follow.by_tier],
            },
            "milestones": {**follow.milestones, "scheduled_due_in_year": follow.scheduled_due},
            "deviations": {"count": follow.deviations, "events": follow.deviation_events,
                           "corrective_actions": follow.corrective_actions,
                           "sanctions": follow.sanctions, "sanctions_sek": follow.sanctions_sek},
            "overdue": [{**asdict(r), "oldest_due": r.oldest_due.isoformat()}
                        for r in self.overdue],
            "evidence": {"expired": self.evidence.expired, "expiring": self.evidence.expiring,
                         "expiring_within_days": self.evidence.days,
                         "items": [{**asdict(r), "valid_until": r.valid_until.isoformat()}
                                   for r in self.evidence.rows]},
            "spend_gap": {
                "lines": spend.lines, "total_sek": spend.total_sek,
                "covered_sek": spend.covered_sek, "covered_share": spend.covered_share,
                "categories": [{**asdict(r), "covered_share": r.covered_share}
                               for r in spend.categories],
                "top_uncovered": [asdict(r) for r in spend.top_uncovered],
                "unmatched": {"lines": spend.unmatched_lines, "spend_sek": spend.unmatched_sek,
                              "suppliers": [asdict(s) for s in spend.unmatched_suppliers]},
            },
            "trend": [h.to_dict() for h in self.trend],
            "organisations": [h.to_dict() for h in self.organisations],
        }
