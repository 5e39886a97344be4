"""figures: per-day pattern groups and agencies' answers, agencies' open cases, the stale-day queue; the stored
current deadline of open cases and the indexes the follow-up and patterns pages read through

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

The figures themselves are built by the worker's first run (or `flask figures rebuild`), not here.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("current_due_at IS NOT NULL")
HANDLING = "('accepted', 'assigned', 'in_progress')"


def upgrade():
    op.create_table('stale_day',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_stale_day')))
    op.create_table('group_day',
                    sa.Column('dimension', sa.String(length=20), nullable=False),
                    sa.Column('key', sa.String(length=300), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('label', sa.String(length=300), nullable=False),
                    sa.Column('filed', sa.Integer(), nullable=False),
                    sa.Column('overdue', sa.Integer(), nullable=False),
                    sa.Column('rated', sa.Integer(), nullable=False),
                    sa.Column('score_sum', sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint('dimension', 'key', 'day', name=op.f('pk_group_day')))
    op.create_index('ix_group_day_dimension_day', 'group_day', ['dimension', 'day'])
    op.create_table('agency_day',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('agency_id', sa.Integer(), nullable=True),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('answered', sa.Integer(), nullable=False),
                    sa.Column('on_time', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_day')))
    op.create_index('ix_agency_day_day', 'agency_day', ['day'])
    op.create_table('routing_day',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('rule_id', sa.Integer(), nullable=True),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('kept', sa.Integer(), nullable=False),
                    sa.Column('total', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_day')))
    op.create_index('ix_routing_day_day', 'routing_day', ['day'])
    op.create_table('agency_now',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('agency_id', sa.Integer(), nullable=True),
                    sa.Column('open', sa.Integer(), nullable=False),
                    sa.Column('overdue', sa.Integer(), nullable=False),
                    sa.Column('near_due', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_now')))
    op.create_table('figure_state',
                    sa.Column('name', sa.String(length=20), nullable=False),
                    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_figure_state')))
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_due_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE complaint SET current_due_at = CASE WHEN status = 'received' THEN accept_due_at "
               f"WHEN status IN {HANDLING} THEN resolve_due_at END")
    op.create_index('ix_complaint_current_due', 'complaint', ['current_due_at'],
                    postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY)
    op.create_index('ix_complaint_agency_current_due', 'complaint', ['agency_id', 'current_due_at'],
                    postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY)
    op.create_index(op.f('ix_complaint_answered_at'), 'complaint', ['answered_at'])
    op.create_index('ix_complaint_agency_created', 'complaint', ['agency_id', 'created_at'])
    op.create_index('ix_complaint_ward_created', 'complaint', ['ward_id', 'created_at'])
    op.create_index('ix_complaint_category_created', 'complaint', ['category_id', 'created_at'])
    op.create_index('ix_complaint_problem_type_created', 'complaint', ['problem_type_id', 'created_at'])
    op.create_index('ix_case_event_action_created_at', 'case_event', ['action', 'created_at'])
    op.create_index(op.f('ix_extension_request_decided_at'), 'extension_request', ['decided_at'])


def downgrade():
    op.drop_index(op.f('ix_extension_request_decided_at'), table_name='extension_request')
    op.drop_index('ix_case_event_action_created_at', table_name='case_event')
    for name in ('ix_complaint_problem_type_created', 'ix_complaint_category_created', 'ix_complaint_ward_created',
                 'ix_complaint_agency_created',
                 'ix_complaint_answered_at', 'ix_complaint_agency_current_due', 'ix_complaint_current_due'):
        op.drop_index(name, table_name='complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('current_due_at')
    for table in ('figure_state', 'agency_now', 'routing_day', 'agency_day', 'group_day', 'stale_day'):
        op.drop_table(table)
