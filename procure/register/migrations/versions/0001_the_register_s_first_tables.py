"""The register's first tables, as procure/register/tables.py had them in December 2026.

A migration keeps its own copy of the tables (never tables.metadata), so it creates the same
schema however tables.py changes later.

Revision ID: 0001
Revises:
Create Date: 2026-12-06 19:59:39.493349
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

META = sa.table("procure_meta", sa.column("key", sa.String), sa.column("value", sa.Text))

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('who', sa.String(length=120), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history'))
    )
    op.create_table('procure_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_procure_meta'))
    )
    op.create_table('procurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('category_confidence', sa.String(length=10), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('criteria_set', sa.String(length=120), nullable=True),
    sa.Column('cpv', sa.String(length=20), nullable=True),
    sa.Column('estimated_value_sek', sa.Float(), nullable=True),
    sa.Column('award_method', sa.String(length=40), nullable=True),
    sa.Column('has_climate_criteria', sa.Boolean(), nullable=False),
    sa.Column('gpp_criteria', sa.String(length=40), nullable=True),
    sa.Column('environmental_impact', sa.String(length=200), nullable=True),
    sa.Column('started', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurements')),
    sa.UniqueConstraint('reference', name=op.f('uq_procurements_reference'))
    )
    op.create_table('spend_corrections',
    sa.Column('supplier_org_number', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('corrected_at', sa.DateTime(), nullable=False),
    sa.Column('corrected_by', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('supplier_org_number', name=op.f('pk_spend_corrections'))
    )
    op.create_table('spend_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('supplier_org_number', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('amount_sek', sa.Float(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('confidence', sa.String(length=10), nullable=True),
    sa.Column('corrected', sa.Boolean(), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spend_lines'))
    )
    with op.batch_alter_table('spend_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spend_lines_supplier_org_number'), ['supplier_org_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_spend_lines_year'), ['year'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('supplier_org_number', sa.String(length=20), nullable=True),
    sa.Column('value_sek', sa.Float(), nullable=True),
    sa.Column('signed', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('risk_tier', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_contracts_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('procurement_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procurement_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=60), nullable=False),
    sa.Column('criterion_version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_procurement_criteria_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_criteria')),
    sa.UniqueConstraint('procurement_id', 'criterion_id', name='uq_procurement_criterion')
    )
    with op.batch_alter_table('procurement_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procurement_criteria_procurement_id'), ['procurement_id'], unique=False)

    op.create_table('contract_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=60), nullable=False),
    sa.Column('criterion_version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('deduction_sek', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_criteria_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_criteria')),
    sa.UniqueConstraint('contract_id', 'criterion_id', name='uq_contract_criterion')
    )
    with op.batch_alter_table('contract_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_criteria_contract_id'), ['contract_id'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=60), nullable=False),
    sa.Column('criterion_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('date_met', sa.Date(), nullable=True),
    sa.Column('last_reviewed', sa.Date(), nullable=True),
    sa.Column('evidence_ref', sa.Text(), nullable=True),
    sa.Column('evidence_valid_until', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_milestones_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_evidence_valid_until'), ['evidence_valid_until'], unique=False)

    op.create_table('performance_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=60), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('sanction_agreed', sa.Text(), nullable=True),
    sa.Column('sanction_imposed_sek', sa.Float(), nullable=True),
    sa.Column('corrective_action', sa.Text(), nullable=True),
    sa.Column('corrective_due', sa.Date(), nullable=True),
    sa.Column('corrective_outcome', sa.String(length=20), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_performance_failures_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_performance_failures_milestone_id_milestones'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_failures'))
    )
    with op.batch_alter_table('performance_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_failures_contract_id'), ['contract_id'], unique=False)

    op.bulk_insert(META, [{"key": "application", "value": "procure register"}])


def downgrade() -> None:
    with op.batch_alter_table('performance_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_failures_contract_id'))

    op.drop_table('performance_failures')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestones_evidence_valid_until'))
        batch_op.drop_index(batch_op.f('ix_milestones_due_date'))
        batch_op.drop_index(batch_op.f('ix_milestones_contract_id'))

    op.drop_table('milestones')
    with op.batch_alter_table('contract_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_criteria_contract_id'))

    op.drop_table('contract_criteria')
    with op.batch_alter_table('procurement_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procurement_criteria_procurement_id'))

    op.drop_table('procurement_criteria')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_procurement_id'))

    op.drop_table('contracts')
    with op.batch_alter_table('spend_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spend_lines_year'))
        batch_op.drop_index(batch_op.f('ix_spend_lines_supplier_org_number'))

    op.drop_table('spend_lines')
    op.drop_table('spend_corrections')
    op.drop_table('procurements')
    op.drop_table('procure_meta')
    op.drop_table('history')
