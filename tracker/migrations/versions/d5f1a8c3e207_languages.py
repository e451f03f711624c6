"""languages: staff-written text per language (translations of position rationales,
scored-vote descriptions and alerts) and the language of a subscriber's emails

Revision ID: d5f1a8c3e207
Revises: c4e7a2b9d150
Create Date: 2026-12-07 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5f1a8c3e207'
down_revision = 'c4e7a2b9d150'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bill_position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('published_translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('scorecard_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('scorecard_vote', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('bill_position', schema=None) as batch_op:
        batch_op.drop_column('published_translations')
        batch_op.drop_column('translations')
