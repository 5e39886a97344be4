"""extension requests by status, oldest first, from the index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

The follow-up page lists the oldest pending extension requests: with a plain status index it read every pending
request and sorted them. The composite index serves the status look-ups too, so it replaces the plain one.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_extension_request_status', table_name='extension_request')
    op.create_index('ix_extension_request_status_created', 'extension_request', ['status', 'created_at'])


def downgrade():
    op.drop_index('ix_extension_request_status_created', table_name='extension_request')
    op.create_index('ix_extension_request_status', 'extension_request', ['status'])
