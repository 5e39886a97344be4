"""list indexes: the staff case list reads each status's cases in deadline order from an index

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The case list (inspections/case_listing.py) merges one stream per status, each ordered by the deadline that
counts in that status (or by id where there is none) and cut at a page's length. These indexes give every
stream its order for each way the list is narrowed: everything (roles that follow all agencies), one agency
(an agency's staff, or the agency filter), one kind (the kind filter); and the intake desk's queue, oldest
first.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

LIST_INDEXES = {
    'ix_complaint_list_status_accept': ['status', 'accept_due_at', 'id'],
    'ix_complaint_list_status_resolve': ['status', 'resolve_due_at', 'id'],
    'ix_complaint_list_status_id': ['status', 'id'],
    'ix_complaint_list_agency_accept': ['agency_id', 'status', 'accept_due_at', 'id'],
    'ix_complaint_list_agency_resolve': ['agency_id', 'status', 'resolve_due_at', 'id'],
    'ix_complaint_list_agency_id': ['agency_id', 'status', 'id'],
    'ix_complaint_list_kind_accept': ['kind', 'status', 'accept_due_at', 'id'],
    'ix_complaint_list_kind_resolve': ['kind', 'status', 'resolve_due_at', 'id'],
    'ix_complaint_list_kind_id': ['kind', 'status', 'id'],
    'ix_complaint_list_status_created': ['status', 'created_at', 'id'],  # the intake desk's queue
}


def upgrade():
    for name, columns in LIST_INDEXES.items():
        op.create_index(name, 'complaint', columns, unique=False)


def downgrade():
    for name in LIST_INDEXES:
        op.drop_index(name, table_name='complaint')
