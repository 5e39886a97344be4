"""resident accounts: one per verified email, the sign-in codes sent to emails, and an index on the filers'
emails in lower case and on the complaints' filer (an account lists the complaints filed with its email)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'resident_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('notifications', sa.String(length=10), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('session_generation', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('digest_since', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_account')),
        sa.UniqueConstraint('email', name=op.f('uq_resident_account_email')))
    op.create_table(
        'resident_sign_in_code',
        sa.Column('email_key', sa.String(length=64), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=True),
        sa.Column('tries_left', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('email_key', name=op.f('pk_resident_sign_in_code')))
    op.create_index('ix_filer_email_lower', 'filer', [sa.text('lower(email)')])
    op.create_index('ix_complaint_filer_id', 'complaint', ['filer_id'])


def downgrade():
    op.drop_index('ix_complaint_filer_id', table_name='complaint')
    op.drop_index('ix_filer_email_lower', table_name='filer')
    op.drop_table('resident_sign_in_code')
    op.drop_table('resident_account')
