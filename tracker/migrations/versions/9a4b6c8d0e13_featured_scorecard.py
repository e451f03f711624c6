"""featured scorecard: the published scorecard whose score is the headline, per chamber

Revision ID: 9a4b6c8d0e13
Revises: 8d3e5f6a7b92
Create Date: 2026-12-07 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import tracker.models.common

# revision identifiers, used by Alembic.
revision = '9a4b6c8d0e13'
down_revision = '8d3e5f6a7b92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'featured_scorecard',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('chamber', sa.String(length=10), nullable=False),
        sa.Column('scorecard_id', sa.Integer(), nullable=False),
        sa.Column('updated_at', tracker.models.common.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.CheckConstraint("chamber IN ('all', 'house', 'senate')",
                           name=op.f('ck_featured_scorecard_chamber')),
        sa.ForeignKeyConstraint(['scorecard_id'], ['scorecard.id'],
                                name=op.f('fk_featured_scorecard_scorecard_id_scorecard'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                                name=op.f('fk_featured_scorecard_updated_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_featured_scorecard')),
        sa.UniqueConstraint('chamber', name=op.f('uq_featured_scorecard_chamber')),
    )


def downgrade():
    op.drop_table('featured_scorecard')
