"""directory version: a stamp changed with every directory write, so each process can cache the form choices

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('directory_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'stamp': uuid.uuid4().hex}])


def downgrade():
    op.drop_table('directory_version')
