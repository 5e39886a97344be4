"""Open311: API keys (stored as digests), and on each complaint the key that filed it, the token the filing
answered with, and the location as the filing software gave it

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('hint', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
        sa.UniqueConstraint('digest', name=op.f('uq_api_key_digest')),
        sa.UniqueConstraint('name', name=op.f('uq_api_key_name')),
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('api_token', sa.String(length=43), nullable=True))
        batch_op.add_column(sa.Column('location_text', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_complaint_api_key_id_api_key'), 'api_key', ['api_key_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_complaint_api_token'), ['api_token'])
        batch_op.create_index('ix_complaint_api_key_created', ['api_key_id', 'created_at'])


def downgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_api_key_created')
        batch_op.drop_constraint(batch_op.f('uq_complaint_api_token'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_complaint_api_key_id_api_key'), type_='foreignkey')
        for column in ('longitude', 'latitude', 'location_text', 'api_token', 'api_key_id'):
            batch_op.drop_column(column)
    op.drop_table('api_key')
