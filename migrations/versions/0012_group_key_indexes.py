"""group key indexes: an official's or a procedure's complaints newest first, from the index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

The pattern drill-down lists one group's complaints in the window, newest first. The other dimensions had
(column, created_at) indexes since 0011; the official and procedure keys had a plain index, so the page read
every complaint ever filed about the official and sorted them. The composite indexes serve equality look-ups too,
so they replace the plain ones.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KEYS = ('official_key', 'procedure_key')


def upgrade():
    for key in KEYS:
        op.drop_index(f'ix_complaint_{key}', table_name='complaint')
        op.create_index(f'ix_complaint_{key}_created', 'complaint', [key, 'created_at'], unique=False)


def downgrade():
    for key in KEYS:
        op.drop_index(f'ix_complaint_{key}_created', table_name='complaint')
        op.create_index(f'ix_complaint_{key}', 'complaint', [key], unique=False)
