"""report figures: per day, agency, kind and channel, what was filed and what was answered; answer times; and the
channel a complaint came through; the plain status index goes (the list indexes lead with the status)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

The figures are built by `flask figures rebuild` (or the worker's first round after the upgrade: until then the
reports of past days are empty).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

COUNTS = ('received', 'accepted', 'extended', 'named', 'open_overdue', 'answered', 'on_time', 'reopened', 'rated',
          'satisfied', 'access_satisfied', 'procedure_satisfied', 'conduct_satisfied', 'result_satisfied',
          'handling_satisfied')


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), nullable=False, server_default='web'))
    # (status, id) and the other list indexes serve every look-up by status: the plain one only cost writes.
    op.drop_index('ix_complaint_status', table_name='complaint')
    op.create_table(
        'report_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_day')))
    op.create_index('ix_report_day_day_agency', 'report_day', ['day', 'agency_id'])
    op.create_table(
        'answer_time',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_time')))
    op.create_index('ix_answer_time_day_agency', 'answer_time', ['day', 'agency_id'])


def downgrade():
    op.create_index('ix_complaint_status', 'complaint', ['status'])
    op.drop_table('answer_time')
    op.drop_table('report_day')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('channel')
