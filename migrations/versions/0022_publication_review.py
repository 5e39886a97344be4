"""publication by a person: a consented answer waits for a reviewer, and only the version approved is public

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08

Answers published so far went out with the machine's redaction alone: they leave the public pages and wait in
the reviewers' queue (since their answer), and come back once a person approves their public version.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

AWAITING_REVIEW = sa.text("publication_review = 'waiting'")


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_review', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('publication_queued_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_complaint_publication_queue', 'complaint', ['publication_queued_at', 'id'],
                    postgresql_where=AWAITING_REVIEW, sqlite_where=AWAITING_REVIEW)
    op.create_table(
        'public_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('reply', sa.Text(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['approved_by_id'], ['staff_user.id'], name=op.f('fk_public_version_approved_by_id_staff_user')),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_public_version_complaint_id_complaint')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_version')),
        sa.UniqueConstraint('complaint_id', name=op.f('uq_public_version_complaint_id')),
    )
    op.execute("UPDATE complaint SET publication_review = 'waiting', publication_queued_at = answered_at, "
               "published_at = NULL WHERE published_at IS NOT NULL")


def downgrade():
    op.drop_table('public_version')
    op.drop_index('ix_complaint_publication_queue', table_name='complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('publication_queued_at')
        batch_op.drop_column('publication_review')
