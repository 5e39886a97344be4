"""the filer's consent to publish the question and the answer, and the published answers, newest first

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

Existing complaints were filed without the choice: none is published. `published_at` is the moment a complaint
became public (portal/publication/rule.py), kept by a mapper hook; the partial index holds only those rows, so
the public list costs the same at any number of complaints.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

PUBLISHED_ONLY = sa.text("published_at IS NOT NULL")


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_complaint_published', 'complaint', ['published_at', 'id'],
                    postgresql_where=PUBLISHED_ONLY, sqlite_where=PUBLISHED_ONLY)


def downgrade():
    op.drop_index('ix_complaint_published', table_name='complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('published_at')
        batch_op.drop_column('publish_consent')
