"""case reference for staff, one-time codes for the tracking page

Every complaint gets a staff reference (VV-<year>-XXXXXX) drawn independently of its tracking code: staff pages
of the agencies name cases by it, so that the resident's code never reaches the agency. Existing rows are given
one here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as portal.complaints.codes, copied: a migration stays as written


def upgrade():
    # NOT NULL needs a default for the existing rows; SQLite keeps it (removing it would rebuild the table,
    # which the foreign keys pointing at complaint forbid), the others drop it once every row has a reference.
    op.add_column('complaint', sa.Column('reference', sa.String(length=20), nullable=False, server_default=''))
    _backfill()
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column('complaint', 'reference', existing_type=sa.String(length=20), server_default=None)
    op.create_index(op.f('ix_complaint_reference'), 'complaint', ['reference'], unique=True)
    op.create_table('one_time_code',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('tries_left', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_one_time_code_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('complaint_id', name=op.f('pk_one_time_code'))
    )


def _backfill():
    connection = op.get_bind()
    complaint = sa.table('complaint', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                         sa.column('reference', sa.String))
    used = set()
    for row in connection.execute(sa.select(complaint.c.id, complaint.c.created_at)).all():
        year = getattr(row.created_at, "year", None) or 2026
        reference = None
        while reference is None or reference in used:
            reference = f"VV-{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        used.add(reference)
        connection.execute(complaint.update().where(complaint.c.id == row.id).values(reference=reference))


def downgrade():
    op.drop_table('one_time_code')
    op.drop_index(op.f('ix_complaint_reference'), table_name='complaint')
    op.drop_column('complaint', 'reference')
