"""The register's tables (SQLAlchemy Core), shaped after OCDS so a register can be exported and
compared: a procurement (OCDS tender) → its contracts → each contract's climate criteria →
milestones (follow-up checkpoints) and performance failures (deviations, sanctions, corrective
actions). Spend lines per year with their matched category, the buyer's category corrections per
supplier, and an append-only history of every follow-up change.

Amounts are kronor as floats (SQLite has no decimal type; öre are the finest unit anyone enters),
dates are ``Date``, moments ``DateTime`` in UTC. Only ``procure/register/`` imports this module.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# what marks a database as procure's (a file without it is refused, never migrated)
meta = sa.Table(
    "procure_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

procurements = sa.Table(
    "procurements", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(200), nullable=False, unique=True),  # diarienummer
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("organisation", sa.String(200), nullable=False),  # administration or company
    sa.Column("category", sa.String(100)),  # category id of the criteria set
    sa.Column("category_confidence", sa.String(10)),  # high | medium | low when matched
    sa.Column("level", sa.String(20)),  # bas | avancerad | spjutspets; None = no climate criteria
    sa.Column("criteria_set", sa.String(120)),  # name@version
    sa.Column("cpv", sa.String(20)),
    sa.Column("estimated_value_sek", sa.Float),
    sa.Column("award_method", sa.String(40)),  # OCDS awardCriteria: priceOnly, ratedCriteria, ...
    sa.Column("has_climate_criteria", sa.Boolean, nullable=False, default=False),
    sa.Column("gpp_criteria", sa.String(40)),  # eForms BT-805: eu | national | other | none
    sa.Column("environmental_impact", sa.String(200)),  # eForms BT-774 codes, comma-separated
    sa.Column("started", sa.Date),  # the procurement was started (notice published)
    sa.Column("status", sa.String(20), nullable=False, default="active"),  # planned|active|complete|cancelled
    sa.Column("source", sa.String(20), nullable=False),  # spec | import
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.String(120)),
)

procurement_criteria = sa.Table(
    "procurement_criteria", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("procurement_id", sa.ForeignKey("procurements.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("criterion_id", sa.String(60), nullable=False),
    sa.Column("criterion_version", sa.Integer, nullable=False, default=1),
    sa.Column("kind", sa.String(20), nullable=False),  # qualification|technical_spec|award|contract_clause
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("params", sa.JSON, nullable=False, default=dict),
    sa.UniqueConstraint("procurement_id", "criterion_id", name="uq_procurement_criterion"),
)

contracts = sa.Table(
    "contracts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("procurement_id", sa.ForeignKey("procurements.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("supplier", sa.String(200), nullable=False),
    sa.Column("supplier_org_number", sa.String(20)),  # organisationsnummer, NNNNNN-NNNN
    sa.Column("value_sek", sa.Float),
    sa.Column("signed", sa.Date),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("status", sa.String(20), nullable=False, default="active"),  # pending|active|terminated|cancelled
    sa.Column("risk_tier", sa.Integer),  # 1 = largest value or climate impact, followed up most
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# the criteria a contract carries, as the winner answered them
contract_criteria = sa.Table(
    "contract_criteria", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contract_id", sa.ForeignKey("contracts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("criterion_id", sa.String(60), nullable=False),
    sa.Column("criterion_version", sa.Integer, nullable=False, default=1),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("params", sa.JSON, nullable=False, default=dict),
    sa.Column("deduction_sek", sa.Float),  # the award deduction the winner earned, if any
    sa.UniqueConstraint("contract_id", "criterion_id", name="uq_contract_criterion"),
)

# OCDS implementation.milestones: one follow-up checkpoint
milestones = sa.Table(
    "milestones", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contract_id", sa.ForeignKey("contracts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("criterion_id", sa.String(60), nullable=False),
    sa.Column("criterion_version", sa.Integer, nullable=False, default=1),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("type", sa.String(20), nullable=False, default="reporting"),  # OCDS milestoneType
    sa.Column("due_date", sa.Date, nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False, default="scheduled"),  # scheduled|met|notMet|partiallyMet
    sa.Column("date_met", sa.Date),
    sa.Column("last_reviewed", sa.Date),  # OCDS dateModified
    sa.Column("evidence_ref", sa.Text),
    sa.Column("evidence_valid_until", sa.Date, index=True),
    sa.Column("note", sa.Text),
    sa.Column("recorded_by", sa.String(120)),
)

# OCDS implementation.performanceFailures (PPP extension): a deviation and what was done
performance_failures = sa.Table(
    "performance_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contract_id", sa.ForeignKey("contracts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("criterion_id", sa.String(60), nullable=False),
    sa.Column("milestone_id", sa.ForeignKey("milestones.id", ondelete="SET NULL")),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("category", sa.String(60), nullable=False),  # what kind of deviation
    sa.Column("events", sa.Integer, nullable=False, default=1),  # how many times
    sa.Column("description", sa.Text),
    sa.Column("sanction_agreed", sa.Text),  # penaltyContracted
    sa.Column("sanction_imposed_sek", sa.Float),  # penaltyImposed
    sa.Column("corrective_action", sa.Text),
    sa.Column("corrective_due", sa.Date),
    sa.Column("corrective_outcome", sa.String(20)),  # open | done | not_done
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("recorded_by", sa.String(120)),
)

spend_lines = sa.Table(
    "spend_lines", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("organisation", sa.String(200)),
    sa.Column("supplier", sa.String(200)),
    sa.Column("supplier_org_number", sa.String(20), index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("amount_sek", sa.Float, nullable=False),
    sa.Column("category", sa.String(100)),  # None = not matched
    sa.Column("confidence", sa.String(10)),
    sa.Column("corrected", sa.Boolean, nullable=False, default=False),
    sa.Column("source_file", sa.Text),
    sa.Column("source_row", sa.Integer),
)

# a buyer's correction, remembered per supplier and used by later spend matching
spend_corrections = sa.Table(
    "spend_corrections", metadata,
    sa.Column("supplier_org_number", sa.String(20), primary_key=True),
    sa.Column("category", sa.String(100), nullable=False),
    sa.Column("corrected_at", sa.DateTime, nullable=False),
    sa.Column("corrected_by", sa.String(120)),
)

# append-only: every follow-up change, who and when (never updated, never deleted)
history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("who", sa.String(120), nullable=False),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("row_id", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # insert | update
    sa.Column("data", sa.JSON, nullable=False),
)
