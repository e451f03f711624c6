"""vote pressure: action alerts, targets, tallies, subscribers and the outbox

Revision ID: e0b816fed78a
Revises: a7c3e91d4b52
Create Date: 2026-12-01 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import tracker.models.common


# revision identifiers, used by Alembic.
revision = 'e0b816fed78a'
down_revision = 'a7c3e91d4b52'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('house_district', sa.String(length=5), nullable=True),
    sa.Column('senate_district', sa.String(length=5), nullable=True),
    sa.Column('token_key', sa.String(length=32), nullable=False),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirm_sent_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('bounced_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('bounce_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriber')),
    sa.UniqueConstraint('email', name=op.f('uq_subscriber_email'))
    )
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriber_house_district'), ['house_district'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriber_senate_district'), ['senate_district'], unique=False)

    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('target', sa.String(length=10), nullable=False),
    sa.Column('chamber', sa.String(length=10), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=False),
    sa.Column('ask', sa.String(length=3), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('call_script', sa.Text(), nullable=False),
    sa.Column('email_subject', sa.String(length=200), nullable=False),
    sa.Column('email_template', sa.Text(), nullable=False),
    sa.Column('deadline', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('roll_call_id', sa.Integer(), nullable=True),
    sa.Column('closed_note', sa.Text(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('alert_mail_queued_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('followup_queued_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("ask IN ('yes', 'no')", name=op.f('ck_alert_ask')),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_alert_chamber')),
    sa.CheckConstraint("status IN ('draft', 'reviewed', 'published', 'closed')", name=op.f('ck_alert_status')),
    sa.CheckConstraint("target IN ('floor', 'committee')", name=op.f('ck_alert_target')),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_alert_bill_id_bill'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_alert_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_alert_published_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_alert_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roll_call_id'], ['roll_call.id'], name=op.f('fk_alert_roll_call_id_roll_call'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alert_public_id'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_roll_call_id'), ['roll_call_id'], unique=False)

    op.create_table('action_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('updated_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('called', 'emailed')", name=op.f('ck_action_tally_kind')),
    sa.CheckConstraint('count >= 0', name=op.f('ck_action_tally_count_not_negative')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_action_tally_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_action_tally_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_tally')),
    sa.UniqueConstraint('alert_id', 'person_id', 'kind', name=op.f('uq_action_tally_alert_id_person_id_kind'))
    )
    with op.batch_alter_table('action_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_tally_alert_id'), ['alert_id'], unique=False)

    op.create_table('alert_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('chamber', sa.String(length=10), nullable=False),
    sa.Column('district', sa.String(length=5), nullable=False),
    sa.Column('party', sa.String(length=50), nullable=True),
    sa.CheckConstraint("chamber IN ('house', 'senate')", name=op.f('ck_alert_target_chamber')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_target_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_alert_target_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_target')),
    sa.UniqueConstraint('alert_id', 'person_id', name=op.f('uq_alert_target_alert_id_person_id'))
    )
    with op.batch_alter_table('alert_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_target_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_target_person_id'), ['person_id'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('to_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('unsubscribe_url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('sent_at', tracker.models.common.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('confirm', 'alert', 'followup')", name=op.f('ck_outbox_message_kind')),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_message_status')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_outbox_message_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscriber.id'], name=op.f('fk_outbox_message_subscriber_id_subscriber'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('alert_id', 'subscriber_id', 'kind', name=op.f('uq_outbox_message_alert_id_subscriber_id_kind'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_subscriber_id'), ['subscriber_id'], unique=False)

    op.create_table('tally_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('browser', sa.String(length=64), nullable=False),
    sa.Column('created_at', tracker.models.common.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('called', 'emailed')", name=op.f('ck_tally_receipt_kind')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_tally_receipt_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_tally_receipt_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_receipt')),
    sa.UniqueConstraint('alert_id', 'person_id', 'kind', 'browser', name=op.f('uq_tally_receipt_alert_id_person_id_kind_browser'))
    )
    with op.batch_alter_table('tally_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tally_receipt_alert_id'), ['alert_id'], unique=False)



def downgrade():
    with op.batch_alter_table('tally_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tally_receipt_alert_id'))

    op.drop_table('tally_receipt')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_subscriber_id'))
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_index(batch_op.f('ix_outbox_message_alert_id'))

    op.drop_table('outbox_message')
    with op.batch_alter_table('alert_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_target_person_id'))
        batch_op.drop_index(batch_op.f('ix_alert_target_alert_id'))

    op.drop_table('alert_target')
    with op.batch_alter_table('action_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_tally_alert_id'))

    op.drop_table('action_tally')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_roll_call_id'))
        batch_op.drop_index(batch_op.f('ix_alert_bill_id'))

    op.drop_table('alert')
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriber_senate_district'))
        batch_op.drop_index(batch_op.f('ix_subscriber_house_district'))

    op.drop_table('subscriber')
