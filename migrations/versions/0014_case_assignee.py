"""a named officer for every case ("5 rõ"): the assignee, their task, and the figures per officer

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Existing cases have no named officer; the figures gain an officer column and are rebuilt by `flask figures
rebuild` (or the worker's next round recounts the open cases; answered days keep their totals per agency).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

LISTS = {'ix_complaint_list_assignee_resolve': ['agency_id', 'assignee_id', 'status', 'resolve_due_at', 'id'],
         'ix_complaint_list_assignee_id': ['agency_id', 'assignee_id', 'status', 'id']}


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignee_task', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('assignee_public', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_complaint_assignee_id_staff_user'), 'staff_user',
                                    ['assignee_id'], ['id'])
    for name, columns in LISTS.items():
        op.create_index(name, 'complaint', columns)
    for table in ('agency_day', 'agency_now'):
        op.add_column(table, sa.Column('assignee_id', sa.Integer(), nullable=True))


def downgrade():
    for table in ('agency_day', 'agency_now'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('assignee_id')
    for name in LISTS:
        op.drop_index(name, table_name='complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaint_assignee_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('assignee_public')
        batch_op.drop_column('assignee_task')
        batch_op.drop_column('assignee_id')
