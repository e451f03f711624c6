"""committee and hearing alerts: an alert's committee (its members that day are the
targets at publish) and hearing

Revision ID: c4e7a2b9d150
Revises: 2ab72dd929d8
Create Date: 2026-12-07 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4e7a2b9d150'
down_revision = '2ab72dd929d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hearing_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_alert_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_alert_committee_id_committee'), 'committee', ['committee_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_alert_hearing_id_hearing'), 'hearing', ['hearing_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_alert_hearing_id_hearing'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_alert_committee_id_committee'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_alert_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_alert_committee_id'))
        batch_op.drop_column('hearing_id')
        batch_op.drop_column('committee_id')
