"""inspection cases: their complaints, teams, findings and evidence, their history in the case-event chain, and
the log of views of officials' records

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

A case event now belongs to a complaint or to an inspection case, never both; complaints' events and hashes are
unchanged.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inspection_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('origin', sa.String(length=20), nullable=False),
        sa.Column('unannounced', sa.Boolean(), nullable=False),
        sa.Column('pattern_dimension', sa.String(length=20), nullable=False),
        sa.Column('pattern_key', sa.String(length=300), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('desk', sa.String(length=200), nullable=False),
        sa.Column('official_name', sa.String(length=200), nullable=False),
        sa.Column('official_position', sa.String(length=200), nullable=False),
        sa.Column('official_key', sa.String(length=200), nullable=True),
        sa.Column('party_member', sa.Boolean(), nullable=False),
        sa.Column('allegations', sa.Text(), nullable=False),
        sa.Column('plan', sa.Text(), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recommendation', sa.String(length=30), nullable=False),
        sa.Column('recommendation_reason', sa.Text(), nullable=False),
        sa.Column('party_notice_due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('party_notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('party_notice_escalated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('opened_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_inspection_case_agency_id_agency')),
        sa.ForeignKeyConstraint(['opened_by_id'], ['staff_user.id'],
                                name=op.f('fk_inspection_case_opened_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_case')),
        sa.UniqueConstraint('reference', name=op.f('uq_inspection_case_reference')))
    for column in ('status', 'agency_id', 'official_key', 'party_notice_due_at', 'created_at'):
        op.create_index(op.f(f'ix_inspection_case_{column}'), 'inspection_case', [column])
    op.create_table(
        'inspection_complaint',
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'],
                                name=op.f('fk_inspection_complaint_complaint_id_complaint')),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection_case.id'],
                                name=op.f('fk_inspection_complaint_inspection_id_inspection_case')),
        sa.PrimaryKeyConstraint('inspection_id', 'complaint_id', name=op.f('pk_inspection_complaint')))
    op.create_index(op.f('ix_inspection_complaint_complaint_id'), 'inspection_complaint', ['complaint_id'])
    op.create_table(
        'inspection_member',
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection_case.id'],
                                name=op.f('fk_inspection_member_inspection_id_inspection_case')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_inspection_member_user_id_staff_user')),
        sa.PrimaryKeyConstraint('inspection_id', 'user_id', name=op.f('pk_inspection_member')))
    op.create_index(op.f('ix_inspection_member_user_id'), 'inspection_member', ['user_id'])
    op.create_table(
        'inspection_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('substantiated', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'],
                                name=op.f('fk_inspection_finding_created_by_id_staff_user')),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection_case.id'],
                                name=op.f('fk_inspection_finding_inspection_id_inspection_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_finding')))
    op.create_index(op.f('ix_inspection_finding_inspection_id'), 'inspection_finding', ['inspection_id'])
    op.create_table(
        'record_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('official_key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_record_view_user_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_record_view')))
    op.create_index(op.f('ix_record_view_user_id'), 'record_view', ['user_id'])
    op.create_index(op.f('ix_record_view_official_key'), 'record_view', ['official_key'])
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finding_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attachment_finding_id_inspection_finding'), 'inspection_finding',
                                    ['finding_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_attachment_finding_id'), ['finding_id'])
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.alter_column('complaint_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('inspection_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_event_inspection_id_inspection_case'), 'inspection_case',
                                    ['inspection_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_case_event_inspection_id'), ['inspection_id', 'seq'])
        batch_op.create_check_constraint('one_case', '(complaint_id IS NULL) <> (inspection_id IS NULL)')


def downgrade():
    op.execute("DELETE FROM case_event WHERE inspection_id IS NOT NULL")
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_case_event_one_case'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_case_event_inspection_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_case_event_inspection_id_inspection_case'), type_='foreignkey')
        batch_op.drop_column('inspection_id')
        batch_op.alter_column('complaint_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_finding_id'))
        batch_op.drop_constraint(batch_op.f('fk_attachment_finding_id_inspection_finding'), type_='foreignkey')
        batch_op.drop_column('finding_id')
    for table in ('record_view', 'inspection_finding', 'inspection_member', 'inspection_complaint',
                  'inspection_case'):
        op.drop_table(table)
