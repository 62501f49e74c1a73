"""Every figure of the yearly commitment-6 follow-up report, computed in SQL from the register.

The report answers four questions for one calendar year: how much was bought with climate
criteria (and at which level, of which kind, as eForms would flag it), whether the criteria were
followed up, where the money went without any, and how this compares with earlier years. Each
figure is one aggregate query (``GROUP BY`` in the database, not rows pulled into Python), so a
register of 10,000 procurements and 200,000 spend lines reports in seconds on SQLite and
PostgreSQL alike.

The results are the plain dataclasses of :mod:`procure.register.figures` (keys and numbers,
never display text: wording, languages and layout belong to the report writers). The rules
each figure follows are written here; the README and the report repeat them for users:

- *in the year*: a procurement whose ``started`` date, a contract whose ``signed`` date, a spend
  line whose ``year`` falls in it. Cancelled procurements and contracts are left out.
- *with climate criteria*: a procurement with ``has_climate_criteria``; a contract with at least
  one row in ``contract_criteria`` or whose procurement has climate criteria.
- *active in the year*: a contract neither pending nor cancelled whose period (from
  ``period_start``, else ``signed``, to ``period_end`` or open) overlaps the year.
- *followed up*: an active contract with climate criteria that has a checkpoint assessed in the
  year (status met, notMet or partiallyMet, dated by ``last_reviewed``, else ``date_met``, else
  ``due_date``).
- *overdue*: a checkpoint still ``scheduled`` whose due date is before the report date, on a
  contract that is not cancelled or terminated.
- *covered spend*: a spend line whose supplier (organisation number, else the name, case folded)
  holds an active contract with climate criteria in the year. Spend lines without a category are
  counted and listed as unmatched, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from procure.errors import ProcureError
from procure.i18n import tr
from procure.register.db import Register
from procure.register.figures import (
    CORRECTIVE_OUTCOMES,
    EXPIRING_DAYS,
    GPP_CODES,
    LEVEL_KEYS,
    MILESTONE_OUTCOMES,
    OCDS_STRATEGIES,
    TOP_UNCOVERED,
    TREND_YEARS,
    Eforms,
    Evidence,
    EvidenceRow,
    Followup,
    FollowupIndicators,
    Group,
    Headline,
    KindRow,
    LevelRow,
    OverdueRow,
    SpendGap,
    SpendRow,
    SupplierSpend,
    TierRow,
    Totals,
)
from procure.register.tables import (
    contract_criteria,
    contracts,
    milestones,
    performance_failures,
    procurement_criteria,
    procurements,
    spend_lines,
)


class UnknownOrganisationError(ProcureError, KeyError):
    """An organisation name the register does not hold."""

    def __str__(self) -> str:
        return ProcureError.__str__(self)


def _as_date(value: Any) -> dt.date:
    """A date from the database (SQLite aggregates may hand back ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class _Year:
    """The SQL of one report year and organisation filter, shared by every indicator."""

    def __init__(self, conn: sa.Connection, year: int, organisation: str | None,
                 as_of: dt.date) -> None:
        self.conn = conn
        self.year = year
        self.org = organisation
        self.as_of = as_of
        self.start = dt.date(year, 1, 1)
        self.next = dt.date(year + 1, 1, 1)

    # --- predicates ---------------------------------------------------------------------
    def in_year(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
        return sa.and_(column >= self.start, column < self.next)

    def org_filter(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
        return column == self.org if self.org is not None else sa.true()

    def contract_has_climate(self) -> sa.ColumnElement[bool]:
        has_row = sa.exists().where(contract_criteria.c.contract_id == contracts.c.id)
        return sa.or_(has_row, procurements.c.has_climate_criteria == sa.true())

    def contract_active(self) -> sa.ColumnElement[bool]:
        start = sa.func.coalesce(contracts.c.period_start, contracts.c.signed)
        return sa.and_(contracts.c.status.notin_(("pending", "cancelled")),
                       start.isnot(None), start < self.next,
                       sa.or_(contracts.c.period_end.is_(None),
                              contracts.c.period_end >= self.start))

    def assessed_in_year(self) -> sa.ColumnElement[bool]:
        when = sa.func.coalesce(milestones.c.last_reviewed, milestones.c.date_met,
                                milestones.c.due_date)
        return sa.and_(milestones.c.status.in_(MILESTONE_OUTCOMES), self.in_year(when))

    def contracts_joined(self) -> sa.Join:
        return contracts.join(procurements, contracts.c.procurement_id == procurements.c.id)

    def procurements_started(self) -> sa.ColumnElement[bool]:
        return sa.and_(self.in_year(procurements.c.started),
                       procurements.c.status != "cancelled",
                       self.org_filter(procurements.c.organisation))

    # --- what was bought ----------------------------------------------------------------
    def _totals_columns(self, value: sa.ColumnElement[Any], climate: sa.ColumnElement[bool]
                        ) -> list[sa.ColumnElement[Any]]:
        return [
            sa.func.count(),
            sa.func.sum(sa.case((climate, 1), else_=0)),
            sa.func.sum(value),
            sa.func.sum(sa.case((climate, value), else_=None)),
            sa.func.sum(sa.case((value.is_(None), 1), else_=0)),
        ]

    @staticmethod
    def _totals(row: Iterable[Any]) -> Totals:
        count, with_climate, value, value_climate, missing = row
        return Totals(int(count or 0), int(with_climate or 0), float(value or 0),
                      float(value_climate or 0), int(missing or 0))

    def procurement_totals(self) -> Totals:
        climate = procurements.c.has_climate_criteria == sa.true()
        query = sa.select(*self._totals_columns(procurements.c.estimated_value_sek, climate)
                          ).where(self.procurements_started())
        return self._totals(self.conn.execute(query).one())

    def contract_totals(self) -> Totals:
        query = (sa.select(*self._totals_columns(contracts.c.value_sek,
                                                 self.contract_has_climate()))
                 .select_from(self.contracts_joined())
                 .where(self.in_year(contracts.c.signed), contracts.c.status != "cancelled",
                        self.org_filter(procurements.c.organisation)))
        return self._totals(self.conn.execute(query).one())

    def procurement_groups(self, column: sa.ColumnElement[Any]) -> list[Group]:
        climate = procurements.c.has_climate_criteria == sa.true()
        query = (sa.select(column, *self._totals_columns(procurements.c.estimated_value_sek,
                                                         climate))
                 .where(self.procurements_started()).group_by(column))
        groups = [Group(row[0], self._totals(row[1:])) for row in self.conn.execute(query)]
        return sorted(groups, key=lambda g: (-g.totals.count, -g.totals.value_sek,
                                             g.key is None, g.key or ""))

    def by_level(self) -> list[LevelRow]:
        level = sa.case((procurements.c.has_climate_criteria == sa.true(),
                         sa.func.coalesce(procurements.c.level, "none")), else_="none")
        query = (sa.select(level, sa.func.count(),
                           sa.func.sum(procurements.c.estimated_value_sek))
                 .where(self.procurements_started()).group_by(level))
        found = {row[0]: (int(row[1]), float(row[2] or 0)) for row in self.conn.execute(query)}
        keys = [*LEVEL_KEYS, *sorted(k for k in found if k not in LEVEL_KEYS)]
        return [LevelRow(k, *found.get(k, (0, 0.0))) for k in keys]

    def by_kind(self) -> list[KindRow]:
        crit = procurement_criteria
        query = (sa.select(crit.c.kind, sa.func.count(sa.distinct(crit.c.procurement_id)),
                           sa.func.count())
                 .select_from(crit.join(procurements, crit.c.procurement_id == procurements.c.id))
                 .where(self.procurements_started()).group_by(crit.c.kind))
        found = {row[0]: (int(row[1]), int(row[2])) for row in self.conn.execute(query)}
        kinds = [*OCDS_STRATEGIES, *sorted(k for k in found if k not in OCDS_STRATEGIES)]
        return [KindRow(k, OCDS_STRATEGIES.get(k, "other"), *found.get(k, (0, 0)))
                for k in kinds]

    def eforms(self) -> Eforms:
        p = procurements.c
        has_code = sa.and_(p.environmental_impact.isnot(None),
                           sa.func.trim(p.environmental_impact) != "")
        query = sa.select(sa.func.count(), sa.func.sum(sa.case((has_code, 1), else_=0)),
                          sa.func.sum(sa.case((sa.and_(p.has_climate_criteria == sa.true(),
                                                       sa.not_(has_code)), 1), else_=0))
                          ).where(self.procurements_started())
        total, flagged, unflagged = self.conn.execute(query).one()
        gpp_key = sa.func.coalesce(sa.func.nullif(sa.func.lower(sa.func.trim(p.gpp_criteria)),
                                                  ""), "missing")
        gpp = dict.fromkeys(GPP_CODES, 0)
        for code, n in self.conn.execute(sa.select(gpp_key, sa.func.count())
                                         .where(self.procurements_started()).group_by(gpp_key)):
            gpp[code] = gpp.get(code, 0) + int(n)
        # BT-774 holds several codes per procurement: grouped in SQL, split here
        impact: dict[str, int] = {}
        for codes, n in self.conn.execute(sa.select(p.environmental_impact, sa.func.count())
                                          .where(self.procurements_started(), has_code)
                                          .group_by(p.environmental_impact)):
            for code in {c.strip() for c in codes.split(",") if c.strip()}:
                impact[code] = impact.get(code, 0) + int(n)
        return Eforms(int(total or 0), int(flagged or 0), int(unflagged or 0), gpp,
                      dict(sorted(impact.items(), key=lambda kv: (-kv[1], kv[0]))))

    # --- follow-up ----------------------------------------------------------------------
    def _active_climate_where(self) -> list[sa.ColumnElement[bool]]:
        return [self.contract_active(), self.contract_has_climate(),
                self.org_filter(procurements.c.organisation)]

    def coverage_by_tier(self) -> list[TierRow]:
        followed = sa.exists().where(milestones.c.contract_id == contracts.c.id,
                                     self.assessed_in_year())
        query = (sa.select(contracts.c.risk_tier, sa.func.count(),
                           sa.func.sum(sa.case((followed, 1), else_=0)))
                 .select_from(self.contracts_joined()).where(*self._active_climate_where())
                 .group_by(contracts.c.risk_tier))
        rows = [TierRow(tier, int(n), int(f or 0)) for tier, n, f in self.conn.execute(query)]
        return sorted(rows, key=lambda r: (r.tier is None, r.tier or 0))

    def _milestone_from(self) -> sa.Join:
        return milestones.join(contracts, milestones.c.contract_id == contracts.c.id).join(
            procurements, contracts.c.procurement_id == procurements.c.id)

    def followup(self) -> Followup:
        tiers = self.coverage_by_tier()
        outcomes = dict.fromkeys(MILESTONE_OUTCOMES, 0)
        query = (sa.select(milestones.c.status, sa.func.count()).select_from(self._milestone_from())
                 .where(self.assessed_in_year(), self.org_filter(procurements.c.organisation))
                 .group_by(milestones.c.status))
        outcomes.update({status: int(n) for status, n in self.conn.execute(query)})
        scheduled = self.conn.execute(
            sa.select(sa.func.count()).select_from(self._milestone_from())
            .where(milestones.c.status == "scheduled", self.in_year(milestones.c.due_date),
                   contracts.c.status.notin_(("cancelled", "terminated")),
                   self.org_filter(procurements.c.organisation))).scalar_one()
        pf = performance_failures.c
        in_year = sa.or_(sa.and_(pf.period_start.isnot(None), self.in_year(pf.period_start)),
                         sa.and_(pf.period_start.is_(None),
                                 pf.recorded_at >= dt.datetime(self.year, 1, 1),
                                 pf.recorded_at < dt.datetime(self.year + 1, 1, 1)))
        failures_from = performance_failures.join(contracts, pf.contract_id == contracts.c.id
                                                  ).join(procurements,
                                                         contracts.c.procurement_id
                                                         == procurements.c.id)
        where = [in_year, self.org_filter(procurements.c.organisation)]
        has_action = sa.and_(pf.corrective_action.isnot(None),
                             sa.func.trim(pf.corrective_action) != "")
        sanctioned = pf.sanction_imposed_sek > 0
        count, events, sanctions, sanctions_sek = self.conn.execute(
            sa.select(sa.func.count(), sa.func.sum(pf.events),
                      sa.func.sum(sa.case((sanctioned, 1), else_=0)),
                      sa.func.sum(sa.case((sanctioned, pf.sanction_imposed_sek), else_=0)))
            .select_from(failures_from).where(*where)).one()
        corrective = dict.fromkeys(CORRECTIVE_OUTCOMES, 0)
        outcome = sa.func.coalesce(pf.corrective_outcome, "open")
        for key, n in self.conn.execute(sa.select(outcome, sa.func.count())
                                        .select_from(failures_from)
                                        .where(*where, has_action).group_by(outcome)):
            corrective[key] = corrective.get(key, 0) + int(n)
        return Followup(
            active_with_climate=sum(t.active_with_climate for t in tiers),
            followed_up=sum(t.followed_up for t in tiers), by_tier=tiers,
            milestones=outcomes, scheduled_due=int(scheduled), deviations=int(count or 0),
            deviation_events=int(events or 0), corrective_actions=corrective,
            sanctions=int(sanctions or 0), sanctions_sek=float(sanctions_sek or 0))

    def _overdue_where(self) -> list[sa.ColumnElement[bool]]:
        """Checkpoints overdue *as things stood* at ``as_of``: due before it and not yet
        assessed then — still open, or recorded only afterwards. An earlier year's figure in
        the trend does not shrink when its late checks are recorded the year after."""
        # when it was assessed, as assessed_in_year() reads it (no date: on its due date)
        recorded = sa.func.coalesce(milestones.c.last_reviewed, milestones.c.date_met,
                                    milestones.c.due_date)
        open_then = sa.or_(milestones.c.status == "scheduled", recorded > self.as_of)
        return [open_then, milestones.c.due_date < self.as_of,
                contracts.c.status.notin_(("cancelled", "terminated")),
                self.org_filter(procurements.c.organisation)]

    def overdue(self) -> list[OverdueRow]:
        org = procurements.c.organisation
        query = (sa.select(org, sa.func.count(), sa.func.count(sa.distinct(contracts.c.id)),
                           sa.func.min(milestones.c.due_date))
                 .select_from(self._milestone_from()).where(*self._overdue_where())
                 .group_by(org))
        rows = [OverdueRow(o, int(n), int(c), _as_date(d)) for o, n, c, d in self.conn.execute(query)]
        return sorted(rows, key=lambda r: (-r.checkpoints, r.organisation))

    def overdue_count(self) -> int:
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(self._milestone_from())
                                     .where(*self._overdue_where())).scalar_one())

    def evidence(self, days: int) -> Evidence:
        """The newest evidence per contract and criterion: expired, or expiring within ``days``.

        Only the newest date counts: a certificate replaced by a newer one is not expired.
        """
        newest = sa.func.max(milestones.c.evidence_valid_until)
        query = (sa.select(procurements.c.organisation, contracts.c.supplier,
                           milestones.c.criterion_id, newest)
                 .select_from(self._milestone_from())
                 .where(milestones.c.evidence_valid_until.isnot(None),
                        contracts.c.status.notin_(("cancelled", "terminated")),
                        sa.or_(contracts.c.period_end.is_(None),
                               contracts.c.period_end >= self.as_of),
                        self.org_filter(procurements.c.organisation))
                 .group_by(contracts.c.id, procurements.c.organisation, contracts.c.supplier,
                           milestones.c.criterion_id)
                 .having(newest <= self.as_of + dt.timedelta(days=days)))
        rows = []
        for org, supplier, criterion, until in self.conn.execute(query):
            until = _as_date(until)
            rows.append(EvidenceRow(org, supplier, criterion, until,
                                    "expired" if until < self.as_of else "expiring"))
        # what runs out next first, then what ran out most recently
        rows.sort(key=lambda r: (r.organisation, r.supplier, r.criterion_id))
        rows.sort(key=lambda r: r.valid_until, reverse=True)
        expired = sum(r.state == "expired" for r in rows)
        return Evidence(expired, len(rows) - expired, days, rows)

    # --- spend --------------------------------------------------------------------------
    def _covered(self) -> sa.ColumnElement[bool]:
        """A spend line whose supplier holds an active contract with climate criteria."""
        base = sa.select().select_from(self.contracts_joined()).where(*self._active_climate_where())
        numbers = base.add_columns(contracts.c.supplier_org_number).where(
            contracts.c.supplier_org_number.isnot(None))
        names = base.add_columns(sa.func.lower(sa.func.trim(contracts.c.supplier)))
        return sa.or_(spend_lines.c.supplier_org_number.in_(numbers),
                      sa.func.lower(sa.func.trim(spend_lines.c.supplier)).in_(names))

    def _spend_where(self) -> list[sa.ColumnElement[bool]]:
        return [spend_lines.c.year == self.year, self.org_filter(spend_lines.c.organisation)]

    def spend_totals(self) -> tuple[float, float]:
        amount = spend_lines.c.amount_sek
        total, covered = self.conn.execute(
            sa.select(sa.func.sum(amount), sa.func.sum(sa.case((self._covered(), amount),
                                                               else_=0)))
            .where(*self._spend_where())).one()
        return float(total or 0), float(covered or 0)

    def spend_gap(self) -> SpendGap:
        s = spend_lines.c
        query = (sa.select(s.category, sa.func.count(), sa.func.sum(s.amount_sek),
                           sa.func.sum(sa.case((self._covered(), s.amount_sek), else_=0)))
                 .where(*self._spend_where()).group_by(s.category))
        categories: list[SpendRow] = []
        unmatched = SpendRow("", 0, 0.0, 0.0)
        for category, n, total, covered in self.conn.execute(query):
            row = SpendRow(category or "", int(n), float(total or 0), float(covered or 0))
            if category is None or not str(category).strip():
                unmatched = SpendRow("", unmatched.lines + row.lines,
                                     unmatched.spend_sek + row.spend_sek, 0.0)
            else:
                categories.append(row)
        categories.sort(key=lambda r: (-r.spend_sek, r.category))
        uncovered = [r for r in categories if r.covered_sek == 0 and r.spend_sek > 0]
        no_category = sa.or_(s.category.is_(None), sa.func.trim(s.category) == "")
        suppliers = [SupplierSpend(name, number, int(n), float(total or 0))
                     for name, number, n, total in self.conn.execute(
                         sa.select(s.supplier, s.supplier_org_number, sa.func.count(),
                                   sa.func.sum(s.amount_sek))
                         .where(*self._spend_where(), no_category)
                         .group_by(s.supplier, s.supplier_org_number))]
        suppliers.sort(key=lambda r: (-r.spend_sek, r.supplier or "", r.org_number or ""))
        lines = sum(r.lines for r in categories) + unmatched.lines
        total = sum(r.spend_sek for r in categories) + unmatched.spend_sek
        covered = sum(r.covered_sek for r in categories)
        return SpendGap(lines, total, covered, categories, uncovered[:TOP_UNCOVERED],
                        unmatched.lines, unmatched.spend_sek, suppliers)

    def _covered_by_own_organisation(self) -> sa.ColumnElement[bool]:
        """Covered by an active climate contract of the spend line's own organisation."""
        base = sa.select().select_from(self.contracts_joined()).where(*self._active_climate_where())
        numbers = base.add_columns(procurements.c.organisation, contracts.c.supplier_org_number
                                   ).where(contracts.c.supplier_org_number.isnot(None))
        names = base.add_columns(procurements.c.organisation,
                                 sa.func.lower(sa.func.trim(contracts.c.supplier)))
        s = spend_lines.c
        return sa.or_(sa.tuple_(s.organisation, s.supplier_org_number).in_(numbers),
                      sa.tuple_(s.organisation, sa.func.lower(sa.func.trim(s.supplier))).in_(names))

    def headlines_by_organisation(self, names: list[str], overdue: list[OverdueRow]
                                  ) -> list[Headline]:
        """:meth:`headline` for every organisation at once: grouped queries, not one per name.

        An organisation's spend counts as covered only by its own contracts, as when the
        report is run with ``--organisation``.
        """
        org = procurements.c.organisation
        procured = {g.key: g.totals for g in self.procurement_groups(org)}
        signed = {row[0]: self._totals(row[1:]) for row in self.conn.execute(
            sa.select(org, *self._totals_columns(contracts.c.value_sek,
                                                  self.contract_has_climate()))
            .select_from(self.contracts_joined())
            .where(self.in_year(contracts.c.signed), contracts.c.status != "cancelled",
                   self.org_filter(org)).group_by(org))}
        followed = sa.exists().where(milestones.c.contract_id == contracts.c.id,
                                     self.assessed_in_year())
        coverage = {o: (int(n), int(f or 0)) for o, n, f in self.conn.execute(
            sa.select(org, sa.func.count(), sa.func.sum(sa.case((followed, 1), else_=0)))
            .select_from(self.contracts_joined()).where(*self._active_climate_where())
            .group_by(org))}
        amount = spend_lines.c.amount_sek
        spend = {o: (float(total or 0), float(covered or 0)) for o, total, covered in
                 self.conn.execute(
                     sa.select(spend_lines.c.organisation, sa.func.sum(amount),
                               sa.func.sum(sa.case((self._covered_by_own_organisation(),
                                                    amount), else_=0)))
                     .where(*self._spend_where()).group_by(spend_lines.c.organisation))}
        late = {r.organisation: r.checkpoints for r in overdue}
        return [Headline(name, procured.get(name, Totals()), signed.get(name, Totals()),
                         *coverage.get(name, (0, 0)), *spend.get(name, (0.0, 0.0)),
                         late.get(name, 0)) for name in names]

    # --- headline (trend, organisations) ------------------------------------------------
    def followed_counts(self) -> tuple[int, int]:
        tiers = self.coverage_by_tier()
        return (sum(t.active_with_climate for t in tiers), sum(t.followed_up for t in tiers))

    def headline(self, key: str | int) -> Headline:
        active, followed = self.followed_counts()
        spend, covered = self.spend_totals()
        return Headline(key, self.procurement_totals(), self.contract_totals(), active,
                        followed, spend, covered, self.overdue_count())


def organisations(conn: sa.Connection) -> list[str]:
    """Every organisation the register knows: from procurements and from spend lines."""
    names = {row[0] for row in conn.execute(sa.select(procurements.c.organisation).distinct())}
    names |= {row[0] for row in conn.execute(sa.select(spend_lines.c.organisation).distinct())}
    return sorted(n for n in names if n)


def years_with_data(conn: sa.Connection) -> list[int]:
    """Years in which anything was started, signed, followed up or spent."""
    years: set[int] = set()
    for column in (procurements.c.started, contracts.c.signed, milestones.c.due_date):
        year = sa.extract("year", column)
        years |= {int(y) for (y,) in conn.execute(sa.select(year).where(column.isnot(None))
                                                  .distinct())}
    years |= {int(y) for (y,) in conn.execute(sa.select(spend_lines.c.year).distinct())}
    return sorted(years)


def check_organisation(conn: sa.Connection, organisation: str | None) -> None:
    """Raise a clear error naming the known organisations if ``organisation`` is not one."""
    if organisation is None:
        return
    known = organisations(conn)
    if organisation not in known:
        raise UnknownOrganisationError(
            tr("unknown organisation {name!r}; the register knows {known}",
               "okänd organisation {name!r}; registret känner till {known}",
               name=organisation, known=", ".join(known) or "-"),
            hint=tr("write the name exactly as in the register",
                    "skriv namnet exakt som i registret"))


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The date overdue and expiring are judged at: today, or the year's last day if earlier."""
    today = today or dt.date.today()
    return min(today, dt.date(year, 12, 31))


def compute_indicators(conn: sa.Connection, year: int, *, organisation: str | None = None,
                       by: str | None = None, as_of: dt.date | None = None,
                       expiring_days: int = EXPIRING_DAYS) -> FollowupIndicators:
    """Every figure of the follow-up report for ``year``.

    ``organisation`` limits every figure to one administration or company (an unknown name is
    an error naming the known ones); ``by="organisation"`` adds a headline row per
    organisation; ``as_of`` is the date overdue checkpoints and expiring evidence are judged at
    (default: :func:`default_as_of`).
    """
    if by not in (None, "organisation"):
        raise ProcureError(tr("cannot break the report down by {by!r}; only by organisation",
                              "rapporten kan inte delas upp efter {by!r}, bara efter organisation",
                              by=by))
    check_organisation(conn, organisation)
    as_of = as_of or default_as_of(year)
    q = _Year(conn, year, organisation, as_of)
    procurement_totals = q.procurement_totals()
    contract_totals = q.contract_totals()
    follow = q.followup()
    spend = q.spend_gap()
    overdue = q.overdue()
    evidence = q.evidence(expiring_days)
    has_data = bool(procurement_totals.count or contract_totals.count or spend.lines
                    or follow.active_with_climate or sum(follow.milestones.values())
                    or follow.deviations)
    earlier = [y for y in years_with_data(conn) if y < year][-TREND_YEARS:]
    trend = [_Year(conn, y, organisation, dt.date(y, 12, 31)).headline(y) for y in earlier]
    trend.append(Headline(year, procurement_totals, contract_totals, follow.active_with_climate,
                          follow.followed_up, spend.total_sek, spend.covered_sek,
                          sum(r.checkpoints for r in overdue)))
    per_org: list[Headline] = []
    if by == "organisation":
        names = [organisation] if organisation else organisations(conn)
        per_org = q.headlines_by_organisation(names, overdue)
    return FollowupIndicators(
        year=year, organisation=organisation, as_of=as_of, has_data=has_data,
        procurements=procurement_totals, contracts=contract_totals, by_level=q.by_level(),
        by_kind=q.by_kind(), by_category=q.procurement_groups(procurements.c.category),
        by_organisation=q.procurement_groups(procurements.c.organisation), eforms=q.eforms(),
        followup=follow, overdue=overdue, evidence=evidence, spend=spend, trend=trend,
        organisations=per_org)


def read_indicators(register: Register, year: int, *, organisation: str | None = None,
                    by: str | None = None, as_of: dt.date | None = None,
                    expiring_days: int = EXPIRING_DAYS) -> tuple[FollowupIndicators, list[int]]:
    """The year's figures and the years the register holds, in one read transaction.

    What ``procure report followup`` and the browser's report page both start from.
    """
    with register.read() as conn:
        ind = compute_indicators(conn, year, organisation=organisation, by=by, as_of=as_of,
                                 expiring_days=expiring_days)
        return ind, years_with_data(conn)


def report_choices(register: Register) -> tuple[list[int], list[str]]:
    """The years with data and the organisations in the register, to offer in a form."""
    with register.read() as conn:
        return years_with_data(conn), organisations(conn)
