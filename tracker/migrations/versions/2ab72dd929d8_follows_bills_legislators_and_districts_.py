"""follows: bills, legislators and districts followed by email; their events, digests and
watermarks; outbox messages of kind event and digest, unique by dedupe_key

Revision ID: 2ab72dd929d8
Revises: b10894b8d33e
Create Date: 2026-12-07 06:43:38.995467

"""
import sqlalchemy as sa
from alembic import op

import tracker.models.common


# revision identifiers, used by Alembic.
revision = '2ab72dd929d8'
down_revision = 'b10894b8d33e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('built_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.CheckConstraint("frequency IN ('daily', 'weekly')", name=op.f('ck_follow_digest_frequency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_digest')),
    sa.UniqueConstraint('frequency', 'period_end', name=op.f('uq_follow_digest_frequency_period_end'))
    )
    op.create_table('follow_state',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('moment', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_follow_state'))
    )
    op.create_table('follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target_key', sa.String(length=40), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('chamber', sa.String(length=10), nullable=True),
    sa.Column('district', sa.String(length=5), nullable=True),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirm_sent_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_follow_chamber')),
    sa.CheckConstraint("frequency IN ('immediate', 'daily', 'weekly')", name=op.f('ck_follow_frequency')),
    sa.CheckConstraint("kind IN ('bill', 'legislator', 'district')", name=op.f('ck_follow_kind')),
    sa.CheckConstraint("status IN ('pending', 'active', 'stopped')", name=op.f('ck_follow_status')),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_follow_bill_id_bill'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_follow_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscriber.id'], name=op.f('fk_follow_subscriber_id_subscriber'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow')),
    sa.UniqueConstraint('subscriber_id', 'target_key', name=op.f('uq_follow_subscriber_id_target_key'))
    )
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_subscriber_id'), ['subscriber_id'], unique=False)
        batch_op.create_index('ix_follow_target_status', ['target_key', 'status'], unique=False)

    op.create_table('follow_bill_status',
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_follow_bill_status_bill_id_bill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bill_id', name=op.f('pk_follow_bill_status'))
    )
    op.create_table('follow_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=True),
    sa.Column('roll_call_id', sa.Integer(), nullable=True),
    sa.Column('hearing_id', sa.Integer(), nullable=True),
    sa.Column('hearing_change_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('found_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('backfill', sa.Boolean(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.CheckConstraint("kind IN ('status', 'hearing', 'hearing_change', 'roll_call', 'score', 'alert')", name=op.f('ck_follow_event_kind')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_follow_event_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_follow_event_bill_id_bill'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hearing_change_id'], ['hearing_change.id'], name=op.f('fk_follow_event_hearing_change_id_hearing_change'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_follow_event_hearing_id_hearing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roll_call_id'], ['roll_call.id'], name=op.f('fk_follow_event_roll_call_id_roll_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scorecard_version.id'], name=op.f('fk_follow_event_version_id_scorecard_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_event')),
    sa.UniqueConstraint('key', name=op.f('uq_follow_event_key'))
    )
    with op.batch_alter_table('follow_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_event_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_event_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index('ix_follow_event_found_at', ['found_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_event_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_event_roll_call_id'), ['roll_call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_event_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_message_dedupe_key'), ['dedupe_key'])
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_kind'), type_='check')
        batch_op.create_check_constraint(
            'kind', "kind IN ('confirm', 'alert', 'followup', 'event', 'digest')")


def downgrade():
    op.execute("DELETE FROM outbox_message WHERE kind IN ('event', 'digest')")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('confirm', 'alert', 'followup')")
        batch_op.drop_constraint(batch_op.f('uq_outbox_message_dedupe_key'), type_='unique')
        batch_op.drop_column('dedupe_key')

    with op.batch_alter_table('follow_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_event_version_id'))
        batch_op.drop_index(batch_op.f('ix_follow_event_roll_call_id'))
        batch_op.drop_index(batch_op.f('ix_follow_event_hearing_id'))
        batch_op.drop_index('ix_follow_event_found_at')
        batch_op.drop_index(batch_op.f('ix_follow_event_bill_id'))
        batch_op.drop_index(batch_op.f('ix_follow_event_alert_id'))

    op.drop_table('follow_event')
    op.drop_table('follow_bill_status')
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_target_status')
        batch_op.drop_index(batch_op.f('ix_follow_subscriber_id'))
        batch_op.drop_index(batch_op.f('ix_follow_person_id'))
        batch_op.drop_index(batch_op.f('ix_follow_bill_id'))

    op.drop_table('follow')
    op.drop_table('follow_state')
    op.drop_table('follow_digest')
