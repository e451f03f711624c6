"""committees and hearings: committees per session with their memberships (dates and
provenance), hearings with their bills, documents and changes, and the committee,
hearing and minutes position of committee roll calls

Revision ID: b10894b8d33e
Revises: 9a4b6c8d0e13
Create Date: 2026-12-07 06:09:05.748982

"""
import sqlalchemy as sa
from alembic import op

import tracker.models.common


# revision identifiers, used by Alembic.
revision = 'b10894b8d33e'
down_revision = '9a4b6c8d0e13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('committee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('chamber', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('source_id', sa.String(length=20), nullable=True),
    sa.Column('source_ids', sa.JSON(), nullable=False),
    sa.Column('openstates_id', sa.String(length=36), nullable=True),
    sa.Column('parent_name', sa.String(length=300), nullable=True),
    sa.Column('other_names', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('last_seen_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_committee_chamber')),
    sa.ForeignKeyConstraint(['session_id'], ['legislative_session.id'], name=op.f('fk_committee_session_id_legislative_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee')),
    sa.UniqueConstraint('public_id', name=op.f('uq_committee_public_id')),
    sa.UniqueConstraint('session_id', 'chamber', 'name', name=op.f('uq_committee_session_id_chamber_name'))
    )
    with op.batch_alter_table('committee', schema=None) as batch_op:
        batch_op.create_index('ix_committee_chamber_source_id', ['chamber', 'source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_session_id'), ['session_id'], unique=False)

    op.create_table('committee_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('member_key', sa.String(length=220), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('printed_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('role_text', sa.String(length=100), nullable=False),
    sa.Column('role_source', sa.String(length=20), nullable=False),
    sa.Column('member_from', sa.Date(), nullable=True),
    sa.Column('member_from_source', sa.String(length=20), nullable=True),
    sa.Column('member_until', sa.Date(), nullable=True),
    sa.Column('member_until_source', sa.String(length=20), nullable=True),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('last_seen_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('chair', 'co_chair', 'vice_chair', 'co_vice_chair', 'ranking_minority_member', 'alternate', 'member')", name=op.f('ck_committee_membership_role')),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], name=op.f('fk_committee_membership_committee_id_committee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_committee_membership_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_membership')),
    sa.UniqueConstraint('committee_id', 'member_key', 'sequence', name=op.f('uq_committee_membership_committee_id_member_key_sequence'))
    )
    with op.batch_alter_table('committee_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_membership_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_membership_person_id'), ['person_id'], unique=False)

    op.create_table('hearing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('source_key', sa.String(length=100), nullable=False),
    sa.Column('chamber', sa.String(length=10), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('committee_name', sa.String(length=300), nullable=False),
    sa.Column('committee_source_id', sa.String(length=20), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('starts_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('time_text', sa.String(length=50), nullable=False),
    sa.Column('time_note', sa.String(length=300), nullable=False),
    sa.Column('room', sa.String(length=300), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('status_notes', sa.JSON(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('missing_from_source', sa.Boolean(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('minutes_url', sa.String(length=500), nullable=True),
    sa.Column('minutes_hash', sa.String(length=64), nullable=True),
    sa.Column('last_fetched_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_hearing_chamber')),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], name=op.f('fk_hearing_committee_id_committee'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['legislative_session.id'], name=op.f('fk_hearing_session_id_legislative_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing')),
    sa.UniqueConstraint('public_id', name=op.f('uq_hearing_public_id')),
    sa.UniqueConstraint('source_key', name=op.f('uq_hearing_source_key'))
    )
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index('ix_hearing_date', ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_session_id'), ['session_id'], unique=False)

    op.create_table('hearing_bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('bill_type', sa.String(length=2), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("bill_type IN ('HF', 'SF', 'HR', 'SR', 'HC', 'SC')", name=op.f('ck_hearing_bill_bill_type')),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_hearing_bill_bill_id_bill'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_bill_hearing_id_hearing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_bill')),
    sa.UniqueConstraint('hearing_id', 'bill_type', 'number', name=op.f('uq_hearing_bill_hearing_id_bill_type_number'))
    )
    with op.batch_alter_table('hearing_bill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_bill_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_bill_hearing_id'), ['hearing_id'], unique=False)

    op.create_table('hearing_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('seen_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('moved', 'room', 'date', 'cancelled', 'reinstated', 'missing', 'back')", name=op.f('ck_hearing_change_kind')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_change_hearing_id_hearing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_change'))
    )
    with op.batch_alter_table('hearing_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_change_hearing_id'), ['hearing_id'], unique=False)

    op.create_table('hearing_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_document_hearing_id_hearing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_document')),
    sa.UniqueConstraint('hearing_id', 'url', name=op.f('uq_hearing_document_hearing_id_url'))
    )
    with op.batch_alter_table('hearing_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_document_hearing_id'), ['hearing_id'], unique=False)

    with op.batch_alter_table('roll_call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hearing_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_position', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_roll_call_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roll_call_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_roll_call_hearing_id_hearing'), 'hearing', ['hearing_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_roll_call_committee_id_committee'), 'committee', ['committee_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('roll_call', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_roll_call_committee_id_committee'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_roll_call_hearing_id_hearing'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_roll_call_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_roll_call_committee_id'))
        batch_op.drop_column('source_position')
        batch_op.drop_column('hearing_id')
        batch_op.drop_column('committee_id')

    with op.batch_alter_table('hearing_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_document_hearing_id'))

    op.drop_table('hearing_document')
    with op.batch_alter_table('hearing_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_change_hearing_id'))

    op.drop_table('hearing_change')
    with op.batch_alter_table('hearing_bill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_bill_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_hearing_bill_bill_id'))

    op.drop_table('hearing_bill')
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_session_id'))
        batch_op.drop_index('ix_hearing_date')
        batch_op.drop_index(batch_op.f('ix_hearing_committee_id'))

    op.drop_table('hearing')
    with op.batch_alter_table('committee_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_membership_person_id'))
        batch_op.drop_index(batch_op.f('ix_committee_membership_committee_id'))

    op.drop_table('committee_membership')
    with op.batch_alter_table('committee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_session_id'))
        batch_op.drop_index('ix_committee_chamber_source_id')

    op.drop_table('committee')
